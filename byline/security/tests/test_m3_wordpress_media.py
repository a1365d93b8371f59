"""M3: `import_wordpress --media-dir` trusted attachment URLs, so `../` copied
any readable file into /media/ (the signing key, /proc/self/environ), and one
attachment that was not an image aborted the whole import with a misleading
message. Names must stay inside the media folder, files must be images that
Pillow and Wagtail accept, and a bad one is reported while the import goes on.
The XML attacks the review tried on the importer stay refused."""

import hashlib
import io
from pathlib import Path

import pytest
from PIL import Image as PILImage

from byline.importers.wordpress import import_wordpress
from byline.news.models import ArticlePage

WXR = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
  xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>Gazette</title><link>https://gazette.example.org</link>
<wp:base_blog_url>https://gazette.example.org</wp:base_blog_url>
{items}
</channel></rss>"""
POST = """<item><title>{title}</title><dc:creator>lena</dc:creator>
<content:encoded><![CDATA[{body}]]></content:encoded>
<wp:post_id>{id}</wp:post_id><wp:post_date_gmt>2024-04-30 08:00:00</wp:post_date_gmt>
<wp:post_name>{slug}</wp:post_name><wp:status>publish</wp:status>
<wp:post_type>post</wp:post_type>
<category domain="category" nicename="harbour"><![CDATA[Harbour]]></category>
{thumbnail}</item>"""
ATTACHMENT = """<item><title>a{id}</title><wp:post_id>{id}</wp:post_id>
<wp:post_type>attachment</wp:post_type><wp:status>inherit</wp:status>
<wp:attachment_url><![CDATA[{url}]]></wp:attachment_url></item>"""
THUMBNAIL = (
    "<wp:postmeta><wp:meta_key>_thumbnail_id</wp:meta_key>"
    "<wp:meta_value>{id}</wp:meta_value></wp:postmeta>"
)
UPLOADS = "https://gazette.example.org/wp-content/uploads/"


def png(colour=(20, 60, 140)):
    out = io.BytesIO()
    PILImage.new("RGB", (40, 30), colour).save(out, "PNG")
    return out.getvalue()


def export(tmp_path, posts):
    """Write a WXR with one post per (featured image URL, body) pair."""
    items = []
    for n, (url, body) in enumerate(posts, start=1):
        thumbnail = THUMBNAIL.format(id=100 + n) if url else ""
        items.append(
            POST.format(
                title=f"Post {n}", body=body, id=n, slug=f"post-{n}",
                thumbnail=thumbnail,
            )
        )  # fmt: skip
        if url:
            items.append(ATTACHMENT.format(id=100 + n, url=url))
    path = tmp_path / "export.xml"
    path.write_text(WXR.format(items="\n".join(items)))
    return path


@pytest.fixture
def layout(tmp_path):
    """A copy of wp-content/uploads, and a secret beside it (a PNG, so only
    the path rules can stop it)."""
    uploads = tmp_path / "uploads"
    (uploads / "2024" / "04").mkdir(parents=True)
    (uploads / "2024" / "04" / "quay.png").write_bytes(png())
    secret = tmp_path / "signing-key.png"
    secret.write_bytes(png((200, 10, 10)))
    (uploads / "2024" / "04" / "link.png").symlink_to(secret)
    return uploads, secret


def stored_digests():
    from wagtail.images import get_image_model

    digests = set()
    for image in get_image_model().objects.all():
        with image.file.open("rb") as handle:
            digests.add(hashlib.sha256(handle.read()).hexdigest())
    return digests


ESCAPES = [
    UPLOADS + "../../signing-key.png",
    UPLOADS + "%2e%2e/%2e%2e/signing-key.png",
    UPLOADS + "2024/04/..%2f..%2f..%2fsigning-key.png",
    "https://gazette.example.org/wp-content/uploads//{secret}",
    UPLOADS + "2024/04/link.png",
]


@pytest.mark.parametrize("url", ESCAPES)
def test_an_attachment_url_leaving_the_media_folder_copies_nothing(
    db, tmp_path, layout, url
):
    """`../`, encoded `..`, an absolute name or a symbolic link out of the
    uploads: no file is copied, the item is named, the rest is imported."""
    uploads, secret = layout
    url = url.format(secret=secret)
    path = export(tmp_path, [(url, "<p>One.</p>"), (UPLOADS + "2024/04/quay.png", "")])
    report = import_wordpress(path, media_dir=uploads)
    secret_digest = hashlib.sha256(secret.read_bytes()).hexdigest()
    assert secret_digest not in stored_digests()
    assert ArticlePage.objects.count() == 2
    assert ArticlePage.objects.get(slug="post-2").hero_image is not None
    assert any("not imported" in p for p in report.problems), report.problems


@pytest.mark.parametrize(
    "content",
    [b"%PDF-1.4 minutes of the council", png()[:60], b"<svg onload=alert(1)/>"],
    ids=["pdf", "truncated", "svg"],
)
def test_a_file_that_is_not_an_image_is_reported_and_the_import_goes_on(
    db, tmp_path, layout, content
):
    """A featured "image" that is a document or broken: named in the report,
    every post imported, the good image still set."""
    uploads, _ = layout
    (uploads / "2024" / "04" / "minutes.jpg").write_bytes(content)
    path = export(
        tmp_path,
        [(UPLOADS + "2024/04/minutes.jpg", "<p>One.</p>"),
         (UPLOADS + "2024/04/quay.png", "<p>Two.</p>")],
    )  # fmt: skip
    report = import_wordpress(path, media_dir=uploads)
    assert ArticlePage.objects.count() == 2
    assert ArticlePage.objects.get(slug="post-1").hero_image is None
    assert ArticlePage.objects.get(slug="post-2").hero_image is not None
    (problem,) = report.problems
    assert "2024/04/minutes.jpg" in problem
    from wagtail.images import get_image_model

    assert get_image_model().objects.count() == 1


def test_images_in_the_text_follow_the_same_rules(db, tmp_path, layout):
    """A body image climbing out of the uploads stays text and is reported."""
    uploads, secret = layout
    body = f'<p>Before.</p><img src="{UPLOADS}../../signing-key.png" alt="Key">'
    report = import_wordpress(export(tmp_path, [(None, body)]), media_dir=uploads)
    article = ArticlePage.objects.get()
    assert "[Image: Key]" in article.body and "<embed" not in article.body
    assert any("signing-key.png" in p for p in report.problems)
    assert hashlib.sha256(secret.read_bytes()).hexdigest() not in stored_digests()


def test_xml_entities_in_an_export_are_refused(db, tmp_path):
    """An external entity (a local file) or a billion-laughs expansion in a
    WXR file stops the import before anything is created."""
    from django.core.management import CommandError, call_command

    secret = tmp_path / "secret.txt"
    secret.write_text("top secret text")
    external = (
        f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "file://{secret}">]>'
        "<rss><channel><item><title>&x;</title></item></channel></rss>"
    )
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "lol">'
        + "".join(
            f'<!ENTITY {chr(98 + n)} "{("&" + chr(97 + n) + ";") * 10}">'
            for n in range(9)
        )
        + "]><rss><channel><item><title>&j;</title></item></channel></rss>"
    )
    for n, text in enumerate([external, laughs]):
        path = tmp_path / f"attack{n}.xml"
        path.write_text(text)
        with pytest.raises(CommandError, match="not a readable WXR file"):
            call_command("import_wordpress", str(path), no_progress=True)
    assert not ArticlePage.objects.exists()
    assert not any("top secret" in a.title for a in ArticlePage.objects.all())


def test_the_secret_was_readable_so_the_rules_are_what_stopped_it(layout):
    """The attack files exist and are readable: the tests above are not
    passing for want of a target."""
    uploads, secret = layout
    assert (uploads / "2024" / "04" / "../../../signing-key.png").resolve() == (
        secret.resolve()
    )
    assert (
        Path(uploads / "2024" / "04" / "link.png").read_bytes() == secret.read_bytes()
    )
