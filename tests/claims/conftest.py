"""Fixtures of the claims services' tests: today frozen, and a claim built through the services.
(The ledger's own tests are pure and use none of this.)"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.cast import Cast
from tests.claims.world import TODAY, World, build_world


@pytest.fixture
def frozen_today(monkeypatch: pytest.MonkeyPatch) -> dt.date:
    """`timezone.localdate()` answers TODAY (every service reads "today" through it)."""
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)
    return TODAY


@pytest.fixture
def world(frozen_today: dt.date, cast: Cast) -> World:
    return build_world(cast)
