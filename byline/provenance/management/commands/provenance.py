from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from byline.provenance import keys, records
from byline.provenance.models import ProvenanceRecord, SigningKey
from byline.provenance.verification import check_signature


class Command(BaseCommand):
    help = "Sign articles that have no provenance record, or check the whole log."

    def add_arguments(self, parser):
        action = parser.add_mutually_exclusive_group(required=True)
        action.add_argument(
            "--sign-missing",
            action="store_true",
            help="sign every live article that has no record yet",
        )
        action.add_argument(
            "--check",
            action="store_true",
            help="check every record's signature and the chain of the whole log",
        )

    def handle(self, *args, sign_missing, check, **options):
        if sign_missing:
            total = records.unsigned_articles().count()
            with tqdm(total=total, unit="article", disable=total < 100) as bar:
                signed = records.sign_missing(progress=bar.update)
            self.stdout.write(self.style.SUCCESS(f"Signed {signed} article(s)."))
            return
        problems, count, prev = [], 0, ""
        published = keys.published(SigningKey.objects.values_list("kid", flat=True))
        for record in ProvenanceRecord.objects.defer("content").iterator(2000):
            count += 1
            check = check_signature(record, published)
            problems += [f"record {record.seq}: {p}" for p in check.problems]
            if check.valid and record.payload.get("prev") != prev:
                problems.append(f"record {record.seq}: the chain breaks before it")
            prev = record.token_hash
        for problem in problems:
            self.stderr.write(problem)
        if problems:
            raise CommandError(f"{len(problems)} problem(s) in {count} records")
        self.stdout.write(self.style.SUCCESS(f"All {count} records verify and chain."))
