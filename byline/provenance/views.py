"""The public proof: keys, each article's records, the site-wide log, a reader page.

Only public articles are named. An article behind a view restriction, withdrawn or
deleted has no provenance.json or reader page, and the log shows its records as
withheld: their number and hash, so that anyone can still follow the chain
through them, and nothing else. They show in full again if the article is
public again.
"""

from urllib.parse import urlencode

from django.core.paginator import EmptyPage, Paginator
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET
from wagtail.models import Site

from byline.core.addresses import absolute
from byline.core.params import MAX_ID, parse_int
from byline.news.public import public_articles
from byline.provenance import jws, keys
from byline.provenance.diff import word_diff
from byline.provenance.models import ProvenanceRecord, SigningKey
from byline.provenance.tool import TOOL_PATH
from byline.provenance.verification import check_records

LOG_PAGE_SIZE = 100
LOG_MAX_LIMIT = 500
JSON_OPTIONS = {"ensure_ascii": False, "indent": 1}


def _json(data, status=200, max_age=60):
    response = JsonResponse(data, status=status, json_dumps_params=JSON_OPTIONS)
    response["Cache-Control"] = f"public, max-age={max_age}"
    response["Access-Control-Allow-Origin"] = "*"  # anyone may verify from anywhere
    return response


def _error(reason, status=400):
    response = JsonResponse({"error": reason}, status=status)
    response["Cache-Control"] = "no-store"
    return response


def record_json(record):
    return {
        "seq": record.seq,
        "event": record.event,
        "signed_at": record.signed_at.isoformat(),
        "hash": record.token_hash,
        "jws": record.jws,
        "payload": record.payload,
    }


def withheld_json(record):
    """A record of an article that is not public: where it stands in the chain."""
    return {"seq": record.seq, "hash": record.token_hash, "withheld": True}


def log_entries(records):
    """The log's view of records: in full when their article is public."""
    shown = set(
        public_articles()
        .filter(pk__in={r.page_id for r in records})
        .values_list("pk", flat=True)
    )
    return [record_json(r) if r.page_id in shown else withheld_json(r) for r in records]


def _article(request, path):
    """The live, public article at this path of the request's site, or 404."""
    site = Site.find_for_request(request)
    if site is None:
        raise Http404("No site answers here.")
    url_path = site.root_page.url_path + path.lstrip("/")
    article = (
        public_articles().filter(url_path=url_path).select_related("section").first()
    )
    if article is None:
        raise Http404("No published article at this address.")
    return article


@require_GET
def jwks(request):
    keys.signing_key()  # a new install publishes its key before its first record
    return _json(
        {"keys": [key.as_jwk() for key in SigningKey.objects.all()]}, max_age=300
    )


@require_GET
def article_records(request, path):
    article = _article(request, path)
    records = ProvenanceRecord.objects.filter(page_id=article.pk).defer("content")
    return _json(
        {
            "page_id": article.pk,
            "url": article.get_full_url(request),
            "jwks": absolute(reverse("jwks"), request),
            "log": absolute(reverse("provenance_log"), request),
            "records": [record_json(r) for r in records],
        }
    )


def _head(request):
    last = ProvenanceRecord.objects.order_by("-seq").only("seq", "token_hash").first()
    site = Site.find_for_request(request)
    payload = {
        "site": site.root_url if site else "",
        "seq": last.seq if last else 0,
        "hash": last.token_hash if last else "",
        "signed_at": timezone.now().isoformat().replace("+00:00", "Z"),
    }
    key, kid = keys.signing_key()
    return {**payload, "jws": jws.sign(payload, key, kid)}


def _positive_int(request, name, default):
    value = request.GET.get(name)
    if value in (None, ""):
        return default
    number = parse_int(value, minimum=1, maximum=MAX_ID)
    if number is None:
        raise ValueError(
            f"'{name}' must be a whole number from 1 to {MAX_ID}, not {value!r}"
        )
    return number


def _log_url(request, query):
    return absolute(f"{reverse('provenance_log')}?{urlencode(query)}", request)


@require_GET
def log(request):
    """The site-wide log, oldest first: `?page=N`, or `?from=SEQ&limit=N`."""
    try:
        page_number = _positive_int(request, "page", 1)
        start = _positive_int(request, "from", None)
        limit = min(_positive_int(request, "limit", LOG_PAGE_SIZE), LOG_MAX_LIMIT)
    except ValueError as exc:
        return _error(str(exc))
    records = ProvenanceRecord.objects.defer("content").order_by("seq")
    data = {"head": _head(request)}
    if start is not None:
        chunk = list(records.filter(seq__gte=start)[:limit])
        data["records"] = log_entries(chunk)
        if len(chunk) == limit:
            data["next"] = _log_url(
                request, {"from": chunk[-1].seq + 1, "limit": limit}
            )
        return _json(data, max_age=10)
    paginator = Paginator(records, LOG_PAGE_SIZE, allow_empty_first_page=True)
    try:
        page = paginator.page(page_number)
    except EmptyPage:
        return _error(
            f"there is no page {page_number}; the log has {paginator.num_pages}", 404
        )
    data.update(
        page=page.number,
        pages=paginator.num_pages,
        count=paginator.count,
        records=log_entries(list(page.object_list)),
        next=_log_url(request, {"page": page.number + 1}) if page.has_next() else None,
        previous=_log_url(request, {"page": page.number - 1})
        if page.has_previous()
        else None,
    )
    return _json(data, max_age=10)


@require_GET
def verifier_script(request):
    """The standalone verifier, for readers to download and run."""
    response = FileResponse(
        open(TOOL_PATH, "rb"), content_type="text/plain; charset=utf-8"
    )
    response["Content-Disposition"] = 'inline; filename="verify_article.py"'
    response["Cache-Control"] = "public, max-age=3600"
    return response


@require_GET
def reader_page(request, path):
    """Every signed revision of an article, its notes, and what changed."""
    article = _article(request, path)
    records = list(ProvenanceRecord.objects.filter(page_id=article.pk))
    checks = check_records(records)
    revisions, previous_text = [], None
    for record, check in zip(records, checks, strict=True):
        payload = record.payload
        entry = {"record": record, "payload": payload, "check": check}
        if record.event == "published":
            if previous_text is not None and previous_text != record.content:
                entry["diff"], entry["added"], entry["removed"] = word_diff(
                    previous_text, record.content
                )
            entry["unchanged"] = previous_text == record.content
            previous_text = record.content
        revisions.append(entry)
    revisions.reverse()
    return render(
        request,
        "provenance/reader_page.html",
        {
            "article": article,
            "article_url": article.get_full_url(request),
            "revisions": revisions,
            "all_valid": all(c.valid for c in checks),
            "keys": SigningKey.objects.filter(kid__in={r.kid for r in records}),
        },
    )
