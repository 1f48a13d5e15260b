from celery import shared_task


@shared_task(name="portal.ping")
def ping(value: str) -> str:
    """Answer through the broker: proves that a worker consumes the configured queues."""
    return f"pong:{value}"
