"""A rebuild's reason texts, kept on disk between its passes.

A list's reasons read the headline, standfirst and first lines of the article
and of each of its picks (`engine.reason_text`). A rebuild used to read them
from the database again, a chunk of lists at a time: each article's body once
more for every list it is in (about three times), converted from HTML each time.
Now they are written to a temporary file while the vectors are made (the bodies
are in hand then) and read back by offset: no more reads of the bodies, and no
archive of texts in memory (8 bytes an article for the offsets).
"""

import os
import tempfile

import numpy as np

from byline.related.engine import reason_text


class ReasonTexts:
    """{row: reason text} of a rebuild's articles, added in row order."""

    def __init__(self):
        self._file = tempfile.TemporaryFile()
        self._ends = []
        self._offsets = None

    def add(self, documents):
        written = 0 if not self._ends else self._ends[-1]
        for document in documents:
            data = reason_text(document).encode()
            self._file.write(data)
            written += len(data)
            self._ends.append(written)

    def finish(self):
        """Stop adding: the texts can be read from now on."""
        self._file.flush()
        self._offsets = np.zeros(len(self._ends) + 1, dtype=np.int64)
        self._offsets[1:] = self._ends
        self._ends = None

    def get(self, row, default=None):
        if self._offsets is None or not 0 <= row < len(self._offsets) - 1:
            return default
        start, end = self._offsets[row], self._offsets[row + 1]
        return os.pread(self._file.fileno(), int(end - start), int(start)).decode()

    def close(self):
        self._file.close()
