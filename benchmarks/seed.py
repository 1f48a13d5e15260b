"""Benchmark data, created with bulk inserts in a fresh database."""

import random
from dataclasses import dataclass
from datetime import timedelta
from io import StringIO

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone
from django.utils.text import slugify

from events.models import Event, Theme
from questions import tallies
from questions.models import Question, QuestionState, RejectionReason, new_public_id
from questions.workflow import REJECT, path_to

EVENT_QUESTIONS = 200
ADMIN_QUESTIONS = 100_000
ADMIN_USERNAME = "bench-admin"
ADMIN_PASSWORD = "bench-admin-password-not-secret"  # noqa: S105 - a throwaway local database
TOPICS = [
    "l'Ukraine",
    "le climat",
    "l'aide au développement",
    "les visas étudiants",
    "l'Union européenne",
    "le Sahel",
    "la francophonie",
    "les Français de l'étranger",
    "le commerce extérieur",
    "la mer de Chine",
]


@dataclass
class BenchData:
    event: Event
    question: Question
    burst_event: Event
    admin_username: str = ADMIN_USERNAME
    admin_password: str = ADMIN_PASSWORD


def question_rows(
    *, count: int, events: list[Event], themes: list[Theme], states: list[str], seed: int
) -> list[Question]:
    randomizer = random.Random(seed)  # noqa: S311 - reproducible data, not security
    now = timezone.now()
    rows = []
    for number in range(count):
        state = states[number % len(states)]
        topic = randomizer.choice(TOPICS)
        title = f"Que fait la France pour {topic} ? ({number})"
        rows.append(
            Question(
                public_id=new_public_id(),
                slug=slugify(title)[:140],
                event=randomizer.choice(events),
                theme=randomizer.choice(themes),
                title=title,
                text=f"Question n° {number} sur {topic}. " * 6,
                display_name=f"Citoyen {number}",
                email=f"citoyen{number}@example.org",
                region="IDF",
                language=randomizer.choice(["fr", "fr", "fr", "en", "ar", "de"]),
                state=state,
                rejection_reason=RejectionReason.OFF_TOPIC if state == REJECT.target else "",
                support_count=randomizer.randint(0, 300),
                # The timestamps of the way the workflow leads to that state.
                **{action.stamp: now for action in path_to(state) if action.stamp},
            )
        )
    return rows


def make_event(number: int, themes: list[Theme]) -> Event:
    now = timezone.now()
    event = Event.objects.create(
        title=f"Rencontre citoyenne n° {number}",
        slug=f"rencontre-bench-{number}",
        city="Lyon",
        region="ARA",
        venue="Hôtel de Région",
        starts_at=now + timedelta(days=7 + number),
        ends_at=now + timedelta(days=7 + number, hours=3),
        questions_open_at=now - timedelta(days=7),
        questions_close_at=now + timedelta(days=7 + number, hours=3),
        speakers="Porte-parole du ministère\nDirectrice d'Europe continentale",
        is_published=True,
    )
    event.themes.set(themes)
    return event


def create_bench_data() -> BenchData:
    # The admin's questions: the moderation helper's generator, over its own synthetic events.
    call_command(
        "create_synthetic_questions", ADMIN_QUESTIONS - EVENT_QUESTIONS, seed=1, stdout=StringIO()
    )
    # The measured event page: exactly 200 public questions, created after the others.
    themes = [
        Theme.objects.create(slug=f"bench-theme-{n}", name=f"Thème {n}", position=n)
        for n in range(6)
    ]
    event = make_event(0, themes)
    event_questions = Question.objects.bulk_create(
        question_rows(
            count=EVENT_QUESTIONS,
            events=[event],
            themes=themes,
            states=[QuestionState.APPROVED],
            seed=1,
        )
    )
    tallies.questions_created(event_questions)  # the statistics' aggregates
    get_user_model().objects.create_superuser(ADMIN_USERNAME, "bench@example.org", ADMIN_PASSWORD)
    question = Question.objects.filter(event=event).order_by("pk").first()
    burst_event = make_event(99, themes[:1])  # receives the burst of submissions
    return BenchData(event=event, question=question, burst_event=burst_event)
