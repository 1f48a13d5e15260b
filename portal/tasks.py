from celery import shared_task


@shared_task(name="portal.ping")
def ping(value: str) -> str:
    """Answer through the broker: proves that a worker consumes the configured queues."""
    return f"pong:{value}"


@shared_task(name="portal.export_open_data")
def export_open_data() -> int:
    """Nightly: the open-data files (thin: the service does the work)."""
    from portal.opendata.dumps import export_dumps

    return len(export_dumps())


@shared_task(name="portal.flush_plays", ignore_result=True)
def flush_plays() -> int:
    """Every few seconds: the plays counted in Redis into the daily counters."""
    from portal.statistics.play_buffer import flush_plays

    return flush_plays()
