from django.apps import AppConfig


class MailerConfig(AppConfig):
    name = "mailer"
    verbose_name = "E-mail outbox"
    default_auto_field = "django.db.models.BigAutoField"
