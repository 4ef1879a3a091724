"""The world of the PostgreSQL restart test, built through the services in the database of
DATABASE_URL (run as `python -m tests.faults.pgload_world`): the fixed cast, office A's lawyers
with room for the load's intakes, a judgment awarding €100,000 against the pimp and a client of
`case_a`, and the API tokens of office A's staff and of `lawyer_a`. Prints them as JSON."""

from __future__ import annotations

import json
import os

import django


def build() -> dict[str, object]:
    from rest_framework.authtoken.models import Token

    from legalaid.services.lawyers import lawyer_update
    from tests.cast import build_cast
    from tests.claims.world import build_world, record_award, record_judgment

    cast = build_cast()
    world = build_world(cast)
    judgment = record_judgment(world)
    record_award(world, judgment, amount="100000.00")
    for lawyer in (cast.panel_a, cast.panel_a2):
        lawyer_update(actor=cast.office_a, lawyer=lawyer, capacity=500)
    return {
        "office_token": Token.objects.create(user=cast.office_a).key,
        "lawyer_token": Token.objects.create(user=cast.lawyer_a).key,
        "judgment": judgment.pk,
        "given_on": judgment.given_on.isoformat(),
        "payer": world.pimp.pk,
    }


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    django.setup()
    print(json.dumps(build()))
