"""Fixtures of the documents' tests: stored files go to a temporary MEDIA_ROOT."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone
from pytest_django.fixtures import Settings as SettingsWrapper

from tests.cast import Cast
from tests.claims.world import TODAY
from tests.documents.world import DocWorld, build_doc_world


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch: pytest.MonkeyPatch) -> dt.date:
    """ "Today" is a fixed day of a year whose legal interest rate is known: documents compute
    interest up to their issue date, and a new year's rate is only published in January."""
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)
    return TODAY


@pytest.fixture(autouse=True)
def media_root(tmp_path: Path, settings: SettingsWrapper) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def doc_world(cast: Cast) -> DocWorld:
    return build_doc_world(cast)
