"""Every route of the URLconf, for the tests that must visit all public ones.

The public crawl (M1) and the hostile-parameter test (L11) take their list of
routes from here, so a route added to any urls.py is visited by both without
anyone remembering to add it; a route neither can fill in fails them instead.
"""

from dataclasses import dataclass, field

from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

# Whole parts of the URLconf that are not for readers: (prefix, why).
NOT_PUBLIC = {
    "admin/": "the Wagtail admin: staff only, behind a login",
    "django-admin/": "Django's admin: staff only, behind a login",
}


@dataclass(frozen=True)
class Route:
    """One URL pattern with the prefixes of the resolvers above it joined in."""

    key: str  # the namespaced name ("comments:vote"), or the pattern if unnamed
    name: str | None
    pattern: str
    params: tuple  # named parameters, or "0", "1", ... for unnamed regex groups
    view: object = field(default=None, compare=False, repr=False)

    @property
    def positional(self):
        return bool(self.params) and self.params[0].isdigit()

    def url(self, values):
        """Return the path of this route with `values` ({param: value}) filled in."""
        if self.positional:
            return reverse(self.name, args=[values[p] for p in self.params])
        return reverse(self.name, kwargs={p: values[p] for p in self.params})


def all_routes():
    """Return every Route of the URLconf, public or not, in URLconf order."""
    found = []
    _walk(get_resolver().url_patterns, "", None, found)
    return found


def public_routes():
    """Return the Routes outside NOT_PUBLIC."""
    return [r for r in all_routes() if not r.pattern.startswith(tuple(NOT_PUBLIC))]


def _walk(patterns, prefix, namespace, found):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = (
                    f"{namespace}:{entry.namespace}" if namespace else entry.namespace
                )
            _walk(entry.url_patterns, prefix + str(entry.pattern), inner, found)
        elif isinstance(entry, URLPattern):
            found.append(_route(entry, prefix, namespace))


def _route(entry, prefix, namespace):
    name = entry.name
    if name and namespace:
        name = f"{namespace}:{name}"
    regex = entry.pattern.regex
    params = tuple(regex.groupindex)
    if not params and regex.groups:
        params = tuple(str(i) for i in range(regex.groups))
    pattern = prefix + str(entry.pattern)
    return Route(
        key=name or pattern,
        name=name,
        pattern=pattern,
        params=params,
        view=entry.callback,
    )


def route_key(path):
    """Return the key of the Route a path resolves to, or None."""
    try:
        match = resolve(path)
    except Exception:  # Resolver404, or a converter refusing the value
        return None
    return match.view_name if match.url_name else match.route
