"""gunicorn settings, read from the working directory: its own logs as JSON in production,
like the application's (LOG_FORMAT). Command-line options (Procfile) add to these."""

import os

# No control socket (gunicorn 24+): nothing uses it, and every gunicorn of a user would share
# $HOME/.gunicorn/gunicorn.ctl (make run, the tests and the benchmarks run several at once).
control_socket_disable = True
# Phones and big screens in a hall poll the live state every 2 s: keep their connection open
# between two polls (gunicorn's default, 2 s, closes it just before each one).
keepalive = 5

if (
    os.environ.get("LOG_FORMAT", "json" if os.environ.get("DJANGO_DEBUG") == "false" else "")
    == "json"
):
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "portal.logs.JsonFormatter"}},
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
        "loggers": {
            "gunicorn.error": {"handlers": ["console"], "level": "INFO", "propagate": False},
            # One line per request comes from the application (portal.requests), with its id.
            "gunicorn.access": {"handlers": [], "level": "WARNING", "propagate": False},
        },
    }
