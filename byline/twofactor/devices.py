"""Authenticator devices (django-otp's TOTP): set up, check, show, remove."""

import base64
import io
import math
from base64 import b32encode

import django_otp
import segno
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

DEVICE_NAME = "Authenticator app"


def pending(user):
    """The account's device being set up (made once, so the secret shown stays
    the same until a code confirms it)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def check(candidates, code):
    """(the device that accepts `code`, None), or (None, why it was refused).

    A device still waiting out earlier wrong codes is not asked at all, and the
    refusal says how long to wait."""
    waits = []
    for device in candidates:
        allowed, details = device.verify_is_allowed()
        if not allowed:
            locked_until = (details or {}).get("locked_until")
            if locked_until:
                waits.append((locked_until - timezone.now()).total_seconds())
            continue
        if device.verify_token(code):
            return device, None
    if waits:
        seconds = max(1, math.ceil(min(waits)))
        return None, (
            f"Too many wrong codes: wait {seconds} s, then enter the newest code."
        )
    return None, (
        "That code is not right, or was used already. "
        "Enter the code your app shows now (it changes every 30 seconds)."
    )


def confirmed(user):
    return list(django_otp.devices_for_user(user, confirmed=True))


def secret_text(device):
    """The secret as people type it into an app: base32 in groups of four."""
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_code_data_uri(device):
    """The device's otpauth:// address as a QR code, an SVG made here (no
    network), as a data: address for an <img>."""
    svg = io.BytesIO()
    segno.make(device.config_url, error="m").save(
        svg, kind="svg", scale=5, border=2, xmldecl=False
    )
    return "data:image/svg+xml;base64," + base64.b64encode(svg.getvalue()).decode()


def remove_all(user):
    return TOTPDevice.objects.filter(user=user).delete()[0]
