"""Each framework internal byline/core/internals.py relies on still works as it
did: these fail loudly when Django or Wagtail changes one."""

import pytest
from django.http import HttpResponse
from django.views.decorators.csrf import csrf_protect
from wagtail.models import Page, Site

from byline.core.internals import accept_without_token, remember_site
from byline.core.tree import child_path, step_number


@pytest.mark.django_db
def test_wagtail_finds_the_remembered_site_without_a_query(
    home, rf, django_assert_num_queries
):
    site = Site.objects.get(is_default_site=True)
    request = rf.get("/")
    remember_site(request, site)
    with django_assert_num_queries(0):
        assert Site.find_for_request(request) is site


def test_a_post_accepted_without_token_passes_csrf_protect(rf):
    view = csrf_protect(lambda request: HttpResponse("ok"))
    refused = rf.post("/", {"a": "b"})
    assert view(refused).status_code == 403
    accepted = rf.post("/", {"a": "b"})
    accept_without_token(accepted)
    assert view(accepted).status_code == 200


def test_tree_steps_are_written_as_treebeard_writes_them(section, make_article):
    """byline.core.tree (public alphabet and steplen only) against treebeard."""
    for number in (1, 2, 35, 36, 37, 1295, 1296, 99_999):
        step = Page.numconv_obj().int2str(number)
        assert child_path("", number) == step.rjust(Page.steplen, Page.alphabet[0])
        assert step_number(child_path("", number)) == number
    first = make_article(publish=False)
    last = step_number(first.path[-Page.steplen :])
    second = make_article(publish=False)
    assert second.path == child_path(section.path, last + 1)


def test_receivers_of_lists_a_signals_receivers_in_the_order_they_run():
    """receivers_of reads Django's Signal.receivers: in order, with senders."""
    from django.dispatch import Signal

    from byline.core.internals import receivers_of

    signal, sender = Signal(), object()

    def first(**kwargs):
        pass

    def second(**kwargs):
        pass

    signal.connect(first)
    signal.connect(second, sender=sender)
    assert receivers_of(signal) == [(first, id(None)), (second, id(sender))]


def test_a_model_field_runs_the_validator_put_in_place_of_djangos():
    """Field.validators, read by run_validators: core/slugs.accept_marks puts
    its validator in place of Django's validate_unicode_slug there."""
    from django.core.validators import validate_unicode_slug
    from django.db import models

    from byline.core.internals import replace_validator

    field = models.SlugField(allow_unicode=True)
    assert validate_unicode_slug in field.validators
    calls = []
    replace_validator(field, validate_unicode_slug, calls.append)
    field.run_validators("नमस्ते")
    assert calls == ["नमस्ते"]
    with pytest.raises(LookupError):
        replace_validator(field, validate_unicode_slug, calls.append)


def test_driver_errors_are_raised_as_djangos_inside_the_wrapper():
    """The database wrapper's error wrapper, which Django's cursor runs execute() in:
    core/bulk_rows runs a COPY inside it, which Django's cursor does not wrap."""
    import sqlite3

    import psycopg
    from django.db import IntegrityError, connection

    from byline.core.internals import database_errors_as_djangos

    driver = psycopg if connection.vendor == "postgresql" else sqlite3
    with pytest.raises(IntegrityError) as raised:
        with database_errors_as_djangos(connection):
            raise driver.IntegrityError("refused")
    assert isinstance(raised.value.__cause__, driver.IntegrityError)
