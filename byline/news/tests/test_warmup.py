"""The warm-up gunicorn's master runs before it forks: a reader's first pages,
served in-process through the real WSGI application."""

import pytest

from byline.news import warmup


@pytest.fixture
def connections_kept():
    """Keep the test's connection through the requests, as Django's test client
    does: the application closes old connections when a request ends."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def test_warm_up_serves_home_newest_article_and_its_section(
    published_article, connections_kept
):
    """The home page, the newest article and its section are each served 200."""
    from byline.wsgi import application

    paths = warmup.reader_paths()
    assert paths == ["/", published_article.url, published_article.section.url]
    assert warmup.warm(application) == ["200 OK"] * 3


def test_warm_up_of_an_empty_site_serves_the_home_page_alone(home, connections_kept):
    """Without an article there is only the home page to warm."""
    from byline.wsgi import application

    assert warmup.reader_paths() == ["/"]
    assert warmup.warm(application) == ["200 OK"]
