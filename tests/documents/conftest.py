"""Fixtures of the documents' tests: stored files go to a temporary MEDIA_ROOT."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytest_django.fixtures import Settings as SettingsWrapper

from tests.cast import Cast
from tests.documents.world import DocWorld, build_doc_world


@pytest.fixture(autouse=True)
def media_root(tmp_path: Path, settings: SettingsWrapper) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def doc_world(cast: Cast) -> DocWorld:
    return build_doc_world(cast)
