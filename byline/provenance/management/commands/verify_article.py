from django.core.management.base import BaseCommand, CommandError

from byline.provenance.tool import load_verifier


class Command(BaseCommand):
    help = (
        "Check an article's provenance over HTTP like an outside reader: signatures, "
        "the chain, and that the page shows what was signed."
    )

    def add_arguments(self, parser):
        parser.add_argument("url", help="the article's full address")

    def handle(self, *args, url, **options):
        verifier = load_verifier()
        try:
            verdict = verifier.verify_url(url)
        except (OSError, ValueError) as exc:
            raise CommandError(f"could not read {url}: {exc}") from None
        self.stdout.write(f"Provenance of {url}\n{verdict.report()}")
        if not verdict.verified:
            raise CommandError(f"{len(verdict.problems)} problem(s) found")
