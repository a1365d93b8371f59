"""Values worked out from an object's fields, kept on the object while those
fields are unchanged (an import works its articles' texts out ahead, in a
worker process: importers/prepare.py). A value is only ever returned for the
very field values it was made from, so a changed object works it out again."""


def remember(obj, name, parts, value):
    """Keep `value`, made from the field values `parts`, on `obj` as `name`."""
    obj.__dict__[name] = (parts, value)


def recall(obj, name, parts):
    """The value kept as `name` if it was made from `parts`, else None."""
    known = obj.__dict__.get(name)
    if known is not None and known[0] == parts:
        return known[1]
    return None
