"""The publish pipeline is one module's: its receivers are the only ones of
Wagtail's publishing signals, and its steps run in the order it documents."""

import re

from django.db.models.signals import post_init, post_save, pre_save
from wagtail.signals import page_published, page_unpublished

from byline.core.internals import receivers_of
from byline.publishing import pipeline


def _ours(signal):
    """Byline's receivers of `signal`, as dotted names, in the order they run."""
    return [
        f"{receiver.__module__}.{receiver.__qualname__}"
        for receiver, _ in receivers_of(signal)
        if receiver.__module__.startswith("byline.")
    ]


def test_the_pipeline_is_the_only_receiver_of_publishing_signals():
    """No app listens to page_published or page_unpublished on its own."""
    assert _ours(page_published) == ["byline.publishing.pipeline.published"]
    assert _ours(page_unpublished) == ["byline.publishing.pipeline.unpublished"]


def test_a_publish_runs_its_steps_in_the_documented_order():
    """The steps, and their order, are pinned: a new one is added here on purpose."""
    assert [step.__name__ for step in pipeline.PUBLISH] == [
        "forget_site_chrome",
        "store_card_renditions",
        "index_for_search",
        "refresh_related_list",
        "update_comments",
        "sign_publication",
        "invalidate_page_cache",
    ]
    assert [step.__name__ for step in pipeline.UNPUBLISH] == [
        "forget_site_chrome",
        "remove_from_search",
        "refresh_related_list",
        "sign_withdrawal",
        "invalidate_page_cache",
    ]


def test_the_docstring_lists_the_apps_in_the_order_the_steps_run():
    """The module's docstring is the pipeline's one description: numbered as run."""
    doc = pipeline.__doc__
    publish = doc[doc.index("\nPublish\n") : doc.index("\nUnpublish\n")]
    unpublish = doc[doc.index("\nUnpublish\n") : doc.index("Page-cache invalidation")]
    numbered = re.compile(r"^\s+(\d)\. (\w+)", re.MULTILINE)
    assert [app for _, app in numbered.findall(publish)] == [
        "core", "news", "search", "related", "comments", "provenance", "pagecache"
    ]  # fmt: skip
    assert [app for _, app in numbered.findall(unpublish)] == [
        "core", "search", "related", "provenance", "pagecache"
    ]  # fmt: skip


def test_no_receiver_keeps_state_between_pre_save_and_publish():
    """Before a save only the pipeline's step 0 listens to articles (no
    thread-local hand-over from pre_save to page_published)."""
    from byline.news.models import ArticlePage

    article_receivers = [
        f"{r.__module__}.{r.__qualname__}"
        for r, sender in receivers_of(pre_save)
        if r.__module__.startswith("byline.") and sender == id(ArticlePage)
    ]
    assert article_receivers == [
        "byline.publishing.pipeline.invalidate_listings_before"
    ]


def test_no_receiver_watches_comments_being_saved():
    """A comment's state changes only through moderation and posting functions:
    nothing sniffs its status on load or save."""
    from byline.comments.models import Comment

    for signal in (post_init, post_save):
        watching = [
            f"{r.__module__}.{r.__qualname__}"
            for r, sender in receivers_of(signal)
            if r.__module__.startswith("byline.") and sender == id(Comment)
        ]
        assert watching == [], signal


def test_an_imported_publish_leaves_its_related_list_to_the_import(
    published_article, django_capture_on_commit_callbacks
):
    """Inside `bulk_import()` the related step schedules nothing (the import
    rebuilds every list at its end); outside it, one refresh after commit."""
    from byline.news.signals import bulk_import

    with django_capture_on_commit_callbacks() as imported, bulk_import():
        pipeline.refresh_related_list(published_article)
    with django_capture_on_commit_callbacks() as edited:
        pipeline.refresh_related_list(published_article)
    assert (len(imported), len(edited)) == (0, 1)
