"""Hot queries compiled once per database connection, then run with new values.

Django compiles a queryset to SQL every time it is evaluated. For the handful of
queries every public page runs (finding the page, its authors, tags and related
cards, the listings) compiling cost several times more than running them: about
1 ms of Python each against a tenth of that in SQLite. A prepared query is
written as an ordinary queryset over placeholder values, compiled once per
connection (so once per worker thread and database), and run afterwards with
each call's values through Django's own row converters and model construction:
it returns what the queryset would have returned, select_related included.

Only plain values can be parameters: exact lookups (`slug=p.slug`, `pk=p.pk`),
prefix lookups (`path__startswith=p.path`) and the bounds of a slice. Anything
else in the queryset is fixed at compile time; what may change between calls
(the restricted paths of `byline.core.privacy.public`, for instance) goes into
`vary`.
"""

import itertools
import re
from dataclasses import dataclass

from django.db import connections, router
from django.db.models.query import (
    FlatValuesListIterable,
    ModelIterable,
    ValuesListIterable,
    get_related_populators,
)

_TOKEN = "\x1fbyline-param-{}\x1f"
# Integer placeholders must fit every integer column of every backend (Django
# turns an out-of-range lookup into "no rows" before compiling it), so they sit
# just below PostgreSQL's 2**31 - 1, far above any depth or count a page has.
_INT_BASE = 2_147_480_000
_SERIALS = itertools.count()


class _Placeholders:
    """Hands out a distinct placeholder per attribute name: `p.slug`, `p.pk`."""

    def __init__(self):
        self.names = []

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        if name not in self.names:
            self.names.append(name)
        return _Placeholder(self.names.index(name), name)


class _Placeholder(str):
    """A string placeholder that also turns into a distinct int where an integer
    column's lookup converts its value (`int(p.pk)`)."""

    def __new__(cls, index, name):
        value = super().__new__(cls, _TOKEN.format(index))
        value.index = index
        value.name = name
        return value

    def __int__(self):
        return _INT_BASE - self.index

    def __index__(self):
        return _INT_BASE - self.index


@dataclass
class _Compiled:
    compiler: object
    sql: str
    # Per SQL parameter: ("const", value), ("exact", name) or ("like", name, pattern).
    slots: list
    converters: dict
    col_count: int
    trim: bool
    kind: str
    # For model rows:
    model: object = None
    init_list: list = None
    model_slice: slice = None
    populators: list = None
    annotations: dict = None


class Prepared:
    """A queryset built over placeholders, compiled once per connection.

    `build(p)` returns the queryset, using `p.<name>` wherever a value comes
    from the call; calling the prepared query with `name=value` runs it and
    returns a list (model instances, or rows for `values_list`).
    """

    def __init__(self, build, vary=None):
        self.build = build
        self.vary = vary
        # A serial, not id(self): a query made after another was freed may get
        # its address, and would then run the other one's compiled SQL.
        self.attribute = f"_byline_prepared_{next(_SERIALS)}"
        self.model = None

    def __call__(self, **values):
        if self.model is None:
            self.model = self._queryset()[0].model
        alias = router.db_for_read(self.model)
        connection = connections[alias]
        compiled_by_key = connection.__dict__.setdefault(self.attribute, {})
        key = self.vary() if self.vary else None
        compiled = compiled_by_key.get(key)
        if compiled is None:
            compiled = self._compile(*self._queryset(), alias)
            if self.vary:
                compiled_by_key.clear()  # an old key never comes back
            compiled_by_key[key] = compiled
        return self._run(compiled, connection, alias, values)

    def _queryset(self):
        placeholders = _Placeholders()
        queryset = self.build(placeholders)
        return queryset, list(placeholders.names)

    def _compile(self, queryset, names, alias):
        compiler = queryset.query.get_compiler(using=alias)
        sql, params = compiler.as_sql()
        tokens = {_TOKEN.format(i): name for i, name in enumerate(names)}
        ints = {_INT_BASE - i: name for i, name in enumerate(names)}
        sql, params = self._literal_ints_as_params(sql, list(params), ints)
        slots = []
        for param in params:
            if isinstance(param, int) and not isinstance(param, bool) and param in ints:
                slots.append(("exact", ints[param]))
            elif isinstance(param, str) and param in tokens:
                slots.append(("exact", tokens[param]))
            elif isinstance(param, str) and any(t in param for t in tokens):
                token = next(t for t in tokens if t in param)
                slots.append(("like", tokens[token], param.replace(token, "{}", 1)))
            else:
                slots.append(("const", param))
        fields = [s[0] for s in compiler.select[0 : compiler.col_count]]
        compiled = _Compiled(
            compiler=compiler,
            sql=sql,
            slots=slots,
            converters=compiler.get_converters(fields),
            col_count=compiler.col_count,
            trim=compiler.has_extra_select,
            kind=self._kind(queryset),
        )
        if compiled.kind == "models":
            klass_info = compiler.klass_info
            select_fields = klass_info["select_fields"]
            start, end = select_fields[0], select_fields[-1] + 1
            compiled.model = klass_info["model"]
            compiled.model_slice = slice(start, end)
            compiled.init_list = [
                f[0].target.attname for f in compiler.select[start:end]
            ]
            compiled.populators = get_related_populators(
                klass_info, compiler.select, alias
            )
            compiled.annotations = compiler.annotation_col_map
        return compiled

    @staticmethod
    def _literal_ints_as_params(sql, params, ints):
        """Turn placeholders Django wrote into the SQL text (LIMIT and OFFSET of
        a slice such as `[int(p.start) : int(p.start) + int(p.size)]`) into
        parameters, in the order of the SQL's other parameters."""
        pieces = re.split(r"\b(\d{10})\b", sql)
        if not any(int(piece) in ints for piece in pieces[1::2]):
            return sql, params
        text, out, taken = [], [], 0
        for i, piece in enumerate(pieces):
            if i % 2 and int(piece) in ints:
                text.append("%s")
                out.append(int(piece))
            else:
                if i % 2 == 0:
                    # Parameters written before this point of the SQL.
                    count = piece.replace("%%", "").count("%s")
                    out.extend(params[taken : taken + count])
                    taken += count
                text.append(piece)
        return "".join(text), out + params[taken:]

    @staticmethod
    def _kind(queryset):
        if queryset._prefetch_related_lookups or queryset._known_related_objects:
            raise ValueError("a prepared query cannot prefetch")
        if queryset._iterable_class is ModelIterable:
            return "models"
        if queryset._iterable_class is ValuesListIterable:
            return "rows"
        if queryset._iterable_class is FlatValuesListIterable:
            return "flat"
        raise ValueError("a prepared query returns models or values_list rows")

    def _run(self, compiled, connection, alias, values):
        ops = connection.ops
        params = []
        for slot in compiled.slots:
            if slot[0] == "const":
                params.append(slot[1])
            elif slot[0] == "exact":
                params.append(values[slot[1]])
            else:
                params.append(slot[2].format(ops.prep_for_like_query(values[slot[1]])))
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            rows = cursor.fetchall()
        if compiled.trim:
            rows = [row[: compiled.col_count] for row in rows]
        if compiled.converters:
            rows = list(compiled.compiler.apply_converters(rows, compiled.converters))
        if compiled.kind == "rows":
            return [tuple(row) for row in rows]
        if compiled.kind == "flat":
            return [row[0] for row in rows]
        return list(self._models(compiled, alias, rows))

    @staticmethod
    def _models(compiled, alias, rows):
        for row in rows:
            obj = compiled.model.from_db(
                alias, compiled.init_list, row[compiled.model_slice]
            )
            for populator in compiled.populators:
                populator.populate(row, obj)
            for name, position in (compiled.annotations or {}).items():
                setattr(obj, name, row[position])
            yield obj


def first(rows):
    """The first of a prepared query's results, or None."""
    return next(iter(rows), None)
