from django.db.models.signals import post_save
from django.dispatch import receiver

from byline.core import siteconfig
from byline.newsletter.jinja_globals import CACHE_KEY
from byline.newsletter.models import NewsletterSettings


@receiver(post_save, sender=NewsletterSettings)
def forget_settings(sender, instance, **kwargs):
    siteconfig.forget(CACHE_KEY.format(site_id=instance.site_id))
