"""The one shape of a domain error: a message fit to show the person who acted, and a code.

Services raise subclasses (`<app>/exceptions.py`); they carry no HTTP status. Views and the admin
map them to responses and messages.
"""

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    """`message` is translated and safe to show; `code` is stable, for callers and logs."""

    default_message = _("This action is not possible.")
    code = "not_possible"

    def __init__(self, message: str | None = None, *, code: str | None = None) -> None:
        self.message = str(message or self.default_message)
        if code is not None:
            self.code = code
        super().__init__(self.message)
