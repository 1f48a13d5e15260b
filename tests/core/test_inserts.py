"""core.inserts: a row inserted by the statement compiled once is the row save() would write."""

import pytest
from django.db import connection
from django.db.models import signals
from django.forms.models import model_to_dict
from django.test.utils import CaptureQueriesContext

from core import inserts
from questions.models import OutboundEmail, Question
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db


def new_question(event, title: str) -> Question:
    return Question(
        event=event,
        theme=event.themes.first(),
        title=title,
        text="Que fait la France ?",
        display_name="Camille",
        email="camille@example.org",
        region="BRE",
        language="fr",
    )


def stored(instance):
    row = type(instance).objects.get(pk=instance.pk)
    return {k: v for k, v in model_to_dict(row).items() if k not in ("id", "public_id")}


def test_an_inserted_row_is_the_row_save_writes_in_one_statement():
    event = EventFactory()
    saved = new_question(event, "Une question sur l'Europe")
    saved.save()
    inserted = new_question(event, "Une question sur l'Europe")
    with CaptureQueriesContext(connection) as queries:
        assert inserts.insert(inserted) is inserted
    assert len(queries) == 1 and queries[0]["sql"].startswith("INSERT")
    assert inserted.pk > saved.pk and not inserted._state.adding
    assert stored(inserted) == stored(saved)
    row = Question.objects.get(pk=inserted.pk)
    assert row.public_id == inserted.public_id != saved.public_id  # each its own default
    assert row.created_at == inserted.created_at and row.updated_at == inserted.updated_at
    assert row.created_at >= saved.created_at  # auto_now_add, auto_now: set at the insert
    assert row.slug == "une-question-sur-leurope"


def test_a_foreign_key_and_null_fields_are_written_as_save_writes_them():
    question = new_question(EventFactory(), "Titre")
    question.save()
    message = inserts.insert(
        OutboundEmail(to="a@example.org", kind="k", language="fr", question=question)
    )
    row = OutboundEmail.objects.get(pk=message.pk)
    assert row.question == question and row.sent_at is None and row.attempts == 0
    assert row.expires_at is None and row.created_at == message.created_at


def test_a_model_with_a_save_receiver_is_saved_by_the_orm_so_the_receiver_sees_it():
    question = new_question(EventFactory(), "Titre")
    question.save()
    seen = []

    def receiver(sender, instance, created, **kwargs):
        seen.append((instance.to, created))

    signals.post_save.connect(receiver, sender=OutboundEmail)
    try:
        message = inserts.insert(
            OutboundEmail(to="a@example.org", kind="k", language="fr", question=question)
        )
    finally:
        signals.post_save.disconnect(receiver, sender=OutboundEmail)
    assert seen == [("a@example.org", True)]
    assert OutboundEmail.objects.get(pk=message.pk).to == "a@example.org"


def test_a_model_that_overrides_save_is_saved_by_save(monkeypatch):
    calls = []
    original = Question.save

    def save(self, *args, **kwargs):
        calls.append(kwargs)
        original(self, *args, **kwargs)

    monkeypatch.setattr(Question, "save", save)
    question = inserts.insert(new_question(EventFactory(), "Titre"))
    assert calls == [{"force_insert": True}]
    assert Question.objects.get(pk=question.pk).title == "Titre"


@pytest.mark.parametrize("write", ["save", "bulk_create", "insert"])
def test_every_write_path_makes_the_slug_from_the_title(write):
    event = EventFactory()
    question = new_question(event, "L'Europe et l'Afrique : quelle coopération ?")
    if write == "save":
        question.save()
    elif write == "bulk_create":
        Question.objects.bulk_create([question])
    else:
        inserts.insert(question)
    row = Question.objects.get(event=event)
    assert row.slug == "leurope-et-lafrique-quelle-coopération"
    assert question.slug == row.slug  # the instance written has it too, for its URL


def test_a_title_with_no_letter_gets_a_slug_all_the_same():
    question = inserts.insert(new_question(EventFactory(), "???"))
    assert Question.objects.get(pk=question.pk).slug == "question"


def test_a_slug_given_is_kept():
    question = new_question(EventFactory(), "Titre")
    question.slug = "choisi"
    question.save()
    question.title = "Autre titre"
    question.save()
    assert Question.objects.get(pk=question.pk).slug == "choisi"
