"""Sending a resident their access code, when they gave an email address and chose to.

Pluggable and off by default: ``USEIT_CODE_SENDER`` names the sender. Unset (or ``disabled``) the
page says no code is sent and that an employment adviser can give a new one. ``smtp`` sends an
email through the organisation's mail server (``USEIT_SMTP_HOST``, ``USEIT_SMTP_PORT`` (587),
``USEIT_SMTP_FROM``, and optionally ``USEIT_SMTP_USER`` and ``USEIT_SMTP_PASSWORD``; STARTTLS is
always used). Texts need an SMS provider's account, which the project does not have: there is no
text sender, and nothing pretends to send one. A sender is chosen once, when the app starts.
"""

from __future__ import annotations

import os
import re
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Protocol

from flask import Flask, current_app

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class CodeSender(Protocol):
    """Delivers an access code to a contact address; raises OSError (or smtplib's) on failure."""

    def can_reach(self, contact: str) -> bool: ...

    def send(self, contact: str, code: str) -> None: ...


@dataclass(frozen=True, slots=True)
class SmtpSender:
    host: str
    port: int
    sender: str
    user: str | None = None
    password: str | None = None

    def can_reach(self, contact: str) -> bool:
        return bool(_EMAIL.match(contact.strip()))

    def send(self, contact: str, code: str) -> None:
        message = EmailMessage()
        message["From"], message["To"] = self.sender, contact.strip()
        message["Subject"] = "Your access code for Routes into NHS jobs"
        message.set_content(
            f"Your access code is\n\n    {code}\n\n"
            "Use it to sign in, see your routes, download what is kept about you or delete it.\n"
            "If you did not ask for this, you can ignore this email.\n"
        )
        with smtplib.SMTP(self.host, self.port, timeout=10) as smtp:
            smtp.starttls(context=ssl.create_default_context())
            if self.user:
                smtp.login(self.user, self.password or "")
            smtp.send_message(message)


class SenderConfigError(ValueError):
    pass


def sender_from_env(env: dict[str, str] | None = None) -> CodeSender | None:
    """The configured sender, or None when sending is disabled (the default)."""
    env = dict(os.environ) if env is None else env
    name = (env.get("USEIT_CODE_SENDER") or "disabled").strip().lower()
    if name == "disabled":
        return None
    if name == "smtp":
        missing = [key for key in ("USEIT_SMTP_HOST", "USEIT_SMTP_FROM") if not env.get(key)]
        if missing:
            raise SenderConfigError(f"USEIT_CODE_SENDER=smtp needs {' and '.join(missing)}")
        return SmtpSender(
            host=env["USEIT_SMTP_HOST"],
            port=int(env.get("USEIT_SMTP_PORT") or 587),
            sender=env["USEIT_SMTP_FROM"],
            user=env.get("USEIT_SMTP_USER") or None,
            password=env.get("USEIT_SMTP_PASSWORD") or None,
        )
    raise SenderConfigError(f"USEIT_CODE_SENDER must be 'disabled' or 'smtp', not {name!r}")


def install(app: Flask, sender: CodeSender | None = None) -> None:
    app.extensions["useit_code_sender"] = sender if sender is not None else sender_from_env()


def configured_sender() -> CodeSender | None:
    found: CodeSender | None = current_app.extensions.get("useit_code_sender")
    return found
