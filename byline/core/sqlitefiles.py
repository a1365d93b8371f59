"""SQLite database files kept private (security issue L3), through public
mechanisms only: Django's stock SQLite backend, with

- `keep_private(name)` called by settings for every SQLite database before any
  connection is opened, so a new database file is created 0600 (SQLite then
  gives its -wal, -shm and journal files the database file's own mode), and an
  existing one from an older install loses group and world access;
- the `connection_created` signal (connected in `CoreConfig.ready`), which
  does the same on every new connection, for a file removed and made again
  while the process runs.

This module imports nothing from Django so settings can use it.
"""

import os
from pathlib import Path


def keep_private(name):
    """Create the database file readable by its owner only, and take group and
    world access from an existing one and its -wal, -shm and -journal files."""
    name = str(name or "")
    if not name or name == ":memory:" or name.startswith("file:"):
        return  # in memory (tests), or a URI whose file SQLite opens itself
    path = Path(name)
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        pass
    except OSError:
        return  # a folder not made yet, or not ours: SQLite will say so
    for suffix in ("", "-wal", "-shm", "-journal"):
        part = Path(f"{path}{suffix}")
        try:
            mode = part.stat().st_mode
            if mode & 0o077:
                part.chmod(mode & 0o700)
        except OSError:
            continue  # absent, or not ours to change


def on_connection_created(sender, connection, **kwargs):
    """`connection_created` receiver: a SQLite connection's files stay private."""
    if connection.vendor == "sqlite":
        keep_private(connection.settings_dict.get("NAME"))
