"""The media part of a backup: every upload and rendition, wherever it is stored.

Local files (FileSystemStorage under MEDIA_ROOT) are archived where they lie.
Object storage (an S3-compatible bucket, README "Running several nodes") is
read through Django's storage API, each object copied in blocks into the
backup's private work folder, and restored the same way, so a backup holds the
same `media/…` members whichever storage the site uses, and an archive taken
from local files restores into a bucket (and back).
"""

import shutil
from pathlib import Path

from django.core.files import File
from django.core.files.storage import FileSystemStorage, storages

from byline.operations.backup_database import BackupError

BLOCK = 1 << 20


def collect(work_folder):
    """{"media/<name>": path of its bytes} for every file of the site's media."""
    storage = storages["default"]
    if isinstance(storage, FileSystemStorage):
        root = Path(storage.location)
        if not root.exists():
            return {}
        return {
            f"media/{path.relative_to(root).as_posix()}": path
            for path in sorted(root.rglob("*"))
            if path.is_file() and not path.is_symlink()
        }
    members = {}
    for name in _names(storage):
        copy = Path(work_folder) / "media" / name
        copy.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        with storage.open(name, "rb") as source, open(copy, "wb") as out:
            shutil.copyfileobj(source, out, BLOCK)
        members[f"media/{name}"] = copy
    return members


def _names(storage, folder=""):
    """Every file name in the storage, walking its folders in order."""
    folders, files = storage.listdir(folder)
    prefix = f"{folder}/" if folder else ""
    for name in sorted(files):
        yield prefix + name
    for sub in sorted(folders):
        yield from _names(storage, prefix + sub)


def restore(media_folder):
    """Put every file under `media_folder` (an archive's media/) in the storage,
    replacing a file of the same name, as a restore replaces the database."""
    storage = storages["default"]
    media_folder = Path(media_folder)
    if isinstance(storage, FileSystemStorage):
        shutil.copytree(media_folder, storage.location, dirs_exist_ok=True)
        return
    for path in sorted(media_folder.rglob("*")):
        if not path.is_file():
            continue
        name = path.relative_to(media_folder).as_posix()
        if storage.exists(name):
            storage.delete(name)
        with open(path, "rb") as handle:
            saved = storage.save(name, File(handle, name=name))
        if saved != name:
            raise BackupError(f"the storage saved media/{name} as {saved}")
