"""Who must give a second factor, and who has one.

Editors' accounts sign the newsroom's name, so a site owner can require a
second factor (a TOTP code from an authenticator app) of the groups named in
ADMIN_2FA_GROUPS and of superusers, with ADMIN_2FA_REQUIRED=1. Anyone else may
turn it on for their own account; once a device is set up it is always asked.
"""

import django_otp
from django.conf import settings


def required_for(user):
    """True when the site requires a second factor of this account."""
    if not settings.ADMIN_2FA_REQUIRED:
        return False
    return (
        user.is_superuser
        or user.groups.filter(name__in=settings.ADMIN_2FA_GROUPS).exists()
    )


def has_device(user):
    """True once the account has a confirmed authenticator."""
    return django_otp.user_has_device(user, confirmed=True)


def needs(user):
    """What a signed-in, not yet verified account must do: "verify", "enrol" or
    None (nothing: it may go on with its password alone)."""
    if has_device(user):
        return "verify"
    if required_for(user):
        return "enrol"
    return None
