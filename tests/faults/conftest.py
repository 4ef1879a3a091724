"""The tests marked `pgfault` restart a PostgreSQL cluster of their own under load (a minute):
they run only when asked for by marker (`pytest -m pgfault`, a line of `make test`) and when
DATABASE_URL is PostgreSQL (CI's second pass, whose machine has PostgreSQL's binaries)."""

from __future__ import annotations

import pytest

from tests.conftest import _on_postgres


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if "pgfault" in (config.option.markexpr or "") and _on_postgres():
        return
    faults = [item for item in items if item.get_closest_marker("pgfault")]
    if faults:
        config.hook.pytest_deselected(items=faults)
        items[:] = [item for item in items if not item.get_closest_marker("pgfault")]
