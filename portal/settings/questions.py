"""Questions: confirmation delays, retention, the form's guards, pagination."""

from .base import env

# --- Questions ----------------------------------------------------------------------------------
QUESTION_CONFIRMATION_MAX_AGE_SECONDS = env.int(
    "QUESTION_CONFIRMATION_MAX_AGE_SECONDS", default=48 * 3600
)
# At most one confirmation e-mail per address in this interval, whoever submits with it (no
# per-address refusal: strangers cannot lock the owner out); its page lists every question
# waiting with that address.
QUESTION_CONFIRMATION_EMAIL_INTERVAL_SECONDS = env.int(
    "QUESTION_CONFIRMATION_EMAIL_INTERVAL_SECONDS", default=15 * 60
)
REJECTED_QUESTION_RETENTION_DAYS = env.int("REJECTED_QUESTION_RETENTION_DAYS", default=90)
QUESTION_MIN_FILL_SECONDS = env.int("QUESTION_MIN_FILL_SECONDS", default=3)
# A question form older than this is refused (its signed timestamp has expired): reload the page.
QUESTION_FORM_MAX_AGE_SECONDS = env.int("QUESTION_FORM_MAX_AGE_SECONDS", default=12 * 3600)
QUESTIONS_PER_PAGE = env.int("QUESTIONS_PER_PAGE", default=20)

# --- The e-mail outbox (questions/emails.py) -----------------------------------------------------
# An e-mail the SMTP server refuses is retried with exponential backoff (base, cap) until it is no
# longer useful (a confirmation: its link's lifetime; others: this long), then abandoned (admin).
OUTBOX_GIVE_UP_AFTER_SECONDS = env.int("OUTBOX_GIVE_UP_AFTER_SECONDS", default=48 * 3600)
OUTBOX_RETRY_BASE_SECONDS = env.int("OUTBOX_RETRY_BASE_SECONDS", default=60)
OUTBOX_RETRY_MAX_SECONDS = env.int("OUTBOX_RETRY_MAX_SECONDS", default=30 * 60)
# A worker that took an e-mail and died is presumed dead after this long (above EMAIL_TIMEOUT):
# that one e-mail may then go out twice, with the same Message-ID.
OUTBOX_SENDING_TIMEOUT_SECONDS = env.int("OUTBOX_SENDING_TIMEOUT_SECONDS", default=5 * 60)
# The catch-up rate after an outage: e-mails sent per sweep, and beat sweeps every minute.
OUTBOX_SWEEP_BATCH = env.int("OUTBOX_SWEEP_BATCH", default=3000)
# Monitoring (/healthz deep check) fails when an e-mail has waited longer than this.
OUTBOX_BACKLOG_ALERT_SECONDS = env.int("OUTBOX_BACKLOG_ALERT_SECONDS", default=15 * 60)
