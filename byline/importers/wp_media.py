"""WordPress uploads → Wagtail images, read safely from `--media-dir`.

An export names each file by URL (`…/wp-content/uploads/2024/04/quay.jpg`),
and the files come from a copy of wp-content/uploads. The URL is text from the
export, so it is trusted no more than any other: a name that is absolute or
climbs with `..` (also percent-encoded), or that resolves outside the media
folder (through a symbolic link), is refused; a file is saved only once
Pillow has verified it and Wagtail's own upload rules (formats, the extension
matching the content, size and pixel limits) accept it. A bad file is
reported and the import goes on.
"""

import io
import re
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from django.core.exceptions import ValidationError
from django.core.files.images import ImageFile
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.images.fields import WagtailImageField

UPLOADS = "/wp-content/uploads/"
# WordPress's resized copies: quay-300x200.jpg is a size of quay.jpg.
SIZED = re.compile(r"^(?P<stem>.+)-\d+x\d+(?P<suffix>\.[A-Za-z0-9]+)$")


class MediaError(Exception):
    """A file the import refuses; the message says why."""


def relative_name(url):
    """Return the file's name below wp-content/uploads, as the URL gives it."""
    path = unquote(urlsplit(url or "").path)
    if UPLOADS in path:
        return path.split(UPLOADS, 1)[1]
    return path.lstrip("/")


def resolve(media_dir, relative):
    """Return the file under `media_dir` that `relative` names, or None when it
    is not there. Raise MediaError for a name that could leave the folder."""
    parts = relative.split("/")
    if (
        not relative
        or "\x00" in relative
        or "\\" in relative
        or PurePosixPath(relative).is_absolute()
        or any(part in {"", ".", ".."} for part in parts)
    ):
        raise MediaError("its name is absolute, empty or climbs out with '..'")
    root = Path(media_dir).resolve()
    path = (root / relative).resolve()
    if not path.is_relative_to(root):
        raise MediaError("it leads outside the media folder")
    return path if path.is_file() else None


def image_file(path):
    """Return the file's bytes once Pillow and Wagtail's rules accept them."""
    field = WagtailImageField()
    size = path.stat().st_size
    if field.max_upload_size is not None and size > field.max_upload_size:
        raise MediaError(f"it is larger than {field.max_upload_size_text}")
    data = path.read_bytes()
    try:
        with PILImage.open(io.BytesIO(data)) as picture:
            picture.verify()
    except Exception as exc:  # Pillow raises many kinds for a bad file
        raise MediaError(f"it is not an image Pillow can read ({exc})") from None
    try:
        field.clean(SimpleUploadedFile(path.name, data))
    except ValidationError as exc:
        raise MediaError(" ".join(exc.messages)) from None
    return data


class MediaLibrary:
    """The Wagtail images of one import, each file read and checked once."""

    def __init__(self, media_dir, report):
        self.media_dir = Path(media_dir) if media_dir else None
        self.report = report
        self.found = {}  # relative name → image or None
        self.refused = set()

    def image(self, url, prefer_original=False):
        """Return the Wagtail image for an upload's URL, or None: missing files
        are listed in the report, refused ones named with the reason."""
        relative = relative_name(url)
        names = [relative]
        sized = SIZED.match(relative)
        if prefer_original and sized:
            names.insert(0, sized["stem"] + sized["suffix"])
        for name in names:
            if name not in self.found:
                self.found[name] = self._load(name)
            if self.found[name] is not None:
                return self.found[name]
        if relative not in self.report.missing_media and not (
            self.refused & set(names)
        ):
            self.report.missing_media.append(relative)
        return None

    def forget(self):
        """Drop what was found (a rolled-back transaction took its images)."""
        self.found.clear()

    def _load(self, relative):
        if self.media_dir is None:
            return None
        try:
            source = resolve(self.media_dir, relative)
            if source is None:
                return None
            Image = get_image_model()
            title = f"WordPress upload {relative}"[:255]
            image = Image.objects.filter(title=title).first()
            if image is None:
                data = image_file(source)
                image = Image(title=title)
                image.file.save(source.name, ImageFile(io.BytesIO(data), source.name))
                self.report.created["images"] += 1
            return image
        except (MediaError, OSError) as exc:
            self.refused.add(relative)
            self.report.problems.append(f"image {relative!r} not imported: {exc}")
            return None
