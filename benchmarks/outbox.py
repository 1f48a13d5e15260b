"""The e-mail outbox's catch-up rate after an outage: one sweep over a backlog, to a real SMTP
server (aiosmtpd, a separate process on loopback that accepts and discards)."""

import math
import subprocess
import sys
import time
import uuid
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from benchmarks.report import Section
from questions import outbox
from questions.models import OutboundEmail
from tests.production import free_port

BACKLOG = 10_000  # the backlog of the issue: what a long SMTP outage leaves behind
FORMER_PER_MINUTE = 500  # the fixed rate before OUTBOX_SWEEP_BATCH


def seed_backlog(count: int) -> None:
    created = timezone.now() - timedelta(minutes=30)
    OutboundEmail.objects.bulk_create(
        OutboundEmail(
            to=f"citoyen-{n}@example.org",
            subject=f"Votre question n° {n} a reçu une réponse",
            body_text="Bonjour,\n\nLa porte-parole a répondu à votre question.\n" * 5,
            body_html="<p>Bonjour,</p><p>La porte-parole a répondu à votre question.</p>" * 5,
            language="fr",
            kind="question_answered",
            message_id=f"<outbox.{uuid.uuid4().hex}@bench.example>",
            expires_at=created + timedelta(hours=48),
        )
        for n in range(count)
    )
    OutboundEmail.objects.update(created_at=created)


def smtp_sink(port: int) -> subprocess.Popen:
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "aiosmtpd",
            "-n",
            "-l",
            f"127.0.0.1:{port}",
            "-c",
            "aiosmtpd.handlers.Sink",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(1.5)
    return process


def run() -> Section:
    batch = settings.OUTBOX_SWEEP_BATCH
    section = Section(
        title="E-mail outbox: catching up after an outage",
        method=(
            f"{BACKLOG:,} e-mails waiting in the outbox (a long SMTP outage), then sweeps as beat "
            f"runs them every minute (`questions.outbox.sweep_outbox`, at most "
            f"`OUTBOX_SWEEP_BATCH` = {batch:,} per sweep, one SMTP connection per sweep, each "
            "e-mail taken and marked sent in its own short transaction) in this process, "
            "against aiosmtpd (a separate process on loopback, accepting and discarding: a real "
            "relay adds its network latency per message). PostgreSQL as in production."
        ),
        headers=["sweep", "e-mails sent", "wall time s", "e-mails/s"],
    )
    # E-mails the earlier sections left waiting (their citizens' confirmations) are sent too.
    earlier = outbox.pending().count()
    seed_backlog(BACKLOG)
    port = free_port()
    sink = smtp_sink(port)
    saved = {
        name: getattr(settings, name)
        for name in ("EMAIL_BACKEND", "EMAIL_HOST", "EMAIL_PORT", "EMAIL_USE_TLS", "EMAIL_USE_SSL")
    }
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    sweeps = []
    try:
        while outbox.pending().exists() and len(sweeps) < 20:
            started = time.monotonic()
            sent = outbox.sweep_outbox()
            wall = time.monotonic() - started
            sweeps.append((sent, wall))
            section.rows.append(
                [str(len(sweeps)), f"{sent:,}", f"{wall:.1f}", f"{sent / wall:.0f}"]
            )
            if sent == 0:
                break
    finally:
        sink.terminate()
        sink.wait()
        for name, value in saved.items():
            setattr(settings, name, value)
    sent_total = sum(sent for sent, _wall in sweeps)
    rate = sent_total / sum(wall for _sent, wall in sweeps)
    # Beat starts a sweep every minute: a sweep sends min(batch, what fits in a minute).
    per_minute = min(batch, rate * 60)
    minutes = math.ceil(BACKLOG / per_minute)
    section.notes.append(
        f"{sent_total:,} of {BACKLOG + earlier:,} waiting ({earlier:,} left by the sections "
        f"before) sent at {rate:.0f} e-mails/s: the catch-up rate is "
        f"about {per_minute:,.0f} e-mails a minute (`OUTBOX_SWEEP_BATCH` per minute, or what "
        f"the server takes when slower), so a {BACKLOG:,}-e-mail backlog drains in about "
        f"{minutes} minutes (it took 20 with the former fixed 500 a minute). A sweep that "
        "outlasts the minute overlaps the next one on another worker process safely (rows are "
        "taken one at a time, each at most once), which adds that process's rate."
    )
    section.check("every waiting e-mail sent, once", sent_total == BACKLOG + earlier)
    section.check(
        f"catch-up at least twice the former {FORMER_PER_MINUTE} e-mails a minute, "
        "by one sweeping process",
        per_minute >= 2 * FORMER_PER_MINUTE,
    )
    return section
