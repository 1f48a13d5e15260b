"""A real SMTP server in the test process (aiosmtpd), which can refuse some recipients and take
its time over each message, as a busy relay does."""

import asyncio
import email
import email.policy
from collections.abc import Iterator
from contextlib import contextmanager
from email.message import EmailMessage

from aiosmtpd.controller import Controller

from tests.production import free_port


class Inbox:
    """aiosmtpd handler: what the server accepted, in order."""

    def __init__(self, delay: float = 0.0, refuse: set[str] | None = None) -> None:
        self.delay = delay
        self.refuse = refuse or set()
        self.messages: list[EmailMessage] = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if address in self.refuse:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        if self.delay:
            await asyncio.sleep(self.delay)
        self.messages.append(
            email.message_from_bytes(envelope.content, policy=email.policy.default)
        )
        return "250 Message accepted for delivery"

    def message_ids(self) -> list[str]:
        return [str(message["Message-ID"]).strip() for message in self.messages]


@contextmanager
def smtp_server(port: int | None = None, **handler_options) -> Iterator[tuple[Inbox, int]]:
    """An SMTP server on 127.0.0.1 for the duration of the block: (its inbox, its port)."""
    inbox = Inbox(**handler_options)
    port = port or free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()
