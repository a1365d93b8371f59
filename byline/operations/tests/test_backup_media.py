"""A backup's media from and to an S3-compatible bucket (moto's server, over HTTP)."""

from io import BytesIO

import pytest
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.core.files.storage import storages
from PIL import Image as PILImage
from wagtail.images import get_image_model

from byline.operations import backup_media


def _objects(client, bucket):
    listed = client.list_objects_v2(Bucket=bucket).get("Contents", [])
    return {
        item["Key"]: client.get_object(Bucket=bucket, Key=item["Key"])["Body"].read()
        for item in listed
    }


def _use_bucket(settings, client, name):
    client.create_bucket(Bucket=name)
    storage = settings.STORAGES["default"]
    options = {**storage["OPTIONS"], "bucket_name": name}
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {**storage, "OPTIONS": options},
    }


@pytest.mark.django_db
def test_media_in_a_bucket_is_archived_and_restored_into_another(
    s3_bucket, settings, tmp_path
):
    """A new machine with a new bucket gets every upload and rendition back,
    byte for byte, under the names its restored database holds."""
    client, bucket = s3_bucket
    buffer = BytesIO()
    PILImage.new("RGB", (300, 200), (200, 40, 40)).save(buffer, "JPEG")
    image = get_image_model()(title="Red square")
    image.file.save("red.jpg", ImageFile(buffer, name="red.jpg"))
    image.get_rendition("fill-60x40")
    before = _objects(client, bucket)
    assert len(before) == 2

    members = backup_media.collect(tmp_path)
    assert {f"media/{key.removeprefix('media/')}" for key in before} == set(members)
    for name, path in members.items():
        assert path.read_bytes() == before["media/" + name.removeprefix("media/")]
        assert tmp_path in path.parents  # copied into the private work folder

    _use_bucket(settings, client, "restored-" + bucket)
    backup_media.restore(tmp_path / "media")
    assert _objects(client, "restored-" + bucket) == before


@pytest.mark.django_db
def test_a_restore_replaces_a_file_of_the_same_name_instead_of_renaming_it(
    s3_bucket, tmp_path
):
    """The restored database names `original_images/a.jpg`: a file left under
    that name must be replaced, not kept with the archive's saved beside it."""
    client, bucket = s3_bucket
    storage = storages["default"]
    storage.save("original_images/a.jpg", ContentFile(b"left over"))
    archived = tmp_path / "media" / "original_images" / "a.jpg"
    archived.parent.mkdir(parents=True)
    archived.write_bytes(b"from the archive")
    backup_media.restore(tmp_path / "media")
    assert _objects(client, bucket) == {
        "media/original_images/a.jpg": b"from the archive"
    }


def test_local_media_is_archived_where_it_lies_without_links(settings, tmp_path):
    """Local files: archived in place, and a link placed among them (pointing at
    a secret elsewhere) is not followed into the archive."""
    root = tmp_path / "media"
    (root / "images").mkdir(parents=True)
    (root / "images" / "a.jpg").write_bytes(b"picture")
    secret = tmp_path / "secret.txt"
    secret.write_text("not media")
    (root / "images" / "link.jpg").symlink_to(secret)
    settings.MEDIA_ROOT = root
    members = backup_media.collect(tmp_path / "work")
    assert members == {"media/images/a.jpg": root / "images" / "a.jpg"}
