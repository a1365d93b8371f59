"""Build the demo newsroom idempotently: running it twice changes nothing."""

import re
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from wagtail.models import Site

from byline.core.models import SiteSettings, StandardPage
from byline.news import newsroom
from byline.news.demo import articles as content
from byline.news.demo.images import (
    draw_illustration,
    draw_portrait,
    ensure_image,
    restore_files,
)
from byline.news.models import ArticleAuthor, ArticlePage, Author
from byline.news.page_updates import update_pages
from byline.news.signals import demo_loaded
from byline.news.site_setup import ensure_home_page, ensure_section

# Renditions the templates ask for, made now so the first visitor waits for none.
ARTICLE_RENDITIONS = [
    "fill-960x540",
    "fill-480x270",
    "width-480",
    "width-960",
    "width-1440",
]
PORTRAIT_RENDITIONS = ["fill-96x96", "fill-160x160"]
# (username, group, role printed): the editor and reporter are plain members of
# their groups, so the demo shows what each role can do; the administrator is
# the only superuser.
DEMO_USERS = [
    ("admin", None, "Administrator"),
    ("editor", newsroom.EDITORS, newsroom.EDITORS),
    ("reporter", newsroom.REPORTERS, newsroom.REPORTERS),
]


def load_demo():
    """Create the demo newsroom; return accounts as (username, password, role)."""
    newsroom.ensure_newsroom_roles()
    with transaction.atomic():
        home = ensure_home_page()
        _apply_site_settings(home)
        sections = {
            title: ensure_section(home, title, intro)
            for title, intro in content.SECTIONS
        }
        authors = {spec["slug"]: _ensure_author(spec) for spec in content.AUTHORS}
        accounts = [_ensure_user(*spec) for spec in DEMO_USERS]
        editor = get_user_model().objects.get(username="editor")
        dates = demo_dates(content.ARTICLES, timezone.now())
        # Oldest first, so the signed log runs in the order of publication.
        created = [
            _ensure_article(
                spec, sections[spec["section"]], authors, editor, dates[spec["slug"]]
            )
            for spec in sorted(content.ARTICLES, key=lambda spec: dates[spec["slug"]])
        ]
        policies = {}
        for spec in content.POLICY_PAGES:
            page = _ensure_policy_page(home, spec)
            if spec.get("policy"):
                policies[spec["policy"]] = page
        _link_policies(home, policies)
        _link_demo_pages(home)
        if home.top_story_id is None:
            home.top_story = ArticlePage.objects.get(slug=content.ARTICLES[0]["slug"])
            home.save_revision(user=editor).publish(user=editor)
        demo_loaded.send(sender=ArticlePage, home=home)
    _restore_pictures()
    return accounts, sum(created)


def _restore_pictures():
    """Put back the pictures whose files the media storage lost (images.py)."""
    for spec in content.ARTICLES:
        restore_files(
            f"Illustration: {spec['title']}",
            lambda spec=spec: draw_illustration(spec["slug"], spec["palette"]),
        )
    for spec in content.AUTHORS:
        restore_files(
            f"Portrait badge: {spec['name']}",
            lambda spec=spec: draw_portrait(_initials(spec["name"]), spec["colour"]),
        )


def _initials(name):
    return "".join(part[0] for part in name.split()[:2])


def _apply_site_settings(home):
    site = Site.objects.get(root_page=home)
    site_settings = SiteSettings.for_site(site)
    changed = False
    for field, value in content.SITE_SETTINGS.items():
        if not getattr(site_settings, field):
            setattr(site_settings, field, value)
            changed = True
    if changed:
        site_settings.save()


def _ensure_author(spec):
    author = Author.objects.filter(slug=spec["slug"]).first()
    if author is not None:
        return author
    photo = ensure_image(
        f"Portrait badge: {spec['name']}",
        f"{spec['slug']}.png",
        draw_portrait(_initials(spec["name"]), spec["colour"]),
        description=f"Initials of {spec['name']}",
    )
    for rendition in PORTRAIT_RENDITIONS:
        photo.get_rendition(rendition)
    author = Author(
        name=spec["name"],
        slug=spec["slug"],
        role=spec["role"],
        bio=spec["bio"],
        expertise=spec["expertise"],
        photo=photo,
    )
    author.save()
    return author


def _ensure_user(username, group_name, role):
    """Create a demo account once; its password is kept under var/ and reprinted.

    Roles are set on every run, so an install whose demo editor was made a
    superuser by an older version becomes a plain Editor."""
    password_file = settings.VAR_DIR / f"demo-{username}-password"
    user_model = get_user_model()
    user = user_model.objects.filter(username=username).first()
    if user is None or not password_file.exists():
        password = secrets.token_urlsafe(12)
        password_file.parent.mkdir(parents=True, exist_ok=True)
        password_file.write_text(password + "\n")
        password_file.chmod(0o600)
        if user is None:
            user = user_model(username=username, email=f"{username}@example.org")
        user.set_password(password)
        user.first_name = username.capitalize()
    superuser = group_name is None
    user.is_staff = user.is_superuser = superuser
    user.save()
    if group_name is not None:
        user.groups.set([Group.objects.get(name=group_name)])
    return username, password_file.read_text().strip(), role


# The demo retells events of 2024 as the day's news. Its articles are dated in
# the hours before it is loaded, in the order the events happened, so that every
# date a reader sees agrees with the records signed and the notes published as
# it loads: first published, then signed, then corrected and "Updated".
NEWEST_AGO = timedelta(minutes=40)
SPACING = timedelta(minutes=95)


def demo_dates(specs, now):
    """Return {slug: first publication time} for the demo's articles: the newest
    event NEWEST_AGO before `now`, each earlier one SPACING before the next."""
    newest_first = sorted(specs, key=lambda spec: spec["published"], reverse=True)
    return {
        spec["slug"]: now - NEWEST_AGO - n * SPACING
        for n, spec in enumerate(newest_first)
    }


def _ensure_article(spec, section, authors, editor, published):
    """Create and publish one demo article unless it exists; return 1 if created.

    A spec's "correction" (a correction or an update) is published as a second
    version; publishing its note sets the article's "Updated" time."""
    if ArticlePage.objects.filter(slug=spec["slug"]).exists():
        return 0
    hero = ensure_image(
        f"Illustration: {spec['title']}",
        f"{spec['slug']}.jpg",
        draw_illustration(spec["slug"], spec["palette"]),
        description=spec["caption"],
    )
    for rendition in ARTICLE_RENDITIONS:
        hero.get_rendition(rendition)
    article = ArticlePage(
        title=spec["title"],
        slug=spec["slug"],
        standfirst=spec["standfirst"],
        body=spec["body"].strip(),
        type_of_work=spec["type_of_work"],
        dateline=spec["dateline"],
        published_at=published,
        hero_image=hero,
        hero_caption=spec["caption"],
        hero_credit=spec["credit"],
        sources=[
            ("source", {"title": title, "publisher": publisher, "url": url})
            for title, publisher, url in spec["sources"]
        ],
        search_description=spec["standfirst"],
        methods=spec.get("methods", ""),
        live=False,
        owner=editor,
    )
    article.article_authors = [
        ArticleAuthor(author=authors[slug], sort_order=i)
        for i, slug in enumerate(spec["authors"])
    ]
    article.tags.add(*spec["tags"])
    correction = spec.get("correction")
    if correction:
        article.body = article.body.replace(correction["right"], correction["wrong"])
    section.add_child(instance=article)
    article.save_revision(user=editor).publish(user=editor)
    if correction:
        _publish_correction(article, spec, correction, editor)
    article.refresh_from_db(fields=["updated_at"])
    update_pages(
        ArticlePage.objects.filter(pk=article.pk),
        first_published_at=published,
        last_published_at=article.updated_at or published,
    )
    return 1


def _publish_correction(article, spec, correction, editor):
    """Republish the article with the right text and a correction note.

    The note model belongs to the provenance app; it is reached through the
    article's relation so that news does not import it."""
    note_model = article.correction_notes.model
    article.body = spec["body"].strip()
    article.correction_notes = [
        note_model(kind=correction["kind"], note=correction["note"])
    ]
    article.save_revision(user=editor).publish(user=editor)


def _ensure_policy_page(home, spec):
    page = StandardPage.objects.child_of(home).filter(slug=spec["slug"]).first()
    if page is not None:
        return page
    page = StandardPage(
        title=spec["title"],
        slug=spec["slug"],
        intro=spec["intro"],
        body=spec["body"].strip(),
        show_in_footer=spec.get("footer", True),
        show_newsletter_signup=spec["slug"] == "about",
        live=False,
    )
    home.add_child(instance=page)
    page.save_revision().publish()
    return page


PAGE_LINK = re.compile(r'<a data-page="([\w-]+)">')


def _link_demo_pages(home):
    """Turn the demo pages' links to each other into Wagtail page links."""
    pages = {page.slug: page for page in StandardPage.objects.child_of(home)}
    for page in pages.values():
        if not PAGE_LINK.search(page.body):
            continue

        def link(match):
            target = pages.get(match.group(1))
            return f'<a linktype="page" id="{target.pk}">' if target else "<a>"

        page.body = PAGE_LINK.sub(link, page.body)
        page.save_revision().publish()


def _link_policies(home, policies):
    """Point the standards settings at the demo's policy pages, where unset."""
    site_settings = SiteSettings.for_site(Site.objects.get(root_page=home))
    changed = False
    for name, page in policies.items():
        field = f"{name}_page"
        if getattr(site_settings, f"{field}_id") is None:
            setattr(site_settings, field, page)
            changed = True
    if changed:
        site_settings.save()
