"""schema.org JSON-LD for an article: the Trust Project's indicators as data.

Search engines and fact-checking tools read these properties; readers see the
same facts on the page (type-of-work label, sources, methods, dateline, author
pages, the standards pages in the trust box).
"""

import json

from django.utils.html import escape
from django.utils.safestring import mark_safe

from byline.core.addresses import absolute

ARTICLE_TYPES = {
    "news": "NewsArticle",
    "analysis": "AnalysisNewsArticle",
    "opinion": "OpinionNewsArticle",
    "explainer": "BackgroundNewsArticle",
    "sponsored": "AdvertiserContentArticle",
}
# schema.org property of NewsMediaOrganization → policy page in SiteSettings.
PUBLISHER_POLICIES = {
    "publishingPrinciples": "ethics",
    "ethicsPolicy": "ethics",
    "correctionsPolicy": "corrections",
    "actionableFeedbackPolicy": "feedback",
    "ownershipFundingInfo": "ownership",
    "diversityPolicy": "diversity",
    "verificationFactCheckingPolicy": "fact_checking",
    "unnamedSourcesPolicy": "unnamed_sources",
    "masthead": "masthead",
}


def _iso(moment):
    return moment.isoformat() if moment else None


def _author(author, request):
    data = {
        "@type": "Person",
        "name": author.name,
        "url": absolute(author.get_absolute_url(), request),
    }
    if author.role:
        data["jobTitle"] = author.role
    areas = [a.strip() for a in (author.expertise or "").split(",") if a.strip()]
    if areas:
        data["knowsAbout"] = areas
    return data


def publisher(chrome, site):
    data = {
        "@type": "NewsMediaOrganization",
        "name": chrome.site_name,
        "url": site.root_url + "/" if site else "/",
    }
    policies = chrome.policies
    for prop, name in PUBLISHER_POLICIES.items():
        if name in policies:
            data[prop] = policies[name]["full_url"]
    return data


def article_data(article, request, *, authors, tags, chrome, site, image_url, notes):
    url = article.get_full_url(request)
    data = {
        "@context": "https://schema.org",
        "@type": ARTICLE_TYPES.get(article.type_of_work, "NewsArticle"),
        "headline": article.title,
        "description": article.standfirst,
        "url": url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "datePublished": _iso(article.published_at),
        "dateModified": _iso(article.updated_at or article.published_at),
        "author": [_author(a, request) for a in authors],
        "publisher": publisher(chrome, site),
        "wordCount": article.word_count,
        "isAccessibleForFree": True,
        "inLanguage": "en",
    }
    if article.section_id:
        data["articleSection"] = article.section.title
    if tags:
        data["keywords"] = [tag.name for tag in tags]
    if image_url:
        data["image"] = [absolute(image_url, request)]
    citations = [
        {
            "@type": "CreativeWork",
            "name": block.value["title"],
            **({"url": block.value["url"]} if block.value.get("url") else {}),
            **(
                {
                    "publisher": {
                        "@type": "Organization",
                        "name": block.value["publisher"],
                    }
                }
                if block.value.get("publisher")
                else {}
            ),
        }
        for block in article.sources
    ]
    if citations:
        data["citation"] = citations
    if article.methods:
        data["backstory"] = article.methods
    if article.dateline:
        data["contentLocation"] = {"@type": "Place", "name": article.dateline}
    if notes:
        data["correction"] = [
            {
                "@type": "CorrectionComment",
                "text": note["note"],
                "datePublished": _iso(note["signed_at"]),
            }
            for note in notes
        ]
    return data


def json_ld(data):
    """A <script> element whose JSON cannot close it early."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return mark_safe(f'<script type="application/ld+json">{text}</script>')


def social_tags(article, request, *, site_name, image_url, image_alt):
    """OpenGraph and Twitter card <meta> tags."""
    url = article.get_full_url(request)
    tags = [
        ("property", "og:type", "article"),
        ("property", "og:site_name", site_name),
        ("property", "og:title", article.title),
        ("property", "og:description", article.standfirst),
        ("property", "og:url", url),
        ("name", "twitter:card", "summary_large_image" if image_url else "summary"),
        ("name", "twitter:title", article.title),
        ("name", "twitter:description", article.standfirst),
    ]
    if article.published_at:
        tags.append(("property", "article:published_time", _iso(article.published_at)))
    if article.updated_at:
        tags.append(("property", "article:modified_time", _iso(article.updated_at)))
    if article.section_id:
        tags.append(("property", "article:section", article.section.title))
    if image_url:
        image = absolute(image_url, request)
        tags += [
            ("property", "og:image", image),
            ("property", "og:image:alt", image_alt),
            ("name", "twitter:image", image),
        ]
    return mark_safe(
        "\n  ".join(
            f'<meta {attr}="{escape(name)}" content="{escape(value)}">'
            for attr, name, value in tags
        )
    )
