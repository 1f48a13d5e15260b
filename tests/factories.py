from datetime import timedelta

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from events.models import Event, Theme
from questions import tallies
from questions.models import Question, QuestionState


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme
        django_get_or_create = ["slug"]

    slug = factory.Sequence(lambda n: f"theme-{n}")
    name = factory.Sequence(lambda n: f"Thème {n}")
    name_translations = factory.LazyAttribute(lambda theme: {"en": f"Theme {theme.slug}"})


class EventFactory(factory.django.DjangoModelFactory):
    """A published event whose question window is open now."""

    class Meta:
        model = Event
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Rencontre citoyenne {n}")
    slug = factory.Sequence(lambda n: f"rencontre-{n}")
    city = "Lyon"
    region = "ARA"
    venue = "Hôtel de Région"
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))
    ends_at = factory.LazyAttribute(lambda event: event.starts_at + timedelta(hours=3))
    questions_open_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=7))
    questions_close_at = factory.LazyAttribute(lambda event: event.ends_at)
    speakers = "Porte-parole du ministère"
    is_published = True

    @factory.post_generation
    def themes(self, create, extracted, **kwargs):
        if create:
            self.themes.set(extracted or [ThemeFactory()])


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    event = factory.SubFactory(EventFactory)
    theme = factory.LazyAttribute(lambda question: question.event.themes.first() or ThemeFactory())
    title = factory.Sequence(lambda n: f"Quelle politique pour la question {n} ?")
    text = "Quelle est la position de la France sur ce sujet, et comment la défend-elle ?"
    display_name = factory.Sequence(lambda n: f"Citoyen {n}")
    email = factory.Sequence(lambda n: f"citoyen{n}@example.org")
    region = "ARA"
    language = "fr"
    state = QuestionState.APPROVED
    confirmed_at = factory.LazyFunction(timezone.now)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        """Counted in the statistics' aggregates, as the services count a new question."""
        question = super()._create(model_class, *args, **kwargs)
        tallies.questions_created([question])
        return question


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    is_staff = True
    password = factory.django.Password("correct horse battery staple")

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.set(Group.objects.filter(name__in=extracted))
