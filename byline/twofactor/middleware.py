"""Hold a password-only session at the second factor until it is given.

Installed after django-otp's OTPMiddleware, which marks `request.user` as
verified once a code was accepted in this session. Until then an account that
has a device (or must have one) reaches only the pages that let it give the
code, set up a device or sign out; everything else, the admin included,
redirects there and comes back afterwards.
"""

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.urls import Resolver404, resolve, reverse

from byline.twofactor import policy

# Pages a half-signed-in account may see: the steps, and what they are drawn with.
OPEN_URL_NAMES = {
    "wagtailadmin_login",
    "wagtailadmin_logout",
    "wagtailadmin_javascript_catalog",
    "wagtailadmin_sprite",
    "twofactor_verify",
    "twofactor_enrol",
}
STEP_URL_NAMES = {"verify": "twofactor_verify", "enrol": "twofactor_enrol"}


class SecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Readers without a session are never signed in: no work, and the
        # session is not touched (which would add `Vary: Cookie`).
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            step = self._step(request)
            if step is not None:
                return redirect_to_login(
                    request.get_full_path(), reverse(STEP_URL_NAMES[step])
                )
        return self.get_response(request)

    def _step(self, request):
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        try:
            if resolve(request.path_info).url_name in OPEN_URL_NAMES:
                return None
        except Resolver404:
            pass
        return policy.needs(user)
