from django.urls import path, reverse
from wagtail import hooks

from byline.twofactor import policy, views


@hooks.register("register_admin_urls")
def urls():
    return [
        path("two-factor/", views.enrol, name="twofactor_enrol"),
        path("two-factor/verify/", views.verify, name="twofactor_verify"),
    ]


@hooks.register("register_account_menu_item")
def account_menu_item(request):
    on = policy.has_device(request.user)
    return {
        "url": reverse("twofactor_enrol"),
        "label": "Two-factor sign-in",
        "help_text": (
            "On: each sign-in asks for a code from your authenticator app."
            if on
            else "Ask for a code from an authenticator app at each sign-in."
        ),
    }
