"""Subscribers in the admin: list, filter, edit, export as CSV."""

import django_filters
from wagtail.admin.filters import WagtailFilterSet
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from byline.newsletter.models import Frequency, Subscriber


class SubscriberFilterSet(WagtailFilterSet):
    frequency = django_filters.ChoiceFilter(choices=Frequency.choices)
    confirmed = django_filters.BooleanFilter(
        field_name="confirmed", lookup_expr="isnull", exclude=True, label="Confirmed"
    )
    unsubscribed = django_filters.BooleanFilter(
        field_name="unsubscribed",
        lookup_expr="isnull",
        exclude=True,
        label="Unsubscribed",
    )

    class Meta:
        model = Subscriber
        fields = ["frequency"]


class SubscriberViewSet(SnippetViewSet):
    model = Subscriber
    icon = "mail"
    menu_label = "Subscribers"
    menu_order = 310
    add_to_admin_menu = True
    list_display = ["email", "frequency", "status", "created"]
    list_export = [
        "email",
        "frequency",
        "status",
        "created",
        "confirmed",
        "unsubscribed",
    ]
    export_filename = "newsletter-subscribers"
    search_fields = ["email"]
    filterset_class = SubscriberFilterSet


register_snippet(SubscriberViewSet)
