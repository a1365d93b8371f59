"""The few hot statements written as SQL, through Django's public cursor API.

An uncached page spends most of its time in Django building the SQL of its
queries, every request. The statements that cost the most are written out
here, once per process, from the models' documented `_meta` API (table and
column names), run with the cursor of the connection the router reads from
(the primary, or a replica: core/replicas.py); their rows become model
instances through `Model.from_db` or stay rows, exactly as the ORM would hand
them back:

- `article_at(...)`: the article an address names, with its section and hero
  image (about 100 columns), for `HomePage.route`;
- `section_at(...)`: the section an address names, for `HomePage.route`;
- `section_block_rows(...)`: the home page's section blocks, each section's
  newest few public articles as card rows, for `listings.front_page`;
- `byline_authors(article_id)`: an article's authors with their photos, for
  `listings.authors_of`;
- `related_card_rows(article_id, link_model)`: the related cards under an article, for
  `byline.related.showing.related_cards`.

Each is pinned by a test against its ORM twin on SQLite and PostgreSQL
(`byline/news/tests/test_statements.py`). Which articles are public is still
decided in one place: `byline.news.public.public_sql`.
"""

import datetime
from functools import cache

from django.conf import settings
from django.db import connections, models, router
from wagtail.images import get_image_model
from wagtail.models import Page

from byline.news.cards import COLUMNS
from byline.news.models import ArticleAuthor, ArticlePage, Author, SectionPage
from byline.news.public import public_sql


def _q(name):
    return f'"{name}"'


def _fields(model):
    return list(model._meta.concrete_fields)


def _select(model, aliases):
    """The quoted columns of every concrete field of a model, each from the alias
    of the table holding it (a page's own fields live in Page's table)."""
    return [f"{aliases[field.model]}.{_q(field.column)}" for field in _fields(model)]


def _db():
    """The connection reads go to: the primary, or a replica for a plain
    anonymous request (byline/core/replicas.py)."""
    return connections[router.db_for_read(Page)]


def _value(field, value):
    """What the ORM's converters make of a raw value (SQLite hands back naive
    datetimes, 0/1 booleans and UUIDs as text)."""
    if value is None:
        return None
    if hasattr(field, "from_db_value"):
        return field.from_db_value(value, None, _db())
    if isinstance(field, models.DateTimeField):
        if isinstance(value, str):
            value = field.to_python(value)
        if settings.USE_TZ and value.tzinfo is None:
            value = value.replace(tzinfo=datetime.UTC)
        return value
    if isinstance(field, models.BooleanField | models.UUIDField):
        return field.to_python(value)
    return value


def _instance(model, fields, values):
    return model.from_db(
        _db().alias,
        [field.attname for field in fields],
        [_value(field, value) for field, value in zip(fields, values, strict=True)],
    )


@cache
def _article_sql():
    image = get_image_model()
    columns = (
        _select(ArticlePage, {Page: "p", ArticlePage: "a"})
        + _select(SectionPage, {Page: "sp", SectionPage: "s"})
        + _select(image, {image: "i"})
    )
    page = _q(Page._meta.db_table)
    pk = _q(ArticlePage._meta.pk.column)
    section = _q(ArticlePage._meta.get_field("section").column)
    hero = _q(ArticlePage._meta.get_field("hero_image").column)
    return (
        f"SELECT {', '.join(columns)}"
        f" FROM {_q(ArticlePage._meta.db_table)} a"
        f" INNER JOIN {page} p ON p.id = a.{pk}"
        f" INNER JOIN {_q(SectionPage._meta.db_table)} s"
        f" ON s.{_q(SectionPage._meta.pk.column)} = a.{section}"
        f" INNER JOIN {page} sp ON sp.id = s.{_q(SectionPage._meta.pk.column)}"
        f" LEFT OUTER JOIN {_q(image._meta.db_table)} i ON i.id = a.{hero}"
        " WHERE p.path BETWEEN %s AND %s AND p.depth = %s"
        " AND p.slug = %s AND sp.slug = %s"
        f" ORDER BY a.{pk} ASC LIMIT 1"
    )


def article_at(low, high, depth, section_slug, slug):
    """The article at `depth` in the path range (low, high) with this slug whose
    section has `section_slug`, with its section and hero image; or None.

    The ORM twin: `ArticlePage.objects.filter(path__range=(low, high),
    depth=depth, slug=slug, section__slug=section_slug)
    .select_related("section", "hero_image").first()`.
    """
    with _db().cursor() as cursor:
        cursor.execute(_article_sql(), [low, high, depth, slug, section_slug])
        row = cursor.fetchone()
    if row is None:
        return None
    image = get_image_model()
    article_fields = _fields(ArticlePage)
    section_fields = _fields(SectionPage)
    a, s = len(article_fields), len(article_fields) + len(section_fields)
    article = _instance(ArticlePage, article_fields, row[:a])
    article.section = _instance(SectionPage, section_fields, row[a:s])
    if article.hero_image_id is not None:
        article.hero_image = _instance(image, _fields(image), row[s:])
    else:
        article.hero_image = None
    return article


@cache
def _card_columns():
    """SQL of the card columns (`cards.COLUMNS`) and their fields, for rows
    shaped as `card_rows` makes them."""
    rendition = get_image_model().get_rendition_model()
    tables = {"section": ("s", SectionPage), "card_rendition": ("cr", rendition)}
    tables["lead_rendition"] = ("lr", rendition)
    columns, fields = [], []
    for name in COLUMNS:
        if "__" in name:
            relation, attribute = name.split("__")
            alias, model = tables[relation]
        else:
            attribute = name
            alias, model = None, ArticlePage
        field = model._meta.get_field(attribute)
        if alias is None:
            alias = "p" if field.model is Page else "a"
        columns.append(f"{alias}.{_q(field.column)}")
        fields.append(field)
    return columns, fields


def _card_from():
    rendition = get_image_model().get_rendition_model()
    pk = _q(ArticlePage._meta.pk.column)
    page = _q(Page._meta.db_table)
    renditions = _q(rendition._meta.db_table)
    section_page = _q(SectionPage._meta.db_table)
    section = _q(ArticlePage._meta.get_field("section").column)
    card = _q(ArticlePage._meta.get_field("card_rendition").column)
    lead = _q(ArticlePage._meta.get_field("lead_rendition").column)
    return (
        f" FROM {_q(ArticlePage._meta.db_table)} a"
        f" INNER JOIN {page} p ON p.id = a.{pk}"
        f" LEFT OUTER JOIN {section_page} sx"
        f" ON sx.{_q(SectionPage._meta.pk.column)} = a.{section}"
        f" LEFT OUTER JOIN {page} s ON s.id = sx.{_q(SectionPage._meta.pk.column)}"
        f" LEFT OUTER JOIN {renditions} cr ON cr.id = a.{card}"
        f" LEFT OUTER JOIN {renditions} lr ON lr.id = a.{lead}"
    )


def section_block_rows(section_ids, shown, per_section):
    """Card rows of the newest `per_section` public articles of each section,
    leaving out the ids in `shown`, newest first; one statement, each section's
    few picked by an indexed subquery.

    The ORM twin: `listings.section_blocks_by_orm(section_ids, shown)`.
    """
    if not section_ids:
        return []
    columns, fields = _card_columns()
    pk = _q(ArticlePage._meta.pk.column)
    section = _q(ArticlePage._meta.get_field("section").column)
    published = _q(ArticlePage._meta.get_field("published_at").column)
    public, public_params = public_sql("p2")
    not_shown = ""
    if shown:
        not_shown = f" AND a2.{pk} NOT IN ({', '.join(['%s'] * len(shown))})"
    newest = (
        f"SELECT a2.{pk} FROM {_q(ArticlePage._meta.db_table)} a2"
        f" INNER JOIN {_q(Page._meta.db_table)} p2 ON p2.id = a2.{pk}"
        f" WHERE a2.{section} = %s AND {public}{not_shown}"
        f" ORDER BY a2.{published} DESC, a2.{pk} DESC LIMIT {int(per_section)}"
    )
    sql = (
        f"SELECT {', '.join(columns)}{_card_from()} WHERE "
        + " OR ".join([f"a.{pk} IN ({newest})"] * len(section_ids))
        + f" ORDER BY a.{published} DESC, a.{pk} DESC"
    )
    params = []
    for section_id in section_ids:
        params += [section_id, *public_params, *shown]
    with _db().cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return [
        tuple(_value(field, value) for field, value in zip(fields, row, strict=True))
        for row in rows
    ]


@cache
def _related_sql(link_model):
    rendition = get_image_model().get_rendition_model()
    link = link_model._meta
    article = ArticlePage._meta
    columns = [
        f"rl.{_q(link.get_field('related').column)}",
        f"rp.{_q(Page._meta.get_field('url_path').column)}",
        f"rp.{_q(Page._meta.get_field('title').column)}",
        f"ra.{_q(article.get_field('standfirst').column)}",
        f"ra.{_q(article.get_field('published_at').column)}",
        f"rs.{_q(Page._meta.get_field('title').column)}",
        f"rl.{_q(link.get_field('reason').column)}",
        f"t.{_q(rendition._meta.get_field('file').column)}",
        f"t.{_q(rendition._meta.get_field('width').column)}",
        f"t.{_q(rendition._meta.get_field('height').column)}",
    ]
    page = _q(Page._meta.db_table)
    section_pk = _q(SectionPage._meta.pk.column)
    return (
        f"SELECT {', '.join(columns)} FROM {_q(link.db_table)} rl"
        f" INNER JOIN {_q(article.db_table)} ra"
        f" ON ra.{_q(article.pk.column)} = rl.{_q(link.get_field('related').column)}"
        f" INNER JOIN {page} rp ON rp.id = ra.{_q(article.pk.column)}"
        f" LEFT OUTER JOIN {_q(SectionPage._meta.db_table)} sx"
        f" ON sx.{section_pk} = ra.{_q(article.get_field('section').column)}"
        f" LEFT OUTER JOIN {page} rs ON rs.id = sx.{section_pk}"
        f" LEFT OUTER JOIN {_q(rendition._meta.db_table)} t"
        f" ON t.id = rl.{_q(link.get_field('thumbnail').column)}"
        f" WHERE rl.{_q(link.get_field('article').column)} = %s AND {{public}}"
        f" ORDER BY rl.{_q(link.get_field('rank').column)} ASC"
    )


def related_card_rows(article_id, link_model):
    """The rows of an article's related cards, best first, public articles only.

    `link_model` is the related app's `RelatedLink`, passed in because news,
    below related, does not import it. The ORM twin:
    `byline.related.showing.card_rows(article_id)`.
    """
    public, params = public_sql("rp")
    published = ArticlePage._meta.get_field("published_at")
    with _db().cursor() as cursor:
        sql = _related_sql(link_model).format(public=public)
        cursor.execute(sql, [article_id, *params])
        rows = cursor.fetchall()
    return [(*row[:4], _value(published, row[4]), *row[5:]) for row in rows]


@cache
def _authors_sql():
    image = get_image_model()
    link = ArticleAuthor._meta
    columns = _select(Author, {Author: "au"}) + _select(image, {image: "i"})
    return (
        f"SELECT {', '.join(columns)} FROM {_q(link.db_table)} l"
        f" INNER JOIN {_q(Author._meta.db_table)} au"
        f" ON au.{_q(Author._meta.pk.column)} = l.{_q(link.get_field('author').column)}"
        f" LEFT OUTER JOIN {_q(image._meta.db_table)} i"
        f" ON i.id = au.{_q(Author._meta.get_field('photo').column)}"
        f" WHERE l.{_q(link.get_field('page').column)} = %s"
        f" ORDER BY l.{_q(link.get_field('sort_order').column)} ASC,"
        f" l.{_q(link.pk.column)} ASC"
    )


def byline_authors(article_id):
    """An article's authors in byline order with their photos, each once.

    The ORM twin: `ArticleAuthor.objects.filter(page_id=article_id)
    .select_related("author", "author__photo").order_by("sort_order", "pk")`,
    each link's author kept the first time it appears.
    """
    image = get_image_model()
    author_fields, image_fields = _fields(Author), _fields(image)
    with _db().cursor() as cursor:
        cursor.execute(_authors_sql(), [article_id])
        rows = cursor.fetchall()
    authors = {}
    for row in rows:
        author = _instance(Author, author_fields, row[: len(author_fields)])
        if author.pk in authors:
            continue
        if author.photo_id is None:
            author.photo = None
        else:
            author.photo = _instance(image, image_fields, row[len(author_fields) :])
        authors[author.pk] = author
    return list(authors.values())


@cache
def _section_sql():
    columns = _select(SectionPage, {Page: "p", SectionPage: "s"})
    pk = _q(SectionPage._meta.pk.column)
    return (
        f"SELECT {', '.join(columns)} FROM {_q(SectionPage._meta.db_table)} s"
        f" INNER JOIN {_q(Page._meta.db_table)} p ON p.id = s.{pk}"
        " WHERE p.path BETWEEN %s AND %s AND p.depth = %s AND p.slug = %s"
        f" ORDER BY s.{pk} ASC LIMIT 1"
    )


def section_at(low, high, depth, slug):
    """The section at `depth` in the path range (low, high) with this slug; or None.

    The ORM twin: `SectionPage.objects.filter(path__range=(low, high),
    depth=depth, slug=slug).first()`.
    """
    with _db().cursor() as cursor:
        cursor.execute(_section_sql(), [low, high, depth, slug])
        row = cursor.fetchone()
    return None if row is None else _instance(SectionPage, _fields(SectionPage), row)
