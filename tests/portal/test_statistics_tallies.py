"""The stored aggregates behind the question figures: after any sequence of workflow actions they
give the numbers a full recount of the questions gives, and the rebuild command finds them again."""

import random
import statistics
from datetime import datetime, timedelta
from io import StringIO
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.utils import timezone

from portal.statistics import figures
from portal.statistics.figures import Period
from questions import moderation, privacy, services, supports
from questions.exceptions import QuestionError
from questions.live import services as live
from questions.models import Question, QuestionDelay, QuestionTally, RejectionReason
from questions.models import QuestionState as S
from tests.factories import EventFactory, QuestionFactory, ThemeFactory

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")
START = datetime(2026, 1, 28, 9, tzinfo=PARIS)
DIMENSIONS = ["event", "theme", "region", "language", "month"]
COLUMNS = [key for key, _label in figures.FLOW_COLUMNS + figures.MEDIAN_COLUMNS]


class Clock:
    """timezone.now() moved forward by the test: questions written and decided on many days."""

    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now

    def advance(self, rng: random.Random) -> None:
        self.now += timedelta(hours=rng.randint(1, 60))


def recount(dimension: str, period: Period) -> dict:
    """The figures from the questions themselves, one by one (the oracle)."""
    start, end = period.bounds()
    groups: dict = {}
    for q in Question.objects.select_related("event", "theme"):
        if (start and q.created_at < start) or (end and q.created_at >= end):
            continue
        written = timezone.localtime(q.created_at, PARIS)
        label = {
            "event": lambda q=q: str(q.event.i18n.title),
            "theme": lambda q=q: q.theme.localized_name,
            "region": lambda q=q: q.get_region_display(),
            "language": lambda q=q: q.get_language_display(),
            "month": lambda w=written: figures.questions.date_format(w.date(), "YEAR_MONTH_FORMAT"),
        }[dimension]()
        row = groups.setdefault(label, {key: 0 for key in COLUMNS[:8]} | {"d": [], "a": []})
        row["received"] += 1
        row["confirmed"] += q.confirmed_at is not None
        row["approved"] += q.approved_at is not None
        row["rejected"] += q.state == S.REJECTED
        row["merged"] += q.state == S.DUPLICATE
        row["selected"] += q.selected_at is not None
        row["answered"] += q.answered_at is not None
        row["supports"] += q.support_count
        decided = q.approved_at or q.rejected_at
        if decided and q.confirmed_at:
            row["d"].append((decided - q.confirmed_at).total_seconds())
        if q.answered_at and q.selected_at:
            row["a"].append((q.answered_at - q.selected_at).total_seconds())
    for row in groups.values():
        decisions, answers = row.pop("d"), row.pop("a")
        row["decision_days"] = round(statistics.median(decisions) / 86400, 1) if decisions else None
        row["answer_days"] = round(statistics.median(answers) / 86400, 1) if answers else None
    return groups


def shown(dimension: str, period: Period) -> dict:
    figure = figures.question_flow(dimension, period)
    return {row[0]: dict(zip(COLUMNS, row[1:], strict=True)) for row in figure.rows}


def recounted_rejections() -> list:
    reasons = dict(RejectionReason.choices)
    counts: dict = {}
    for reason in Question.objects.filter(state=S.REJECTED).values_list(
        "rejection_reason", flat=True
    ):
        counts[str(reasons[reason])] = counts.get(str(reasons[reason]), 0) + 1
    return sorted(([label, n] for label, n in counts.items()), key=lambda row: -row[1])


def assert_figures_equal_a_recount() -> None:
    periods = [
        Period(),
        Period(since=START.date() + timedelta(days=3), until=START.date() + timedelta(days=12)),
    ]
    for period in periods:
        for dimension in DIMENSIONS:
            assert shown(dimension, period) == recount(dimension, period), (dimension, period)
    assert sorted(map(tuple, figures.rejections(Period()).rows)) == sorted(
        map(tuple, recounted_rejections())
    )


def step(rng: random.Random, clock: Clock, events: list, themes: list, number: int) -> None:
    """One citizen's or moderator's action on a random question (refused ones are fine)."""
    questions = list(Question.objects.order_by("pk"))
    choice = rng.random()
    if choice < 0.25 or not questions:
        event = rng.choice(events)
        services.submit_question(
            event=event,
            theme=rng.choice(list(event.themes.all())),
            title=f"Question {number} sur la diplomatie ?",
            text="Quelle est la position de la France sur ce sujet précis ?",
            display_name=f"Citoyen {number}",
            email=f"c{number % 7}@example.org",
            region=rng.choice(["ARA", "BRE", "IDF"]),
            language=rng.choice(["fr", "en", "ar"]),
        )
        return
    question = rng.choice(questions)
    support = lambda: supports.support_question(  # noqa: E731
        question=question, browser_key=f"b{rng.randint(1, 9)}"
    )
    actions = {
        "confirm": lambda: services.confirm_question(question=question),
        "approve": lambda: moderation.approve_question(question=question, actor=None),
        "reject": lambda: moderation.reject_question(
            question=question, actor=None, reason=rng.choice(RejectionReason.values)
        ),
        "merge": lambda: moderation.mark_duplicate(
            question=question, of=rng.choice(questions), actor=None
        ),
        "undo": lambda: moderation.undo_rejection(question=question, actor=None),
        "select": lambda: moderation.select_for_answer(question=question, actor=None),
        "unselect": lambda: moderation.unselect_question(question=question, actor=None),
        "answer": lambda: services.mark_question_answered(question=question, actor=None),
        "shortlist": lambda: live.shortlist_question(question=question, actor=None),
        "stage": lambda: live.start_answering(question=question, actor=None),
        "on_stage": lambda: live.answer_on_stage(question=question, actor=None),
        "support": support,
        "erase": lambda: privacy.delete_personal_data(email=question.email or "x@example.org"),
    }
    # Mostly what the question's state allows; sometimes anything (refused, as on the site).
    likely = {
        S.UNCONFIRMED: ["confirm", "confirm", "confirm", "erase"],
        S.SUBMITTED: ["approve", "approve", "reject", "merge"],
        S.APPROVED: ["select", "reject", "merge", "shortlist", "stage", "support", "support"],
        S.SELECTED: ["answer", "answer", "unselect", "support"],
        S.SHORTLISTED: ["stage", "support"],
        S.ANSWERING: ["on_stage"],
        S.ON_STAGE: ["answer"],
        S.REJECTED: ["undo", "erase"],
    }.get(question.state, list(actions))
    name = rng.choice(likely if rng.random() < 0.85 else list(actions))
    try:
        actions[name]()
    except QuestionError:
        pass  # not allowed from this state, as on the site


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_aggregates_equal_a_full_recount_after_any_sequence_of_actions(seed):
    rng = random.Random(seed)
    themes = [ThemeFactory(slug=f"t{n}", name=f"Thème {n}") for n in range(3)]
    events = [
        EventFactory(
            title=f"Étape {n}",
            slug=f"etape-{n}",
            themes=themes[n : n + 2],
            questions_open_at=START - timedelta(days=1),
            questions_close_at=START + timedelta(days=400),
            starts_at=START + timedelta(days=401),
            ends_at=START + timedelta(days=401, hours=2),
        )
        for n in range(2)
    ]
    clock = Clock()
    with mock.patch("django.utils.timezone.now", clock):
        for number in range(150):
            step(rng, clock, events, themes, number)
            clock.advance(rng)
    assert Question.objects.exclude(state=S.UNCONFIRMED).exists()
    assert Question.objects.filter(state__in=[S.REJECTED, S.ANSWERED]).exists()
    assert_figures_equal_a_recount()
    # The rebuild finds the same tables again, row for row.
    before = (table_contents(QuestionTally), table_contents(QuestionDelay))
    call_command("rebuild_question_tallies", stdout=StringIO())
    assert (table_contents(QuestionTally), table_contents(QuestionDelay)) == before


def table_contents(model) -> set:
    fields = [f.name for f in model._meta.fields if f.name != "id"]
    return {
        row for row in model.objects.values_list(*fields) if any(row[3:]) or model is QuestionDelay
    }


def test_a_moderator_correcting_the_theme_moves_the_question_between_themes(admin_client):
    europe, climat = ThemeFactory(name="Europe"), ThemeFactory(name="Climat")
    event = EventFactory(themes=[europe, climat])
    question = QuestionFactory(
        event=event, theme=europe, state=S.APPROVED, approved_at=timezone.now()
    )
    response = admin_client.post(
        f"/admin/questions/question/{question.pk}/change/",
        {"theme": climat.pk, "decisions-TOTAL_FORMS": "0", "decisions-INITIAL_FORMS": "0"},
    )
    assert response.status_code == 302
    assert {label: row["received"] for label, row in shown("theme", Period()).items()} == {
        "Climat": 1
    }
    assert_figures_equal_a_recount()
