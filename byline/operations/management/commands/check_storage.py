from django.core.management.base import BaseCommand, CommandError

from byline.operations.storage_check import StorageProblem, check_storage


class Command(BaseCommand):
    help = (
        "Check that media storage works (local files or the bucket named by "
        "AWS_STORAGE_BUCKET_NAME): save, read, open by link and delete a small "
        "file. `make run` runs it before loading the demo."
    )

    def handle(self, *args, **options):
        try:
            self.stdout.write(check_storage())
        except StorageProblem as exc:
            raise CommandError(str(exc)) from None
