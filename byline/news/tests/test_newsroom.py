"""Reporters draft, Editors publish: roles and the review workflow."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from wagtail.models import PagePermissionTester, Workflow
from wagtail.test.utils.form_data import (
    inline_formset,
    nested_form_data,
    rich_text,
    streamfield,
)

from byline.news import newsroom


@pytest.fixture
def reporter(db):
    user = get_user_model().objects.create_user("rita", password="pw-rita-123")
    user.groups.add(Group.objects.get(name=newsroom.REPORTERS))
    return user


@pytest.fixture
def editor(db):
    user = get_user_model().objects.create_user("eddie", password="pw-eddie-123")
    user.groups.add(Group.objects.get(name=newsroom.EDITORS))
    return user


def test_groups_exist_after_migrate(db):
    """A fresh database has the Reporters and Editors groups (no demo needed)."""
    assert (
        Group.objects.filter(name__in=[newsroom.REPORTERS, newsroom.EDITORS]).count()
        == 2
    )


def test_reporter_can_edit_but_not_publish(reporter, published_article):
    """Wagtail's permission checks say a reporter may edit and not publish."""
    tester = PagePermissionTester(reporter, published_article)
    assert tester.can_edit()
    assert not tester.can_publish()


def test_editor_can_publish(editor, published_article):
    """Editors may publish."""
    assert PagePermissionTester(editor, published_article).can_publish()


def _publish_through_admin(client, user, page, author):
    """Submit the admin edit form with the Publish button, as a browser would."""
    client.force_login(user)
    data = nested_form_data(
        {
            "title": page.title,
            "slug": page.slug,
            "standfirst": page.standfirst,
            "type_of_work": "news",
            "dateline": "",
            "tags": "",
            "hero_caption": "",
            "hero_credit": "",
            "body": rich_text("<p>Body text.</p>"),
            "sources": streamfield([]),
            "article_authors": inline_formset([{"author": author.pk}]),
            "comments": inline_formset([]),
            "related_choices": inline_formset([]),
            "correction_notes": inline_formset([]),
            "methods": "",
            "action-publish": "action-publish",
        }
    )
    return client.post(f"/admin/pages/{page.pk}/edit/", data)


def test_reporter_publish_attempt_through_admin_does_not_go_live(
    client, reporter, editor, make_article, author
):
    """A reporter pressing 'Publish' cannot make a draft live; an editor can."""
    draft = make_article("Draft by reporter", publish=False)
    client.force_login(reporter)
    assert (
        b'name="action-publish"'
        not in client.get(f"/admin/pages/{draft.pk}/edit/").content
    )
    _publish_through_admin(client, reporter, draft, author)
    draft.refresh_from_db()
    assert not draft.live
    response = _publish_through_admin(client, editor, draft, author)
    draft.refresh_from_db()
    assert draft.live, response.content[:2000]


def test_articles_go_through_editorial_review(reporter, published_article):
    """The review workflow applies to articles and is approved by Editors."""
    workflow = published_article.get_workflow()
    assert workflow is not None
    assert workflow.name == newsroom.WORKFLOW_NAME
    task = workflow.tasks.first().specific
    assert list(task.groups.values_list("name", flat=True)) == [newsroom.EDITORS]


def test_roles_are_idempotent(db):
    """Running the role set-up again creates nothing twice."""
    newsroom.ensure_newsroom_roles()
    newsroom.ensure_newsroom_roles()
    assert Workflow.objects.filter(name=newsroom.WORKFLOW_NAME).count() == 1
    assert Group.objects.filter(name=newsroom.EDITORS).count() == 1


def test_scheduled_article_goes_live_when_the_scheduler_runs(make_article):
    """An article scheduled in the past is published by `run_scheduler`."""
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    article = make_article("Scheduled story", publish=False)
    revision = article.save_revision(
        approved_go_live_at=timezone.now() + timedelta(hours=1)
    )
    revision.approved_go_live_at = timezone.now() - timedelta(minutes=1)
    revision.save()
    call_command("run_scheduler", runs=1)
    article.refresh_from_db()
    assert article.live
