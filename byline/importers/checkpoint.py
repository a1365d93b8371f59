"""Resume an interrupted JSON Lines import where its last committed batch ended.

The file is read as bytes so that each line's end offset is known, and a
BLAKE2b digest of everything read so far is kept. A rerun of the same path
finds the unfinished `ImportRun`, hashes the file up to the last committed
offset, and, when the bytes are the ones imported, seeks past them; when the
file changed before that point it starts again from the first line (records
are keyed by their ids, so that creates nothing twice either). Records after
the resume point are still checked against the database by id: the
checkpoint saves time, the ids keep it correct.
"""

import hashlib
from typing import NamedTuple

from django.db import transaction
from django.utils import timezone

from byline.importers.models import ImportBatch, ImportRun

CHUNK = 1 << 20


class Mark(NamedTuple):
    """Where the file stood after a line: its number, the byte offset after
    it, and the digest of everything up to there."""

    line: int
    offset: int
    digest: str


class CheckpointedFile:
    """The lines of a file with their numbers, from where a previous run stopped."""

    def __init__(self, path):
        self.path = str(path)
        self.digest = hashlib.blake2b(digest_size=32)
        self.offset = 0
        self.line = 0
        self.resumed_after = 0
        self.run = None

    def open(self):
        """Find or start this file's run; skip what an unfinished run committed."""
        self.handle = open(self.path, "rb")
        self.run = ImportRun.objects.filter(path=self.path, finished=None).first()
        if self.run is None:
            self.run = ImportRun.objects.create(path=self.path)
            return self
        last = self.run.batches.order_by("-line").first()
        if last is not None and self._prefix_digest(last.offset) == last.digest:
            self.handle.seek(last.offset)
            self.offset, self.line = last.offset, last.line
            self.resumed_after = last.line
        else:  # the file changed under the run: start it again
            self._restart()
        return self

    @transaction.atomic
    def _restart(self):
        """A new run from the first line, which still owes the end-of-import
        work (related lists, caches) to what the interrupted run committed."""
        carried = self.touched_ids()
        self.run.delete()
        self.run = ImportRun.objects.create(path=self.path)
        self.handle.seek(0)
        self.digest = hashlib.blake2b(digest_size=32)
        if carried:
            ImportBatch.objects.create(
                run=self.run,
                line=0,
                offset=0,
                digest=self.digest.hexdigest(),
                article_ids=carried,
            )

    def _prefix_digest(self, offset):
        remaining = offset
        while remaining > 0:
            chunk = self.handle.read(min(CHUNK, remaining))
            if not chunk:
                return None  # the file is now shorter than the point reached
            self.digest.update(chunk)
            remaining -= len(chunk)
        return self.digest.hexdigest()

    def __iter__(self):
        """Yield (line number, text, byte offset after the line)."""
        for raw in self.handle:
            self.line += 1
            self.offset += len(raw)
            self.digest.update(raw)
            yield self.line, raw.decode("utf-8", errors="replace"), self.offset

    def mark(self):
        """Where the file stands now (after the last line read)."""
        return Mark(self.line, self.offset, self.digest.hexdigest())

    def commit_batch(self, article_ids, mark=None):
        """Record that everything up to `mark` (by default, everything read so
        far) is imported; call inside the batch's own transaction, so the
        record and the articles commit together. An importer that reads
        ahead passes the mark taken after the batch's last line."""
        mark = mark or self.mark()
        ImportBatch.objects.create(
            run=self.run,
            line=mark.line,
            offset=mark.offset,
            digest=mark.digest,
            article_ids=article_ids,
        )

    def touched_ids(self):
        """Every article the run's committed batches created or changed."""
        batches = self.run.batches.values_list("article_ids", flat=True)
        return [pk for ids in batches for pk in ids]

    def finish(self):
        """Mark the run finished and forget its batches (their work is done)."""
        self.run.batches.all().delete()
        ImportRun.objects.filter(pk=self.run.pk).update(finished=timezone.now())

    def close(self):
        self.handle.close()
