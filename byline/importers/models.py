"""What a JSON Lines import has committed, so that an interrupted one resumes.

An `ImportRun` is one `import_articles` of one file until it finishes. Each batch
the importer commits writes an `ImportBatch` in the same transaction as its
articles, their signatures and their index rows: the batch row says how far into
the file the import got (line, byte offset, and a digest of every byte before
that offset) and which articles the batch created or changed. So after a crash
the rows say exactly what is in the database, no more and no less.
"""

from django.db import models


class ImportRun(models.Model):
    path = models.CharField(max_length=1000, db_index=True)
    started = models.DateTimeField(auto_now_add=True)
    finished = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-pk"]

    def __str__(self):
        state = "finished" if self.finished else "unfinished"
        return f"{self.path} ({state})"


class ImportBatch(models.Model):
    run = models.ForeignKey(ImportRun, on_delete=models.CASCADE, related_name="batches")
    line = models.BigIntegerField(help_text="last line of the file this batch read")
    offset = models.BigIntegerField(help_text="byte offset just after that line")
    digest = models.CharField(max_length=64, help_text="BLAKE2b of bytes [0, offset)")
    article_ids = models.JSONField(default=list)

    class Meta:
        ordering = ["line"]

    def __str__(self):
        return f"{self.run.path} to line {self.line}"
