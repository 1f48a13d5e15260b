"""Create N synthetic questions quickly (bulk inserts), for benchmarks and load tests.

    manage.py create_synthetic_questions 100000 [--batch-size 5000] [--seed 1]

Questions are spread over the published events (a few synthetic ones are created if there are
none), every state, language and region, with creation dates over the past year.
"""

import random
import time
from contextlib import contextmanager
from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.utils import timezone

from events.models import Event, Theme
from events.regions import CITIZEN_REGION_CHOICES
from questions import tallies
from questions.models import Question, RejectionReason, new_public_id
from questions.models import QuestionState as S
from questions.workflow import PUBLIC_STATES, path_to

# Roughly what a live tour looks like: most questions published or waiting, few answered.
STATE_WEIGHTS = {
    S.UNCONFIRMED: 5,
    S.SUBMITTED: 25,
    S.APPROVED: 45,
    S.SELECTED: 3,
    S.ANSWERED: 2,
    S.REJECTED: 20,
}
SUBJECTS = [
    "l'aide à l'Ukraine",
    "le Sahel",
    "la politique climatique européenne",
    "les visas étudiants",
    "la francophonie",
    "l'élargissement de l'Union européenne",
    "la sécurité en Indo-Pacifique",
    "l'aide publique au développement",
    "les Français de l'étranger",
    "la diplomatie économique",
]
OPENINGS = [
    "Quelle est la position de la France sur",
    "Comment la France agit-elle pour",
    "Que fait le ministère concernant",
    "Quels résultats concrets pour",
]


@contextmanager
def keep_given_creation_dates():
    """bulk_create stamps auto_now_add fields with now(); synthetic data needs a spread."""
    field = Question._meta.get_field("created_at")
    field.auto_now_add = False
    try:
        yield
    finally:
        field.auto_now_add = True


class Command(BaseCommand):
    help = "Create N synthetic questions with bulk inserts (benchmarks, load tests)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("count", type=int, help="How many questions to create.")
        parser.add_argument("--batch-size", type=int, default=5000)
        parser.add_argument("--seed", type=int, default=None, help="Reproducible content.")

    def handle(self, *args, count: int, batch_size: int, seed: int | None, **options) -> None:
        rng = random.Random(seed)  # noqa: S311 - synthetic content, not security
        events = list(Event.objects.filter(is_published=True).prefetch_related("themes"))
        if not events:
            events = [synthetic_event(number) for number in range(1, 6)]
        themes = {event.pk: list(event.themes.all()) or [default_theme()] for event in events}
        started, created = time.monotonic(), 0
        with keep_given_creation_dates():
            while created < count:
                size = min(batch_size, count - created)
                batch = [synthetic_question(rng, events, themes) for _ in range(size)]
                with transaction.atomic():
                    Question.objects.bulk_create(batch, batch_size=size)
                    tallies.questions_created(batch)  # the statistics' aggregates
                created += size
                if options["verbosity"] > 1:
                    self.stdout.write(f"{created}/{count}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Created {created} synthetic questions in {time.monotonic() - started:.1f} s."
            )
        )


def synthetic_question(rng: random.Random, events: list[Event], themes: dict) -> Question:
    now = timezone.now()
    event = rng.choice(events)
    state = rng.choices(list(STATE_WEIGHTS), weights=list(STATE_WEIGHTS.values()))[0]
    created_at = now - timedelta(seconds=rng.randint(60, 365 * 24 * 3600))
    title = f"{rng.choice(OPENINGS)} {rng.choice(SUBJECTS)} ?"[:120]
    # Each action on the way to that state sets its timestamp, half an hour apart.
    stamps = {
        action.stamp: created_at + timedelta(minutes=5 + 30 * step)
        for step, action in enumerate(path_to(state))
        if action.stamp
    }
    public_id = new_public_id()
    return Question(
        public_id=public_id,
        event=event,
        theme=rng.choice(themes[event.pk]),
        title=title,
        text=f"{title} Question de synthèse {public_id}, pour mesurer les performances.",
        display_name=f"Citoyen {public_id[:4]}",
        email=f"synthetic-{public_id}@example.invalid",
        region=rng.choice(CITIZEN_REGION_CHOICES)[0],
        language=rng.choice(settings.LANGUAGES)[0],
        state=state,
        rejection_reason=rng.choice(RejectionReason.values) if state == S.REJECTED else "",
        support_count=rng.randint(0, 500) if state in PUBLIC_STATES else 0,
        created_at=created_at,
        **stamps,
    )


def default_theme() -> Theme:
    theme, _ = Theme.objects.get_or_create(slug="synthetique", defaults={"name": "Synthétique"})
    return theme


def synthetic_event(number: int) -> Event:
    now = timezone.now()
    event, _ = Event.objects.get_or_create(
        slug=f"evenement-synthetique-{number}",
        defaults={
            "title": f"Rencontre synthétique {number}",
            "city": "Synthèse",
            "region": "IDF",
            "venue": "Salle de test",
            "starts_at": now + timedelta(days=number),
            "ends_at": now + timedelta(days=number, hours=3),
            "questions_open_at": now - timedelta(days=30),
            "questions_close_at": now + timedelta(days=number, hours=3),
            "speakers": "Porte-parole",
            "is_published": True,
        },
    )
    event.themes.add(default_theme())
    return event
