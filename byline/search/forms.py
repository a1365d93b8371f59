"""The search form: the query and every filter, validated like any other input."""

from django import forms
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext_lazy as _

from byline.core.params import day_after
from byline.core.privacy import public
from byline.news.models import Author, SectionPage, TypeOfWork


class SearchForm(forms.Form):
    q = forms.CharField(required=False, max_length=5000, label=_("Search for"))
    section = forms.ModelChoiceField(
        queryset=SectionPage.objects.none(),  # public sections, set per form
        to_field_name="slug",
        required=False,
        label=_("Section"),
        empty_label=_("All sections"),
    )
    type = forms.ChoiceField(
        choices=[("", _("All kinds"))] + list(TypeOfWork.choices),
        required=False,
        label=_("Kind of article"),
    )
    author = forms.ModelChoiceField(
        queryset=Author.objects.all(),
        to_field_name="slug",
        required=False,
        label=_("Author"),
        empty_label=_("Any author"),
    )
    date_from = forms.DateField(
        required=False, label=_("From"), widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        required=False, label=_("To"), widget=forms.DateInput(attrs={"type": "date"})
    )
    sort = forms.ChoiceField(
        choices=[("", _("Best match")), ("newest", _("Newest first"))],
        required=False,
        label=_("Sort by"),
    )
    # Set by the "Search instead for …" link: the words as typed, uncorrected.
    exact = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Read per form: a private section is neither offered nor accepted.
        self.fields["section"].queryset = public(SectionPage.objects.live()).order_by(
            "path"
        )

    def filters(self):
        """Return the engine's filter arguments from the fields that are valid."""
        data = {
            name: self.cleaned_data.get(name)
            for name in self.fields
            if name not in self.errors
        }
        return {
            "section": data["section"].pk if data.get("section") else None,
            "type_of_work": data.get("type") or None,
            "author": data["author"].pk if data.get("author") else None,
            "date_from": data.get("date_from"),
            # "To 3 May" includes everything published on 3 May (and "To
            # 31 December 9999", which has no day after, everything).
            "date_to": day_after(data.get("date_to")),
            "order": data.get("sort") or "relevance",
            "exact": bool(data.get("exact")),
        }

    def active_filters(self, request):
        """Return (label, url without that filter) for each filter the reader set."""
        labels = {
            "section": lambda v: _("Section: %(section)s") % {"section": v.title},
            "type": lambda v: _("Kind: %(kind)s") % {"kind": TypeOfWork(v).label},
            "author": lambda v: _("By %(author)s") % {"author": v.name},
            "date_from": lambda v: _("From %(date)s") % {"date": day(v)},
            "date_to": lambda v: _("To %(date)s") % {"date": day(v)},
            "sort": lambda v: _("Newest first"),
        }
        active = []
        for name, label in labels.items():
            value = self.cleaned_data.get(name) if name not in self.errors else None
            if value:
                params = request.GET.copy()
                params.pop(name, None)
                params.pop("page", None)
                active.append((label(value), "?" + params.urlencode()))
        return active


def day(value):
    """A day as filters name it, in the site's language ("5 Dec 2026")."""
    return date_format(value, "j M Y")
