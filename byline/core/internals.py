"""The only place Byline touches framework internals: each name below is not a
public API of its framework, and is used here because no public way exists.
`byline/core/tests/test_internals.py` fails loudly if a framework changes one,
and `test_no_private_framework_apis.py` fails if one is used anywhere else.

- `request._wagtail_site` (Wagtail): where `Site.find_for_request` keeps the
  request's site (its docstring says so). `byline.core.sites.SiteMiddleware`
  finds the site from the cached site table and hands it to Wagtail here, so
  Wagtail does not query the sites table on every request.
- `request.csrf_processing_done` (Django): what `CsrfViewMiddleware._accept`
  sets so that `csrf_protect` on a view does not check the request a second
  time. `byline.pagecache.csrf` accepts a same-origin post from a shared
  (cached) page, which holds no token, this way.
- `Signal.receivers` (Django): the list a signal keeps of what is connected to
  it, in the order they run. Only tests read it (`receivers_of`), to pin which
  receivers a signal has: the publish pipeline's, and none watching comments.
- `Field.validators` (Django): a model field's validators, a list computed once
  from the field's class. `byline.core.slugs` has Wagtail's page slug, the
  authors' and taggit's tags' slugs accept combining marks
  (`replace_validator`): those fields are declared by Wagtail and taggit, with
  Django's `validate_unicode_slug`, which refuses them.
- `wrap_database_errors` (Django): the context manager of a database
  connection that re-raises its driver's errors as Django's (IntegrityError,
  DataError …); Django's cursor runs `execute()` and its fetches inside it,
  but not psycopg's `copy()`. `byline.core.bulk_rows` runs its COPY inside it
  (`database_errors_as_djangos`), so a refused row raises what an INSERT's would.

Everything else Byline does with Django, Wagtail and Jinja2 goes through their
public APIs (Django's documented `Model._meta` and `Model._state` included).
"""

import weakref


def remember_site(request, site):
    """Tell Wagtail which site answers `request` (see Site.find_for_request)."""
    request._wagtail_site = site


def accept_without_token(request):
    """Accept a post as CsrfViewMiddleware accepts a checked one."""
    request.csrf_processing_done = True


def replace_validator(field, old, new):
    """Have the model `field` run `new` where it ran `old`."""
    if old not in field.validators:
        raise LookupError(f"{field} does not run {old}")
    field.validators = [new if v is old else v for v in field.validators]


def receivers_of(signal):
    """(receiver, id of its sender or of None) for every live receiver of
    `signal`, in the order the signal calls them."""
    found = []
    for key, receiver, *_ in signal.receivers:
        if isinstance(receiver, weakref.ReferenceType):
            receiver = receiver()
        if receiver is not None:
            found.append((receiver, key[1]))
    return found


def database_errors_as_djangos(connection):
    """A context manager re-raising the driver's database errors inside it as
    Django's, as Django's cursor does around `execute()`."""
    return connection.wrap_database_errors
