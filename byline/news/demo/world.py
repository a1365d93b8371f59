"""A small newsroom that writes in five scripts: Chinese, Russian, Arabic
(right to left), Hindi and accented French. Our own short texts.

Tests load it (the `world_newsroom` fixture) to check that Unicode section,
author, tag and article slugs work end to end (URLs, feeds, sitemaps, the API)
and that search finds each language, accents or not. Every name below is
used as typed: slugs are made the way the admin and the importers make them,
keeping the script (`site_setup.unicode_slug`).
"""

from datetime import UTC, datetime, timedelta

from django.db import transaction

from byline.news.models import ArticleAuthor, ArticlePage, Author
from byline.news.site_setup import ensure_section, unicode_slug

# One story per language: (key, section, author, tags, title, standfirst, body).
STORIES = [
    (
        "zh",
        "国际",
        "李明",
        ["北京", "茶叶"],
        "北京举办国际茶文化节",
        "来自二十个国家的茶农在北京展示他们的茶叶。",
        "<p>本周末，北京举办了第一届国际茶文化节。来自云南和福建的茶农与外国客人"
        "交流了种茶的经验。</p>",
    ),
    (
        "ru",
        "Общество",
        "Анна Соколова",
        ["Москва", "Библиотеки"],
        "В Москве открылась новая библиотека",
        "Библиотека работает круглосуточно и бесплатно.",
        "<p>Новая библиотека в центре Москвы открылась в понедельник. Читатели "
        "могут брать книги на русском и английском языках.</p>",
    ),
    (
        "ar",
        "ثقافة",
        "ليلى حسن",
        ["القاهرة", "كتب"],
        "معرض القاهرة للكتاب يستقبل الزوار",
        "أكثر من ألف ناشر يعرضون كتبهم هذا العام.",
        "<p>افتتح معرض القاهرة الدولي للكتاب أبوابه يوم السبت. يقدم المعرض كتبا "
        "للأطفال وندوات عن الشعر العربي.</p>",
    ),
    (
        "hi",
        "देश",
        "राहुल शर्मा",
        ["दिल्ली", "मौसम"],
        "दिल्ली में मानसून की पहली बारिश",
        "शहर में तापमान दस डिग्री गिर गया।",
        "<p>मंगलवार को दिल्ली में मानसून की पहली बारिश हुई। लोगों ने गर्मी से "
        "राहत की सांस ली।</p>",
    ),
    (
        "fr",
        "Société",
        "Hélène Lefèvre",
        ["Café", "Éducation"],
        "Le café de l’école rouvre à Orléans",
        "Élèves et parents se retrouvent dans un café associatif rénové.",
        "<p>Le café associatif de l’école élémentaire d’Orléans a rouvert ses portes "
        "après des travaux. Les bénévoles servent thé, café et crêpes.</p>",
    ),
]


@transaction.atomic
def load_world_newsroom(home, *, published_from=None):
    """Create the five-language newsroom under home (once: a second call finds
    the stories made by the first); return {key: article}."""
    moment = published_from or datetime(2024, 6, 1, 8, tzinfo=UTC)
    articles = {}
    for n, (key, section, name, tags, title, standfirst, body) in enumerate(STORIES):
        author, _ = Author.objects.get_or_create(
            slug=unicode_slug(name), defaults={"name": name}
        )
        parent = ensure_section(home, section)
        existing = ArticlePage.objects.child_of(parent).filter(slug=unicode_slug(title))
        if existing.exists():
            articles[key] = existing.get()
            continue
        article = ArticlePage(
            title=title,
            slug=unicode_slug(title),
            standfirst=standfirst,
            body=body,
            live=False,
            published_at=moment + timedelta(hours=n),
        )
        article.article_authors = [ArticleAuthor(author=author, sort_order=0)]
        article.tags.add(*tags)
        parent.add_child(instance=article)
        article.save_revision().publish()
        article.refresh_from_db()
        articles[key] = article
    return articles
