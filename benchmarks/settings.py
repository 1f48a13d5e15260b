"""The production settings (DEBUG off) plus one trivial view to compare pages against.

Loopback HTTP only: TLS terminates at the reverse proxy in production, so the HTTPS redirect,
secure-only cookies and the CSP's upgrade-insecure-requests (a browser would fetch the styles over
https from loopback, and fail) are switched off here; everything else (middleware, caches,
templates) is the portal's own.
"""

import os

os.environ.setdefault("DJANGO_DEBUG", "false")
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "false")

from portal.settings import *  # noqa: E402,F403

ROOT_URLCONF = "benchmarks.urls"
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
CONTENT_SECURITY_POLICY["DIRECTIVES"].pop("upgrade-insecure-requests", None)  # noqa: F405
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
