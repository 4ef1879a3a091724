"""The e-mail outbox: each e-mail the product sends is first a row, written in the same transaction
as the change it tells about, then sent by a worker (mailer.tasks). A change rolled back sends
nothing; a change committed while the queue (Redis) was down is sent when it is back; a worker
killed in the middle of a send leaves the row claimed, and it is taken again once stale."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import pgettext_lazy


class EmailStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("an e-mail that is", "Pending")
    SENDING = "sending", pgettext_lazy("an e-mail that is", "Sending")
    SENT = "sent", pgettext_lazy("an e-mail that is", "Sent")
    FAILED = "failed", pgettext_lazy("an e-mail that is", "Failed")


class OutgoingEmail(models.Model):
    """One e-mail to one address. `key` names the event it tells about (`designation.proposed:42`):
    the same event never makes two e-mails. The text is written when the row is, in the
    recipient's language, and holds no identity data of a victim."""

    key = models.CharField(max_length=100, unique=True)
    to = models.EmailField()
    subject = models.CharField(max_length=200)
    body = models.TextField()
    created_at = models.DateTimeField()
    status = models.CharField(
        max_length=10, choices=EmailStatus.choices, default=EmailStatus.PENDING
    )
    # The send's claim (a conditional update): when the latest attempt started, and how many.
    claimed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["pk"]
        indexes = [
            models.Index(fields=["status", "created_at"], name="mailer_email_status_created")
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=EmailStatus.SENT, sent_at__isnull=False)
                | (~Q(status=EmailStatus.SENT) & Q(sent_at__isnull=True)),
                name="mailer_email_sent_at_iff_sent",
            ),
        ]

    def __str__(self) -> str:
        return f"E-mail #{self.pk} ({self.status})"
