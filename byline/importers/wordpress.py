"""Move a WordPress site to Byline: authors, sections, tags, posts, pages,
threaded comments and redirects from every old address.

Posts become articles (published ones are published through Wagtail, so they are
signed, indexed and related like any other; drafts stay drafts; private and
password-protected posts get a view restriction), pages become standard pages,
the first category of a post becomes its section and the others tags. Re-running
the import updates what changed and creates nothing twice: articles are keyed by
`wp:<post id>`, comments by `wp:<site>:<comment id>`, pages by slug.
"""

import logging
from html import escape
from pathlib import Path
from urllib.parse import urlsplit

from django.db import transaction
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import PageViewRestriction

from byline.comments.moderation import recount
from byline.core.models import StandardPage
from byline.core.slugs import free_slug, numbered_stem, slugify
from byline.core.text import html_to_text
from byline.importers import wp_html, wxr
from byline.importers.wp_comments import import_comments
from byline.importers.wp_media import MediaLibrary
from byline.importers.wp_report import Report
from byline.news.models import ArticleAuthor, ArticlePage, Author
from byline.news.signals import bulk_import, import_finished
from byline.news.site_setup import ensure_home_page, ensure_section

logger = logging.getLogger(__name__)
UNCATEGORISED = {"uncategorized", "uncategorised"}


class WordPressImport:
    def __init__(self, path, media_dir=None, progress=None):
        self.path = Path(path)
        self.media_dir = Path(media_dir) if media_dir else None
        self.progress = progress or (lambda: None)
        self.report = Report(media_dir=bool(media_dir))
        self.media = MediaLibrary(media_dir, self.report)
        self.site_key = ""
        self.base_url = ""
        self.authors = {}
        self.attachments = {}
        self.heroes = {}  # article pk → attachment id
        self.touched = set()
        self.articles = set()  # created or changed, for import_finished
        self.defined = {"category": set(), "post_tag": set()}
        self.used = {"category": set(), "post_tag": set()}

    def run(self):
        with bulk_import():
            self._read()
        if self.articles:
            import_finished.send(sender=ArticlePage, article_ids=sorted(self.articles))
        return self.report

    def _read(self):
        self.home = ensure_home_page()
        for record in wxr.read(self.path):
            if isinstance(record, tuple):
                self._site(record[1])
            elif isinstance(record, wxr.Author):
                self._author(record)
            elif isinstance(record, wxr.Term):
                if record.kind in self.defined:
                    self.defined[record.kind].add(record.slug)
            elif isinstance(record, wxr.Item):
                self._item(record)
                self.progress()
        self._attach_heroes()
        for kind, label in (("category", "categories"), ("post_tag", "tags")):
            unused = self.defined[kind] - self.used[kind]
            if unused:
                self.report.skipped[f"{label} no post uses"] += len(unused)
        if self.touched:
            recount(self.touched)

    def _site(self, url):
        if url and not self.base_url:
            self.base_url = url.rstrip("/")
            self.site_key = urlsplit(url).netloc or url

    # --- authors, sections ---------------------------------------------------

    def _author(self, record):
        slug = slugify(record.login)[:120] or "author"
        author = Author.objects.filter(slug=slug).first()
        if author is None:
            author = Author.objects.create(
                name=record.name[:120] or record.login, slug=slug,
                bio=f"<p>{escape(record.bio)}</p>" if record.bio else "",
            )  # fmt: skip
            self.report.created["authors"] += 1
        else:
            self.report.unchanged["authors"] += 1
        self.authors[record.login] = author

    def _section_for(self, item):
        names = [t for t in item.terms if t.kind == "category"]
        chosen = next((t for t in names if t.slug not in UNCATEGORISED), None)
        title = (chosen.name if chosen else "News").strip() or "News"
        return ensure_section(self.home, title)

    # --- items -----------------------------------------------------------------

    def _item(self, item):
        if item.post_type == "attachment":
            self.attachments[item.post_id] = item.attachment_url
            return
        if item.post_type not in {"post", "page"}:
            self.report.skipped[f"{item.post_type or 'unknown'} items"] += 1
            return
        if item.status in {"trash", "auto-draft", "inherit"}:
            self.report.skipped[f"{item.post_type}s in {item.status}"] += 1
            return
        try:
            with transaction.atomic():
                if item.post_type == "post":
                    page = self._post(item)
                else:
                    page = self._page(item)
                self._redirects(item, page)
                if item.post_type == "post":
                    import_comments(page, item.comments, self.site_key, self.report)
                    self.touched.add(page.pk)
        except Exception as exc:  # one bad item must not stop the import
            logger.exception("WordPress item %s failed", item.post_id)
            self.media.forget()  # images made in the rolled-back transaction
            self.report.problems.append(
                f"{item.post_type} {item.post_id} ({item.title[:60]!r}) "
                f"not imported: {exc}"
            )

    def _body(self, item):
        body, _ = wp_html.convert(
            item.content, self.report.converted, images=self._picture
        )
        return body

    def _picture(self, src):
        """The Wagtail image for an image in a body (the original upload rather
        than a resized copy), or None when its file is missing or refused."""
        image = self.media.image(src, prefer_original=True)
        return image.pk if image else None

    def _post(self, item):
        for term in item.terms:
            if term.kind in self.used:
                self.used[term.kind].add(term.slug)
        source_id = f"wp:{self.site_key}:{item.post_id}"
        title = (item.title or "").strip()
        if not title:
            title = f"Untitled post {item.post_id}"
            self.report.converted["posts without a title named by their id"] += 1
        body = self._body(item)
        if not body.strip():
            body = "<p>(This article had no text when it was imported.)</p>"
            self.report.converted["empty posts given a note as their text"] += 1
        standfirst = wp_html.plain_text(item.excerpt)[:600] or self._excerpt(
            body, title
        )
        published = wxr.gmt_date(item.date_gmt)
        article = ArticlePage.objects.filter(source_id=source_id).first()
        authors = [self.authors[item.creator]] if item.creator in self.authors else []
        tags = [t.name for t in item.terms if t.kind == "post_tag"] + [
            t.name for t in item.terms
            if t.kind == "category" and t.slug not in UNCATEGORISED
        ][1:]  # fmt: skip
        if article is None:
            article = ArticlePage(
                title=title[:255],
                slug=(item.slug or slugify(title))[:255] or None,
                standfirst=standfirst, body=body, source_id=source_id,
                published_at=published, live=False,
            )  # fmt: skip
            article.article_authors = [
                ArticleAuthor(author=a, sort_order=i) for i, a in enumerate(authors)
            ]
            if tags:
                article.tags.add(*[t[:100] for t in tags])
            section = self._section_for(item)
            article.slug = self._free_slug(
                section, article.slug or f"post-{item.post_id}"
            )
            section.add_child(instance=article)
            self._publish_as(article, item, created=True)
            self.articles.add(article.pk)
            self.report.created["articles"] += 1
        else:
            changed = (article.title, article.standfirst, article.body) != (
                title[:255],
                standfirst,
                body,
            )
            if changed:
                article.title, article.standfirst, article.body = (
                    title[:255],
                    standfirst,
                    body,
                )
                self._publish_as(article, item, created=False)
                self.articles.add(article.pk)
                self.report.updated["articles"] += 1
            else:
                self.report.unchanged["articles"] += 1
        if item.meta.get("_thumbnail_id"):
            self.heroes[article.pk] = item.meta["_thumbnail_id"]
        return article

    def _excerpt(self, body, title):
        """WordPress's own fallback: the first 55 words of the text."""
        words = html_to_text(body).split()
        if not words:
            return title
        self.report.converted["standfirsts made from the first words"] += 1
        return " ".join(words[:55]) + (" …" if len(words) > 55 else "")

    def _free_slug(self, parent, slug):
        slug = slugify(slug) or "post"
        max_length = ArticlePage._meta.get_field("slug").max_length
        # One query for the slugs this one could collide with, not one a number:
        # a blog's fifty "Weekly roundup" posts made 1,275 queries.
        taken = set(
            parent.get_children()
            .filter(slug__startswith=numbered_stem(slug, max_length))
            .values_list("slug", flat=True)
        )
        return free_slug(slug, taken, max_length)[0]

    def _publish_as(self, page, item, created):
        revision = page.save_revision()
        if item.status in {"publish", "private"} or item.password:
            if item.status == "private" or item.password:
                # Restrict first (same transaction, see _item): publishing signs
                # the page into the public provenance log unless a restriction
                # already covers it.
                self._restrict(page, item)
            revision.publish()
        elif item.status == "future":
            page.go_live_at = wxr.gmt_date(item.date_gmt)
            page.save_revision(approved_go_live_at=page.go_live_at)
            if created:
                self.report.converted["future posts scheduled"] += 1
        elif created:
            self.report.converted[
                f"{item.status} {item.post_type}s kept as drafts"
            ] += 1

    def _restrict(self, page, item):
        if PageViewRestriction.objects.filter(page=page).exists():
            return
        if item.password:
            PageViewRestriction.objects.create(
                page=page, restriction_type=PageViewRestriction.PASSWORD,
                password=item.password,
            )  # fmt: skip
            self.report.converted[
                "password-protected items kept behind their password"
            ] += 1
        else:
            PageViewRestriction.objects.create(
                page=page, restriction_type=PageViewRestriction.LOGIN
            )
            self.report.converted["private items visible to signed-in staff only"] += 1

    def _page(self, item):
        slug = slugify(item.slug or item.title)[:240]
        slug = slug or f"page-{item.post_id}"
        body = self._body(item)
        page = StandardPage.objects.child_of(self.home).filter(slug=slug).first()
        title = (item.title or slug).strip()[:255]
        if page is None:
            page = StandardPage(title=title, slug=slug, body=body, live=False,
                                show_in_footer=False)  # fmt: skip
            self.home.add_child(instance=page)
            self._publish_as(page, item, created=True)
            self.report.created["pages"] += 1
        elif (page.title, page.body) != (title, body):
            page.title, page.body = title, body
            self._publish_as(page, item, created=False)
            self.report.updated["pages"] += 1
        else:
            self.report.unchanged["pages"] += 1
        if item.comments:
            self.report.skipped["comments on pages (pages take no comments)"] += len(
                item.comments
            )
        return page

    # --- redirects -------------------------------------------------------------

    def _redirects(self, item, page):
        paths = {f"/?p={item.post_id}"}
        if item.post_type == "page":
            paths.add(f"/?page_id={item.post_id}")
        if item.link:
            link = urlsplit(item.link)
            if link.path and link.path != "/":
                paths.add(link.path + (f"?{link.query}" if link.query else ""))
        for old in paths:
            normalised = Redirect.normalise_path(old)
            if normalised == Redirect.normalise_path(page.url or ""):
                continue
            redirect, created = Redirect.objects.get_or_create(
                old_path=normalised, site=None,
                defaults={"redirect_page": page, "is_permanent": True},
            )  # fmt: skip
            if created:
                self.report.created["redirects"] += 1
            elif redirect.redirect_page_id != page.pk:
                redirect.redirect_page = page
                redirect.save()
                self.report.updated["redirects"] += 1

    # --- images --------------------------------------------------------------------

    def _attach_heroes(self):
        for article_id, attachment_id in self.heroes.items():
            url = self.attachments.get(attachment_id)
            if not url:
                continue
            image = self.media.image(url)
            if image is None:
                continue
            try:
                with transaction.atomic():
                    article = ArticlePage.objects.get(pk=article_id)
                    if article.hero_image_id != image.pk:
                        article.hero_image = image
                        revision = article.save_revision()
                        if article.live:
                            revision.publish()
                        self.report.created["hero images set"] += 1
            except Exception as exc:  # one article must not stop the others
                logger.exception("hero image of article %s failed", article_id)
                self.report.problems.append(
                    f"hero image of article {article_id} not set: {exc}"
                )


def import_wordpress(path, media_dir=None, progress=None):
    return WordPressImport(path, media_dir, progress).run()
