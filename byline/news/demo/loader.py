"""Build the demo newsroom idempotently: running it twice changes nothing."""

import secrets
from datetime import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from wagtail.models import Site

from byline.core.models import SiteSettings, StandardPage
from byline.news import newsroom
from byline.news.demo import articles as content
from byline.news.demo.images import draw_illustration, draw_portrait, ensure_image
from byline.news.models import ArticleAuthor, ArticlePage, Author
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
DEMO_USERS = [
    ("editor", newsroom.EDITORS, True),
    ("reporter", newsroom.REPORTERS, False),
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
        created = [
            _ensure_article(spec, sections[spec["section"]], authors, editor)
            for spec in content.ARTICLES
        ]
        policies = {}
        for spec in content.POLICY_PAGES:
            page = _ensure_policy_page(home, spec)
            if spec.get("policy"):
                policies[spec["policy"]] = page
        _link_policies(home, policies)
        if home.top_story_id is None:
            home.top_story = ArticlePage.objects.get(slug=content.ARTICLES[0]["slug"])
            home.save_revision(user=editor).publish(user=editor)
        demo_loaded.send(sender=ArticlePage, home=home)
    return accounts, sum(created)


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
    initials = "".join(part[0] for part in spec["name"].split()[:2])
    photo = ensure_image(
        f"Portrait badge: {spec['name']}",
        f"{spec['slug']}.png",
        draw_portrait(initials, spec["colour"]),
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


def _ensure_user(username, group_name, is_superuser):
    """Create a demo account once; its password is kept under var/ and reprinted."""
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
        user.is_staff = is_superuser
        user.is_superuser = is_superuser
        user.first_name = username.capitalize()
        user.save()
    user.groups.add(Group.objects.get(name=group_name))
    return username, password_file.read_text().strip(), group_name


def _ensure_article(spec, section, authors, editor):
    """Create and publish one demo article unless it exists; return 1 if created."""
    if ArticlePage.objects.filter(slug=spec["slug"]).exists():
        return 0
    published = datetime.fromisoformat(spec["published"])
    updated = datetime.fromisoformat(spec["updated"]) if spec.get("updated") else None
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
        updated_at=updated,
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
    # The demo retells events of 2024: date the pages when the events happened.
    ArticlePage.objects.filter(pk=article.pk).update(
        first_published_at=published, last_published_at=updated or published
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
