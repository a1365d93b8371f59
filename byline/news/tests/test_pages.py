"""What a reader sees on the home, section, article, tag and author pages."""

from bs4 import BeautifulSoup
from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def test_article_page_shows_everything_a_reader_expects(client, published_article):
    """Headline, standfirst, byline, dates, section, tags, label and subheadings."""
    page = soup(client.get(published_article.url))
    article = page.find("article", class_="article")
    assert article.find("h1").get_text(strip=True) == "Putin and Xi meet in Beijing"
    assert article.find(class_="standfirst").get_text(strip=True) == (
        "A state visit with a message."
    )
    byline = article.find(class_="byline")
    assert byline.find("a", rel="author")["href"] == "/authors/ada-reporter/"
    published = article.find("time")
    assert published["datetime"].startswith("2024-05-01T")
    assert article.find("a", class_="section-name")["href"] == "/world/"
    assert article.find(class_="label").get_text(strip=True) == "News"
    assert [h.get_text() for h in article.select(".article-body h2")] == [
        "A subheading"
    ]
    tags = [a["href"] for a in article.select(".tag-list a")]
    assert tags == ["/tags/china/", "/tags/russia/"] or set(tags) == {
        "/tags/china/",
        "/tags/russia/",
    }
    assert "min read" in article.find(class_="dates").get_text()
    assert page.find(class_="dateline").get_text(strip=True) == "BEIJING"


def test_article_page_marks_places_for_comments_and_related(client, published_article):
    """Below the body there are labelled sections for comments and related articles."""
    page = soup(client.get(published_article.url))
    assert page.find("section", id="comments").find("h2")
    assert page.find("section", id="related").find("h2")


def test_article_page_shows_updated_time_only_when_updated(client, make_article):
    """An 'Updated' time appears only when the story changed after publication."""
    plain = make_article("Not updated")
    assert "Updated" not in soup(client.get(plain.url)).find(class_="dates").get_text()
    updated = make_article("Updated later")
    updated.updated_at = updated.published_at.replace(hour=23)
    updated.save_revision().publish()
    dates = soup(client.get(updated.url)).find(class_="dates")
    assert "Updated" in dates.get_text()
    assert len(dates.find_all("time")) == 2


def test_unpublished_article_is_not_served_or_listed(client, make_article, section):
    """A draft returns 404 and never appears on the home or section pages."""
    draft = make_article("Secret draft", publish=False)
    assert client.get(f"/world/{draft.slug}/").status_code == 404
    assert b"Secret draft" not in client.get("/").content
    assert b"Secret draft" not in client.get(section.url).content


def test_article_is_served_at_its_place_in_the_tree_not_its_stored_section(
    client, make_article, other_section
):
    """The one-query route trusts the stored section only when it is the
    article's parent; otherwise Wagtail's walk decides, as for any page."""
    from byline.news.models import ArticlePage

    article = make_article("Filed under World")
    assert client.get("/world/filed-under-world/").status_code == 200
    ArticlePage.objects.filter(pk=article.pk).update(section=other_section)
    assert client.get("/world/filed-under-world/").status_code == 200
    assert client.get("/business/filed-under-world/").status_code == 404
    draft = make_article("Still a draft", publish=False)
    assert client.get(f"/world/{draft.slug}/").status_code == 404


def test_home_page_has_top_story_latest_and_section_blocks(
    client, make_article, other_section
):
    """The front page leads with the newest story and has a block per section."""
    make_article("Business story", parent=other_section)
    for i in range(6):
        make_article(f"World story {i}")
    page = soup(client.get("/"))
    top = page.find("section", class_="front-top")
    assert "World story 5" in top.get_text()
    latest = page.find("section", class_="front-latest")
    assert len(latest.find_all("article")) == 4
    section_headings = [
        h.get_text(strip=True) for h in page.select(".front-section h2")
    ]
    assert "World" in section_headings or "Business" in section_headings
    # Every published article is reachable from the home page.
    links = {a["href"] for a in page.select("article a")}
    assert "/business/business-story/" in links


def test_home_page_top_story_can_be_pinned(client, home, make_article):
    """An editor-pinned top story leads even when newer articles exist."""
    pinned = make_article("Pinned story")
    make_article("Newer story")
    home.top_story = pinned
    home.save_revision().publish()
    top = soup(client.get("/")).find("section", class_="front-top")
    assert "Pinned story" in top.get_text()


def test_section_page_paginates_newest_first(client, make_article, section, settings):
    """Sections list 20 per page by default, newest first, with links between pages."""
    settings.NEWS_PAGE_SIZE = 3
    for i in range(7):
        make_article(f"Story {i}")
    first = soup(client.get(section.url))
    headlines = [h.get_text(strip=True) for h in first.select(".article-list h2")]
    assert headlines == ["Story 6", "Story 5", "Story 4"]
    assert first.find("a", rel="next")["href"] == "?page=2"
    last = soup(client.get(section.url, {"page": 3}))
    assert [h.get_text(strip=True) for h in last.select(".article-list h2")] == [
        "Story 0"
    ]


def test_section_page_survives_bad_page_numbers(client, make_article, section):
    """?page=abc and ?page=999 show a real page instead of an error."""
    make_article()
    assert client.get(section.url, {"page": "abc"}).status_code == 200
    assert client.get(section.url, {"page": "999"}, follow=True).status_code == 200


def test_tag_page_lists_tagged_articles(client, published_article, make_article):
    """/tags/<slug>/ lists only the articles with that tag."""
    make_article("Untagged story")
    response = client.get("/tags/russia/")
    assert response.status_code == 200
    text = soup(response).find("main").get_text()
    assert "Putin and Xi meet in Beijing" in text
    assert "Untagged story" not in text


def test_tag_page_of_draft_only_tag_is_not_found(client, make_article):
    """A tag used only on drafts does not leak through a tag page."""
    make_article("Draft", tags=["Embargoed"], publish=False)
    assert client.get("/tags/embargoed/").status_code == 404
    assert client.get("/tags/no-such-tag/").status_code == 404


def test_author_page_shows_profile_and_articles(client, published_article, author):
    """/authors/<slug>/ shows the author's name, role and their articles."""
    author.expertise = "China, Russia"
    author.save()
    page = soup(client.get("/authors/ada-reporter/"))
    assert page.find("h1").get_text(strip=True) == "Ada Reporter"
    assert "Correspondent" in page.find(class_="role").get_text()
    assert "China, Russia" in page.find(class_="expertise").get_text()
    assert "Putin and Xi meet in Beijing" in page.find("main").get_text()
    assert client.get("/authors/nobody/").status_code == 404


def test_header_and_footer_on_every_page(client, published_article, section):
    """Site name, section navigation, search box and footer appear on every page."""
    from byline.core.models import SiteSettings

    settings_row = SiteSettings.for_site(published_article.get_site())
    settings_row.about_blurb = "We check things."
    settings_row.x_url = "https://x.example/byline"
    settings_row.save()
    for url in [
        "/",
        section.url,
        published_article.url,
        "/tags/russia/",
        "/search/?q=x",
    ]:
        page = soup(client.get(url))
        nav = page.find("nav", attrs={"aria-label": "Sections"})
        assert "World" in nav.get_text(), url
        assert page.find("form", role="search").find("input", attrs={"name": "q"})
        footer = page.find("footer")
        assert "We check things." in footer.get_text()
        assert footer.find("a", href="https://x.example/byline")


def test_not_found_page_uses_site_style(client, home):
    """A missing page answers 404 with the site's header and a search form."""
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    page = soup(response)
    assert page.find("header", class_="site-header")
    assert page.find("input", attrs={"name": "q"})


def test_server_error_page_renders_without_database():
    """The 500 page is self-contained: it renders with no context at all."""
    html = render_to_string("500.html")
    assert "Something went wrong" in html


def test_article_preview_shows_unsaved_authors(rf, published_article):
    """Wagtail's preview renders the byline from the editor's unsaved form data."""
    from byline.news.models import ArticleAuthor, Author

    guest = Author.objects.create(name="Guest Writer", slug="guest-writer")
    published_article.article_authors = [ArticleAuthor(author=guest, sort_order=0)]
    request = rf.get(published_article.url)
    request.user = AnonymousUser()
    response = published_article.serve_preview(
        request, published_article.default_preview_mode
    )
    byline = BeautifulSoup(response.rendered_content, "html.parser").find(
        class_="byline"
    )
    assert "Guest Writer" in byline.get_text()
    assert "Ada Reporter" not in byline.get_text()
