"""
`manage.py add_staff NAME --role editor`: an admin account in one of the
editorial roles, so a new site needs no superuser for everyday editing.
"""

import getpass
import os

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from portal.sign_in.two_factor import must_use_two_factor

# Role names people type, and the groups the roles migration creates.
ROLE_GROUPS = {
    "editor": "Editors",
    "publisher": "Publishers",
    "reviewer": "Medical reviewers",
}
PASSWORD_VARIABLE = "PORTAL_STAFF_PASSWORD"


class Command(BaseCommand):
    help = (
        "Create or update a staff account and put it in an editorial role. "
        f"The password is asked for, or read from {PASSWORD_VARIABLE}."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument(
            "--role",
            action="append",
            choices=sorted(ROLE_GROUPS),
            required=True,
            help="editor, publisher or reviewer; repeat for several roles.",
        )
        parser.add_argument("--email", default="")
        parser.add_argument(
            "--name", default="", help='Full name readers and editors see: "Anna Berg".'
        )

    def handle(self, username, role, email, name, **options):
        groups = self.groups(role)
        user_model = get_user_model()
        user = user_model.objects.filter(username=username).first()
        user = user or user_model(username=username)
        user.is_staff = True
        if email:
            user.email = email
        if name:
            # The family name is the last word; the rest, titles included
            # ("Dr Paul"), is what the admin greets.
            user.first_name, _, user.last_name = name.strip().rpartition(" ")
            if not user.first_name:
                user.first_name, user.last_name = user.last_name, ""
        password = self.password(user)
        with transaction.atomic():
            if password is not None:
                user.set_password(password)
            user.save()
            user.groups.add(*groups)
        names = ", ".join(group.name for group in groups)
        self.stdout.write(f"{username} can log in to the admin as: {names}.")
        if must_use_two_factor(user):
            self.stdout.write(
                "They set up two-factor authentication (an authenticator app "
                "on their phone) when they first sign in."
            )

    def groups(self, roles):
        wanted = [ROLE_GROUPS[role] for role in dict.fromkeys(roles)]
        found = {group.name: group for group in Group.objects.filter(name__in=wanted)}
        missing = [name for name in wanted if name not in found]
        if missing:
            raise CommandError(
                f"No group named {', '.join(missing)}: run `manage.py migrate` first."
            )
        return [found[name] for name in wanted]

    def password(self, user):
        """The new password, or None to keep an existing account's one."""
        password = os.environ.get(PASSWORD_VARIABLE)
        if password is None:
            if not self.interactive():
                if user.pk:
                    return None
                raise CommandError(
                    f"Set {PASSWORD_VARIABLE} or run the command in a terminal "
                    "to type a password."
                )
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                raise CommandError("The two passwords differ; nothing was changed.")
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        return password

    def interactive(self):
        return os.isatty(0)
