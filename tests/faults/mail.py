"""Mail servers for the fault tests, as e-mail backends (EMAIL_BACKEND) a worker can load too.

`SlowFileBackend`: Django's file backend behind a server that takes its time before accepting
(LANZAROTE_TEST_MAIL_DELAY_SECONDS): a worker killed meanwhile has delivered nothing, as with an
SMTP server that had not yet acknowledged the message. `ScriptedBackend`: answers each send with
the next of `ScriptedBackend.answers` (an exception to raise, or None to accept it into
django.core.mail.outbox)."""

from __future__ import annotations

import email
import os
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any, ClassVar

from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.filebased import EmailBackend as FileBackend
from django.core.mail.message import EmailMessage

SEPARATOR = "-" * 79


class SlowFileBackend(FileBackend):
    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        time.sleep(float(os.environ.get("LANZAROTE_TEST_MAIL_DELAY_SECONDS", "0")))
        return super().send_messages(email_messages)


def delivered(directory: Path) -> list[email.message.Message]:
    """Every message the file backend wrote under `directory` (one file per connection, each
    message followed by a line of dashes)."""
    messages = []
    for path in sorted(directory.glob("*.log")):
        for part in path.read_text().split(f"\n{SEPARATOR}\n"):
            if part.strip():
                messages.append(email.message_from_string(part))
    return messages


class ScriptedBackend(BaseEmailBackend):
    answers: ClassVar[list[BaseException | None]] = []

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        answer = ScriptedBackend.answers.pop(0) if ScriptedBackend.answers else None
        if answer is not None:
            raise answer
        outbox: list[Any] = getattr(mail, "outbox", [])
        outbox.extend(email_messages)
        return len(email_messages)
