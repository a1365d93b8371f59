"""Field values prepared for the database ahead, in another process.

Preparing each value of an imported article's page and article rows (its
field's `pre_save` and `get_db_prep_save`, as `Model.save()` prepares them)
was a tenth of a SQLite import batch's time in the import process (py-spy,
bench/README.md, "thirteenth session"). The import's worker process
(importers/prepare.py), which builds the article, prepares the values it set
and keeps each with the value it was prepared from; `bulk_rows.prepared` uses
a kept one only while the field still holds that very object (unpickled with
the article, it is the same object there too), and prepares the rest (the
tree position, the id: set afterwards) as before.

Only values that cannot change in place are kept (a list or a StreamValue
could be changed after it was prepared and still be the same object), and
only fields whose `pre_save` returns the field's own value: Django's own, or
a date field without `auto_now`/`auto_now_add` (whose value is the time of
saving, not of the worker).
"""

import datetime
import decimal
import functools
import operator
import uuid

from django.db import models

# Where `remember` keeps an object's values (the object's own __dict__, as
# core/remembered.py keeps texts).
KNOWN = "_byline_values_ahead"
IMMUTABLE = (
    str,
    int,  # and bool
    float,
    decimal.Decimal,
    datetime.date,  # and datetime
    datetime.time,
    datetime.timedelta,
    uuid.UUID,
    bytes,
    type(None),
)
# pre_save methods that return the field's value, unless auto_now(_add) is set.
DATE_PRE_SAVES = (models.DateField.pre_save, models.DateTimeField.pre_save)


def _plain(field):
    """Whether the field's `pre_save` returns its value as it is."""
    pre_save = type(field).pre_save
    if pre_save is models.Field.pre_save:
        return True
    return pre_save in DATE_PRE_SAVES and not (field.auto_now or field.auto_now_add)


def remember(obj, fields, connection):
    """Prepare `obj`'s values of `fields` for `connection` and keep them on it."""
    known = {}
    for field in fields:
        if not _plain(field):
            continue
        value = field.value_from_object(obj)
        if isinstance(value, IMMUTABLE):
            known[field.attname] = (value, field.get_db_prep_save(value, connection))
    obj.__dict__[KNOWN] = known


def row(fields, obj, connection):
    """`obj`'s values of `fields` prepared for `connection`: those kept by
    `remember` while the field holds the very value they were prepared from,
    the others prepared here."""
    known = obj.__dict__.get(KNOWN)
    if not known:
        return [f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields]
    names, read = _reader(tuple(fields))
    values = []
    for field, name, value in zip(fields, names, read(obj), strict=True):
        kept = known.get(name)
        # The very object: an equal one may prepare differently (a datetime
        # differing only in `fold` is another instant; -0.0, Decimal("1.00")).
        # Pickling keeps the two one object, from the worker to here.
        if kept is not None and kept[0] is value:
            values.append(kept[1])
        else:
            values.append(field.get_db_prep_save(field.pre_save(obj, True), connection))
    return values


@functools.cache
def _reader(fields):
    """The fields' attribute names, and a function reading them all at once
    (what `value_from_object` reads, one call per object instead of one per
    field)."""
    names = tuple(field.attname for field in fields)
    read = operator.attrgetter(*names)
    return names, (read if len(names) > 1 else lambda obj: (read(obj),))
