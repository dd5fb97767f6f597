"""
`manage.py remove_two_factor NAME`: take away a staff member's
authenticator app (a phone lost, replaced or reset), so that they can sign
in with their password and set up a new one. Whoever must use two-factor
authentication is sent to set it up before reaching any other admin page.
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from portal.sign_in.two_factor import remove_devices


class Command(BaseCommand):
    help = (
        "Remove a user's two-factor authentication devices, so that they set "
        "up a new authenticator app at their next sign-in."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, username, **options):
        user_model = get_user_model()
        user = user_model.objects.filter(
            **{user_model.USERNAME_FIELD: username}
        ).first()
        if user is None:
            raise CommandError(f"No user is named {username!r}.")
        removed = remove_devices(user)
        self.stdout.write(
            f"Removed {removed} device{'s' if removed != 1 else ''} of {username}: "
            "they set up an authenticator app again at their next sign-in."
        )
