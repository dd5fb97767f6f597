"""
Signing in to the admin: failed sign-ins locked out per account and per
client before any password is hashed, two-factor authentication for those
who must use it, and staff sessions that end.
"""

import time
from datetime import timedelta
from unittest import mock
from urllib.parse import parse_qs

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.hashers import MD5PasswordHasher
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db.models import F
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from articles.models import Article
from portal.sign_in import lockouts
from portal.sign_in import sessions as staff_sessions
from portal.sign_in.lockouts import RECHECK_SECONDS, forget_known_lockouts
from portal.sign_in.password_checks import password_check_slot
from tests.admin_pages import admin_form, change_url
from tests.factories import current_code, give_device, make_article
from tests.html import element, elements, text

pytestmark = pytest.mark.django_db

PASSWORD = "pw-12345"
LOCKED_OUT = (
    "There have been too many failed sign-ins for this account or from this "
    "network, so signing in is paused."
)
CODE_REQUIRED = "Type the authentication code your app shows for this account."
WRONG_CODE = "That authentication code is not right, or was used already"
BUSY = "Another sign-in is being checked at this moment: sign in again in a second."
SET_UP_TITLE = "Set up two-factor authentication"


def sign_in_form(
    username, password=PASSWORD, address="192.0.2.1", code="", client=None
):
    """The admin's sign-in form posted by the client at `address`."""
    client = client or Client()
    return client.post(
        reverse("admin:login"),
        {
            "username": username,
            "password": password,
            "otp_token": code,
            "next": reverse("admin:index"),
        },
        REMOTE_ADDR=address,
    )


def fail(username, times, address="192.0.2.1"):
    for __ in range(times):
        sign_in_form(username, "wrong password", address)


def is_signed_in(response):
    return response.status_code == 302 and response["Location"] == reverse(
        "admin:index"
    )


@pytest.fixture
def hashing():
    """Every password hash made or checked, counted."""
    with (
        mock.patch.object(
            MD5PasswordHasher,
            "verify",
            autospec=True,
            side_effect=MD5PasswordHasher.verify,
        ) as verify,
        mock.patch.object(
            MD5PasswordHasher,
            "encode",
            autospec=True,
            side_effect=MD5PasswordHasher.encode,
        ) as encode,
    ):
        yield lambda: verify.call_count + encode.call_count


# Limits on failed sign-ins


def test_account_is_locked_out_after_five_failures_from_different_clients(editor):
    for number in range(5):
        fail("eddie", 1, address=f"198.51.100.{number}")
    response = sign_in_form("eddie", address="203.0.113.9")
    assert response.status_code == 429
    assert LOCKED_OUT in text(response.content.decode())


def test_client_is_locked_out_after_five_failures_across_accounts(editor, publisher):
    fail("someone", 2)
    fail("pat", 2)
    fail("nobody-at-all", 1)
    response = sign_in_form("eddie")
    assert response.status_code == 429
    assert is_signed_in(sign_in_form("eddie", address="198.51.100.7"))


def test_four_failures_leave_the_right_password_accepted(editor):
    fail("eddie", 4)
    assert is_signed_in(sign_in_form("eddie"))


def test_a_success_resets_the_account_count(editor):
    fail("eddie", 4, address="198.51.100.1")
    assert is_signed_in(sign_in_form("eddie", address="198.51.100.2"))
    fail("eddie", 4, address="198.51.100.3")
    assert is_signed_in(sign_in_form("eddie", address="198.51.100.4"))


def test_locked_out_right_password_is_refused_without_hashing(editor, hashing):
    fail("eddie", 5)
    hashed_before = hashing()
    assert hashed_before >= 5
    response = sign_in_form("eddie", PASSWORD, address="198.51.100.8")
    assert response.status_code == 429
    assert hashing() == hashed_before


def test_a_sign_in_while_another_password_is_checked_waits_its_turn(editor, hashing):
    """
    While another process of the machine checks a password, a sign-in is
    not checked, nor counted as a failure, and the form asks to try again.
    """
    with password_check_slot() as free:
        assert free
        responses = [sign_in_form("eddie", "wrong password") for __ in range(6)]
        busy = sign_in_form("eddie")
    assert hashing() == 0
    for response in [*responses, busy]:
        assert response.status_code == 200
        assert BUSY in text(response.content.decode())
    assert not AccessAttempt.objects.exists()
    # The slot free again, the right password signs in.
    assert is_signed_in(sign_in_form("eddie"))


def test_a_client_signing_in_again_within_a_second_is_refused_unchecked(
    editor, settings, hashing
):
    settings.SIGN_IN_PACE_SECONDS = 1
    assert sign_in_form("eddie", "wrong password").status_code == 200
    hashed = hashing()
    too_soon = sign_in_form("eddie")
    assert too_soon.status_code == 429
    assert too_soon["Retry-After"] == "1"
    assert "wait 1 second and sign in again" in text(too_soon.content.decode())
    assert hashing() == hashed
    assert AccessAttempt.objects.get().failures_since_start == 1
    # Another client is let through; this one, a second later.
    assert is_signed_in(sign_in_form("eddie", address="198.51.100.3"))
    later = time.monotonic() + 1.1
    with mock.patch.object(lockouts.time, "monotonic", return_value=later):
        assert is_signed_in(sign_in_form("eddie"))


def test_lockout_page_says_when_to_try_again_and_who_can_unlock(editor):
    fail("eddie", 5)
    response = sign_in_form("eddie")
    assert response.status_code == 429
    assert response["Retry-After"] == "900"
    page = text(response.content.decode())
    assert "Try again in 15 minutes." in page
    assert "manage.py axes_reset_username" in page
    assert "manage.py axes_reset_ip" in page


def test_lockout_page_is_the_same_whether_or_not_the_account_exists(editor):
    fail("eddie", 5, address="198.51.100.1")
    fail("nobody-at-all", 5, address="198.51.100.2")
    known = sign_in_form("eddie", address="198.51.100.1")
    unknown = sign_in_form("nobody-at-all", address="198.51.100.2")
    assert known.status_code == unknown.status_code == 429
    assert known.content == unknown.content


def test_lockout_minutes_and_failures_come_from_settings(editor, settings):
    settings.AXES_FAILURE_LIMIT = 2
    settings.AXES_COOLOFF_TIME = settings.AXES_COOLOFF_TIME / 3
    fail("eddie", 2)
    response = sign_in_form("eddie")
    assert response.status_code == 429
    assert response["Retry-After"] == "300"
    assert "Try again in 5 minutes." in text(response.content.decode())


def test_lockout_page_gives_the_time_left(editor):
    fail("eddie", 5)
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=10))
    # Drawn by the sign-in view, then by the middleware that remembers it.
    for __ in range(2):
        response = sign_in_form("eddie")
        assert response.status_code == 429
        assert 295 <= int(response["Retry-After"]) <= 300
        assert "Try again in 5 minutes." in text(response.content.decode())


def test_lockout_ends_after_its_minutes(editor):
    fail("eddie", 5)
    assert sign_in_form("eddie").status_code == 429
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=16))
    # As RECHECK_SECONDS later, when the database is asked again.
    forget_known_lockouts()
    assert is_signed_in(sign_in_form("eddie"))


@pytest.mark.parametrize(
    "command, argument",
    [
        ("axes_reset_username", "eddie"),
        ("axes_reset_ip", "192.0.2.1"),
        ("axes_reset", None),
    ],
)
def test_documented_command_unlocks_at_once(editor, command, argument):
    fail("eddie", 5)
    assert sign_in_form("eddie").status_code == 429
    call_command(command, *([argument] if argument else []), stdout=mock.Mock())
    assert is_signed_in(sign_in_form("eddie"))


def test_lockout_found_is_answered_from_memory_until_checked_again(editor):
    fail("eddie", 5)
    assert sign_in_form("eddie").status_code == 429
    with mock.patch.object(AccessAttempt.objects, "filter") as asked:
        assert sign_in_form("eddie").status_code == 429
    assert asked.called is False
    later = time.monotonic() + RECHECK_SECONDS + 0.1
    with mock.patch("portal.sign_in.lockouts.time.monotonic", return_value=later):
        AccessAttempt.objects.all().update(failures_since_start=0)
        assert is_signed_in(sign_in_form("eddie"))


def test_client_whose_address_cannot_be_read_is_counted_and_locked_out(
    editor, settings
):
    settings.TRUSTED_PROXY_COUNT = 1
    statuses = [
        Client()
        .post(
            reverse("admin:login"),
            {"username": "eddie", "password": "wrong"},
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR="<script>",
        )
        .status_code
        for __ in range(6)
    ]
    assert statuses == [200, 200, 200, 200, 429, 429]


def test_client_behind_the_sites_proxy_is_counted_by_its_forwarded_address(
    editor, settings
):
    settings.TRUSTED_PROXY_COUNT = 1
    for __ in range(5):
        Client().post(
            reverse("admin:login"),
            {"username": "x", "password": "wrong"},
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR="198.51.100.66",
        )
    other_client = Client().post(
        reverse("admin:login"),
        {"username": "eddie", "password": PASSWORD, "next": reverse("admin:index")},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="198.51.100.67",
    )
    assert is_signed_in(other_client)


# Two-factor authentication


def test_publisher_with_a_device_is_not_signed_in_by_the_password_alone(publisher):
    give_device(publisher)
    response = sign_in_form("pat")
    assert response.status_code == 200
    assert CODE_REQUIRED in text(response.content.decode())
    assert "_auth_user_id" not in response.wsgi_request.session


def test_publisher_with_the_code_reaches_the_admin(publisher):
    device = give_device(publisher)
    client = Client()
    assert is_signed_in(sign_in_form("pat", code=current_code(device), client=client))
    assert client.get(reverse("admin:index")).status_code == 200


def test_wrong_code_is_refused(publisher):
    device = give_device(publisher)
    wrong = f"{(int(current_code(device)) + 1) % 1_000_000:06d}"
    response = sign_in_form("pat", code=wrong)
    assert response.status_code == 200
    assert WRONG_CODE in text(response.content.decode())


def test_wrong_codes_are_slowed_by_the_devices_throttle(publisher):
    device = give_device(publisher)
    wrong = f"{(int(current_code(device)) + 1) % 1_000_000:06d}"
    sign_in_form("pat", code=wrong)
    response = sign_in_form("pat", code=current_code(device))
    assert response.status_code == 200
    assert "Too many wrong codes" in text(response.content.decode())


def test_sign_in_page_has_the_authentication_code_field(client):
    page = client.get(reverse("admin:login")).content.decode()
    field = element(page, "input", name="otp_token")
    assert element(page, "label", for_=field.attrs["id"]).text == (
        "Authentication code:"
    )


def test_publisher_without_a_device_is_sent_to_set_one_up(publisher):
    client = Client()
    assert is_signed_in(sign_in_form("pat", client=client))
    for address in (
        reverse("admin:index"),
        reverse("admin:articles_article_changelist"),
    ):
        response = client.get(address)
        assert response.status_code == 302
        assert response["Location"] == reverse("admin:two-factor")


def test_set_up_page_draws_the_qr_code_as_svg_without_styles_or_scripts(publisher):
    client = Client()
    sign_in_form("pat", client=client)
    response = client.get(reverse("admin:two-factor"))
    page = response.content.decode()
    assert element(page, "h1").text == SET_UP_TITLE
    qr_code = element(page, "div", class_="two-factor-qr-code")
    assert element(element(qr_code, "svg"), "path")
    assert (
        "style="
        not in page.split('class="two-factor-qr-code"', 1)[1].split("</svg>", 1)[0]
    )
    assert not [
        script for script in elements(page, "script") if not script.attrs.get("src")
    ]
    device = TOTPDevice.objects.get(user=publisher)
    secret = element(page, "code", class_="two-factor-secret").text
    assert len(secret.replace(" ", "")) == 32
    assert device.confirmed is False


def test_confirming_a_code_sets_up_the_device_and_opens_the_admin(publisher):
    client = Client()
    sign_in_form("pat", client=client)
    client.get(reverse("admin:two-factor"))
    device = TOTPDevice.objects.get(user=publisher)
    wrong = client.post(reverse("admin:two-factor"), {"otp_token": "12"})
    assert wrong.status_code == 200
    assert WRONG_CODE in text(wrong.content.decode())
    # Without waiting out the second that a wrong code costs.
    device.refresh_from_db()
    device.throttle_reset()
    response = client.post(
        reverse("admin:two-factor"), {"otp_token": current_code(device)}
    )
    assert response.status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200
    device.refresh_from_db()
    assert device.confirmed is True
    page = client.get(reverse("admin:two-factor")).content.decode()
    assert element(page, "h1").text == "Two-factor authentication"


def test_editor_without_a_device_signs_in_with_the_password(editor):
    client = Client()
    assert is_signed_in(sign_in_form("eddie", client=client))
    page = client.get(reverse("admin:index"))
    assert page.status_code == 200
    assert element(
        page.content.decode(), "a", href=reverse("admin:two-factor")
    ).text == ("Two-factor authentication")


def test_editor_who_set_up_a_device_must_give_its_code(editor):
    device = give_device(editor)
    assert sign_in_form("eddie").status_code == 200
    assert is_signed_in(sign_in_form("eddie", code=current_code(device)))


def test_every_staff_member_must_use_it_when_the_groups_say_so(editor, settings):
    settings.TWO_FACTOR_GROUPS = ["*"]
    client = Client()
    sign_in_form("eddie", client=client)
    response = client.get(reverse("admin:index"))
    assert response["Location"] == reverse("admin:two-factor")


def test_superuser_signed_in_without_a_code_is_not_let_in(client, admin_user):
    give_device(admin_user)
    client.force_login(admin_user)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_removing_devices_sends_the_user_to_set_up_again(publisher):
    give_device(publisher)
    out = mock.Mock()
    call_command("remove_two_factor", "pat", stdout=out)
    assert "Removed 1 device of pat" in out.write.call_args.args[0]
    client = Client()
    assert is_signed_in(sign_in_form("pat", client=client))
    assert client.get(reverse("admin:index"))["Location"] == reverse("admin:two-factor")


@pytest.mark.parametrize(
    "elsewhere", ["https://evil.example/", "//evil.example/", "javascript:alert(1)"]
)
def test_sign_in_sent_elsewhere_lands_in_the_admin(editor, elsewhere):
    response = Client().post(
        reverse("admin:login"),
        {"username": "eddie", "password": PASSWORD, "next": elsewhere},
        REMOTE_ADDR="192.0.2.1",
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")


# Sessions


def hours_later(hours):
    return mock.patch.object(
        staff_sessions.time, "time", return_value=time.time() + hours * 60 * 60
    )


def test_session_cookie_ends_with_the_browser(editor):
    response = sign_in_form("eddie")
    cookie = response.cookies["sessionid"]
    assert cookie["max-age"] == ""
    assert cookie["expires"] == ""


def test_session_ends_eight_hours_after_signing_in_with_a_message(editor):
    client = Client()
    sign_in_form("eddie", client=client)
    with hours_later(7.9):
        assert client.get(reverse("admin:index")).status_code == 200
    with hours_later(8.1):
        response = client.get(reverse("admin:index"), follow=True)
    assert response.request["PATH_INFO"] == reverse("admin:login")
    assert "You were signed out: a session ends 8 hours after signing in." in text(
        response.content.decode()
    )
    assert client.get(reverse("admin:index")).status_code == 302


def test_ended_session_returns_to_the_page_with_its_whole_query(editor):
    client = Client()
    sign_in_form("eddie", client=client)
    changelist = reverse("admin:articles_article_changelist")
    with hours_later(8.1):
        response = client.get(f"{changelist}?status__exact=draft&o=1")
    assert response.status_code == 302
    sign_in_page, query = response["Location"].split("?")
    assert sign_in_page == reverse("admin:login")
    assert parse_qs(query) == {"next": [f"{changelist}?status__exact=draft&o=1"]}


def test_save_after_the_session_ended_keeps_the_text_and_saves_on_signing_in(
    editor,
):
    article = make_article(title="Fatigue", status=Article.Status.DRAFT)
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    data = admin_form(client, change_url(article))
    data.update(body="Tiredness is common.\n\n“Brain fog” too.", _save="Save")
    with hours_later(9):
        response = client.post(change_url(article), data)
    assert response.status_code == 401
    page = response.content.decode()
    assert "Nothing was saved" in text(page)
    assert "“Brain fog” too." in text(page)
    article.refresh_from_db()
    assert "Brain fog" not in article.body
    resend = element(page, "form", id="resend-form")
    posted = {}
    for field in elements(resend, "input"):
        if field.attrs.get("name") and field.attrs.get("type") != "submit":
            posted.setdefault(field.attrs["name"], []).append(
                field.attrs.get("value", "")
            )
    assert posted["body"] == [data["body"]]
    assert "_sign_in-password" in posted
    posted.update({"_sign_in-username": ["eddie"], "_sign_in-password": [PASSWORD]})
    saved = client.post(change_url(article), posted)
    assert saved.status_code == 302
    article.refresh_from_db()
    assert "“Brain fog” too." in article.body


def test_save_after_the_session_ended_with_a_wrong_password_keeps_the_form(editor):
    article = make_article(title="Fatigue", status=Article.Status.DRAFT)
    client = Client()
    sign_in_form("eddie", client=client)
    data = admin_form(client, change_url(article))
    data.update(body="Brain fog.", _save="Save")
    with hours_later(9):
        client.post(change_url(article), data)
    data.update({"_sign_in-username": "eddie", "_sign_in-password": "wrong"})
    response = client.post(change_url(article), data)
    assert response.status_code == 401
    page = response.content.decode()
    assert "Please enter the correct username and password" in text(page)
    assert "Brain fog." in text(page)
    assert "wrong" not in [
        field.attrs.get("value") for field in elements(page, "input")
    ]


# The admin's address


@pytest.mark.urls("tests.urls_admin_elsewhere")
def test_moved_admin_answers_at_its_address_and_admin_is_not_found(client, editor):
    assert reverse("admin:index") == "/staff-door/"
    assert client.get("/admin/").status_code == 404
    assert client.get("/admin/login/").status_code == 404
    response = client.get("/staff-door/")
    assert response["Location"] == "/staff-door/login/?next=/staff-door/"
    signed_in = sign_in_form("eddie", client=client)
    assert signed_in["Location"] == "/staff-door/"
    assert client.get("/staff-door/").status_code == 200
    # Not given away to whoever reads robots.txt.
    robots = client.get("/robots.txt").content.decode()
    assert "staff-door" not in robots
    assert "Disallow: /search/" in robots


# Passwords


def test_admin_user_form_refuses_common_and_short_passwords(admin_client):
    add_user = reverse("admin:auth_user_add")
    for password, message in (
        ("password", "This password is too common."),
        ("Zq7#x", "This password is too short. It must contain at least 8 characters."),
    ):
        data = admin_form(admin_client, add_user)
        data.update(
            username="newcomer",
            password1=password,
            password2=password,
            usable_password="true",
            _save="Save",
        )
        response = admin_client.post(add_user, data)
        assert response.status_code == 200
        assert message in text(response.content.decode())
    assert not User.objects.filter(username="newcomer").exists()


# New accounts


@pytest.mark.parametrize("make", ["add_staff", "createsuperuser"])
def test_new_administrator_is_led_through_set_up_to_a_working_admin(
    roles, monkeypatch, make
):
    monkeypatch.setenv("PORTAL_STAFF_PASSWORD", "a long enough passphrase 7")
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "a long enough passphrase 7")
    out = mock.Mock()
    if make == "add_staff":
        call_command("add_staff", "newcomer", "--role", "publisher", stdout=out)
        said = " ".join(call.args[0] for call in out.write.call_args_list)
        assert "They set up two-factor authentication" in said
    else:
        call_command(
            "createsuperuser",
            "--no-input",
            "--username",
            "newcomer",
            "--email",
            "n@example.org",
            stdout=out,
        )
    client = Client()
    signed_in = sign_in_form("newcomer", "a long enough passphrase 7", client=client)
    assert is_signed_in(signed_in)
    set_up = client.get(reverse("admin:index"), follow=True)
    assert element(set_up.content.decode(), "h1").text == SET_UP_TITLE
    device = TOTPDevice.objects.get(user__username="newcomer")
    client.post(reverse("admin:two-factor"), {"otp_token": current_code(device)})
    assert client.get(reverse("admin:index")).status_code == 200


def test_signing_in_again_over_an_ended_session_signs_in(editor):
    client = Client()
    sign_in_form("eddie", client=client)
    with hours_later(9):
        assert is_signed_in(sign_in_form("eddie", client=client))
        assert client.get(reverse("admin:index")).status_code == 200


def test_page_after_the_session_ended_never_holds_a_password(editor):
    client = Client()
    sign_in_form("eddie", client=client)
    with hours_later(9):
        response = client.post(
            reverse("admin:auth_user_password_change", args=[editor.pk]),
            {"password1": "typed-secret-1", "password2": "typed-secret-1"},
        )
    assert response.status_code == 401
    assert "typed-secret-1" not in response.content.decode()
