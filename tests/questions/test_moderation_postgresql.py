"""Moderation on real PostgreSQL: two moderators deciding at once; the indexed admin search."""

import threading

import pytest
from django.db import connection, transaction

from questions.exceptions import AlreadyDecided, QuestionError
from questions.models import ModerationDecision, OutboundEmail, Question
from questions.models import QuestionState as S
from questions.moderation import approve_question, mark_duplicate, reject_question
from tests.factories import QuestionFactory, UserFactory

pytestmark = [pytest.mark.postgresql_only, pytest.mark.django_db(transaction=True)]


def race(*decisions) -> list:
    """Run each decision in its own thread (its own database connection), released together.
    Returns what each returned or raised."""
    start = threading.Barrier(len(decisions))
    outcomes: list = [None] * len(decisions)

    def run(index, decide):
        try:
            start.wait(timeout=10)
            outcomes[index] = decide()
        except Exception as error:  # noqa: BLE001 - the outcome under test
            outcomes[index] = error
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=(index, decide)) for index, decide in enumerate(decisions)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


def test_two_moderators_deciding_at_once_record_exactly_one_decision():
    question = QuestionFactory(state=S.SUBMITTED)
    first, second = UserFactory(), UserFactory()
    # Each moderator loaded the question before either decided.
    seen_by_first = Question.objects.get(pk=question.pk)
    seen_by_second = Question.objects.get(pk=question.pk)

    outcomes = race(
        lambda: approve_question(question=seen_by_first, actor=first),
        lambda: reject_question(question=seen_by_second, actor=second, reason="other"),
    )

    decided = [o for o in outcomes if isinstance(o, Question)]
    refused = [o for o in outcomes if isinstance(o, Exception)]
    assert len(decided) == 1 and len(refused) == 1, outcomes
    assert isinstance(refused[0], AlreadyDecided)
    assert question.title in refused[0].message
    assert ModerationDecision.objects.filter(question=question).count() == 1
    assert OutboundEmail.objects.filter(question=question).count() == 1
    assert Question.objects.get(pk=question.pk).state == decided[0].state


def test_crossed_merges_do_not_deadlock_and_leave_one_duplicate():
    a = QuestionFactory(state=S.SUBMITTED)
    b = QuestionFactory(state=S.SUBMITTED, event=a.event)
    moderator = UserFactory()

    outcomes = race(
        lambda: mark_duplicate(question=Question.objects.get(pk=a.pk), of=b, actor=moderator),
        lambda: mark_duplicate(question=Question.objects.get(pk=b.pk), of=a, actor=moderator),
    )

    assert sum(isinstance(o, Question) for o in outcomes) == 1, outcomes
    assert sum(isinstance(o, QuestionError) for o in outcomes) == 1, outcomes
    states = sorted(Question.objects.filter(pk__in=[a.pk, b.pk]).values_list("state", flat=True))
    assert states == [S.DUPLICATE, S.SUBMITTED]


def test_the_admin_search_is_served_by_the_trigram_indexes(rf):
    """The indexes' expressions must match the SQL Django writes for the admin's search."""
    from django.contrib.admin.sites import site

    QuestionFactory.create_batch(3)
    admin = site._registry[Question]
    queryset, _ = admin.get_search_results(rf.get("/"), Question.objects.all(), "ukraine")
    sql, params = queryset.order_by().values("pk").query.sql_with_params()  # as counted
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a tiny table would be scanned
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    for index in ("question_search_title_trgm", "question_search_text_trgm"):
        assert index in plan, plan
