"""The reach counters: one atomic upsert per event, so concurrent beacons never lose a count.

`INSERT … ON CONFLICT DO UPDATE SET n = n + excluded.n` (PostgreSQL, and SQLite ≥ 3.24) adds to the
day's row or creates it in one statement: no read-modify-write race, one round trip.
"""

from django.db import connection
from django.utils import timezone

from portal.statistics.models import PlayCount, ReachCount

PLAY_EVENTS = ("start", "end")
# PostgreSQL: the play's own (autocommit) transaction does not wait for its WAL flush. A crash may
# lose the last instant's counts, never corrupt them, and a hot row's lock is held for
# microseconds instead of a disk flush. set_config(…, true) lasts for this transaction only; it
# sits in the statement itself to keep a single round trip.
ASYNC_COMMIT_SOURCE = "FROM (SELECT set_config('synchronous_commit', 'off', true)) AS async_commit"


def record_play(*, question_id: int, language: str, event: str, day=None) -> None:
    """Count a play started (`start`) or watched to the end (`end`) of an answer."""
    if event not in PLAY_EVENTS:
        raise ValueError(event)
    table = PlayCount._meta.db_table
    started, completed = (1, 0) if event == "start" else (0, 1)
    source = ASYNC_COMMIT_SOURCE if connection.vendor == "postgresql" else ""
    sql = (
        f"INSERT INTO {table} (day, question_id, language, started, completed) "  # noqa: S608 - names from the model
        f"SELECT %s, %s, %s, %s, %s {source} "
        # SQLite needs a WHERE to tell a SELECT's end from the upsert clause.
        "WHERE true ON CONFLICT (day, question_id, language) DO UPDATE SET "
        f"started = {table}.started + excluded.started, "
        f"completed = {table}.completed + excluded.completed"
    )
    params = [day or timezone.localdate(), question_id, language, started, completed]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def add_plays(plays: dict[tuple, int]) -> None:
    """Add many counts at once: {(day, question_id, language, "start" or "end"): n}. One upsert
    statement for all the rows (the flush of the plays counted in Redis)."""
    rows: dict[tuple, list[int]] = {}
    for (day, question_id, language, event), count in plays.items():
        if event not in PLAY_EVENTS:
            raise ValueError(event)
        row = rows.setdefault((day, question_id, language), [0, 0])
        row[0 if event == "start" else 1] += count
    if not rows:
        return
    table = PlayCount._meta.db_table
    values = ", ".join(["(%s, %s, %s, %s, %s)"] * len(rows))
    params = [
        value for key, (started, completed) in rows.items() for value in (*key, started, completed)
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (day, question_id, language, started, completed) "  # noqa: S608 - names from the model
            f"VALUES {values} ON CONFLICT (day, question_id, language) DO UPDATE SET "
            f"started = {table}.started + excluded.started, "
            f"completed = {table}.completed + excluded.completed",
            params,
        )


def record_view(*, kind: str, key: str = "", language: str = "", day=None) -> None:
    """Count one request for a feed, an embedded player or an oEmbed answer (these requests
    reach the server only on a cache miss)."""
    table = ReachCount._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (day, kind, key, language, count) "  # noqa: S608 - names from the model
            "VALUES (%s, %s, %s, %s, 1) "
            f"ON CONFLICT (day, kind, key, language) DO UPDATE SET count = {table}.count + 1",
            [day or timezone.localdate(), kind, key[:120], language],
        )
