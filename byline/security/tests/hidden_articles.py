"""A demo newsroom with articles no reader may see: a draft, a login-only one, one
made password-protected after it was public, one unpublished after it was
public, and one in a login-only section (test_m1_public_crawl.py)."""

from io import StringIO

from django.core.management import call_command

PENDING = "Pendingmarker awaiting moderation"
GUEST_EMAIL = "guest.marker@example.org"
SHARED_WORD = "zephyrine"  # in every hidden headline and in one public one
SECRET_TAG = "Tagqix secret"
PRIVATE_SECTION = "Membersqix"
# marker: (id, how it is hidden). The marker is in the headline, standfirst, slug
# and comments; the id is far from any other number the site shows.
HIDDEN = {
    "draftqix": (7_310_001, "draft"),
    "loginqix": (7_310_002, "login"),
    "passqix": (7_310_003, "password"),
    "unpubqix": (7_310_004, "unpublished"),
    "sectqix": (7_310_005, "private section"),
}


def hidden_article(section, marker, author, publish=True, restriction=None):
    from wagtail.models import PageViewRestriction

    from byline.news.models import ArticleAuthor, ArticlePage

    pk, _ = HIDDEN[marker]
    article = ArticlePage(
        pk=pk,
        title=f"{SHARED_WORD.title()} {marker} report",
        slug=f"{marker}-report",
        standfirst=f"A {SHARED_WORD} standfirst about {marker}.",
        body=f"<p>{SHARED_WORD.title()} body text of {marker}, in Russia.</p>",
        live=False,
    )
    article.article_authors = [ArticleAuthor(author=author, sort_order=0)]
    article.tags.add("Russia", SECRET_TAG)
    section.add_child(instance=article)
    if restriction:
        PageViewRestriction.objects.create(
            page=article, restriction_type=restriction, password="sesame"
        )
    if publish:
        article.save_revision().publish()
        article.refresh_from_db()
    return article


def comment(article, text, **fields):
    from byline.comments.models import Comment

    return Comment.objects.create(
        article=article,
        depth=1,
        name=fields.pop("name", "Reader"),
        email=fields.pop("email", "reader@example.org"),
        text=text,
        status=fields.pop("status", Comment.Status.APPROVED),
    )


def build_newsroom():
    """Build the demo newsroom with the hidden articles; return what to crawl."""
    from wagtail.contrib.redirects.models import Redirect
    from wagtail.models import PageViewRestriction

    from byline.news.models import Author, HomePage
    from byline.news.site_setup import ensure_section
    from byline.related.lists import rebuild

    call_command("load_demo", stdout=StringIO())
    home = HomePage.objects.get()
    world = ensure_section(home, "World")
    members = ensure_section(home, PRIVATE_SECTION)
    PageViewRestriction.objects.create(
        page=members, restriction_type=PageViewRestriction.LOGIN
    )
    author = Author.objects.get(slug="mara-ellison")
    Restriction = PageViewRestriction
    hidden = {
        "draftqix": hidden_article(world, "draftqix", author, publish=False),
        "loginqix": hidden_article(
            world, "loginqix", author, restriction=Restriction.LOGIN
        ),
        "passqix": hidden_article(world, "passqix", author),
        "unpubqix": hidden_article(world, "unpubqix", author),
        "sectqix": hidden_article(members, "sectqix", author),
    }
    shown = open_article(world, author)
    # Related lists computed while two of them were public: the stored lists
    # still name them until a task refreshes them, so every read must filter.
    rebuild()
    Restriction.objects.create(
        page=hidden["passqix"], restriction_type=Restriction.PASSWORD, password="x1"
    )
    hidden["unpubqix"].unpublish()
    comments = [comment(a, f"A comment on {m}.") for m, a in hidden.items()]
    comment(shown, "Approved guest words.", name="Guest", email=GUEST_EMAIL)
    comment(shown, PENDING, status="pending")
    for marker, article in hidden.items():
        Redirect.objects.create(old_path=f"/old-{marker}", redirect_page=article)
        Redirect.objects.create(old_path=f"/?p={article.pk}", redirect_page=article)
    return {
        "hidden": hidden,
        "open": shown,
        "comments": comments,
        "sections": [world, members],
    }


def open_article(world, author):
    from byline.news.models import ArticleAuthor, ArticlePage

    article = ArticlePage(
        title=f"{SHARED_WORD.title()} open report",
        slug="zephyrine-open-report",
        standfirst=f"A public {SHARED_WORD} standfirst.",
        body=f"<p>{SHARED_WORD.title()} in Russia, for everyone.</p>",
        live=False,
    )
    article.article_authors = [ArticleAuthor(author=author, sort_order=0)]
    article.tags.add("Russia")
    world.add_child(instance=article)
    article.save_revision().publish()
    article.refresh_from_db()
    return article
