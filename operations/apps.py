from django.apps import AppConfig


class OperationsConfig(AppConfig):
    """Running the service: backups of the database and the documents, and their restore."""

    name = "operations"
    verbose_name = "Operations"
