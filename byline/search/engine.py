"""Find articles for a reader's query: the one place the view and the benchmarks use.

SQLite uses our FTS5 table (fts_sqlite.py) and PostgreSQL our tsvector table
(fts_postgres.py), both chosen after measuring Wagtail's backends; any other
database falls back to Wagtail's search backend.
"""

import re
from dataclasses import dataclass
from datetime import UTC, datetime, time
from functools import cached_property

from django.core.cache import cache
from django.utils.html import escape
from django.utils.safestring import mark_safe

from byline.news.models import ArticlePage
from byline.news.public import public_articles
from byline.search import text as search_text
from byline.search.indexing import index_backend
from byline.search.topics import find_topics

MAX_QUERY_LENGTH = 500
MAX_TERMS = 12
# A term in more than this share of the archive (and this many articles) is
# matched in headlines only.
COMMON_TERM_SHARE = 0.01
COMMON_TERM_MIN_ARTICLES = 1000
WORD = re.compile(r"\w+")
PHRASE = re.compile(r'"([^"]+)"')
# Words too common to tell articles apart; a query of nothing else finds nothing.
STOP_WORDS = frozenset(
    "a an and are as at be but by for from has have he her his i if in into is it its "
    "of on or she so than that the their them they this to was we were what when which "
    "who will with you".split()
)


@dataclass(frozen=True)
class Query:
    """A reader's query split into loose words and quoted phrases, plus filters."""

    text: str
    terms: tuple = ()
    phrases: tuple = ()
    section: int | None = None
    type_of_work: str | None = None
    author: int | None = None
    date_from: object = None
    date_to: object = None
    order: str = "relevance"
    # True: search the words as typed, never their corrections ("Search
    # instead for …").
    exact: bool = False

    @classmethod
    def parse(cls, text, **filters):
        text = " ".join((text or "").split())[:MAX_QUERY_LENGTH]
        phrases, words = [], []
        for quoted in PHRASE.findall(text):
            quoted_words = search_text.words(quoted)
            if len(quoted_words) > 1:
                phrases.append(" ".join(quoted_words))
            else:
                words += quoted_words
        words = search_text.words(PHRASE.sub(" ", text)) + words
        terms = tuple(dict.fromkeys(w for w in words if w not in STOP_WORDS))
        return cls(
            text=text, terms=terms[:MAX_TERMS], phrases=tuple(phrases[:4]), **filters
        )

    @property
    def is_empty(self):
        return not (self.terms or self.phrases)


@dataclass
class Hit:
    article: ArticlePage
    score: float
    snippet: str  # safe HTML: escaped text with <mark> around matches


@dataclass
class SearchResults:
    """A lazily evaluated, sliceable result list, so Django's Paginator can page it."""

    query: Query

    @cached_property
    def term_counts(self):
        """Return {term: number of articles containing it} (SQLite index only)."""
        index = index_backend()
        if index is None or self.query.is_empty:
            return {}
        cap = int(self._common_threshold) + 1
        return {term: index.term_count(term, cap) for term in self.query.terms}

    @cached_property
    def _common_threshold(self):
        # The archive's size changes slowly; an estimate ten minutes old will do.
        size = cache.get_or_set(
            "byline:search:document-count", index_backend().document_count, 600
        )
        return max(COMMON_TERM_MIN_ARTICLES, COMMON_TERM_SHARE * size)

    @cached_property
    def corrections(self):
        """Return {misspelt term: closest indexed word} for terms found nowhere.

        Offered as "Did you mean" in an exact search; otherwise searched in
        place of the misspelling (`applied_corrections`).
        """
        fixes = {}
        for term, count in self.term_counts.items():
            # A run of ideographs is a phrase of characters: no spelling to fix.
            if count == 0 and len(term) > 3 and not term.isdigit() and " " not in term:
                word = index_backend().closest_word(term)
                if word:
                    fixes[term] = word
        return fixes

    @property
    def applied_corrections(self):
        """Return the corrections this search uses: none when it is exact."""
        return {} if self.query.exact else self.corrections

    @property
    def corrected_query(self):
        """Return the query as searched ("Showing results for …"), or "" when
        it was searched as typed."""
        return self.suggestion if self.applied_corrections else ""

    def topics(self, request=None):
        """Return the authors, sections and tags the query names (topics.py)."""
        words = [w for phrase in self.query.phrases for w in phrase.split()]
        terms = [*self.query.terms, *words, *self.applied_corrections.values()]
        found = [t for t in dict.fromkeys(terms) if t not in self.applied_corrections]
        return find_topics(found, request)

    @cached_property
    def common_terms(self):
        """Return the terms so common that they are matched in headlines only.

        Ranking every article that contains them is slow and tells little.
        """
        return tuple(
            t for t, n in self.term_counts.items() if n > self._common_threshold
        )

    @property
    def suggestion(self):
        """Return the query with misspelt words replaced ("Did you mean …"), or ""."""
        if not self.corrections:
            return ""

        def fix(match):
            word = match.group(0)
            better = self.corrections.get(word.lower())
            if better is None:
                return word
            return better.capitalize() if word[:1].isupper() else better

        return WORD.sub(fix, self.query.text)

    @cached_property
    def _total(self):
        total, _ = self._run(limit=0, offset=0)
        return total

    @property
    def total_is_lower_bound(self):
        """True when the index stopped counting: there are more than count()."""
        limit = self._count_limit
        return limit is not None and self._total > limit

    @property
    def _count_limit(self):
        index = index_backend()
        return None if index is None else index.COUNT_LIMIT

    def count(self):
        # Pages for the matches counted; "more than" says the rest (views.py).
        if self.total_is_lower_bound:
            return self._count_limit
        return self._total

    def __len__(self):
        return self.count()

    def __getitem__(self, item):
        if not isinstance(item, slice):
            return self[item : item + 1][0]
        offset, stop = item.start or 0, item.stop
        total, hits = self._run(limit=max(0, stop - offset), offset=offset)
        self.__dict__["_total"] = total
        return hits

    def _run(self, limit, offset):
        if self.query.is_empty:
            return 0, []
        if index_backend() is not None:
            return _search_index(*self._index_query(limit, offset))
        return _search_wagtail(self.query, limit, offset)

    def _index_query(self, limit, offset):
        # A misspelt word finds what its correction finds (unless exact).
        terms = [*self.query.terms, *self.applied_corrections.values()]
        terms = tuple(t for t in dict.fromkeys(terms) if t not in self.common_terms)
        total = self.__dict__.get("_total")
        return self.query, terms, self.common_terms, limit, offset, total

    def ranked_ids(self, limit=10):
        """Return the page ids of the best `limit` matches as our index ranks
        them, without loading the articles (benchmarks of the index alone)."""
        if self.query.is_empty or index_backend() is None:
            return [hit.article.pk for hit in self[:limit]]
        _, rows = _index_rows(*self._index_query(limit, 0))
        return [pk for pk, _, _ in rows]


def search_articles(text, **filters):
    return SearchResults(Query.parse(text, **filters))


def top_ids(text, limit=10):
    """Return the page ids of the best `limit` matches (for evaluation)."""
    return [hit.article.pk for hit in search_articles(text)[:limit]]


def _fts_conditions(query):
    """Return SQL conditions on the FTS table's own columns, and their parameters."""
    where, params = [], []
    if query.section:
        where.append("section_id = %s")
        params.append(query.section)
    if query.type_of_work:
        where.append("type_of_work = %s")
        params.append(query.type_of_work)
    if query.date_from:
        where.append("published >= %s")
        params.append(_unix(query.date_from))
    if query.date_to:
        where.append("published < %s")
        params.append(_unix(query.date_to))
    if query.author:
        where.append(
            "rowid IN (SELECT page_id FROM news_articleauthor WHERE author_id = %s)"
        )
        params.append(query.author)
    # No privacy condition: the index holds public articles only (indexing.py).
    return where, params


def _unix(moment):
    if not isinstance(moment, datetime):
        moment = datetime.combine(moment, time.min)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp())


def _index_rows(query, terms, headline_terms, limit, offset, total=None):
    """Return (total, [(page id, score, snippet)]) as our index ranks them."""
    index = index_backend()
    where, params = _fts_conditions(query)
    return index.search(
        index.match_expression(terms, query.phrases, headline_terms),
        where=where,
        params=params,
        order=query.order,
        limit=limit,
        offset=offset,
        total=total,
    )


def _search_index(query, terms, headline_terms, limit, offset, total=None):
    total, rows = _index_rows(query, terms, headline_terms, limit, offset, total)
    if not rows:
        return total, []
    index = index_backend()
    articles = _articles_by_id([pk for pk, _, _ in rows])
    hits = [
        Hit(articles[pk], score, _highlight(snippet, index))
        for pk, score, snippet in rows
        if pk in articles
    ]
    return total, hits


def _search_wagtail(query, limit, offset):
    articles = public_articles()
    if query.section:
        articles = articles.filter(section_id=query.section)
    if query.type_of_work:
        articles = articles.filter(type_of_work=query.type_of_work)
    if query.author:
        articles = articles.filter(article_authors__author_id=query.author)
    if query.date_from:
        articles = articles.filter(published_at__gte=query.date_from)
    if query.date_to:
        articles = articles.filter(published_at__lt=query.date_to)
    if query.order == "newest":
        articles = articles.order_by("-published_at")
    words = " ".join([*query.phrases, *query.terms])
    results = articles.search(
        words, operator="or", order_by_relevance=query.order != "newest"
    )
    total = results.count()
    if limit == 0:
        return total, []
    page = list(results[offset : offset + limit])
    by_id = _articles_by_id([a.pk for a in page])
    return total, [
        Hit(by_id[a.pk], getattr(a, "_score", 0.0) or 0.0, escape(a.standfirst))
        for a in page
        if a.pk in by_id
    ]


def _articles_by_id(ids):
    # Through the public path even though the index holds public articles only:
    # an index that fell behind a change must still show nothing private.
    # A result shows no body: leave the longest column in the database.
    articles = (
        public_articles()
        .filter(pk__in=ids)
        .defer("body", "sources", "search_description", "seo_title")
        .select_related("section")
        .prefetch_related("article_authors__author")
    )
    return {a.pk: a for a in articles}


def _highlight(snippet, index):
    """Escape a snippet, then mark the matches that the index delimited."""
    snippet = search_text.join_ideographs(snippet, (index.MARK_START, index.MARK_END))
    html = escape(snippet)
    html = html.replace(index.MARK_START, "<mark>").replace(index.MARK_END, "</mark>")
    # Safe: every character of the text was escaped above.
    return mark_safe(html)


def suggest_headlines(text, limit=8):
    """Return [(title, article)] whose headlines start words the reader is typing."""
    words = search_text.words(text or "")[:MAX_TERMS]
    if not words or len(words[-1]) < 2:
        return []
    if index_backend() is not None:
        ids = index_backend().headline_prefix_matches(words[:-1], words[-1], limit)
        by_id = _articles_by_id(ids)
        return [by_id[pk] for pk in ids if pk in by_id]
    articles = public_articles()
    for word in words[:-1]:
        articles = articles.filter(title__iregex=rf"\m{re.escape(word)}\M")
    articles = articles.filter(title__iregex=rf"\m{re.escape(words[-1])}")
    return list(articles.order_by("-published_at")[:limit])
