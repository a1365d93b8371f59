"""What the public forms share: a field, and the posted fields of a refused post."""

from django import forms

BIGINT = 2**63


class IdsChoiceField(forms.ModelMultipleChoiceField):
    """Ticked ids, refusing numbers no database id can be before asking the
    database (SQLite raises OverflowError on them, which would be a 500)."""

    def _check_values(self, value):
        for item in value:
            try:
                number = int(str(item).strip())
            except ValueError:
                continue  # Django's own check names it invalid
            if not -BIGINT <= number < BIGINT:
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": item},
                )
        return super()._check_values(value)


def posted_fields(request):
    """What a reader posted, as (name, value) pairs, to offer back when a post
    is refused (rate limit, CSRF, database outage) so nothing typed is lost."""
    if request.method != "POST":
        return []
    try:
        return [
            (name, value)
            for name, values in request.POST.lists()
            if name != "csrfmiddlewaretoken"
            for value in values
        ]
    except Exception:  # an unreadable body is not worth a second error
        return []
