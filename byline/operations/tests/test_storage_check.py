"""`manage.py check_storage`: media storage checked before the site relies on
it, against moto's standalone S3 server over HTTP (root conftest)."""

import socket
from io import StringIO

import pytest
from django.core.management import CommandError, call_command


def _keys(client, bucket):
    return client.list_objects_v2(Bucket=bucket).get("KeyCount", 0)


def _options(settings, **changes):
    storage = settings.STORAGES["default"]
    options = {**storage["OPTIONS"], **changes}
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {**storage, "OPTIONS": options},
    }
    return options


def check():
    out = StringIO()
    call_command("check_storage", stdout=out)
    return out.getvalue()


def test_a_working_bucket_passes_and_keeps_nothing(s3_bucket):
    client, bucket = s3_bucket
    assert f"bucket '{bucket}'" in check()
    assert _keys(client, bucket) == 0


def test_local_files_pass(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    assert "MEDIA_ROOT" in check()
    assert not any(settings.MEDIA_ROOT.iterdir())


def test_a_missing_bucket_is_named(s3_bucket, settings):
    _options(settings, bucket_name="no-such-bucket-here")
    with pytest.raises(CommandError, match="AWS_STORAGE_BUCKET_NAME"):
        check()


def test_a_server_that_does_not_answer_says_how_to_start_one(s3_bucket, settings):
    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    _options(settings, endpoint_url=f"http://127.0.0.1:{port}")
    with pytest.raises(CommandError, match="make s3"):
        check()


def test_a_bucket_readers_cannot_open_is_refused(s3_bucket, settings):
    """Objects saved private with plain links: every picture would be broken."""
    client, bucket = s3_bucket
    options = _options(settings)
    options.pop("default_acl")
    with pytest.raises(CommandError, match="answered 403.*AWS_QUERYSTRING_AUTH"):
        check()
    assert _keys(client, bucket) == 0
    _options(settings, querystring_auth=True)  # signed links open
    assert "works" in check()
