"""L11, every case of one value: a NUL byte in any parameter is never a 500.

PostgreSQL refuses a string holding NUL (psycopg raises before the query is
sent); SQLite stores it. So a NUL that reaches a query is a 500 on the
production database and passes on the default one. The hypothesis test in
test_l11_hostile_parameters draws NUL now and then; CI on PostgreSQL found
`/api/v2/articles/find/?html_path=%00` that way, after many green runs. Here
every route gets it in every path parameter and every parameter its view may
read, by GET and by POST, so one run covers the whole class.
"""

import pytest
from django.test import Client

from byline.security.tests.test_l11_hostile_parameters import (
    ROUTES,
    fill,
    names_for,
    site,  # noqa: F401 (a fixture)
)

NUL = "a\x00b"


def _valid(route, ids, tokens_by_route):
    values = {}
    for name in route.params:
        if name == "token" and route.key in tokens_by_route:
            values[name] = tokens_by_route[route.key]
        else:
            values[name] = str(ids[name][0])
    return values


@pytest.mark.parametrize("route", ROUTES, ids=[r.key for r in ROUTES])
def test_a_nul_byte_in_any_parameter_is_answered_without_a_500(site, route):  # noqa: F811
    ids, tokens_by_route = site
    valid = _valid(route, ids, tokens_by_route)
    requests = [(fill(route.pattern, valid | {name: NUL}), {}) for name in valid]
    path = fill(route.pattern, valid)
    requests += [(path, {name: NUL}) for name in names_for(route)]
    browser = Client(raise_request_exception=False)
    failed = []
    for url, query in requests:
        for method in (browser.get, browser.post):
            status = method(url, query, HTTP_SEC_FETCH_SITE="same-origin").status_code
            if status >= 500:
                failed.append((method.__name__, url, query))
    assert not failed, failed
