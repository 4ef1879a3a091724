"""Fixtures of the pages' tests: a browser-like client signed in as a cast member, second factor
included (office staff, lawyers and administrators reach nothing without one)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from legalaid.models import User
from tests.cast import give_second_factor

HOST = "127.0.0.1"


@pytest.fixture
def page_client() -> Callable[[User | None], Client]:
    def make(user: User | None) -> Client:
        client = Client(HTTP_HOST=HOST)
        if user is not None:
            client.force_login(give_second_factor(user))
        return client

    return make
