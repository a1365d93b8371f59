from django import forms
from django.utils.translation import gettext_lazy as _

from byline.comments import defences
from byline.comments.models import Comment, Report


class CommentForm(forms.Form):
    name = forms.CharField(max_length=80, required=False)
    email = forms.EmailField(
        max_length=254,
        required=False,
        help_text=_("Never shown. We use it only to reach you about your comment."),
    )
    text = forms.CharField(
        label=_("Comment"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    notify = forms.ChoiceField(
        label=_("Notify me of"),
        required=False,
        choices=[
            ("", _("Nothing")),
            ("replies", _("Replies to my comment")),
            ("article", _("All new comments on this article")),
        ],
    )
    remember = forms.BooleanField(
        required=False,
        label=_("Save my name and email in this browser for the next time I comment."),
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)
    quote = forms.CharField(required=False, max_length=1000, widget=forms.HiddenInput)
    quote_prefix = forms.CharField(
        required=False, max_length=100, widget=forms.HiddenInput
    )
    quote_suffix = forms.CharField(
        required=False, max_length=100, widget=forms.HiddenInput
    )
    # Left empty by people (it is hidden from them); filled in by many bots.
    website = forms.CharField(required=False, label=_("Leave this field empty"))
    ts = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if user is None or not user.is_authenticated:
            self.fields["name"].required = True
            self.fields["email"].required = True
        else:
            del self.fields["name"]
            del self.fields["email"]
            del self.fields["remember"]
        if not self.is_bound:
            self.initial["ts"] = defences.form_token()

    def clean_text(self):
        text = self.cleaned_data["text"].strip()
        if not text:
            raise forms.ValidationError(_("Write something first."))
        return text

    def clean(self):
        data = super().clean()
        if data.get("website"):
            raise forms.ValidationError(
                _(
                    "This looks automated. If you are a person, clear the field marked "
                    "'Leave this field empty' and send again."
                )
            )
        elapsed = defences.seconds_since_served(data.get("ts"))
        if elapsed is None:
            raise forms.ValidationError(
                _("This form has expired. Your comment is still here: send it again.")
            )
        if elapsed < defences.MIN_SECONDS:
            raise forms.ValidationError(
                _("That was quicker than anyone reads. Wait a moment and send again.")
            )
        return data


class SubscribeForm(forms.Form):
    email = forms.EmailField(max_length=254)
    website = forms.CharField(required=False)

    def clean(self):
        data = super().clean()
        if data.get("website"):
            raise forms.ValidationError(_("This looks automated."))
        return data


class EmailForm(forms.Form):
    email = forms.EmailField(max_length=254)


class EditForm(forms.Form):
    text = forms.CharField(
        label=_("Comment"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6})
    )


class ReportForm(forms.Form):
    reason = forms.ChoiceField(choices=Report.Reason.choices)
    details = forms.CharField(max_length=500, required=False)


SORTS = {
    "oldest": (_("Oldest first"), ["-featured", "created", "pk"]),
    "newest": (_("Newest first"), ["-featured", "-created", "-pk"]),
    "votes": (_("Most voted"), ["-featured", "-score", "-created", "-pk"]),
}
DEFAULT_SORT = "oldest"


def sort_key(value):
    return value if value in SORTS else DEFAULT_SORT


__all__ = ["CommentForm", "EditForm", "ReportForm", "SORTS", "Comment"]


def limits():
    """The comment form's limits, for the markup that draws the empty form
    without building one (comments/form.html's `maxlength`): written once, on
    the form's fields."""
    return {
        name: field.max_length
        for name, field in CommentForm.base_fields.items()
        if getattr(field, "max_length", None)
    }
