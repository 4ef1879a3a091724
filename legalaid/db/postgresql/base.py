from django.db.backends.postgresql import base

from .. import SealAuditBeforeCommit


class DatabaseWrapper(SealAuditBeforeCommit, base.DatabaseWrapper):
    pass
