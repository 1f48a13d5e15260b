"""Plays counted in Redis and added to the daily counters by beat: a beacon costs one round trip.

A beacon runs one Lua script (atomic in Redis): it counts the request against the address's rate
limit (RATELIMIT_PLAY_PER_IP, a fixed window per address) and, within it, adds one to the play's
field of a hash. Beat's `flush-plays` (every PLAY_FLUSH_SECONDS) renames that hash to a batch of
its own (atomic: the beacons that follow start a new hash), adds the batch to PlayCount in one
transaction that also records the batch's name (PlayFlush, unique), then deletes it. A flush that
dies is finished by the next one: a batch renamed but not recorded is added then; a batch recorded
but not deleted is only deleted. So no play is lost or counted twice while Redis runs. When Redis
is unreachable the beacon writes to the database itself (counters.record_play). Redis holds at most
one flush interval of plays: a Redis crash without persistence loses those.
"""

import logging
import re
import time
import uuid
from collections import Counter
from datetime import date, timedelta

import redis
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from portal.statistics.counters import PLAY_EVENTS, add_plays, record_play
from portal.statistics.models import PlayFlush
from questions.models import Question

logger = logging.getLogger(__name__)
UNAVAILABLE = (redis.ConnectionError, redis.TimeoutError, OSError)
RATE = re.compile(r"^(\d+)/(\d*)([smhd])$")
PERIOD_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
FLUSH_RECORDS_KEPT = timedelta(days=2)
# KEYS: the address's rate counter, the pending hash. ARGV: window seconds, limit, play field.
COUNT_PLAY = """
local used = redis.call('INCR', KEYS[1])
if used == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
if used > tonumber(ARGV[2]) then return 0 end
redis.call('HINCRBY', KEYS[2], ARGV[3], 1)
return 1
"""

_client: redis.Redis | None = None
_client_url = ""
_script = None


def _prefix() -> str:
    return f"{settings.CACHES['default'].get('KEY_PREFIX', 'hlm')}:reach:plays"


def pending_key() -> str:
    return f"{_prefix()}:pending"


def batch_prefix() -> str:
    return f"{_prefix()}:batch:"


def client() -> redis.Redis | None:
    """This process's Redis client (thread-safe, pooled); None without REDIS_URL."""
    global _client, _client_url, _script
    if not settings.REDIS_URL:
        return None
    if _client is None or _client_url != settings.REDIS_URL:
        _client_url = settings.REDIS_URL
        _client = redis.Redis.from_url(
            settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=2
        )
        _script = _client.register_script(COUNT_PLAY)
    return _client


def split_rate(rate: str) -> tuple[int, int]:
    """`600/h` → (600, 3600); `10/5m` → (10, 300)."""
    match = RATE.match(rate)
    if match is None:
        raise ValueError(f"not a rate: {rate!r}")
    count, multiplier, unit = match.groups()
    return int(count), int(multiplier or 1) * PERIOD_SECONDS[unit]


def count_play(*, question_id: int, language: str, event: str, address: str) -> bool:
    """Count one play event of an answer; False if the address is over its rate limit."""
    if event not in PLAY_EVENTS:
        raise ValueError(event)
    redis_client = client()
    if redis_client is not None:
        limit, seconds = split_rate(settings.RATELIMIT_PLAY_PER_IP)
        window = int(time.time()) // seconds
        field = f"{timezone.localdate().isoformat()}|{question_id}|{language}|{event}"
        try:
            allowed = _script(
                keys=[f"{_prefix()}:rate:{address}:{window}", pending_key()],
                args=[seconds, limit, field],
                client=redis_client,
            )
        except UNAVAILABLE as error:
            logger.warning("redis unavailable, play written to the database: %s", error)
        else:
            return bool(allowed)
    # No Redis (development) or Redis down: the rate limit fails open, as the others do.
    record_play(question_id=question_id, language=language, event=event)
    return True


def flush_plays() -> int:
    """Add the plays waiting in Redis to the daily counters. Returns how many were added."""
    redis_client = client()
    if redis_client is None:
        return 0
    added = 0
    # Batches left by a flush that died (renamed, maybe recorded, not deleted).
    for key in redis_client.scan_iter(match=batch_prefix() + "*"):
        added += _flush_batch(redis_client, key.decode())
    batch = f"{batch_prefix()}{uuid.uuid4().hex}"
    try:
        redis_client.rename(pending_key(), batch)
    except redis.ResponseError:  # no such key: no play since the last flush
        pass
    else:
        added += _flush_batch(redis_client, batch)
    PlayFlush.objects.filter(flushed_at__lt=timezone.now() - FLUSH_RECORDS_KEPT).delete()
    return added


def _flush_batch(redis_client: redis.Redis, key: str) -> int:
    plays: Counter[tuple[date, int, str, str]] = Counter()
    for field, value in redis_client.hgetall(key).items():
        day, question_id, language, event = field.decode().split("|")
        plays[(date.fromisoformat(day), int(question_id), language, event)] += int(value)
    name = key.removeprefix(batch_prefix())
    with transaction.atomic():
        # Unique: a second flush of the same batch waits for the first, then finds it recorded.
        _flush, created = PlayFlush.objects.get_or_create(batch=name)
        if created:
            # An answer deleted since its plays were counted takes its counts with it.
            existing = set(
                Question.objects.filter(
                    pk__in={question_id for _day, question_id, _lang, _event in plays}
                ).values_list("pk", flat=True)
            )
            add_plays({play: n for play, n in plays.items() if play[1] in existing})
    redis_client.delete(key)
    return sum(plays.values()) if created else 0
