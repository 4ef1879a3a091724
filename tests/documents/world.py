"""The documents' test world: the fixed cast, plus on `case_a` a second party and the sample
claim data of `documents.samples` (claim, 15 damage heads, final judgment, awards, a payment, a
state-aid application), built through the services."""

from __future__ import annotations

from dataclasses import dataclass

from documents.models import DocumentKind
from documents.samples import SampleClaim, sample_claim
from documents.snapshots import Subject
from legalaid.models import PartyRole
from legalaid.services.parties import party_add
from tests.cast import Cast

# A word each document of a kind shows in each language (its title, written per language).
TITLE_WORDS = {
    DocumentKind.DESIGNATION_LETTER: {"nl": "Aanstelling", "fr": "Désignation", "de": "Bestellung"},
    DocumentKind.CIVIL_PARTY_CONSTITUTION: {
        "nl": "partijstelling", "fr": "partie civile", "de": "Zivilparteiklage",
    },
    DocumentKind.CLAIM_STATEMENT: {"nl": "Conclusie", "fr": "Conclusions", "de": "Schriftsatz"},
    DocumentKind.STATE_AID_COVER_LETTER: {
        "nl": "financiële hulp", "fr": "aide financière", "de": "finanzielle Hilfe",
    },
    DocumentKind.GUARDIAN_STATUS_LETTER: {"nl": "dossier", "fr": "dossier", "de": "Akte"},
    DocumentKind.NON_PUNISHMENT_MEMORANDUM: {
        "nl": "niet-bestraffing", "fr": "non-sanction", "de": "Straffreiheit",
    },
    DocumentKind.STATEMENT_OF_ACCOUNT: {
        "nl": "Afrekening", "fr": "Décompte", "de": "Forderungsaufstellung",
    },
}  # fmt: skip
# Small words of one of the three languages only; every document shows at least two of its own.
LANGUAGE_WORDS = {
    "nl": {"het", "van", "een", "en", "u", "op", "wordt"},
    "fr": {"le", "la", "les", "des", "du", "et", "vous", "est"},
    "de": {"der", "die", "das", "und", "den", "dem", "ist", "sie"},
}


@dataclass
class DocWorld:
    cast: Cast
    sample: SampleClaim

    def subject(self, kind: str) -> Subject:
        if kind == DocumentKind.STATEMENT_OF_ACCOUNT:
            return Subject(debtor=self.sample.debtor)
        return Subject()


def build_doc_world(cast: Cast, *, damage_rows: int = 15) -> DocWorld:
    party_add(actor=cast.office_a, case=cast.case_a, role=PartyRole.CLIENT, full_name="Kees Klant")
    sample = sample_claim(case=cast.case_a, lawyer=cast.lawyer_a, damage_rows=damage_rows)
    return DocWorld(cast=cast, sample=sample)
