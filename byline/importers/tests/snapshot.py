"""What an import leaves in the database, as plain data two imports can compare.

`snapshot()` reads every row an import writes (pages and articles, authors and
tags, Wagtail's index, our index with its vocabulary and spelling variants,
the signed records, the pages the sitemap parts count) and names
rows by what they are, not by ids a database hands out: a page by its tree
path, an author by slug, a tag by name. Signed records are compared by their
payloads without the signing time and the two hashes that chain them (both
follow from the signing time), and without the key's id (each install makes
its own key); `check_records` verifies the signatures and chains themselves.

`times=False` leaves out every instant that comes from the clock rather than
from the file (articles without a date are published "now"): for comparing
two imports of such a file made at different times.
"""

import datetime
import json

from django.apps import apps
from django.db import connection
from django.db.models import Sum
from taggit.models import Tag
from wagtail.models import Page

from byline.news.models import ArticleAuthor, ArticlePage, ArticleTag, Author
from byline.provenance.models import ProvenanceRecord, PublishedCorrection
from byline.provenance.verification import check_records
from byline.syndication.models import SitemapPart

# Set from the clock or at random for each page, whatever the file says.
RANDOM = {"translation_key"}
CLOCK = {"published_at", "first_published_at", "last_published_at"}
PAYLOAD_CLOCK = {"signed_at", "prev", "page_prev"}
PAYLOAD_FROM_FILE_OR_CLOCK = {"published_at", "updated_at"}


def snapshot(times=True):
    """Return the import's rows as JSON-ready data (see the module docstring)."""
    paths = dict(Page.objects.values_list("pk", "path"))
    path = paths.get
    data = {
        "pages": _pages(path, times),
        "articles": _articles(path, times),
        "authors": sorted(Author.objects.values_list("slug", "name", "role")),
        "tags": sorted(Tag.objects.values_list("name", "slug")),
        "bylines": sorted(
            (path(p), slug, order)
            for p, slug, order in ArticleAuthor.objects.values_list(
                "page_id", "author__slug", "sort_order"
            )
        ),
        "tagged": sorted(
            (path(p), name)
            for p, name in ArticleTag.objects.values_list(
                "content_object_id", "tag__name"
            )
        ),
        "wagtail_index": _wagtail_index(path),
        "our_index": _our_index(path, times),
        "records": _records(path, times),
        "corrections": list(PublishedCorrection.objects.values_list("kind", "note")),
        # Part numbers follow page ids, which a database hands out: the
        # pages each site's parts count, in all.
        "sitemap_pages": sorted(
            SitemapPart.objects.values("root_path", "size")
            .annotate(pages=Sum("pages"))
            .values_list("root_path", "size", "pages")
        ),
    }
    return _plain(data)


def _pages(path, times):
    skip = RANDOM | (set() if times else CLOCK)
    fields = [f.attname for f in Page._meta.concrete_fields if f.attname not in skip]
    rows = Page.objects.order_by("path").values(*fields)
    return [{**row, "id": path(row["id"])} for row in rows]


def _articles(path, times):
    skip = {"page_ptr_id"} | (set() if times else CLOCK)
    fields = [f.attname for f in ArticlePage._meta.local_concrete_fields]
    fields = [f for f in fields if f not in skip]
    rows = ArticlePage.objects.order_by("path").values("path", *fields)
    return [{**row, "section_id": path(row["section_id"])} for row in rows]


def _wagtail_index(path):
    IndexEntry = apps.get_model("wagtailsearch", "IndexEntry")
    fields = [
        f.attname
        for f in IndexEntry._meta.concrete_fields
        if f.attname not in ("id", "object_id", "content_type_id")
    ]
    name = _indexed_object_names(path)
    entries, names = [], {}
    for row in IndexEntry.objects.values(
        "pk", "object_id", "content_type__app_label", "content_type__model", *fields
    ):
        app_label = row.pop("content_type__app_label")
        object_id = name(app_label, row["content_type__model"], row["object_id"])
        names[row.pop("pk")] = object_id
        entries.append({**row, "object_id": object_id})
    entries.sort(
        key=lambda row: (
            row["content_type__model"],
            row["object_id"],
            row["title"],
            json.dumps(row, sort_keys=True, default=str),
        )
    )
    fts = []
    if connection.vendor == "sqlite":
        fts = sorted(
            (names[rowid], *rest)
            for rowid, *rest in _rows(
                f"SELECT rowid, title, body, autocomplete FROM "
                f"{IndexEntry._meta.db_table}_fts"
            )
        )
    return {"entries": entries, "fts": fts}


def _indexed_object_names(path):
    """Name an indexed object by what it is: a page by its tree path, an author
    by slug, anything else by nothing (its entry is told by what was indexed).

    Not through ids: an entry's object_id is the id of a row of its own model,
    and ids of different models coincide by chance (author 1 and the root page
    1), differently after other tests used up PostgreSQL's sequences."""
    slugs = {str(pk): slug for pk, slug in Author.objects.values_list("pk", "slug")}

    def name(app_label, model_name, object_id):
        model = apps.get_model(app_label, model_name)
        if issubclass(model, Page):
            return path(int(object_id)) or ""
        if issubclass(model, Author):
            return slugs.get(object_id, "")
        return ""

    return name


def _our_index(path, times):
    """Every row of our index's tables, pages named by path."""
    if connection.vendor == "sqlite":
        articles = "SELECT rowid, title, standfirst, body, published, section_id, "
        articles += "type_of_work FROM search_article_fts"
        tables = {
            "words": "SELECT rowid, title, standfirst FROM search_article_words",
            "vocabulary": "SELECT term, doc, cnt FROM search_article_words_vocab",
            "spelling": "SELECT variant, term FROM search_article_spelling",
            "topics": "SELECT rowid, name FROM search_topic_fts",
        }
    else:
        articles = "SELECT rowid, title, standfirst, body, published, section_id, "
        articles += "type_of_work, document::text, headline::text "
        articles += "FROM search_article_pg"
        tables = {
            "words": "SELECT term, doc FROM search_article_pg_words",
            "lexemes": "SELECT lexeme, doc FROM search_article_pg_lexemes",
            "spelling": "SELECT variant, term FROM search_article_spelling",
            "topics": "SELECT kind, ref, name, document::text FROM search_topic_pg",
        }
    rows = [
        (path(pk), title, standfirst, body, published if times else 0, path(section))
        + tuple(rest)
        for pk, title, standfirst, body, published, section, *rest in _rows(articles)
    ]
    index = {"articles": sorted(rows)}
    for name, sql in tables.items():
        found = _rows(sql)
        if name == "words" and connection.vendor == "sqlite":
            found = [(path(pk), *rest) for pk, *rest in found]
        index[name] = sorted(found)
    # Topic rows hold an author's, a section's or a tag's own id: their kinds
    # and names are compared, not the ids (SQLite's rowid is id * 4 + kind).
    index["topics"] = sorted(
        (row[0] % 4, row[1]) if len(row) == 2 else (row[0], *row[2:])
        for row in index["topics"]
    )
    return index


def _records(path, times):
    records = list(ProvenanceRecord.objects.order_by("seq"))
    by_page = {}
    for record in records:
        by_page.setdefault(record.page_id, []).append(record)
    problems = [
        (check.seq, check.problems)
        for page in by_page.values()
        for check in check_records(page)
        if not check.valid
    ]
    skip = PAYLOAD_CLOCK | (set() if times else PAYLOAD_FROM_FILE_OR_CLOCK)
    signed = [
        {
            "seq": r.seq,
            "page": path(r.page_id),
            "revision_id": r.revision_id,
            "event": r.event,
            "content": r.content,
            "payload": {
                k: path(v) if k == "page_id" else v
                for k, v in r.payload.items()
                if k not in skip
            },
        }
        for r in records
    ]
    return {"problems": problems, "signed": signed}


def _rows(sql):
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return [tuple(row) for row in cursor.fetchall()]


def _plain(value):
    """Lists for tuples, ISO text for instants, as JSON would read them back."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if hasattr(value, "get_prep_value"):  # a StreamField's value
        return _plain(value.get_prep_value())
    return value
