"""System checks for production (`manage.py check --deploy`)."""

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, register

# Backends that keep e-mails on this machine: their addresses and links end in logs or files.
UNDELIVERED_EMAIL_BACKENDS = {
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
}


@register(Tags.security, deploy=True)
def check_email_is_delivered(app_configs=None, **kwargs) -> list[CheckMessage]:
    if settings.DEBUG or settings.EMAIL_BACKEND not in UNDELIVERED_EMAIL_BACKENDS:
        return []
    return [
        Error(
            f"E-mails are not sent: EMAIL_BACKEND is {settings.EMAIL_BACKEND}.",
            hint="Set EMAIL_URL to the SMTP server, e.g. smtp+tls://user:password@host:587.",
            id="portal.E001",
        )
    ]
