"""A field the public forms share (refused posts are offered back by resend.py)."""

from django import forms

BIGINT = 2**63


class IdsChoiceField(forms.ModelMultipleChoiceField):
    """Ticked ids, refusing numbers no database id can be before asking the
    database (SQLite raises OverflowError on them, which would be a 500)."""

    def clean(self, value):
        for item in value if isinstance(value, list | tuple) else ():
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
        return super().clean(value)
