"""Point this process's Celery app at a dead broker (a closed port), as when Redis is down."""

from collections.abc import Iterator
from contextlib import contextmanager

from portal.celery import app
from tests.production import free_port


def _forget_connections() -> None:
    app._pool = None
    app.amqp._producer_pool = None


@contextmanager
def broker_unreachable() -> Iterator[str]:
    """Within the block, publishing goes to redis://127.0.0.1:<closed port>."""
    url = f"redis://127.0.0.1:{free_port()}/0"
    saved = app.conf.broker_url, app.conf.broker_transport, app.conf.broker_transport_options
    app.conf.broker_url = url
    app.conf.broker_transport = None  # the URL's (the embedded default names its own)
    app.conf.broker_transport_options = {"socket_connect_timeout": 2, "socket_timeout": 5}
    _forget_connections()
    try:
        yield url
    finally:
        app.conf.broker_url, app.conf.broker_transport, app.conf.broker_transport_options = saved
        _forget_connections()
