"""The site search page and its JSON form (DESIGN.md)."""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import render

from byline.news import listings
from byline.search import cache as kept_searches
from byline.search.engine import search_articles, suggest_headlines
from byline.search.forms import SearchForm

PAGE_SIZE = 20
# Stories offered when a search finds nothing, so the page is not a dead end.
LATEST_WHEN_EMPTY = 5


def search(request):
    """The search page; an anonymous reader's is kept until the index changes
    (cache.py)."""
    key = kept_searches.key_for(request)
    response = kept_searches.kept(key)
    if response is None:
        response = kept_searches.keep(key, _search(request))
    return response


def _search(request):
    form = SearchForm(request.GET)
    form.is_valid()  # invalid filters are reported and ignored, never fatal
    query_text = form.cleaned_data.get("q", "") if "q" not in form.errors else ""
    results = search_articles(query_text, **form.filters())
    page_obj = Paginator(results, PAGE_SIZE).get_page(request.GET.get("page"))
    topics = results.topics(request) if query_text else []
    if request.GET.get("format") == "json":
        return JsonResponse(_as_json(request, results, page_obj, topics))
    context = {"form": form, "page_obj": page_obj, "topics": topics}
    context |= _help(request, form, results, page_obj.paginator.count)
    return render(request, "search/search.html", context)


def _help(request, form, results, found):
    """What the page tells a reader about the query: corrected, spelling, tips."""
    query = results.query
    return {
        "search_query": query.text,
        # Both indexes stop counting at a thousand matches: "More than 1,000".
        "total_is_lower_bound": results.total_is_lower_bound,
        "query_is_empty": query.is_empty,
        "active_filters": form.active_filters(request),
        # "Showing results for Putin", with a link to search "Pution" as typed.
        "corrected_query": results.corrected_query,
        "exact_url": _with_query(request, query.text, exact="1"),
        # In an exact search, "Did you mean …" when it finds little.
        "suggestion": results.suggestion if query.exact and found < 5 else "",
        "suggestion_url": _with_query(request, results.suggestion),
        "latest": _latest() if query.text and found == 0 else [],
        "all_articles_url": "?" + urlencode({"q": query.text}),
    }


def _latest():
    return list(listings.published_articles()[:LATEST_WHEN_EMPTY])


def _as_json(request, results, page_obj, topics):
    """DESIGN.md's contract, plus `corrected_query` and `topics`."""
    return {
        "query": results.query.text,
        "total": page_obj.paginator.count,
        # True when `total` is where counting stopped: there are more.
        "total_is_lower_bound": results.total_is_lower_bound,
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
        # The query as searched when misspelt words were corrected, else null.
        "corrected_query": results.corrected_query or None,
        # Authors, sections and tags the query names.
        "topics": [topic.as_json() for topic in topics],
    }


def _with_query(request, text, **extra):
    params = request.GET.copy()
    params["q"] = text
    params.pop("page", None)
    params.pop("exact", None)
    for name, value in extra.items():
        params[name] = value
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
