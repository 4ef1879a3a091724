from django.apps import AppConfig


class LegalaidConfig(AppConfig):
    name = "legalaid"
    verbose_name = "Legal aid"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import checks  # noqa: F401 - registers the system checks
