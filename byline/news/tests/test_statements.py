"""Each statement written as SQL (`byline.news.statements`) gives what its ORM
twin gives, value for value, on the database the suite runs on (run it with
DATABASE_URL for PostgreSQL)."""

import pytest
from django.db import connection
from wagtail.models import Page, PageViewRestriction

from byline.core.privacy import forget_restrictions
from byline.core.tree import subtree
from byline.news import listings, statements
from byline.news.models import ArticlePage
from byline.news.public import public_articles, public_sql
from byline.news.tests.test_cards import make_image


def values(instance):
    return {
        f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields
    }


def orm_article_at(low, high, depth, section_slug, slug):
    return (
        ArticlePage.objects.filter(
            path__range=(low, high), depth=depth, slug=slug, section__slug=section_slug
        )
        .select_related("section", "hero_image")
        .first()
    )


@pytest.mark.parametrize("with_image", [True, False])
def test_article_at_matches_its_orm_twin(home, section, make_article, with_image):
    image = make_image() if with_image else None
    make_article("Another one")
    article = make_article(
        "Putin and Xi meet", hero_image=image, dateline="BEIJING", tags=["China"]
    )
    low, high = subtree(home.path)
    args = (low, high, home.depth + 2, section.slug, article.slug)
    ours, orm = statements.article_at(*args), orm_article_at(*args)
    assert ours.pk == article.pk
    assert values(ours) == values(orm)
    assert type(ours.section) is type(orm.section)
    assert values(ours.section) == values(orm.section)
    if with_image:
        assert values(ours.hero_image) == values(orm.hero_image)
    else:
        assert ours.hero_image is None and orm.hero_image is None
    # What Wagtail reads from a page it serves, with no further query.
    assert ours.specific_class is ArticlePage
    assert ours.published_at.tzinfo is not None
    assert ours.live is True


def test_article_at_finds_nothing_where_its_twin_finds_nothing(
    home, section, other_section, make_article
):
    article = make_article()
    low, high = subtree(home.path)
    for section_slug, slug, depth in [
        (other_section.slug, article.slug, home.depth + 2),  # wrong section
        (section.slug, "no-such-article", home.depth + 2),
        (section.slug, article.slug, home.depth + 1),  # wrong depth
    ]:
        args = (low, high, depth, section_slug, slug)
        assert statements.article_at(*args) is None
        assert orm_article_at(*args) is None


@pytest.fixture
def blocks(home, section, other_section, make_article):
    """Two sections with more articles than a block shows, a draft, a
    restricted article and an article with a picture."""
    image = make_image()
    made = [make_article(f"World {i}") for i in range(6)]
    made += [make_article(f"Business {i}", parent=other_section) for i in range(6)]
    made.append(make_article("Pictured", hero_image=image))
    from byline.news.cards import store_renditions

    store_renditions(made[-1])
    draft = make_article("Draft", publish=False)
    hidden = make_article("Hidden")
    PageViewRestriction.objects.create(
        page=Page.objects.get(pk=hidden.pk), restriction_type="login"
    )
    forget_restrictions()
    return made, draft, hidden


def test_section_block_rows_match_their_orm_twin(blocks, section, other_section):
    made, draft, hidden = blocks
    ids = [section.pk, other_section.pk]
    for shown in ([], [made[-1].pk, made[5].pk], [made[0].pk]):
        ours = statements.section_block_rows(
            ids, shown, listings.FRONT_PAGE_PER_SECTION
        )
        orm = list(listings.section_blocks_by_orm(ids, shown))
        assert ours == orm
        assert len(ours) == 2 * listings.FRONT_PAGE_PER_SECTION
        assert {draft.pk, hidden.pk, *shown}.isdisjoint(row[0] for row in ours)
    assert statements.section_block_rows([], [], 4) == []


def test_public_sql_means_public_articles(blocks):
    made, draft, hidden = blocks
    sql, params = public_sql("p")
    table = ArticlePage._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f'SELECT p.id FROM "{table}" a INNER JOIN "wagtailcore_page" p'
            f' ON p.id = a."{ArticlePage._meta.pk.column}" WHERE {sql}',
            params,
        )
        ours = {row[0] for row in cursor.fetchall()}
    assert ours == set(public_articles().values_list("pk", flat=True))
    assert hidden.pk not in ours and draft.pk not in ours
    assert ours


def test_home_page_shows_the_section_blocks(client, blocks, home, uncached):
    made, draft, hidden = blocks
    page = client.get("/").content.decode()
    assert "Business 5" in page and "Business 1" in page
    assert "Hidden" not in page and "Draft" not in page


def test_related_card_rows_match_their_orm_twin(blocks):
    from byline.related.models import RelatedLink
    from byline.related.showing import card_rows

    made, draft, hidden = blocks
    article = made[0]
    pictured = made[-1]
    thumbnail = pictured.hero_image.get_rendition("fill-240x135")
    why = RelatedLink.Why.values[0]
    targets = [made[3], hidden, pictured, draft, made[8]]
    for rank, target in enumerate(targets):
        RelatedLink.objects.create(
            article=article,
            related=target,
            rank=rank,
            why=why,
            reason=f"Reason {rank}",
            thumbnail=thumbnail if target is pictured else None,
        )
    ours = statements.related_card_rows(article.pk, RelatedLink)
    assert ours == list(card_rows(article.pk))
    assert [row[0] for row in ours] == [made[3].pk, pictured.pk, made[8].pk]
    assert ours[1][7] == thumbnail.file.name
    assert ours[0][4].tzinfo is not None
    assert statements.related_card_rows(made[1].pk, RelatedLink) == []


def test_byline_authors_match_their_orm_twin(make_article, author):
    from byline.news.models import ArticleAuthor, Author

    pictured = Author.objects.create(
        name="Bo Photo", slug="bo-photo", photo=make_image(), bio="<p>Bio.</p>"
    )
    third = Author.objects.create(name="Cy Third", slug="cy-third")
    # The same author twice: shown once, where they first appear.
    article = make_article(authors=[pictured, author, pictured, third])
    links = (
        ArticleAuthor.objects.filter(page_id=article.pk)
        .select_related("author", "author__photo")
        .order_by("sort_order", "pk")
    )
    orm = {}
    for link in links:
        orm.setdefault(link.author_id, link.author)
    ours = statements.byline_authors(article.pk)
    assert [a.pk for a in ours] == list(orm) == [pictured.pk, author.pk, third.pk]
    for mine, theirs in zip(ours, orm.values(), strict=True):
        assert values(mine) == values(theirs)
        if mine.photo_id:
            assert values(mine.photo) == values(theirs.photo)
        else:
            assert mine.photo is None
    assert statements.byline_authors(0) == []


def test_section_at_matches_its_orm_twin(home, section, other_section, make_article):
    from byline.news.models import SectionPage

    make_article()
    low, high = subtree(home.path)
    for depth, slug in [
        (home.depth + 1, other_section.slug),
        (home.depth + 1, section.slug),
        (home.depth + 1, "no-such-section"),
        (home.depth + 2, section.slug),  # wrong depth
    ]:
        ours = statements.section_at(low, high, depth, slug)
        orm = SectionPage.objects.filter(
            path__range=(low, high), depth=depth, slug=slug
        ).first()
        if orm is None:
            assert ours is None
        else:
            assert type(ours) is SectionPage
            assert values(ours) == values(orm)
