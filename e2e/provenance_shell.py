"""Python run in the e2e site (the `site_shell` fixture) to set up provenance
attacks: articles published as an editor would, and changes made behind the
newsroom's back."""

import uuid


def new_slug(prefix):
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def publish_article(slug, title, section="world", body="<p>Words we signed.</p>"):
    """Code that publishes an article showing every signed field; prints its URL."""
    return f"""
from byline.news.models import ArticleAuthor, ArticlePage, Author, SectionPage
section = SectionPage.objects.get(slug={section!r})
article = ArticlePage(
    title={title!r}, slug={slug!r}, standfirst="Filed for a browser test.",
    body={body!r}, live=False, type_of_work="analysis", dateline="GENEVA",
    methods="We read the report.\\nWe called the ministry.",
    sources=[("source", {{"title": "The report", "publisher": "WHO",
                         "url": "https://example.org/report?lang=en&page=2"}})],
)
article.article_authors = [
    ArticleAuthor(author=Author.objects.order_by("pk").first(), sort_order=0)
]
section.add_child(instance=article)
article.save_revision().publish()
print(article.url)
"""


def article_url(output):
    """The URL the last `publish_article` printed."""
    return output.strip().splitlines()[-1]
