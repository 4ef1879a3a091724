"""The document kinds: which language each is written in, who may have it, its template version.

Court documents are written in the case's language of proceedings (DOMAIN.md §8); the status
letter in the guardian's own language when it is one we write (nl, fr, de), otherwise in the
language of the proceedings. Any request may name another of the three.

Who may request and read which kind (`KINDS_BY_ROLE`):
- the lawyer with an accepted designation: every kind of their case;
- office staff of the case's office and administrators: the designation letter, the civil-party
  constitution, the state-aid cover letter, the statement of account and the guardian's status
  letter — never the lawyer's own work product, the claim statement (conclusions) and the
  non-punishment memorandum, which carry the defence's strategy (professional secrecy);
- a guardian: the status letters addressed to them about their ward, nothing else.

`TEMPLATE_VERSIONS`: bump a kind's version whenever its templates change what a document says or
how it looks, so that a request with unchanged data makes a new version instead of answering
the document issued with the old templates.
"""

from __future__ import annotations

from legalaid.models import Role

from .formatting import LANGUAGES
from .models import DocumentKind

K = DocumentKind
COURT_KINDS = frozenset(K) - {K.GUARDIAN_STATUS_LETTER}
OFFICE_KINDS = frozenset(
    {
        K.DESIGNATION_LETTER,
        K.CIVIL_PARTY_CONSTITUTION,
        K.STATE_AID_COVER_LETTER,
        K.STATEMENT_OF_ACCOUNT,
        K.GUARDIAN_STATUS_LETTER,
    }
)
KINDS_BY_ROLE: dict[str, frozenset[str]] = {
    Role.LAWYER: frozenset(K),
    Role.OFFICE: OFFICE_KINDS,
    Role.ADMIN: OFFICE_KINDS,
    Role.GUARDIAN: frozenset({K.GUARDIAN_STATUS_LETTER}),
}
TEMPLATE_VERSIONS: dict[str, str] = {
    K.DESIGNATION_LETTER: "1",
    K.CIVIL_PARTY_CONSTITUTION: "1",
    K.CLAIM_STATEMENT: "1",
    K.NON_PUNISHMENT_MEMORANDUM: "1",
    K.STATE_AID_COVER_LETTER: "1",
    K.GUARDIAN_STATUS_LETTER: "1",
    K.STATEMENT_OF_ACCOUNT: "1",
}
# Kinds whose snapshot builder exists in this version of the application.
AVAILABLE_KINDS = frozenset(
    {
        K.DESIGNATION_LETTER,
        K.CIVIL_PARTY_CONSTITUTION,
        K.STATE_AID_COVER_LETTER,
        K.GUARDIAN_STATUS_LETTER,
        K.CLAIM_STATEMENT,
        K.STATEMENT_OF_ACCOUNT,
        K.NON_PUNISHMENT_MEMORANDUM,
    }
)

__all__ = ["COURT_KINDS", "KINDS_BY_ROLE", "LANGUAGES", "TEMPLATE_VERSIONS"]
