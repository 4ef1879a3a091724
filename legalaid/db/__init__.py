"""Our database engines: Django's PostgreSQL and SQLite engines, whose commit first seals the
transaction's audit rows into the hash chain (`legalaid.services.audit_chain`). Settings name
them as `legalaid.db.postgresql` and `legalaid.db.sqlite3` (`config.env`)."""

from __future__ import annotations

from typing import Any


class SealAuditBeforeCommit:
    """Mixed in before Django's `DatabaseWrapper`. `audit_record` sets `audit_rows_written` when
    it writes a row inside a transaction; the commit then seals first, in the same transaction.
    A seal that fails rolls the whole transaction back: no change is committed without its
    sealed audit rows."""

    audit_rows_written = False

    def commit(self) -> None:
        if self.audit_rows_written:
            from legalaid.services.audit_chain import audit_chain_seal_before_commit

            self.audit_rows_written = False
            try:
                audit_chain_seal_before_commit(self)  # type: ignore[arg-type]
            except BaseException:
                self.rollback()
                raise
        super().commit()  # type: ignore[misc]

    def rollback(self) -> None:
        self.audit_rows_written = False
        super().rollback()  # type: ignore[misc]

    def close(self, *args: Any, **kwargs: Any) -> None:
        self.audit_rows_written = False
        super().close(*args, **kwargs)  # type: ignore[misc]
