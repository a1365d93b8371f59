"""The site search page and its JSON form (DESIGN.md)."""

from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import render

from byline.search.engine import search_articles, suggest_headlines
from byline.search.forms import SearchForm

PAGE_SIZE = 20


def search(request):
    form = SearchForm(request.GET)
    form.is_valid()  # invalid filters are reported and ignored, never fatal
    query_text = form.cleaned_data.get("q", "") if "q" not in form.errors else ""
    results = search_articles(query_text, **form.filters())
    page_obj = Paginator(results, PAGE_SIZE).get_page(request.GET.get("page"))
    if request.GET.get("format") == "json":
        return JsonResponse(_as_json(request, results.query.text, page_obj))
    return render(
        request,
        "search/search.html",
        {
            "form": form,
            "search_query": results.query.text,
            "query_is_empty": results.query.is_empty,
            "page_obj": page_obj,
            "active_filters": form.active_filters(request),
            "suggestion": results.suggestion if page_obj.paginator.count < 5 else "",
            "suggestion_url": _with_query(request, results.suggestion),
        },
    )


def _as_json(request, query, page_obj):
    return {
        "query": query,
        "total": page_obj.paginator.count,
        "results": [
            {
                "id": hit.article.pk,
                "source_id": hit.article.source_id,
                "title": hit.article.title,
                "url": hit.article.get_url(request),
                "snippet": str(hit.snippet),
                "score": round(hit.score, 4),
            }
            for hit in page_obj
        ],
    }


def _with_query(request, text):
    params = request.GET.copy()
    params["q"] = text
    params.pop("page", None)
    return "?" + params.urlencode()


def suggest(request):
    """Return headlines matching what the reader has typed so far."""
    query = request.GET.get("q", "")[:200]
    return JsonResponse(
        {
            "query": query,
            "suggestions": [
                {"title": article.title, "url": article.get_url(request)}
                for article in suggest_headlines(query)
            ],
        }
    )
