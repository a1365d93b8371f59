"""The read-replica router (byline/core/replicas.py), on whichever database the
suite runs: the "replica" alias is the primary under another name (TEST MIRROR),
so which alias a query went to is what these tests watch."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connections
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from byline.config import replica_databases
from byline.core import replicas
from byline.news.models import ArticlePage

ROUTER = "byline.core.replicas.ReplicaRouter"


@pytest.fixture
def routed(settings):
    settings.DATABASE_ROUTERS = [ROUTER]
    settings.REPLICA_DATABASES = ["replica"]


def serve(request, view):
    """Run `view` inside the real middleware, as a request would."""
    return replicas.ReplicaMiddleware(view)(request)


def test_replica_urls_become_aliases_mirroring_the_primary_under_test(monkeypatch):
    """Each comma-separated URL is an alias, read as the primary by tests."""
    monkeypatch.setenv(
        "DATABASE_REPLICA_URL",
        "postgres://u@10.0.0.3/byline, postgres://u@10.0.0.4:5433/byline",
    )
    found = replica_databases("DATABASE_REPLICA_URL")
    assert list(found) == ["replica", "replica_2"]
    assert found["replica_2"]["HOST"] == "10.0.0.4"
    assert found["replica_2"]["PORT"] == 5433
    assert all(db["TEST"] == {"MIRROR": "default"} for db in found.values())


def test_a_bad_replica_url_is_refused_by_name(monkeypatch):
    """A malformed replica URL stops start-up, naming the variable."""
    monkeypatch.setenv("DATABASE_REPLICA_URL", "mysql://u@db/byline")
    with pytest.raises(ImproperlyConfigured, match="DATABASE_REPLICA_URL"):
        replica_databases("DATABASE_REPLICA_URL")


@pytest.mark.django_db(
    transaction=True, serialized_rollback=True, databases=["default", "replica"]
)
def test_anonymous_page_reads_go_to_the_replica(routed, client, published_article):
    """A plain anonymous article page is read from the replica, and shows it."""
    with CaptureQueriesContext(connections["replica"]) as on_replica:
        response = client.get(published_article.url)
    assert response.status_code == 200
    assert published_article.title in response.content.decode()
    assert len(on_replica) > 0


@pytest.mark.django_db(
    transaction=True, serialized_rollback=True, databases=["default", "replica"]
)
def test_signed_in_readers_read_the_primary(
    routed, client, published_article, django_user_model
):
    """An editor (a session) never reads a replica, which may be behind."""
    user = django_user_model.objects.create_user("ed", password="x" * 12)
    client.force_login(user)
    with CaptureQueriesContext(connections["replica"]) as on_replica:
        assert client.get(published_article.url).status_code == 200
    assert len(on_replica) == 0


@pytest.mark.django_db(transaction=True)
def test_a_reader_who_just_commented_reads_the_primary(routed):
    """The edit grant (a comment just posted) keeps a reader on the primary,
    so they see their own comment."""
    request = RequestFactory().get("/", HTTP_COOKIE="byline_edit=x")
    assert serve(request, lambda r: replicas.reading_alias()) == "default"


@pytest.mark.django_db(transaction=True)
def test_posts_read_the_primary(routed):
    """A form post reads (and writes) the primary only."""
    request = RequestFactory().post("/comments/article/1/post/")
    assert serve(request, lambda r: replicas.reading_alias()) == "default"


@pytest.mark.django_db(transaction=True)
def test_a_request_that_wrote_reads_the_primary_for_the_rest_of_it(
    routed, django_user_model
):
    """Reads after a write in the same request go to the primary."""
    seen = []

    def view(request):
        seen.append(replicas.reading_alias())
        django_user_model.objects.create_user("reader")
        seen.append(replicas.reading_alias())
        return None

    serve(RequestFactory().get("/"), view)
    assert seen == ["replica", "default"]


@pytest.mark.django_db(transaction=True)
def test_reads_inside_a_transaction_go_to_the_primary(routed):
    """A read inside an open transaction on the primary reads the primary."""
    from django.db import transaction

    def view(request):
        with transaction.atomic():
            return replicas.reading_alias()

    assert serve(RequestFactory().get("/"), view) == "default"


@pytest.mark.django_db(
    transaction=True, serialized_rollback=True, databases=["default", "replica"]
)
def test_reads_outside_a_request_go_to_the_primary(routed, published_article):
    """Task workers, the scheduler and commands read the primary."""
    with CaptureQueriesContext(connections["replica"]) as on_replica:
        assert ArticlePage.objects.filter(pk=published_article.pk).exists()
    assert len(on_replica) == 0
    assert replicas.reading_alias() == "default"


@pytest.mark.django_db(transaction=True)
def test_without_replicas_every_request_reads_the_primary(settings):
    """No DATABASE_REPLICA_URL: the middleware marks no request for a replica."""
    settings.REPLICA_DATABASES = []
    assert serve(RequestFactory().get("/"), lambda r: replicas.reading_alias()) == (
        "default"
    )


def test_migrations_run_on_the_primary_only():
    """A replica is a read-only copy: the router allows no migration there."""
    router = replicas.ReplicaRouter()
    assert router.allow_migrate("default", "byline_news") is True
    assert router.allow_migrate("replica", "byline_news") is False
