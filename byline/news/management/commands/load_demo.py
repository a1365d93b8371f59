import os

from django.core.management.base import BaseCommand

from byline.news.demo.loader import load_demo


class Command(BaseCommand):
    help = (
        "Create the demo newsroom (sections, authors, articles, accounts). Idempotent."
    )

    def handle(self, *args, **options):
        accounts, created = load_demo()
        self.stdout.write(
            self.style.SUCCESS(f"Demo newsroom ready ({created} new articles).")
        )
        port = os.environ.get("PORT", "8000")
        self.stdout.write(
            f"Log in to the admin at http://127.0.0.1:{port}/admin/ with:"
        )
        for username, password, role in accounts:
            self.stdout.write(
                f"  {role:<13} username: {username:<9} password: {password}"
            )
