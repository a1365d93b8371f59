"""The import's title norms are those Wagtail's own `add_bulk` gives, batch by
batch, in the cases a review found them apart: new sections and authors in
later batches (indexed by Wagtail's own handler), entries left at exactly
1.0 (Wagtail's refresh gives every such entry the norm again), PostgreSQL's
rounding of the average, changed articles. Each import runs twice: with
Wagtail's `add_bulk` in place of ours (rolled back), then with ours."""

import json

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models.functions import Length

from byline.importers import wagtail_index
from byline.importers.jsonl import import_jsonl
from byline.news.models import ArticlePage

IndexEntry = apps.get_model("wagtailsearch", "IndexEntry")
TITLES = [
    "Rates fall",
    "Banks raise rates again after a long summer of waiting",
    "Élections à Zürich",
    "Floods close the northern railway for a second week",
    "Budget",
    "Ministers meet",
    "Council votes on housing plan",
    "Heatwave warning issued for the south",
    "Striking nurses return",
    "Museum reopens after restoration",
    "Port strike ends",
    "Talks stall",
]


class _Undo(Exception):
    pass


def _file(tmp_path, name, records):
    path = tmp_path / f"{name}.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n")
    return path


def record(n, title, category="News", author="Jo"):
    body = f"Body {n}."
    return {"id": f"r{n}", "title": title, "body": body, "category": category,
            "author": author}  # fmt: skip


def norms():
    """Every entry's norm: articles by source id, others by type and title."""
    source = dict(ArticlePage.objects.values_list("pk", "source_id"))
    article = ContentType.objects.get_for_model(ArticlePage).pk
    text = "title_text" if connection.vendor == "postgresql" else "title"
    found = {}
    for kind, pk, norm, title in IndexEntry.objects.values_list(
        "content_type_id", "object_id", "title_norm", text
    ):
        # An author's or a section's id may be an article's too.
        key = source[int(pk)] if kind == article else f"{kind}:{title}"
        found[key] = norm
    return found


def wagtails(backend, model, objects, norms=None):
    backend.add_bulk(model, objects)


def theirs_and_ours(tmp_path, monkeypatch, imports):
    """[(name, records, batch size)] imported in turn with Wagtail's add_bulk
    (then undone), and with ours: (their norms, ours)."""
    try:
        with transaction.atomic():
            with monkeypatch.context() as patched:
                patched.setattr(wagtail_index, "add_bulk", wagtails)
                for name, records, size in imports:
                    import_jsonl(_file(tmp_path, f"w-{name}", records), batch_size=size)
            theirs = norms()
            raise _Undo
    except _Undo:
        pass
    for name, records, size in imports:
        import_jsonl(_file(tmp_path, f"o-{name}", records), batch_size=size)
    return theirs, norms()


def apart(theirs, ours):
    keys = set(theirs) | set(ours)
    return {
        k: (theirs.get(k), ours.get(k)) for k in keys if theirs.get(k) != ours.get(k)
    }


@pytest.mark.django_db
def test_sections_and_authors_new_in_later_batches(tmp_path, monkeypatch):
    sections = ["News", "Sport", "Weather", "Arts and culture reviews"]
    records = [
        record(n, title, sections[n // 3 % 4], f"Writer {n // 2}")
        for n, title in enumerate(TITLES)
    ]
    theirs, ours = theirs_and_ours(tmp_path, monkeypatch, [("a", records, 2)])
    assert apart(theirs, ours) == {}


@pytest.mark.django_db
def test_entries_left_at_exactly_one_are_refreshed_again(tmp_path, monkeypatch):
    same = ["Rates fall today", "Banks cut rates", "Ports reopen soon"]
    records = [record(n, t) for n, t in enumerate(same + TITLES)]
    theirs, ours = theirs_and_ours(tmp_path, monkeypatch, [("b", records, 3)])
    assert apart(theirs, ours) == {}


def _title(length, tag):
    if connection.vendor == "postgresql":  # `length` distinct lexemes
        return " ".join(f"w{tag}x{j}" for j in range(length))
    return ("t" + tag + "z" * 200)[:length]  # `length` characters


@pytest.mark.django_db
def test_an_entry_whose_norm_came_out_exactly_one(tmp_path, monkeypatch):
    """Batch 1's first title is exactly the average long, so its norm is 1.0;
    Wagtail's refresh after batch 2 sets it again."""
    import_jsonl(_file(tmp_path, "setup", [record(0, _title(5, "s"))]))
    lengths = IndexEntry.objects.annotate(n=Length("title")).values_list("n", flat=True)
    lengths = [n for n in lengths if n > 0]
    first = max(lengths) + 3
    second = first * (len(lengths) + 2) - sum(lengths) - first
    assert 0 < second < 150
    records = [record(1, _title(first, "a")), record(2, _title(second, "b"))]
    records += [record(3, _title(3, "c")), record(4, _title(4, "d"))]
    theirs, ours = theirs_and_ours(tmp_path, monkeypatch, [("one", records, 2)])
    assert apart(theirs, ours) == {}


@pytest.mark.django_db
def test_many_lengths_round_as_wagtails(tmp_path, monkeypatch):
    words = "alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo"
    words = words.split()
    titles = [" ".join(words[: 1 + (n * 7) % 11]) + f" x{n}" for n in range(60)]
    records = [record(n, t) for n, t in enumerate(titles)]
    theirs, ours = theirs_and_ours(tmp_path, monkeypatch, [("c", records, 7)])
    assert apart(theirs, ours) == {}


@pytest.mark.django_db
def test_changed_and_new_articles_batch_by_batch(tmp_path, monkeypatch):
    first = [record(n, t) for n, t in enumerate(TITLES)]
    second = [record(n, f"{t} updated again now") for n, t in enumerate(TITLES[:5])]
    second += [record(100 + n, f"{t} later") for n, t in enumerate(TITLES)]
    imports = [("d1", first, 4), ("d2", second, 3)]
    theirs, ours = theirs_and_ours(tmp_path, monkeypatch, imports)
    assert apart(theirs, ours) == {}
