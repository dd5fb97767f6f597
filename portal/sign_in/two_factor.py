"""
Two-factor authentication for the admin: who must use it, the one
authenticator-app (TOTP) device each person sets up, and the QR code that
carries it to the app.

A code is asked for at every sign-in of anyone with a confirmed device.
Superusers and members of the groups named by PORTAL_TWO_FACTOR_GROUPS
must have one: they sign in with their password first and are sent to set
one up before any other admin page. Guessing codes is slowed by
django-otp's throttling: each wrong code doubles the wait before the
device accepts another (1, 2, 4... seconds).
"""

from base64 import b32encode

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.utils.safestring import mark_safe
from django_otp.plugins.otp_totp.models import TOTPDevice

ALL_STAFF = "*"
DEVICE_NAME = "Authenticator app"


def must_use_two_factor(user):
    """Whether `user` may reach the admin only after giving a code."""
    groups = settings.TWO_FACTOR_GROUPS
    return bool(
        user.is_superuser
        or (ALL_STAFF in groups and user.is_staff)
        or user.groups.filter(name__in=groups).exists()
    )


def confirmed_device(user):
    """The device `user` gives codes from, or None before one is set up."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def device_to_confirm(user):
    """
    The device being set up: made unconfirmed on the first visit to the
    set-up page and kept, so that reloading the page shows the same code to
    scan.
    """
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(
        user=user, name=DEVICE_NAME, confirmed=False
    )


def remove_devices(user):
    """
    Delete every device of `user` (a phone lost or replaced); they set one
    up again at their next sign-in. Returns how many were removed.
    """
    removed, __ = TOTPDevice.objects.filter(user=user).delete()
    return removed


def needs_set_up(request):
    """
    Whether the signed-in person must use two-factor authentication and has
    no device yet, so that every admin page but sign-out and the set-up page
    sends them to set one up.
    """
    user = request.user
    return (
        user.is_authenticated
        and user.is_active
        and user.is_staff
        and not user.is_verified()
        and must_use_two_factor(user)
        and confirmed_device(user) is None
    )


def secret_for_typing(device):
    """The device's key in base32, as apps take it typed, in groups of four."""
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[start : start + 4] for start in range(0, len(secret), 4))


def qr_code_svg(device):
    """
    The QR code an authenticator app scans, as inline SVG markup: drawn on
    the server, with no style attribute or script, so that it shows under a
    Content-Security-Policy that allows neither inline. Dark modules on a
    white square of its own, so that it scans in the admin's dark theme.
    """
    image = qrcode.make(
        device.config_url, image_factory=qrcode.image.svg.SvgPathFillImage
    )
    # qrcode's own markup: a rectangle and a path of numbers; none of the
    # encoded text (the username) is written into it.
    return mark_safe(image.to_string(encoding="unicode"))
