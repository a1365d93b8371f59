"""Notifications travel through a real SMTP server started for the test."""

import email
import email.policy
import socket

import pytest

from byline.comments import notifications
from byline.comments.models import Subscription


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(
            (
                envelope.rcpt_tos,
                email.message_from_bytes(
                    envelope.original_content, policy=email.policy.default
                ),
            )
        )
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server(settings):
    controller_module = pytest.importorskip("aiosmtpd.controller")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    inbox = Inbox()
    controller = controller_module.Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    try:
        yield inbox
    finally:
        controller.stop()


def test_confirmation_and_notification_arrive_over_smtp(
    smtp_server, published_article, approved_comment
):
    subscription, mail_needed = notifications.subscribe(
        "reader@example.org", published_article, Subscription.Kind.ARTICLE
    )
    assert mail_needed
    notifications.send_confirmation(subscription.pk)
    notifications.confirm(subscription)
    comment = approved_comment("Over the wire.")
    assert notifications.notify_subscribers(comment.pk) == 1

    (confirm_to, confirmation), (notice_to, notice) = smtp_server.messages
    assert confirm_to == notice_to == ["reader@example.org"]
    assert "Confirm" in confirmation["Subject"]
    assert notice["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert notice["List-Unsubscribe"].strip().startswith("<http")
    parts = {part.get_content_type(): part for part in notice.walk()}
    assert "Over the wire." in parts["text/plain"].get_payload(decode=True).decode()
    assert "text/html" in parts
