"""The access matrix of a person's copy of their file (GDPR articles 15 and 20): only office staff
of the office holding the case ask for it, see it and download it. Another office's case or copy
answers 404; every other role (lawyers, guardians, administrators) 403.

World: a copy built for the person of case_a (office A, `export_a`) and one for the person of
case_b (office B, `export_b`). A request asks on behalf of the guardian (the cast's victims are
minors)."""

from __future__ import annotations

from typing import Any

import pytest

from documents.exports import personal_data_export_build, personal_data_export_request
from documents.models import PersonalDataExport
from tests.access import (
    Endpoint,
    World,
    check_cell,
    count,
    matrix_cells,
    plus_one,
    writes,
)
from tests.cast import Cast
from tests.documents.matrix import fingerprint


def _built(actor: Any, case: Any) -> PersonalDataExport:
    export = personal_data_export_request(
        actor=actor, victim=case.victim, case=case, on_behalf_of="guardian"
    )
    personal_data_export_build(export_id=export.pk)
    export.refresh_from_db()
    return export


@pytest.fixture
def world(cast: Cast, media_root: Any) -> World:
    objects = {
        "export_a": _built(cast.office_a, cast.case_a),
        "export_b": _built(cast.office_b, cast.case_b),
    }
    return World(cast, objects)


ENDPOINTS: dict[str, Endpoint] = {
    "export_request": writes(
        "POST", "/cases/{pk}/personal-data-exports/",
        lambda w, role, case: {"on_behalf_of": "guardian"},
        measure=count(PersonalDataExport), becomes=plus_one,
        audit="personal_data_export.request",
    ),
    "case_exports": Endpoint("GET", "/cases/{pk}/personal-data-exports/"),
    "export": Endpoint("GET", "/personal-data-exports/{pk}/"),
    "export_download": Endpoint("GET", "/personal-data-exports/{pk}/download/"),
}  # fmt: skip

MATRIX: list[tuple[Any, ...]] = [
    # endpoint          object      adm  offA offB lawA lwA2 lawB grdA grdB outs anon
    ("export_request",  "case_a",   403, 202, 404, 403, 403, 403, 403, 403, 403, 403),
    ("export_request",  "case_a2",  403, 202, 404, 403, 403, 403, 403, 403, 403, 403),
    ("export_request",  "case_b",   403, 404, 202, 403, 403, 403, 403, 403, 403, 403),
    ("case_exports",    "case_a",   403, 200, 404, 403, 403, 403, 403, 403, 403, 403),
    ("case_exports",    "case_b",   403, 404, 200, 403, 403, 403, 403, 403, 403, 403),
    ("export",          "export_a", 403, 200, 404, 403, 403, 403, 403, 403, 403, 403),
    ("export",          "export_b", 403, 404, 200, 403, 403, 403, 403, 403, 403, 403),
    ("export_download", "export_a", 403, 200, 404, 403, 403, 403, 403, 403, 403, 403),
    ("export_download", "export_b", 403, 404, 200, 403, 403, 403, 403, 403, 403, 403),
]  # fmt: skip


@pytest.mark.parametrize(("endpoint", "obj", "role", "expected"), matrix_cells(MATRIX))
def test_each_role_gets_the_documented_status_on_each_export_endpoint(
    world: World, endpoint: str, obj: str, role: str, expected: int
) -> None:
    check_cell(world, ENDPOINTS[endpoint], obj, role, expected, fingerprint=fingerprint)
