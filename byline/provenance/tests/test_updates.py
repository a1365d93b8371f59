"""Publishing a correction or update note sets the article's "Updated" time."""

from bs4 import BeautifulSoup

from byline.provenance.models import ProvenanceRecord, PublishedCorrection


def publish_with_note(article, note, kind="correction"):
    article.body = article.body.replace("First", "Opening")
    article.correction_notes = [article.correction_notes.model(kind=kind, note=note)]
    revision = article.save_revision()
    revision.publish()
    article.refresh_from_db()
    return revision


def header_dates(client, article):
    soup = BeautifulSoup(client.get(article.url).content, "html.parser")
    dates = soup.select_one(".article-header .dates")
    return {
        span.get_text(" ", strip=True).split()[0]: span.find("time")
        for span in dates.find_all("span")
        if span.find("time")
    }


def test_a_published_note_sets_updated_to_its_signing_time(client, published_article):
    """The note's date, the signed record's updated_at and the article's Updated
    are one moment, and the article header shows it."""
    assert published_article.updated_at is None
    publish_with_note(published_article, "The date of the talks was wrong.")
    note = PublishedCorrection.objects.get(page_id=published_article.pk)
    assert published_article.updated_at == note.signed_at
    latest = ProvenanceRecord.objects.filter(page_id=published_article.pk).last()
    assert latest.payload["updated_at"] == latest.payload["signed_at"]
    shown = header_dates(client, published_article)
    assert shown["Updated"]["datetime"] == published_article.updated_at.isoformat()
    # It leads to the note that explains it.
    assert shown["Updated"].parent["href"] == "#corrections-heading"


def test_an_update_note_counts_too_and_an_edit_without_a_note_does_not(
    published_article,
):
    """An "update" note sets the time as a correction does; republishing a typo
    fix without a note leaves it alone."""
    publish_with_note(published_article, "Adds the minister's reply.", kind="update")
    stamped = published_article.updated_at
    assert stamped is not None
    published_article.standfirst += " More."
    published_article.save_revision().publish()
    published_article.refresh_from_db()
    assert published_article.updated_at == stamped


def test_a_stale_draft_cannot_take_updated_back(published_article):
    """A draft saved before a note went out, published after it, keeps the
    note's Updated time (the revision it came from did not know it)."""
    stale = published_article.save_revision()
    publish_with_note(published_article, "Corrected the spelling of a name.")
    stamped = published_article.updated_at
    stale.publish()
    published_article.refresh_from_db()
    assert published_article.updated_at == stamped


def test_the_editor_form_shows_the_stamped_time(client, published_article, db):
    """The revision the editor opens carries the time, so the form shows it."""
    from django.contrib.auth import get_user_model

    publish_with_note(published_article, "Fixed a figure.")
    admin = get_user_model().objects.create_superuser("boss", password="pw-boss-1")
    client.force_login(admin)
    soup = BeautifulSoup(
        client.get(f"/admin/pages/{published_article.pk}/edit/").content,
        "html.parser",
    )
    shown = soup.find(id="id_updated_at")["value"]
    assert shown.startswith(published_article.updated_at.strftime("%Y-%m-%d %H:%M"))
