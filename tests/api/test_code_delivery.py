"""Sending an access code: off unless configured; a configured sender is really called, and a
failure is said plainly (issue 13)."""

from __future__ import annotations

import re
import smtplib
from dataclasses import dataclass, field

import pytest
from flask import Flask

from api.code_delivery import SenderConfigError, SmtpSender, sender_from_env


def test_sending_is_off_by_default_and_misconfiguration_is_refused() -> None:
    assert sender_from_env({}) is None
    assert sender_from_env({"USEIT_CODE_SENDER": "disabled"}) is None
    with pytest.raises(SenderConfigError, match="USEIT_SMTP_HOST and USEIT_SMTP_FROM"):
        sender_from_env({"USEIT_CODE_SENDER": "smtp"})
    with pytest.raises(SenderConfigError, match="'sms'"):
        sender_from_env({"USEIT_CODE_SENDER": "sms"})
    smtp = sender_from_env({"USEIT_CODE_SENDER": "smtp", "USEIT_SMTP_HOST": "mail.example", "USEIT_SMTP_FROM": "a@b.c"})
    assert isinstance(smtp, SmtpSender)
    assert smtp.port == 587
    assert smtp.can_reach("amina@example.org")
    assert not smtp.can_reach("07700 900123")  # no text sender: a phone number is not reachable


@dataclass
class _Recorder:
    sent: list[tuple[str, str]] = field(default_factory=list)
    fail: bool = False

    def can_reach(self, contact: str) -> bool:
        return "@" in contact

    def send(self, contact: str, code: str) -> None:
        if self.fail:
            raise smtplib.SMTPException("refused")
        self.sent.append((contact, code))


def _save(app_with_sender: Flask, **extra: str) -> str:
    from tests.api.web.pages import csrf, doctor_form, post_form, text

    client = app_with_sender.test_client()
    results = post_form(client, "/check", doctor_form()).get_data(as_text=True)
    profile = re.search(r'name="profile" value="([^"]+)"', results)
    assert profile
    from html import unescape

    response = client.post(
        "/check/save",
        data={"profile": unescape(profile.group(1)), "consent": "yes", "csrf_token": csrf(client, "/check"), **extra},
    )
    assert response.status_code == 200, text(response)
    return text(response)


def test_a_configured_sender_emails_the_code_only_when_asked(db_app: Flask) -> None:
    recorder = _Recorder()
    db_app.extensions["useit_code_sender"] = recorder
    try:
        page = _save(db_app, contact="amina@example.org")
        assert recorder.sent == []  # not asked
        page = _save(db_app, contact="amina@example.org", send_code="yes")
        code = re.search(r"[0-9A-Z]{5}(-[0-9A-Z]{5}){3}", page)
        assert code
        assert recorder.sent == [("amina@example.org", code.group(0))]
        assert "We have also emailed the code" in page
        page = _save(db_app, contact="07700 900123", send_code="yes")
        assert "only to an email address" in page
        recorder.fail = True
        page = _save(db_app, contact="amina@example.org", send_code="yes")
        assert "We could not send the email just now" in page
    finally:
        db_app.extensions["useit_code_sender"] = None
