"""Make an import's signatures in a second process while the import goes on.

A batch's signatures chain (chain.py), so they cannot be made ahead of the
batch; but once its payloads are known they need nothing more from the
database, and the import still has the batch's index rows to write. The signer
is a process forked when the import starts: the import hands it a batch
(`submit`) and takes the signatures back once its other rows are written.
Ed25519 signatures are deterministic, so the tokens are the very ones this
process would make.

The signer is only ever a head start: a batch it could not sign, a signer that
died or stopped answering, and the batch is signed here, as before (an error
that signing raises is then raised here, where the batch can report it).

The private key crosses the pipe as its 32 raw bytes, to a process of the same
program that was forked with the key file's contents already readable to it.
"""

import logging
import multiprocessing
import os

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from byline.provenance import chain

logger = logging.getLogger(__name__)
# How often an idle signer checks that the process that started it is there.
PARENT_CHECK_SECONDS = 0.5
# A batch of 500 signs in well under a second; a signer silent for this long
# is taken for stuck, and the batch is signed here.
ANSWER_SECONDS = 60


class Signer:
    """A context manager running a signer process (none when not `enabled`:
    `submit` then signs at once, in this process)."""

    def __init__(self, enabled=True):
        self.enabled = enabled
        self.process = None
        self.conn = None
        self.sent = 0  # jobs sent, numbered from 1
        self.answered = 0  # the last job whose answer was read

    def __enter__(self):
        if self.enabled:
            # Forked before any thread of the import exists, so no lock is
            # copied held; it never touches the database connections it inherits.
            context = multiprocessing.get_context("fork")
            ours, theirs = context.Pipe()
            self.process = context.Process(
                target=_serve,
                args=(theirs, ours, os.getpid()),
                name="byline-signer",
                daemon=True,
            )
            self.process.start()
            theirs.close()
            self.conn = ours
        return self

    def __exit__(self, *exc_info):
        # Closing the pipe is the signal to stop (a stop message could wait
        # for ever behind a batch the signer is not reading).
        if self.conn is not None:
            self._close()

    @property
    def running(self):
        return self.conn is not None

    def submit(self, job):
        """Start signing a chain.Job; return a callable that returns its
        [(token, token hash)]."""
        if self.conn is not None:
            try:
                self._read_until(self.sent)  # answers nobody took (a failed batch)
                if self.conn is not None:
                    raw = job.key.private_bytes_raw()
                    message = (self.sent + 1, raw, job.kid, job.prev, job.page_prev)
                    self.conn.send((*message, job.payloads))
                    self.sent += 1
                    number = self.sent
                    return lambda: self._result(number, job)
            except (OSError, EOFError) as exc:
                self._lost(exc)
        signed = chain.sign(job)
        return lambda: signed

    def _result(self, number, job):
        answer = self._read_until(number)
        if answer is None:  # not signed there: here, raising what signing raises
            return chain.sign(job)
        return answer

    def _read_until(self, number):
        """Read answers up to job `number`'s and return its tokens (None if
        the signer failed it, or is gone)."""
        tokens = None
        while self.conn is not None and self.answered < number:
            try:
                if not self.conn.poll(ANSWER_SECONDS):
                    self._lost(f"no answer in {ANSWER_SECONDS} s")
                    return None
                self.answered, tokens = self.conn.recv()
            except (OSError, EOFError) as exc:
                self._lost(exc)
                return None
        return tokens

    def _lost(self, reason):
        logger.warning("The import's signer stopped (%s): signing in-process", reason)
        self._close()

    def _close(self):
        conn, process = self.conn, self.process
        self.conn = self.process = None
        conn.close()
        process.join(5)
        if process.is_alive():
            process.kill()
            process.join()


def _serve(conn, parent_end, parent):
    """The signer's loop: sign each job it is sent, in order, until told to
    stop or the import is gone."""
    parent_end.close()
    keys = {}
    while True:
        try:
            if not conn.poll(PARENT_CHECK_SECONDS):
                if os.getppid() != parent:  # the import was killed
                    return
                continue
            message = conn.recv()
        except (OSError, EOFError):  # the import closed the pipe: done
            return
        number, raw, kid, prev, page_prev, payloads = message
        try:
            if raw not in keys:
                keys[raw] = Ed25519PrivateKey.from_private_bytes(raw)
            tokens = chain.sign(chain.Job(keys[raw], kid, prev, page_prev, payloads))
        except Exception:  # the import signs this batch itself, and reports
            logger.exception("The signer could not sign a batch")
            tokens = None
        try:
            conn.send((number, tokens))
        except OSError:
            return
