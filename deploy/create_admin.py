"""Create an administrator: the first one of a new installation (the production settings load no
demo data). Further users, offices and bars are then made in the admin (/admin/) and the API.

    docker compose run --rm web python deploy/create_admin.py USERNAME

asks for the password twice (read from standard input, one line, when that is not a terminal).
The administrator signs in at /accounts/login/, where the first sign-in sets up the second factor
(an authenticator app's TOTP), before anything else is reachable. `manage.py createsuperuser`
would leave the role empty: a user without the administrator's role is never asked for a second
factor. The creation is written to the audit trail.
"""

from __future__ import annotations

import getpass
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _password() -> str:
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("Password: ")
    if first != getpass.getpass("Password (again): "):
        raise ValueError("The two passwords differ.")
    return first


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        sys.stderr.write(f"usage: {argv[0]} USERNAME\n")
        return 2
    username = argv[1]
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
    import django
    from django.core.exceptions import ImproperlyConfigured, ValidationError

    try:
        django.setup()
    except ImproperlyConfigured as error:
        sys.stderr.write(f"Configuration error: {error}\n")
        return 2

    from django.contrib.auth.password_validation import validate_password
    from django.db import IntegrityError, transaction

    from legalaid.audit import audit_record, changes_for_create
    from legalaid.models import Role, User

    if User.objects.filter(username=username).exists():
        sys.stderr.write(f"There is already a user called {username}.\n")
        return 1
    try:
        password = _password()
        candidate = User(username=username, role=Role.ADMIN)
        candidate.full_clean(exclude=["password"])
        validate_password(password, candidate)
    except ValueError as error:
        sys.stderr.write(f"{error}\n")
        return 1
    except ValidationError as error:
        sys.stderr.write("".join(f"{message}\n" for message in error.messages))
        return 1
    try:
        with transaction.atomic():
            user = User.objects.create_superuser(username, password=password, role=Role.ADMIN)
            audit_record(
                actor=None,
                action="user.create",
                target=user,
                changes=changes_for_create(user, ["username", "role", "is_staff", "is_superuser"]),
            )
    except IntegrityError:  # made by someone else meanwhile: the unique username refused it
        sys.stderr.write(f"There is already a user called {username}.\n")
        return 1
    print(
        f"Administrator {username} created. Sign in at /accounts/login/: the first sign-in sets "
        "up the second factor (an authenticator app)."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
