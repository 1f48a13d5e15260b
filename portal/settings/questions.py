"""Questions: confirmation delays, retention, the form's guards, pagination."""

from .base import env

# --- Questions ----------------------------------------------------------------------------------
QUESTION_CONFIRMATION_MAX_AGE_SECONDS = env.int(
    "QUESTION_CONFIRMATION_MAX_AGE_SECONDS", default=48 * 3600
)
REJECTED_QUESTION_RETENTION_DAYS = env.int("REJECTED_QUESTION_RETENTION_DAYS", default=90)
QUESTION_MIN_FILL_SECONDS = env.int("QUESTION_MIN_FILL_SECONDS", default=3)
# A question form older than this is refused (its signed timestamp has expired): reload the page.
QUESTION_FORM_MAX_AGE_SECONDS = env.int("QUESTION_FORM_MAX_AGE_SECONDS", default=12 * 3600)
QUESTIONS_PER_PAGE = env.int("QUESTIONS_PER_PAGE", default=20)
