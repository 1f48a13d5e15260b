"""The stored aggregates of the question figures: QuestionTally (counts per day written and
dimension) and QuestionDelay (each question's delays, for exact medians).

Every service that changes what a question counts for (submission, workflow actions, supports,
merges, the admin's theme correction, deletions) moves its contribution here, in its own
transaction: `with counted(question): ...change it...`. `rebuild()` recounts everything from the
questions (management command rebuild_question_tallies), e.g. after bulk inserts.
"""

from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date

from django.db import connection, transaction
from django.utils import timezone

from questions.models import Question
from questions.tally_models import QuestionDelay, QuestionTally, TallyDimension
from questions.workflow import QuestionState as S

Key = tuple[str, date, str]  # (dimension, day, value)
COUNTS = QuestionTally.COUNTS
REJECTED = COUNTS.index("rejected")
# What a question's contribution depends on (loaded by rebuild and deletions).
FIELDS = (
    "pk",
    "created_at",
    "event_id",
    "theme_id",
    "region",
    "language",
    "state",
    "rejection_reason",
    "support_count",
    "confirmed_at",
    "approved_at",
    "rejected_at",
    "selected_at",
    "answered_at",
)


def day_written(question: Question) -> date:
    """The day in the site's time zone (Europe/Paris), as the page's periods are."""
    return timezone.localdate(question.created_at, timezone.get_default_timezone())


def counts(question: Question) -> tuple[int, ...]:
    """How far one question went, in the order of QuestionTally.COUNTS."""
    return (
        1,
        question.confirmed_at is not None,
        question.approved_at is not None,
        question.state == S.REJECTED,
        question.state == S.DUPLICATE,
        question.selected_at is not None,
        question.answered_at is not None,
        question.support_count,
    )


def contributions(question: Question) -> dict[Key, tuple[int, ...]]:
    day, values = day_written(question), tuple(int(value) for value in counts(question))
    rows = {
        (TallyDimension.ALL, day, ""): values,
        (TallyDimension.EVENT, day, str(question.event_id)): values,
        (TallyDimension.THEME, day, str(question.theme_id or "")): values,
        (TallyDimension.REGION, day, question.region): values,
        (TallyDimension.LANGUAGE, day, question.language): values,
    }
    if question.state == S.REJECTED:
        only_rejected = tuple(int(i == REJECTED) for i in range(len(COUNTS)))
        rows[(TallyDimension.REJECTION, day, question.rejection_reason)] = only_rejected
    return rows


def _add(total: dict[Key, list[int]], rows: dict[Key, tuple[int, ...]], sign: int) -> None:
    for key, values in rows.items():
        current = total.setdefault(key, [0] * len(COUNTS))
        for index, value in enumerate(values):
            current[index] += sign * value


def apply_delta(delta: dict[Key, list[int]]) -> None:
    """Add `delta` to the tallies: one upsert, rows in key order (two transactions touching the
    same rows lock them in the same order: no deadlock)."""
    rows = [(key, values) for key, values in sorted(delta.items()) if any(values)]
    if not rows:
        return
    table = connection.ops.quote_name(QuestionTally._meta.db_table)
    columns = ", ".join(COUNTS)
    # The counts are written as integer literals, the day and the keys as parameters: a
    # submission's statement is then the same text every time with 15 parameters, which
    # psycopg parses once (it caches statements of at most 50 parameters; with the counts as
    # parameters, 55, it parsed each submission's again: a third of this function's CPU).
    placeholders = ", ".join(
        "(%s, %s, %s, " + ", ".join(str(int(value)) for value in values) + ")"
        for _key, values in rows
    )
    updates = ", ".join(f"{name} = {table}.{name} + excluded.{name}" for name in COUNTS)
    params = [value for (dimension, day, key), _values in rows for value in (day, dimension, key)]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (day, dimension, key, {columns}) VALUES {placeholders} "  # noqa: S608 - names from the model
            f"ON CONFLICT (dimension, day, key) DO UPDATE SET {updates}",
            params,
        )


def delays(question: Question) -> tuple[float | None, float | None]:
    """Seconds submitted → decided (approved or rejected) and selected → answered."""
    decided = question.approved_at or question.rejected_at
    decision = (
        (decided - question.confirmed_at).total_seconds()
        if decided and question.confirmed_at
        else None
    )
    answer = (
        (question.answered_at - question.selected_at).total_seconds()
        if question.answered_at and question.selected_at
        else None
    )
    return decision, answer


def _delay_row(question: Question) -> QuestionDelay | None:
    decision, answer = delays(question)
    if decision is None and answer is None:
        return None
    return QuestionDelay(
        question_id=question.pk,
        day=day_written(question),
        event_id=question.event_id,
        theme_id=question.theme_id,
        region=question.region,
        language=question.language,
        decision_seconds=decision,
        answer_seconds=answer,
    )


def store_delays(questions: Iterable[Question], *, new: bool = False) -> None:
    """Write the delay row of each question that has one and delete the others' (a decision
    undone); `new`: the questions were just inserted, so none has a row to delete."""
    rows, gone = [], []
    for question in questions:
        row = _delay_row(question)
        (rows.append(row) if row else gone.append(question.pk))
    if gone and not new:
        QuestionDelay.objects.filter(question_id__in=gone).delete()
    if rows:
        QuestionDelay.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["question_id"],
            update_fields=[f.name for f in QuestionDelay._meta.fields if not f.primary_key],
        )


@contextmanager
def counted(*questions: Question) -> Iterator[None]:
    """Wrap a change of these (locked, up-to-date) question objects: what they counted for before
    is taken back and what they count for after is added, in the caller's transaction."""
    before: dict[Key, list[int]] = {}
    for question in questions:
        _add(before, contributions(question), -1)
    yield
    for question in questions:
        _add(before, contributions(question), +1)
    apply_delta(before)
    store_delays(questions)


def replaced(before: Question, after: Question) -> None:
    """The same question, saved as `after` over `before` (e.g. the admin's theme correction)."""
    delta: dict[Key, list[int]] = {}
    _add(delta, contributions(before), -1)
    _add(delta, contributions(after), +1)
    apply_delta(delta)
    store_delays([after])


def questions_created(questions: Iterable[Question]) -> None:
    """New questions (one citizen's submission, or a bulk insert of synthetic or demo data).
    A submission writes one upsert here: no delay (it is undecided), nothing to delete."""
    questions = list(questions)
    delta: dict[Key, list[int]] = {}
    for question in questions:
        _add(delta, contributions(question), +1)
    apply_delta(delta)
    store_delays(questions, new=True)


def supports_added(question: Question, count: int) -> None:
    """`count` supports more for `question` (its support_count already updated in the row)."""
    supports = tuple(count if name == "supports" else 0 for name in COUNTS)
    delta: dict[Key, list[int]] = {}
    _add(delta, {key: supports for key in contributions(question)}, +1)
    apply_delta(delta)


def questions_deleted(question_ids: Iterable[int]) -> None:
    """Call before deleting these questions: they no longer count (the figures are those of the
    questions that exist, as a recount would find them)."""
    ids = list(question_ids)
    delta: dict[Key, list[int]] = {}
    for question in Question.objects.filter(pk__in=ids).only(*FIELDS).iterator(chunk_size=2000):
        _add(delta, contributions(question), -1)
    apply_delta(delta)
    QuestionDelay.objects.filter(question_id__in=ids).delete()


BATCH = 5000


def rebuild() -> tuple[int, int]:
    """Recount every tally and delay from the questions. Concurrent changes wait (the tables are
    locked on PostgreSQL) and add their own change after: nothing is counted twice or lost.
    Returns (tally rows, delay rows)."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                for model in (QuestionTally, QuestionDelay):
                    cursor.execute(f"LOCK TABLE {model._meta.db_table} IN EXCLUSIVE MODE")
        QuestionTally.objects.all().delete()
        QuestionDelay.objects.all().delete()
        totals: dict[Key, list[int]] = defaultdict(lambda: [0] * len(COUNTS))
        batch: list[QuestionDelay] = []
        delay_rows = 0
        for question in Question.objects.only(*FIELDS).order_by().iterator(chunk_size=BATCH):
            _add(totals, contributions(question), +1)
            row = _delay_row(question)
            if row:
                batch.append(row)
            if len(batch) >= BATCH:
                QuestionDelay.objects.bulk_create(batch)
                delay_rows += len(batch)
                batch = []
        QuestionDelay.objects.bulk_create(batch)
        tallies = [
            QuestionTally(
                day=day, dimension=dimension, key=key, **dict(zip(COUNTS, values, strict=True))
            )
            for (dimension, day, key), values in totals.items()
        ]
        QuestionTally.objects.bulk_create(tallies, batch_size=BATCH)
    return len(tallies), delay_rows + len(batch)
