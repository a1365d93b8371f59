"""Remove an account's authenticator, for someone who lost their phone."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from byline.twofactor import devices, policy


class Command(BaseCommand):
    help = (
        "Remove every authenticator of an account (a lost phone). The next sign-in "
        "sets up a new one if the site requires it."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, username, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No account named {username!r}.")
        removed = devices.remove_all(user)
        then = (
            "it sets up a new authenticator at its next sign-in"
            if policy.required_for(user)
            else "it signs in with its password alone until it sets one up"
        )
        self.stdout.write(f"{username}: {removed} authenticator(s) removed; {then}.")
