"""The admin's sign-in form, with its code, and the form that confirms a
new authenticator app."""

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError

from portal.sign_in.password_checks import password_check_slot
from portal.sign_in.two_factor import confirmed_device

CODE_WIDGET = forms.TextInput(
    attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "size": 8}
)
WAIT_MESSAGE = (
    "Too many wrong codes: wait a few seconds before trying again. "
    "Each wrong code makes the wait longer."
)
BUSY_MESSAGE = (
    "Another sign-in is being checked at this moment: sign in again in a "
    "second. Your password was not checked."
)
WRONG_CODE_MESSAGE = (
    "That authentication code is not right, or was used already: type the "
    "code your app shows now."
)


def check_code(device, code):
    """
    Raise ValidationError unless `code` is the device's current code. A
    device that met wrong codes lately refuses every code for a while
    (django-otp's throttling), so codes cannot be guessed quickly.
    """
    allowed, __ = device.verify_is_allowed()
    if not allowed:
        raise ValidationError(WAIT_MESSAGE, code="throttled")
    if not device.verify_token(code):
        raise ValidationError(WRONG_CODE_MESSAGE, code="invalid_code")


class AdminSignInForm(AdminAuthenticationForm):
    """
    Username, password and, for whoever has set up an authenticator app,
    its code. The code is checked only once the password is right, and a
    right one marks the session as verified (django-otp's login signal).
    """

    otp_token = forms.CharField(
        label="Authentication code",
        required=False,
        strip=True,
        max_length=12,
        widget=CODE_WIDGET,
        help_text="From your authenticator app, if you have set one up.",
    )

    def clean(self):
        # The password is checked only while this machine checks no other
        # (portal/sign_in/password_checks.py); a sign-in that finds another being
        # checked is not counted as a failure.
        with password_check_slot() as free:
            if not free:
                raise ValidationError(BUSY_MESSAGE, code="busy")
            cleaned_data = super().clean()
        user = self.get_user()
        device = confirmed_device(user) if user else None
        if device is not None:
            code = cleaned_data.get("otp_token")
            if not code:
                raise ValidationError(
                    "Type the authentication code your app shows for this account.",
                    code="code_required",
                )
            check_code(device, code)
            user.otp_device = device
        return cleaned_data


class ConfirmDeviceForm(forms.Form):
    """The first code of a new authenticator app, proving it was set up."""

    otp_token = forms.CharField(
        label="Authentication code", max_length=12, widget=CODE_WIDGET
    )

    def __init__(self, *args, device, **kwargs):
        super().__init__(*args, **kwargs)
        self.device = device

    def clean_otp_token(self):
        code = self.cleaned_data["otp_token"]
        check_code(self.device, code)
        return code
