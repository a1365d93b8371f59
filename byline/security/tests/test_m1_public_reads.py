"""M1: every public read of articles goes through one public path
(`byline.news.public`), so private, password-protected, draft and unpublished
articles reach no reader. The crawl in test_m1_public_crawl.py checks every
route; these tests pin each mechanism on its own, on either database."""

import ast
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import PageViewRestriction

from byline.related.models import RelatedLink
from byline.search.engine import search_articles, suggest_headlines

BYLINE = Path(__file__).resolve().parents[2]


def _restrict(page, kind=PageViewRestriction.LOGIN):
    return PageViewRestriction.objects.create(
        page=page, restriction_type=kind, password="sesame"
    )


def _found(text):
    return [hit.article.title for hit in search_articles(text)[:20]]


def test_suggestions_show_no_login_only_or_password_protected_headline(
    client, make_article
):
    """The attack of M1: /search/suggest/ listed private headlines and URLs."""
    make_article("Quokka census published")
    _restrict(make_article("Quokka members briefing"))
    _restrict(make_article("Quokka secret memo"), PageViewRestriction.PASSWORD)
    data = client.get("/search/suggest/", {"q": "quok"}).json()
    assert [s["title"] for s in data["suggestions"]] == ["Quokka census published"]
    assert [a.title for a in suggest_headlines("quokka")] == ["Quokka census published"]


def test_did_you_mean_never_offers_a_word_of_a_private_headline(client, make_article):
    """A misspelling must not reveal a word that only a private headline holds."""
    make_article("Garden show opens")
    _restrict(make_article("Xylophonist quits orchestra"))
    page = client.get("/search/", {"q": "xylophonis"}).content.decode()
    assert "xylophonist" not in page.lower()


def test_search_follows_a_restriction_added_then_removed(make_article):
    """The index drops an article made private and takes it back when it is public."""
    make_article("Harbour tunnel approved")
    assert _found("harbour") == ["Harbour tunnel approved"]
    restriction = _restrict(make_article("Harbour dredging secret"))
    assert _found("dredging") == []
    restriction.delete()
    assert _found("dredging") == ["Harbour dredging secret"]


def test_an_article_moved_into_a_private_section_leaves_search(
    make_article, other_section, settings
):
    """Moving an article under a restricted section hides it from search."""
    # Wagtail's redirect on move fails with our page URLs (left to the lead).
    settings.WAGTAILREDIRECTS_AUTO_CREATE = False
    article = make_article("Lighthouse keepers strike")
    _restrict(other_section)
    article.move(other_section, pos="last-child")
    assert _found("lighthouse") == []


def test_a_redirect_to_a_private_page_is_a_404_for_readers_but_not_for_members(
    make_article,
):
    """An old address must not hand out a private article's address (and slug)."""
    article = make_article("Members only ledger")
    _restrict(article)
    Redirect.objects.create(old_path="/old-ledger", redirect_page=article)
    Redirect.objects.create(old_path=f"/?p={article.pk}", redirect_page=article)
    reader = Client()
    for old in ("/old-ledger/", f"/?p={article.pk}"):
        response = reader.get(old)
        assert response.status_code == 404, old
        assert "ledger" not in response.get("Location", "")
    member = get_user_model().objects.create_user("member", password="pw")
    reader.force_login(member)
    assert reader.get("/old-ledger/")["Location"] == article.url


def test_a_redirect_to_a_public_page_still_redirects(make_article):
    """Imported redirects keep working for public articles."""
    article = make_article("Open ledger")
    Redirect.objects.create(old_path="/old-open", redirect_page=article)
    response = Client().get("/old-open/")
    assert response.status_code == 301
    assert response["Location"] == article.url


def test_related_cards_drop_an_article_made_private_before_their_refresh(
    client, make_article
):
    """Stored related lists are refreshed later by a task; reads filter meanwhile."""
    from byline.related.showing import related_cards, related_ids

    article = make_article("River festival returns")
    shown = make_article("River boats parade")
    hidden = make_article("River plan leaked")
    for rank, related in enumerate([hidden, shown]):
        RelatedLink.objects.create(
            article=article, related=related, rank=rank, why="text", reason="River"
        )
    _restrict(hidden, PageViewRestriction.PASSWORD)
    assert [c.title for c in related_cards(article, None)] == ["River boats parade"]
    assert related_ids(article.pk) == [shown.pk]
    api = client.get(f"/api/v2/articles/{article.pk}/").json()
    assert api["related"] == [shown.pk]


def test_the_search_filters_offer_no_private_section(client, other_section):
    """A private section's name and slug are not offered as a search filter."""
    _restrict(other_section)
    page = client.get("/search/").content.decode()
    assert other_section.slug not in page
    assert client.get("/search/", {"section": other_section.slug}).status_code == 200


# Modules that may read live pages without the public path, and why.
NOT_PUBLIC_READS = {
    "news/public.py": "the public path itself",
    "search/topics.py": "indexes every live section; shows them through public()",
    "syndication/sitemap_parts.py": (
        "excludes restricted pages itself, from restrictions read in the same"
        " transaction: a kept row must not be built from cached paths"
    ),
}


def test_public_reads_of_pages_go_through_the_public_path():
    """Every `.live()` queryset in the app is wrapped by the public filter."""
    unwrapped = []
    for path in sorted(BYLINE.rglob("*.py")):
        relative = path.relative_to(BYLINE).as_posix()
        if "/tests/" in relative or "/migrations/" in relative:
            continue
        if relative in NOT_PUBLIC_READS:
            continue
        tree = ast.parse(path.read_text())
        wrapped = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "public":
                wrapped |= {id(inner) for arg in node.args for inner in ast.walk(arg)}
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "attr", "") == "live"
                and id(node) not in wrapped
            ):
                unwrapped.append(f"{relative}:{node.lineno}")
    assert unwrapped == [], "read articles through byline.news.public instead"


@pytest.mark.parametrize("kind", ["draft", "unpublished"])
def test_drafts_and_unpublished_articles_are_not_searchable(make_article, kind):
    """Only live articles are in the index."""
    article = make_article("Meadow survey results", publish=kind != "draft")
    if kind == "unpublished":
        article.unpublish()
    assert _found("meadow") == []
    assert suggest_headlines("meadow") == []


def test_upgrading_takes_private_articles_out_of_an_existing_index(make_article):
    """Indexes built before M1 held private articles; the migration removes them."""
    from importlib import import_module

    from django.apps import apps
    from django.db import connection

    from byline.search.indexing import index_backend, index_row

    if index_backend() is None:
        pytest.skip("only our own indexes are migrated")
    make_article("Orchard harvest begins")
    hidden = make_article("Orchard zymurgist secret")
    _restrict(hidden)
    index_backend().index_rows([index_row(hidden)])  # as the old code kept it
    assert search_articles("zymurgist").count() == 1
    assert index_backend().closest_word("zymurgis") == "zymurgist"
    migration = import_module("byline.search.migrations.0004_public_articles_only")
    # It only needs the editor's connection (SQLite refuses a real schema
    # editor inside the test's transaction).
    migration.remove_non_public(apps, SimpleNamespace(connection=connection))
    assert search_articles("zymurgist").count() == 0
    assert _found("orchard") == ["Orchard harvest begins"]
    assert index_backend().closest_word("zymurgis") is None
