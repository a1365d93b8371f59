"""Project-wide checks: migrations match the models, public URLs resolve."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse


@pytest.mark.django_db
def test_models_and_migrations_agree():
    """Every model change has a migration (makemigrations --check finds nothing)."""
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)


def test_public_urls_reverse():
    """The named public URLs of DESIGN.md resolve to the expected paths."""
    assert reverse("search") == "/search/"
    assert reverse("tag", kwargs={"slug": "russia"}) == "/tags/russia/"
    assert reverse("author", kwargs={"slug": "ada"}) == "/authors/ada/"


def test_system_checks_pass():
    """Django's system checks report no errors."""
    call_command("check", "--fail-level", "ERROR")
