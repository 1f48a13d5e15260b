import os
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from events.models import Event, Theme
from media_pipeline import demo as demo_video
from portal import demo_data
from portal.opendata.dumps import export_dumps
from portal.roles import COMMUNICATION, MODERATORS, SPOKESPERSON_STAFF
from portal.statistics.models import PlayCount
from questions import tallies, workflow
from questions.models import ModerationDecision, Question, QuestionState, RejectionReason

DEMO_ID_PREFIX = "demo"


class Command(BaseCommand):
    help = "Create demo events, themes, questions and users (idempotent)."

    def handle(self, *args, **options) -> None:
        with transaction.atomic():
            themes = self.seed_themes()
            events = self.seed_events(themes)
            created = self.seed_questions(events, themes)
        self.stdout.write(f"Demo data: {len(events)} events, {created} new questions.")
        self.seed_users()
        self.seed_answer_video(events)
        self.seed_plays()
        dumps = export_dumps()
        self.stdout.write(f"Open data: {dumps[0].records} public questions in CSV and JSON.")

    def seed_themes(self) -> list[Theme]:
        themes = []
        for position, (slug, name, translations) in enumerate(demo_data.THEMES):
            theme, _ = Theme.objects.update_or_create(
                slug=slug,
                defaults={"name": name, "name_translations": translations, "position": position},
            )
            themes.append(theme)
        return themes

    def seed_events(self, themes: list[Theme]) -> list[Event]:
        events = []
        for index, spec in enumerate(demo_data.event_specs()):
            starts_at = spec.pop("starts_at")
            opens_at = spec.pop("questions_open_at")
            event, created = Event.objects.get_or_create(
                slug=spec.pop("slug"),
                defaults={
                    **spec,
                    "starts_at": starts_at,
                    "ends_at": starts_at + timedelta(hours=3),
                    "questions_open_at": opens_at,
                    "questions_close_at": starts_at + timedelta(hours=3),
                    "speakers": demo_data.SPEAKERS,
                    "description": (
                        f"Le porte-parole et des diplomates viennent à {spec['city']} "
                        "répondre aux questions des citoyens sur la politique étrangère "
                        "de la France."
                    ),
                    "is_published": True,
                },
            )
            if created:
                event.themes.set(themes[index % 3 : index % 3 + 4])
            events.append(event)
        return events

    def seed_questions(self, events: list[Event], themes: list[Theme]) -> int:
        now = timezone.now()
        open_events = [event for event in events if event.questions_open_at <= now]
        created = 0
        kept: Question | None = None
        for index, state in enumerate(demo_data.STATE_PLAN):
            public_id = f"{DEMO_ID_PREFIX}{index:06d}"
            if Question.objects.filter(public_id=public_id).exists():
                continue
            title, text = demo_data.QUESTION_TEXTS[index % len(demo_data.QUESTION_TEXTS)]
            question = Question(
                public_id=public_id,
                event=open_events[index % len(open_events)],
                theme=themes[index % len(themes)],
                title=title if index < 6 else f"{title} ({index})",
                text=text,
                display_name=demo_data.DISPLAY_NAMES[index % 10],
                email=f"citoyen{index}@example.org",
                region=demo_data.REGIONS[index % 10],
                language=demo_data.LANGUAGES[index % 10],
                state=state,
                support_count=(index * 7) % 23 if state in workflow.PUBLIC_STATES else 0,
            )
            if state == QuestionState.REJECTED:
                question.rejection_reason = RejectionReason.OFF_TOPIC
                question.rejection_note = "Cette question relève de la politique intérieure."
            if state == QuestionState.DUPLICATE:
                question.duplicate_of = kept
            # The timestamps and history of the way the workflow leads to that state.
            for action in workflow.path_to(state):
                if action.stamp:
                    setattr(question, action.stamp, now - timedelta(hours=index))
            question.save()
            tallies.questions_created([question])  # the statistics' aggregates
            self.record_history(question)
            kept = kept or question
            created += 1
        return created

    def record_history(self, question: Question) -> None:
        previous = QuestionState.UNCONFIRMED
        for action in workflow.path_to(question.state):
            ModerationDecision.objects.create(
                question=question,
                from_state=previous,
                to_state=action.target,
                reason=question.rejection_reason if action is workflow.REJECT else "",
            )
            previous = action.target

    def seed_answer_video(self, events: list[Event]) -> None:
        """An answered question whose generated clip went through the real video pipeline."""
        open_events = [event for event in events if event.questions_open_at <= timezone.now()]
        video = demo_video.seed_answer_video(open_events[0])
        state = video.get_state_display() if video else "—"
        self.stdout.write(f"Demo answer video: {state}.")

    def seed_plays(self) -> None:
        """Two weeks of plays of the answered questions, so the statistics show something."""
        today = timezone.localdate()
        answered = Question.objects.filter(
            state=QuestionState.ANSWERED, public_id__startswith=DEMO_ID_PREFIX
        )
        for rank, question in enumerate(answered.order_by("pk")):
            for day_offset in range(14):
                for position, language in enumerate(("fr", "en", "ar")):
                    started = (40 + 7 * day_offset) // (1 + rank + 2 * position)
                    PlayCount.objects.update_or_create(
                        day=today - timedelta(days=day_offset),
                        question=question,
                        language=language,
                        defaults={"started": started, "completed": started * 3 // 5},
                    )

    def seed_users(self) -> None:
        """A superuser, a moderator, a spokesperson-staff and a communication account sharing
        one demo password."""
        password = self.demo_password()
        accounts = [
            ("admin", None),
            ("moderateur", MODERATORS),
            ("porte-parole", SPOKESPERSON_STAFF),
            ("communication", COMMUNICATION),
        ]
        for username, group_name in accounts:
            user, _ = get_user_model().objects.get_or_create(
                username=username, defaults={"is_staff": True, "email": f"{username}@example.org"}
            )
            user.is_superuser = group_name is None
            user.set_password(password)
            user.save()
            user.groups.set([Group.objects.get(name=group_name)] if group_name else [])
            self.stdout.write(f"Demo login: {username} / {password}")

    def demo_password(self) -> str:
        """DEMO_ADMIN_PASSWORD, else one generated once and kept under var/ (never committed)."""
        if os.environ.get("DEMO_ADMIN_PASSWORD"):
            return os.environ["DEMO_ADMIN_PASSWORD"]
        kept = settings.VAR_DIR / "demo-admin-password"
        if not kept.exists():
            kept.parent.mkdir(parents=True, exist_ok=True)
            kept.write_text(secrets.token_urlsafe(12))
            kept.chmod(0o600)
        return kept.read_text().strip()
