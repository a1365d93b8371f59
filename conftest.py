"""Fixtures shared by every app's tests: a newsroom with pages to read."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

SHARED_DIR = Path(__file__).resolve().parent.parent / "shared"
NEWS_DATA_DIR = SHARED_DIR / "data" / "news"


@pytest.fixture(autouse=True)
def empty_cache():
    """Start every test with an empty cache and no rate-limit counts: with
    Redis, or the counters' files, they outlive a test."""
    from django.core.cache import cache

    from byline.core import counters

    cache.clear()
    counters.clear()
    yield


@pytest.fixture(autouse=True)
def fresh_key_memory():
    """Each test sees the provenance key file and database as they are, not as
    an earlier test left this process's memory of them (a key remembered as
    registered by a test whose rows were flushed signs with an unknown key)."""
    from byline.provenance import keys, showing

    keys.forget()
    showing.reset()
    yield
    keys.forget()
    showing.reset()


@pytest.fixture
def home(db):
    from byline.news.site_setup import ensure_home_page

    return ensure_home_page()


@pytest.fixture
def section(home):
    from byline.news.site_setup import ensure_section

    return ensure_section(home, "World", "Foreign news")


@pytest.fixture
def other_section(home):
    from byline.news.site_setup import ensure_section

    return ensure_section(home, "Business", "Money")


@pytest.fixture
def author(db):
    from byline.news.models import Author

    return Author.objects.create(
        name="Ada Reporter", slug="ada-reporter", role="Correspondent"
    )


@pytest.fixture
def make_article(section, author):
    """Return a function that creates (and by default publishes) an article."""
    from byline.news.models import ArticleAuthor, ArticlePage

    counter = iter(range(1, 10_000))

    def make(
        title=None,
        *,
        parent=None,
        authors=None,
        tags=(),
        publish=True,
        published_at=None,
        body="<p>First paragraph.</p><h2>A subheading</h2><p>Second paragraph.</p>",
        **fields,
    ):
        n = next(counter)
        article = ArticlePage(
            title=title or f"Article number {n}",
            standfirst=fields.pop("standfirst", f"The standfirst of article {n}."),
            body=body,
            live=False,
            published_at=published_at
            or datetime(2024, 5, 1, tzinfo=UTC) + timedelta(hours=n),
            **fields,
        )
        article.article_authors = [
            ArticleAuthor(author=a, sort_order=i)
            for i, a in enumerate(authors or [author])
        ]
        if tags:
            article.tags.add(*tags)
        (parent or section).add_child(instance=article)
        if publish:
            article.save_revision().publish()
            article.refresh_from_db()
        return article

    return make


@pytest.fixture
def published_article(make_article):
    return make_article(
        "Putin and Xi meet in Beijing",
        tags=["Russia", "China"],
        dateline="BEIJING",
        standfirst="A state visit with a message.",
    )


@pytest.fixture
def news_corpus():
    """Return the path of the shared BBC corpus, or skip when shared/ is absent."""
    path = NEWS_DATA_DIR / "bbc_dev.jsonl"
    if not path.exists():
        pytest.skip(f"shared corpus not found at {path}")
    return path


@pytest.fixture
def uncached(settings):
    """Render every page afresh: for tests that count what a render costs."""
    settings.PAGE_CACHE = False


@pytest.fixture
def world_newsroom(home):
    """Five stories in five scripts (news/demo/world.py): {"zh", "ru", "ar", "hi",
    "fr"} → published article, each with its own Unicode section, author and tags."""
    from byline.news.demo.world import load_world_newsroom

    return load_world_newsroom(home)


def _database_order(item):
    """Where a test belongs in the run: plain database tests, then tests that
    roll back by reloading serialised data, then other transactional tests,
    then tests without a database."""
    marker = item.get_closest_marker("django_db")
    fixtures = getattr(item, "fixturenames", ())
    kwargs = marker.kwargs if marker else {}
    if kwargs.get("serialized_rollback") or "django_db_serialized_rollback" in fixtures:
        return 1
    if kwargs.get("transaction") or {"transactional_db", "live_server"} & set(fixtures):
        return 2
    if marker or "db" in fixtures:
        return 0
    return 3


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Run serialised-rollback tests before every other transactional test.

    A plain transactional test ends with a flush that re-creates content
    types under new ids; a serialised test after it then reloads the original
    ids and fails on their unique names. pytest-django orders by transaction
    only, so this refines its order (sorting is stable within each group)."""
    items.sort(key=_database_order)


@pytest.fixture(scope="session")
def s3_server():
    """A local S3-compatible server (moto's standalone server, over HTTP): the
    object storage tests use django-storages and boto3 as production does."""
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def s3_bucket(s3_server, settings):
    """A new bucket, and the site's uploads and renditions stored in it."""
    import uuid

    import boto3

    from byline.config import object_storage

    name = f"media-{uuid.uuid4().hex[:12]}"
    client = boto3.client(
        "s3",
        endpoint_url=s3_server,
        aws_access_key_id="test-key",
        aws_secret_access_key="test-secret",
        region_name="us-east-1",
    )
    client.create_bucket(Bucket=name)
    environment = {
        "AWS_STORAGE_BUCKET_NAME": name,
        "AWS_S3_ENDPOINT_URL": s3_server,
        "AWS_ACCESS_KEY_ID": "test-key",
        "AWS_SECRET_ACCESS_KEY": "test-secret",
        "AWS_S3_REGION_NAME": "us-east-1",
        "AWS_DEFAULT_ACL": "public-read",
    }
    with pytest.MonkeyPatch.context() as env:
        for key, value in environment.items():
            env.setenv(key, value)
        storage = object_storage(settings.PAGE_CACHE_SECONDS)
    settings.STORAGES = {**settings.STORAGES, "default": storage}
    return client, name


@pytest.fixture
def publish(django_capture_on_commit_callbacks):
    """Publish an edit the way the editor does, running what waits for commit."""

    def edit(article, **fields):
        with django_capture_on_commit_callbacks(execute=True):
            for name, value in fields.items():
                if name == "tags":
                    article.tags.set(value, clear=True)
                else:
                    setattr(article, name, value)
            article.save_revision().publish()
        article.refresh_from_db()
        return article

    return edit
