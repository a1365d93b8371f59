"""The second sign-in step: give a code, or set up an authenticator first.

Both pages come after the password (Wagtail's sign-in, where django-axes locks
out repeated failures). Wrong codes are slowed down by django-otp's throttling
(each failure doubles the wait), and an accepted code cannot be used again.
"""

import django_otp
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from byline.twofactor import devices, policy
from byline.twofactor.forms import CodeForm


def _next(request):
    """Where to go after this step: a page of this site, else the admin."""
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("wagtailadmin_home")


@never_cache
@sensitive_post_parameters("code")
@require_http_methods(["GET", "POST"])
def verify(request):
    user = request.user
    if user.is_verified() or not policy.has_device(user):
        return redirect(_next(request))
    form = CodeForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        device, refusal = devices.check(
            devices.confirmed(user), form.cleaned_data["code"]
        )
        if device is not None:
            django_otp.login(request, device)
            return redirect(_next(request))
        form.add_error("code", refusal)
    return render(
        request,
        "twofactor/verify.html",
        {"form": form, "next": _next(request)},
        status=400 if form.errors else 200,
    )


@never_cache
@sensitive_post_parameters("code")
@require_http_methods(["GET", "POST"])
def enrol(request):
    """Set up an authenticator app; once it is on, show that (and let an account
    the site does not require it of turn it off)."""
    user = request.user
    if policy.has_device(user):
        if not user.is_verified():
            return redirect_to_login(
                request.get_full_path(), reverse("twofactor_verify")
            )
        return _turned_on(request)
    device = devices.pending(user)
    form = CodeForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        accepted, refusal = devices.check([device], form.cleaned_data["code"])
        if accepted is not None:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            django_otp.login(request, device)
            messages.success(request, "Two-factor sign-in is on for your account.")
            return redirect(_next(request))
        form.add_error("code", refusal)
    return render(
        request,
        "twofactor/enrol.html",
        {
            "form": form,
            "next": _next(request),
            "required": policy.required_for(user),
            "qr_code": devices.qr_code_data_uri(device),
            "secret": devices.secret_text(device),
        },
        status=400 if form.errors else 200,
    )


def _turned_on(request):
    required = policy.required_for(request.user)
    if request.method == "POST" and request.POST.get("turn_off") and not required:
        devices.remove_all(request.user)
        messages.success(request, "Two-factor sign-in is off for your account.")
        return redirect("wagtailadmin_home")
    return render(request, "twofactor/on.html", {"required": required})
