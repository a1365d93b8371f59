"""The OpenAPI 3.0 description of the read API, served at /api/v2/openapi.json.

Written by hand because Wagtail's API has no schema generator; a test runs
schemathesis against it, so a response that strays from it fails the suite.
"""

from django.conf import settings

from byline.core.addresses import root_url

ORDER_FIELDS = ["id", "title", "published_at", "updated_at", "first_published_at"]

ERROR = {
    "type": "object",
    "required": ["message"],
    "properties": {"message": {"type": "string"}},
}
NULLABLE_STRING = {"type": "string", "nullable": True}
DATETIME = {"type": "string", "format": "date-time", "nullable": True}

SECTION = {
    "type": "object",
    "nullable": True,
    "required": ["id", "title", "slug", "url"],
    "properties": {
        "id": {"type": "integer"},
        "title": {"type": "string"},
        "slug": {"type": "string"},
        "url": {"type": "string"},
    },
}
AUTHOR = {
    "type": "object",
    "required": ["id", "name", "slug", "url"],
    "properties": {
        "id": {"type": "integer"},
        "name": {"type": "string"},
        "slug": {"type": "string"},
        "role": {"type": "string"},
        "url": {"type": "string"},
    },
}
META = {
    "type": "object",
    "required": ["type", "detail_url", "html_url"],
    "properties": {
        "type": {"type": "string", "enum": ["news.ArticlePage"]},
        "detail_url": {"type": "string"},
        "html_url": NULLABLE_STRING,
        "slug": {"type": "string"},
        "first_published_at": DATETIME,
    },
}
ARTICLE_SUMMARY = {
    "type": "object",
    "required": ["id", "meta"],
    "properties": {
        "id": {"type": "integer"},
        "meta": META,
        "title": {"type": "string"},
        "standfirst": {"type": "string"},
        "section": SECTION,
        "authors": {"type": "array", "items": AUTHOR},
        "published_at": DATETIME,
    },
}
ARTICLE = {
    "type": "object",
    "required": ["id", "meta", "title", "standfirst", "body", "related"],
    "properties": {
        **ARTICLE_SUMMARY["properties"],
        "body": {"type": "string", "description": "HTML"},
        "tags": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"name": {"type": "string"}, "slug": {"type": "string"}},
            },
        },
        "type_of_work": {
            "type": "string",
            "enum": ["news", "analysis", "opinion", "explainer", "sponsored"],
        },
        "dateline": {"type": "string"},
        "sources": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "title": {"type": "string"},
                    "publisher": {"type": "string"},
                    "url": {"type": "string"},
                },
            },
        },
        "methods": {"type": "string"},
        "updated_at": DATETIME,
        "hero": {
            "type": "object",
            "nullable": True,
            "properties": {
                "url": {"type": "string"},
                "width": {"type": "integer"},
                "height": {"type": "integer"},
                "alt": {"type": "string"},
            },
        },
        "hero_caption": {"type": "string"},
        "hero_credit": {"type": "string"},
        "comment_count": {"type": "integer", "minimum": 0},
        "related": {"type": "array", "items": {"type": "integer"}},
        "provenance_url": {"type": "string"},
    },
}
# Letters and digits of any script (a Unicode slug, "москва"), "-" and "_".
SLUG = {"type": "string", "pattern": "^[-_\\p{L}\\p{N}]+$", "maxLength": 255}


def _query(name, schema, description):
    return {"name": name, "in": "query", "required": False, "schema": schema,
            "description": description}  # fmt: skip


def _errors(*codes):
    return {
        str(code): {
            "description": "The reason, in `message`.",
            "content": {"application/json": {"schema": ERROR}},
        }
        for code in codes
    }


def schema(request):
    limit = settings.WAGTAILAPI_LIMIT_MAX
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "Byline read API",
            "version": "2",
            "description": "Published articles of this newsroom. Read-only; "
            "nothing private (drafts, private pages, readers' addresses) is exposed.",
        },
        "servers": [{"url": root_url(request)}],
        "paths": {
            "/api/v2/articles/": {
                "get": {
                    "operationId": "listArticles",
                    "summary": "Published articles, newest first",
                    "parameters": [
                        _query(
                            "section", SLUG, "Only articles of this section (slug)."
                        ),
                        _query("tag", SLUG, "Only articles with this tag (slug)."),
                        _query("author", SLUG, "Only articles by this author (slug)."),
                        _query(
                            "limit",
                            {"type": "integer", "minimum": 1, "maximum": limit},
                            "Articles per page.",
                        ),
                        _query(
                            "offset",
                            {"type": "integer", "minimum": 0, "maximum": 10**9},
                            "How many articles to skip.",
                        ),
                        _query(
                            "order",
                            {
                                "type": "string",
                                "enum": ORDER_FIELDS + [f"-{f}" for f in ORDER_FIELDS],
                            },
                            "Sort field; a leading '-' reverses it.",
                        ),  # fmt: skip
                    ],
                    "responses": {
                        "200": {
                            "description": "A page of articles.",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "type": "object",
                                        "required": ["meta", "items"],
                                        "properties": {
                                            "meta": {
                                                "type": "object",
                                                "required": ["total_count"],
                                                "properties": {
                                                    "total_count": {
                                                        "type": "integer",
                                                        "minimum": 0,
                                                    }
                                                },
                                            },
                                            "items": {
                                                "type": "array",
                                                "items": ARTICLE_SUMMARY,
                                            },
                                        },
                                    }
                                }
                            },
                        },
                        **_errors(400),
                    },
                }
            },
            "/api/v2/articles/{id}/": {
                "get": {
                    "operationId": "getArticle",
                    "summary": "One published article with every public field",
                    "parameters": [
                        {
                            "name": "id",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "integer", "minimum": 1},
                        }
                    ],
                    "responses": {
                        "200": {
                            "description": "The article.",
                            "content": {"application/json": {"schema": ARTICLE}},
                        },
                        **_errors(400, 404),
                    },
                }
            },
        },
    }
