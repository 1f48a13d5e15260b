"""Fill the daily play counters as if `count` play events had been sent (benchmarks, demos)."""

import random
from collections import Counter
from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from portal.statistics.models import PlayCount
from questions.models import Question, QuestionState

BATCH = 5000


class Command(BaseCommand):
    help = "Spread COUNT synthetic play events over answered questions, days and languages."

    def add_arguments(self, parser) -> None:
        parser.add_argument("count", type=int, nargs="?", default=1_000_000)
        parser.add_argument("--days", type=int, default=180)
        parser.add_argument("--answers", type=int, default=300)
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, count: int, days: int, answers: int, seed: int, **options) -> None:
        answered = list(
            Question.objects.filter(state=QuestionState.ANSWERED)
            .order_by("pk")
            .values_list("pk", flat=True)[:answers]
        )
        if not answered:
            raise CommandError("no answered question to play: create questions first")
        rng = random.Random(seed)  # noqa: S311 - reproducible data, not security
        today = timezone.localdate()
        languages = [code for code, _name in settings.LANGUAGES]
        # About 55 % of plays reach the end: that many starts make `count` events in all.
        starts = round(count / 1.55)
        # Popular answers, recent days and French pages get more plays, as they would.
        questions = rng.choices(answered, weights=range(len(answered), 0, -1), k=starts)
        languages_played = rng.choices(languages, weights=[50, 20, 8, 8, 8, 6], k=starts)
        day_offsets = [int(rng.expovariate(4 / days)) % days for _ in range(starts)]
        started = Counter(
            zip(
                questions,
                (today - timedelta(days=offset) for offset in day_offsets),
                languages_played,
                strict=True,
            )
        )
        rows = [
            PlayCount(
                question_id=question_id,
                day=day,
                language=language,
                started=plays,
                completed=round(plays * 0.55),
            )
            for (question_id, day, language), plays in started.items()
        ]
        PlayCount.objects.bulk_create(
            rows,
            batch_size=BATCH,
            update_conflicts=True,  # replaces the counters of those days
            unique_fields=["day", "question", "language"],
            update_fields=["started", "completed"],
        )
        events = sum(row.started + row.completed for row in rows)
        self.stdout.write(f"{events} play events in {len(rows)} daily counters")
