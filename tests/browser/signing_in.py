"""Signing in through the admin's own form, as a person does."""

from django.contrib.auth import get_user_model
from django.urls import reverse

from portal.sign_in.two_factor import must_use_two_factor
from tests.factories import current_code, give_device

PASSWORD = "pw-12345"


def sign_in_through_form(page, base_url, username, password=PASSWORD):
    """
    Sign `username` in on the admin's sign-in page in `page`, typing the
    code of their authenticator app when they must use one (given one here
    if they have none), and wait for the admin's index.
    """
    user = get_user_model().objects.get(username=username)
    index = f"{base_url}{reverse('admin:index')}"
    page.goto(index)
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    if must_use_two_factor(user):
        page.get_by_label("Authentication code").fill(current_code(give_device(user)))
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(index)
