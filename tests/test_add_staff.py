"""Staff accounts in editorial roles, made from the command line."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def test_an_editor_account_is_staff_in_the_editors_group(monkeypatch):
    monkeypatch.setenv("PORTAL_STAFF_PASSWORD", "a long enough passphrase 7")
    call_command("add_staff", "anna", "--role", "editor", "--name", "Anna Berg")
    anna = get_user_model().objects.get(username="anna")
    assert anna.is_staff and not anna.is_superuser
    assert [group.name for group in anna.groups.all()] == ["Editors"]
    assert anna.get_full_name() == "Anna Berg"
    assert anna.check_password("a long enough passphrase 7")


def test_several_roles_can_be_given_at_once(monkeypatch):
    monkeypatch.setenv("PORTAL_STAFF_PASSWORD", "a long enough passphrase 7")
    call_command("add_staff", "ben", "--role", "publisher", "--role", "reviewer")
    ben = get_user_model().objects.get(username="ben")
    assert sorted(group.name for group in ben.groups.all()) == [
        "Medical reviewers",
        "Publishers",
    ]


def test_a_weak_password_is_refused_and_no_account_is_made(monkeypatch):
    monkeypatch.setenv("PORTAL_STAFF_PASSWORD", "password")
    with pytest.raises(CommandError, match="too common"):
        call_command("add_staff", "carl", "--role", "editor")
    assert not get_user_model().objects.filter(username="carl").exists()


def test_a_title_stays_with_the_first_name(monkeypatch):
    monkeypatch.setenv("PORTAL_STAFF_PASSWORD", "a long enough passphrase 7")
    call_command("add_staff", "paul", "--role", "reviewer", "--name", "Dr Paul Pub")
    paul = get_user_model().objects.get(username="paul")
    assert (paul.first_name, paul.last_name) == ("Dr Paul", "Pub")
    assert paul.get_full_name() == "Dr Paul Pub"
