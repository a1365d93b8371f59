"""Check that media storage works before the site relies on it.

`make run` runs `manage.py check_storage` before loading the demo, and an
operator can run it on a new node: a small object is saved, read back and
deleted through Django's storage API (django-storages and boto3 for a bucket),
and, when the storage gives absolute links, its link is opened without
credentials, as a reader's browser opens a picture. Each failure says which
step failed and what to set, instead of a traceback halfway through the demo
or pictures that silently do not show.
"""

import urllib.error
import urllib.request
import uuid

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import storages

PROBE = b"Byline storage check\n"


class StorageProblem(Exception):
    """Media storage does not work; the message says why and what to set."""


def _where():
    options = settings.STORAGES["default"].get("OPTIONS", {})
    bucket = options.get("bucket_name")
    if bucket is None:
        return f"local files under MEDIA_ROOT={settings.MEDIA_ROOT}", None
    endpoint = options.get("endpoint_url") or "AWS"
    return f"bucket {bucket!r} at {endpoint}", options


def _hint(options):
    if options is None:
        return "MEDIA_ROOT must be a folder this user can write."
    if options.get("endpoint_url"):
        return (
            "Check AWS_S3_ENDPOINT_URL (is the server running? `make s3` starts "
            "a local one), AWS_STORAGE_BUCKET_NAME (does the bucket exist?), "
            "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY."
        )
    return (
        "Check AWS_STORAGE_BUCKET_NAME, AWS_S3_REGION_NAME and the keys "
        "(AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or the instance role)."
    )


def check_storage():
    """Save, read, link and delete a probe; return a line saying where media
    lives. Raise StorageProblem naming the failed step and what to set."""
    where, options = _where()
    storage = storages["default"]
    name = f"byline-check-{uuid.uuid4().hex}.txt"  # no folder left behind
    step = "save a file"
    try:
        name = storage.save(name, ContentFile(PROBE))
        step = "read it back"
        with storage.open(name, "rb") as probe:
            if probe.read() != PROBE:
                raise StorageProblem(f"{where}: a file read back differs")
        step = "give its link"
        link = storage.url(name)
    except StorageProblem:
        raise
    except Exception as exc:  # boto3, the file system: many kinds
        raise StorageProblem(
            f"Media storage ({where}) failed to {step}: {exc}. {_hint(options)}"
        ) from None
    try:
        if link.startswith(("http://", "https://")):
            _open_as_a_reader(link, where)
    finally:
        storage.delete(name)
    return f"Media storage works: {where}."


def _open_as_a_reader(link, where):
    """Pictures are shown by link: one that a browser cannot open is a broken
    picture on every page."""
    try:
        with urllib.request.urlopen(link, timeout=10) as response:
            if response.read() == PROBE:
                return
            problem = "gave other bytes"
    except urllib.error.HTTPError as exc:
        problem = f"answered {exc.code}"
    except OSError as exc:
        problem = f"did not answer ({exc})"
    raise StorageProblem(
        f"Media storage ({where}) works, but readers cannot open its pictures: "
        f"the link {link.split('?')[0]} {problem}. Let anyone read the bucket's "
        "media folder (a bucket policy, or AWS_DEFAULT_ACL=public-read), or sign "
        "every link (AWS_QUERYSTRING_AUTH=1); with AWS_S3_CUSTOM_DOMAIN, the CDN "
        "must serve the bucket."
    )
