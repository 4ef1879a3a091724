from django.db.backends.sqlite3 import base

from .. import SealAuditBeforeCommit


class DatabaseWrapper(SealAuditBeforeCommit, base.DatabaseWrapper):
    pass
