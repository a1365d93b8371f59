from datetime import timedelta

from django.utils import timezone


def comments_open(article, site_settings):
    """Whether readers may add comments to the article now."""
    if getattr(article, "comments_closed", False):
        return False
    days = site_settings.close_after_days
    published = getattr(article, "published_at", None)
    return not (
        days and published and timezone.now() > published + timedelta(days=days)
    )
