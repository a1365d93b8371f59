"""Gather the messages marked for translation into each language's catalogue
(byline/core/translations.py): `update_translations` for every language there
is, `--language fr` to start one, `--check` to fail if any is out of date."""

from django.core.management.base import BaseCommand, CommandError

from byline.core import translations


class Command(BaseCommand):
    help = "Update byline/locale/<lang>/LC_MESSAGES/django.po and .mo from the code."

    def add_arguments(self, parser):
        parser.add_argument("--language", action="append", default=[])
        parser.add_argument(
            "--check",
            action="store_true",
            help="Change nothing; fail if a catalogue misses a message or a "
            "translation, or its .mo is not the .po compiled.",
        )

    def handle(self, *args, language, check, **options):
        found = translations.extract()
        chosen = language or translations.languages()
        if check:
            problems = [
                problem
                for code in chosen
                for problem in translations.stale(code, found)
            ]
            if problems:
                raise CommandError("\n".join(problems))
            self.stdout.write(f"{len(chosen)} catalogue(s) up to date.")
            return
        for code in chosen:
            missing = translations.update(code, found)
            self.stdout.write(
                f"{code}: {len(found)} messages, {len(missing)} to translate "
                f"({translations.po_path(code)})"
            )
