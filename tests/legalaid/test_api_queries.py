"""Queries per API request (benchmarks/api_load.py measures the same endpoints under load): a
list costs the same whatever its length, a case's file a fixed number. Requests carry a real
token, as integrations send it, so the token's look-up is counted too."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from legalaid.models import Case, User
from tests.cast import Cast, make_case

API = "/api/v1"


def token_client(user: User) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


def queries(client: APIClient, url: str) -> tuple[int, Any]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(captured.captured_queries), response.json()


def test_the_case_list_costs_three_queries_whatever_the_page_size(cast: Cast) -> None:
    """The token, the count, the page (victim, district, language and office joined)."""
    for _ in range(10):
        make_case(cast.office_a, cast.office_a_obj)
    client = token_client(cast.office_a)

    small, page_2 = queries(client, f"{API}/cases/?page_size=2")
    large, page_12 = queries(client, f"{API}/cases/?page_size=12")

    assert (len(page_2["results"]), len(page_12["results"]), page_12["count"]) == (2, 12, 12)
    assert (small, large) == (3, 3)


def test_a_case_file_costs_four_queries(cast: Cast) -> None:
    """The token, the case (with its victim, and its active designation with the lawyer), the
    audit row of the read, its matters."""
    count, body = queries(token_client(cast.office_a), f"{API}/cases/{cast.case_a.pk}/")

    assert body["active_designation"]["lawyer"] == cast.panel_a.pk
    assert count == 4


def test_a_repeat_victims_case_file_costs_four_queries_too(cast: Cast) -> None:
    """The earlier record's pseudonym comes with the victim, not from a query of its own."""
    make_case(cast.office_a, cast.office_a_obj, given_names="Repeat")
    later = make_case(cast.office_a, cast.office_a_obj, given_names="Repeat")

    count, body = queries(token_client(cast.office_a), f"{API}/cases/{later.pk}/")

    assert body["is_repeat_victimisation"] is True
    assert body["victim"]["earlier_record"] is not None
    assert count == 4


def test_the_case_list_written_out_gives_what_drf_fields_give_for_every_case(cast: Cast) -> None:
    """CaseListSerializer writes its representation out for speed: it must equal, for every
    case, what DRF's fields of the same serializer give."""
    from rest_framework import serializers

    from legalaid.api.serializers import CaseListSerializer
    from legalaid.selectors import case_summaries_for_user

    cases = list(case_summaries_for_user(cast.admin))
    assert len(cases) >= 3
    for case in cases:
        serializer = CaseListSerializer(case)
        by_fields = serializers.ModelSerializer.to_representation(serializer, case)
        assert serializer.data == by_fields


def test_a_list_filter_still_filters_and_refuses_a_bad_value_after_the_skip(cast: Cast) -> None:
    """The filter backend skips the filter set when no filter is named; named, it filters, and
    a bad value is still a 400 with the field's message."""
    client = token_client(cast.office_a)
    everything = client.get(f"{API}/cases/").json()["count"]
    closed = client.get(f"{API}/cases/?status=closed").json()["count"]
    intake = client.get(f"{API}/cases/?status={cast.case_a.status}").json()["count"]
    assert closed < everything and intake >= 1
    refused = client.get(f"{API}/cases/?status=no-such-status")
    assert refused.status_code == 400
    assert "status" in str(refused.json())


def test_a_case_file_written_out_gives_what_drf_fields_give(cast: Cast) -> None:
    """CaseDetailSerializer writes its representation out for speed: it must equal what DRF's
    fields of the same serializer give, for cases with and without an active designation, a
    closing date or a victim's earlier record (a repeat victim)."""
    from rest_framework import serializers

    from legalaid.api.serializers import CaseDetailSerializer
    from legalaid.selectors import case_active_designation, case_file_get_for_user

    make_case(cast.office_a, cast.office_a_obj)  # no designation
    repeat = make_case(cast.office_a, cast.office_a_obj, auto_designate=True)
    repeat.victim.earlier_record = cast.case_b.victim
    repeat.victim.save(update_fields=["earlier_record"])
    files = [case_file_get_for_user(cast.admin, case.pk) for case in Case.objects.all()]
    shapes = {
        (designation is not None, case.closed_on is not None,
         case.victim.earlier_record_id is not None)
        for case, designation in files
    }  # fmt: skip
    assert {True, False} <= {shape[0] for shape in shapes}
    assert any(shape[2] for shape in shapes)
    for case, designation in files:
        # The designation joined to the case is the one the selector of its own finds.
        assert designation == case_active_designation(case), case.reference
        context = {"active_designation": designation}
        serializer = CaseDetailSerializer(case, context=context)
        by_fields = serializers.ModelSerializer.to_representation(serializer, case)
        assert serializer.data == by_fields, case.reference


def test_a_case_file_reads_the_earlier_records_pseudonym_but_not_its_identity(cast: Cast) -> None:
    """The file names a repeat victim's earlier record by its pseudonym: the earlier record's
    identity columns are not read, so not decrypted for nothing."""
    from legalaid.models import Victim
    from legalaid.selectors import case_file_get_for_user

    later = make_case(cast.office_a, cast.office_a_obj)
    later.victim.earlier_record = cast.case_b.victim
    later.victim.save(update_fields=["earlier_record"])

    case, _ = case_file_get_for_user(cast.office_a, later.pk)

    earlier = case.victim.earlier_record
    assert earlier is not None and earlier.pseudonym == cast.case_b.victim.pseudonym
    assert earlier.get_deferred_fields() >= set(Victim.IDENTITY_FIELDS)
    assert not case.victim.get_deferred_fields() & set(Victim.IDENTITY_FIELDS)
