"""Moderation services: every decision, every refusal, and the e-mails they send after commit."""

from datetime import timedelta

import pytest
from django.utils import timezone

from questions.exceptions import (
    AlreadyDecided,
    InvalidDuplicateTarget,
    InvalidRejectionReason,
    TransitionNotAllowed,
    UndoPeriodOver,
)
from questions.models import ModerationDecision, OutboundEmail, Question, Support
from questions.models import QuestionState as S
from questions.moderation import (
    approve_question,
    mark_duplicate,
    reject_question,
    select_for_answer,
    undo_rejection,
    unselect_question,
)
from tests.factories import QuestionFactory, UserFactory

pytestmark = pytest.mark.django_db

ALL_STATES = list(S.values)


def states_except(*allowed: str) -> list[str]:
    return [state for state in ALL_STATES if state not in allowed]


@pytest.fixture
def moderator():
    return UserFactory(groups=["Moderators"])


def last_decision(question: Question) -> ModerationDecision:
    return question.decisions.order_by("-created_at", "-pk").first()


# --- approve -------------------------------------------------------------------------------


def test_approving_publishes_the_question_and_emails_the_author_after_commit(
    moderator, django_capture_on_commit_callbacks
):
    question = QuestionFactory(state=S.SUBMITTED, language="en", email="camille@example.org")
    with django_capture_on_commit_callbacks() as callbacks:
        approved = approve_question(question=question, actor=moderator)
        assert OutboundEmail.objects.count() == 1  # stored with the decision…
        assert callbacks == []  # …handed to the worker only once the decision commits
    # The e-mail, and the cached public pages made stale (the question is now public).
    assert "bump_cached_pages" in [callback.__name__ for callback in callbacks]
    assert len(callbacks) == 2
    assert approved.state == S.APPROVED and approved.approved_at is not None
    assert Question.objects.public().filter(pk=question.pk).exists()
    decision = last_decision(question)
    assert (decision.actor, decision.from_state, decision.to_state) == (
        moderator,
        S.SUBMITTED,
        S.APPROVED,
    )
    email = OutboundEmail.objects.get()
    assert (email.to, email.kind, email.language) == (
        "camille@example.org",
        "question_approved",
        "en",
    )
    assert question.title in email.subject
    assert f"/en/questions/{question.public_id}/" in email.body_text
    assert 'lang="en"' in email.body_html


@pytest.mark.parametrize("state", states_except(S.SUBMITTED))
def test_only_a_submitted_question_can_be_approved(moderator, state):
    question = QuestionFactory(state=state)
    with pytest.raises(TransitionNotAllowed) as refused:
        approve_question(question=question, actor=moderator)
    assert question.title in refused.value.message
    question.refresh_from_db()
    assert question.state == state
    assert not ModerationDecision.objects.exists() and not OutboundEmail.objects.exists()


def test_approving_a_question_without_an_email_sends_nothing(moderator):
    approve_question(question=QuestionFactory(state=S.SUBMITTED, email=""), actor=moderator)
    assert not OutboundEmail.objects.exists()


# --- reject --------------------------------------------------------------------------------


@pytest.mark.parametrize("state", [S.SUBMITTED, S.APPROVED])
def test_rejecting_records_reason_and_note_and_tells_the_author_why(moderator, state):
    question = QuestionFactory(state=state, language="de")
    rejected = reject_question(
        question=question,
        actor=moderator,
        reason="personal_case",
        note="  Schreiben Sie dem Konsulat.  ",
    )
    assert rejected.state == S.REJECTED and rejected.rejected_at is not None
    assert (rejected.rejection_reason, rejected.rejection_note) == (
        "personal_case",
        "Schreiben Sie dem Konsulat.",
    )
    decision = last_decision(question)
    assert (decision.from_state, decision.to_state, decision.reason, decision.note) == (
        state,
        S.REJECTED,
        "personal_case",
        "Schreiben Sie dem Konsulat.",
    )
    email = OutboundEmail.objects.get(kind="question_rejected")
    assert email.language == "de"
    assert "Schreiben Sie dem Konsulat." in email.body_text
    assert "Schreiben Sie dem Konsulat." in email.body_html
    assert not Question.objects.public().filter(pk=question.pk).exists()


def test_the_rejection_email_gives_the_reason_in_the_authors_language(moderator):
    from django.utils import translation

    question = QuestionFactory(state=S.SUBMITTED, language="fr")
    reject_question(question=question, actor=moderator, reason="off_topic")
    email = OutboundEmail.objects.get()
    with translation.override("fr"):
        reason_in_french = str(
            dict(question._meta.get_field("rejection_reason").choices)["off_topic"]
        )
    assert reason_in_french in email.body_text


@pytest.mark.parametrize("reason", ["", "spam", "published"])
def test_a_rejection_needs_a_reason_from_the_list(moderator, reason):
    question = QuestionFactory(state=S.SUBMITTED)
    with pytest.raises(InvalidRejectionReason):
        reject_question(question=question, actor=moderator, reason=reason)
    question.refresh_from_db()
    assert question.state == S.SUBMITTED


@pytest.mark.parametrize("state", states_except(S.SUBMITTED, S.APPROVED))
def test_rejection_is_refused_outside_the_queue_and_public_list(moderator, state):
    question = QuestionFactory(state=state)
    with pytest.raises(TransitionNotAllowed):
        reject_question(question=question, actor=moderator, reason="other")
    question.refresh_from_db()
    assert question.state == state and not OutboundEmail.objects.exists()


# --- duplicates ----------------------------------------------------------------------------


def support(question: Question, key: str, email: str = "", language: str = "fr") -> Support:
    return Support.objects.create(
        question=question, supporter_key=key, email=email, language=language
    )


def test_merging_moves_supporters_to_the_kept_question_counting_each_once(moderator):
    kept = QuestionFactory(state=S.APPROVED)
    duplicate = QuestionFactory(state=S.SUBMITTED, event=kept.event, language="es")
    for key in ("both", "kept-only"):
        support(kept, key)
    support(duplicate, "both", email="both@example.org", language="en")
    support(duplicate, "dup-only")
    Question.objects.filter(pk=kept.pk).update(support_count=2)
    Question.objects.filter(pk=duplicate.pk).update(support_count=2)

    merged = mark_duplicate(question=duplicate, of=kept, actor=moderator)

    kept.refresh_from_db()
    assert merged.state == S.DUPLICATE and merged.duplicate_of == kept
    keys = set(kept.supports.values_list("supporter_key", flat=True))
    # The duplicate's author counts as a supporter too: they asked the same thing.
    assert keys == {"both", "kept-only", "dup-only", f"author:{duplicate.public_id}"}
    assert kept.support_count == 4
    assert Question.objects.get(pk=duplicate.pk).support_count == 0
    # A supporter of both who asked to be told of the answer still will be.
    assert kept.supports.get(supporter_key="both").email == "both@example.org"
    email = OutboundEmail.objects.get(kind="question_merged")
    assert email.to == duplicate.email and email.language == "es"
    assert kept.title in email.body_text
    assert f"/es/questions/{kept.public_id}/" in email.body_text
    decision = last_decision(duplicate)
    assert (decision.from_state, decision.to_state) == (S.SUBMITTED, S.DUPLICATE)
    assert kept.public_id in decision.note


def test_questions_merged_into_a_duplicate_follow_it_to_the_kept_question(moderator):
    kept = QuestionFactory(state=S.APPROVED)
    middle = QuestionFactory(state=S.APPROVED)
    earlier = QuestionFactory(state=S.SUBMITTED)
    mark_duplicate(question=earlier, of=middle, actor=moderator)
    mark_duplicate(question=middle, of=kept, actor=moderator)
    assert Question.objects.get(pk=earlier.pk).duplicate_of_id == kept.pk


def test_merging_into_an_unpublished_question_sends_no_link(moderator):
    kept = QuestionFactory(state=S.SUBMITTED)
    duplicate = QuestionFactory(state=S.SUBMITTED)
    mark_duplicate(question=duplicate, of=kept, actor=moderator)
    email = OutboundEmail.objects.get(kind="question_merged")
    assert kept.public_id not in email.body_text


def test_merging_into_an_answered_question_points_to_its_answer(moderator):
    kept = QuestionFactory(state=S.ANSWERED)
    duplicate = QuestionFactory(state=S.SUBMITTED, language="fr")
    mark_duplicate(question=duplicate, of=kept, actor=moderator)
    body = OutboundEmail.objects.get(kind="question_merged").body_text
    assert "a déjà reçu une réponse en vidéo" in body
    assert f"/fr/questions/{kept.public_id}/" in body
    assert "Vous serez prévenu" not in body


def test_a_question_cannot_be_a_duplicate_of_itself(moderator):
    question = QuestionFactory(state=S.SUBMITTED)
    with pytest.raises(InvalidDuplicateTarget):
        mark_duplicate(question=question, of=question, actor=moderator)


@pytest.mark.parametrize("kept_state", [S.UNCONFIRMED, S.REJECTED, S.DUPLICATE])
def test_a_duplicate_is_only_merged_into_a_live_question(moderator, kept_state):
    kept = QuestionFactory(state=kept_state)
    question = QuestionFactory(state=S.SUBMITTED)
    support(question, "a")
    with pytest.raises(InvalidDuplicateTarget) as refused:
        mark_duplicate(question=question, of=kept, actor=moderator)
    assert kept.title in refused.value.message
    question.refresh_from_db()
    assert question.state == S.SUBMITTED and question.supports.count() == 1


@pytest.mark.parametrize("state", states_except(S.SUBMITTED, S.APPROVED))
def test_only_queued_or_public_questions_can_be_marked_duplicate(moderator, state):
    kept = QuestionFactory(state=S.APPROVED)
    question = QuestionFactory(state=state)
    support(question, "a")
    with pytest.raises(TransitionNotAllowed):
        mark_duplicate(question=question, of=kept, actor=moderator)
    assert question.supports.count() == 1 and kept.supports.count() == 0


# --- select --------------------------------------------------------------------------------


def test_staff_select_an_approved_question_for_an_answer():
    staff = UserFactory(groups=["Spokesperson staff"])
    question = QuestionFactory(state=S.APPROVED)
    selected = select_for_answer(question=question, actor=staff)
    assert selected.state == S.SELECTED and selected.selected_at is not None
    assert last_decision(question).actor == staff


@pytest.mark.parametrize("state", states_except(S.APPROVED))
def test_only_an_approved_question_can_be_selected(state):
    question = QuestionFactory(state=state)
    with pytest.raises(TransitionNotAllowed):
        select_for_answer(question=question, actor=None)
    question.refresh_from_db()
    assert question.state == state


def test_staff_withdraw_a_selection_and_the_question_is_published_again():
    question = QuestionFactory(state=S.SELECTED)
    approved = unselect_question(question=question, actor=None)
    assert approved.state == S.APPROVED and approved.selected_at is None
    assert Question.objects.public().filter(pk=question.pk).exists()


def test_a_selection_with_an_answer_video_cannot_be_withdrawn():
    from media_pipeline.models import AnswerVideo

    question = QuestionFactory(state=S.SELECTED)
    AnswerVideo.objects.create(question=question)
    with pytest.raises(TransitionNotAllowed) as refused:
        unselect_question(question=question, actor=None)
    assert "vidéo de réponse" in refused.value.message  # in the moderator's language (fr)
    assert Question.objects.get(pk=question.pk).state == S.SELECTED


@pytest.mark.parametrize("state", states_except(S.SELECTED))
def test_only_a_selected_question_can_be_unselected(state):
    question = QuestionFactory(state=state)
    with pytest.raises(TransitionNotAllowed):
        unselect_question(question=question, actor=None)


# --- undo a rejection ----------------------------------------------------------------------


def test_undoing_a_rejection_puts_the_question_back_in_the_queue(moderator):
    question = QuestionFactory(state=S.SUBMITTED)
    confirmed_at = question.confirmed_at
    reject_question(question=question, actor=moderator, reason="other", note="oops")
    restored = undo_rejection(question=Question.objects.get(pk=question.pk), actor=moderator)
    assert restored.state == S.SUBMITTED
    assert (restored.rejection_reason, restored.rejection_note, restored.rejected_at) == (
        "",
        "",
        None,
    )
    assert restored.confirmed_at == confirmed_at
    assert [(d.from_state, d.to_state) for d in question.decisions.order_by("pk")] == [
        (S.SUBMITTED, S.REJECTED),
        (S.REJECTED, S.SUBMITTED),
    ]


def test_a_rejection_older_than_the_retention_period_cannot_be_undone(moderator, settings):
    settings.REJECTED_QUESTION_RETENTION_DAYS = 30
    question = QuestionFactory(
        state=S.REJECTED,
        rejection_reason="other",
        rejected_at=timezone.now() - timedelta(days=31),
    )
    with pytest.raises(UndoPeriodOver):
        undo_rejection(question=question, actor=moderator)
    question.refresh_from_db()
    assert question.state == S.REJECTED


def test_an_anonymised_rejection_cannot_be_undone(moderator):
    question = QuestionFactory(
        state=S.REJECTED,
        rejection_reason="other",
        rejected_at=timezone.now(),
        anonymised_at=timezone.now(),
    )
    with pytest.raises(UndoPeriodOver):
        undo_rejection(question=question, actor=moderator)


@pytest.mark.parametrize("state", states_except(S.REJECTED))
def test_only_a_rejected_question_can_be_restored(moderator, state):
    question = QuestionFactory(state=state)
    with pytest.raises(TransitionNotAllowed):
        undo_rejection(question=question, actor=moderator)


def test_a_decision_taken_on_a_stale_page_is_refused_as_already_decided(moderator):
    question = QuestionFactory(state=S.SUBMITTED)
    seen_by_second_moderator = Question.objects.get(pk=question.pk)
    approve_question(question=question, actor=moderator)
    with pytest.raises(AlreadyDecided) as refused:
        reject_question(question=seen_by_second_moderator, actor=UserFactory(), reason="other")
    assert question.title in refused.value.message
    assert ModerationDecision.objects.count() == 1
    assert OutboundEmail.objects.count() == 1


# --- e-mails in the citizen's language -----------------------------------------------------


@pytest.mark.parametrize(
    ("language", "approved_subject", "rejected_words", "merged_words"),
    [
        ("fr", "Votre question est publiée", "Motif :", "fusionnées"),
        ("de", "Ihre Frage ist veröffentlicht", "Grund:", "zusammengeführt"),
        ("es", "Su pregunta está publicada", "Motivo:", "fusionado"),
        ("ar", "تم نشر سؤالك", "السبب:", "دمجهما"),
        ("zh-hans", "您的问题已发布", "理由：", "合并"),
        ("en", "Your question is published", "Reason:", "merged them"),
    ],
)
def test_each_decision_is_written_in_the_citizens_language(
    moderator, language, approved_subject, rejected_words, merged_words
):
    approved = QuestionFactory(state=S.SUBMITTED, language=language)
    approve_question(question=approved, actor=moderator)
    rejected = QuestionFactory(state=S.SUBMITTED, language=language)
    reject_question(question=rejected, actor=moderator, reason="insulting", note="—")
    merged = QuestionFactory(state=S.SUBMITTED, language=language)
    mark_duplicate(question=merged, of=approved, actor=moderator)

    sent = {email.kind: email for email in OutboundEmail.objects.all()}
    assert approved_subject in sent["question_approved"].subject
    assert rejected_words in sent["question_rejected"].body_text
    assert merged_words in sent["question_merged"].body_text
    assert all(email.language == language for email in sent.values())
    html = sent["question_rejected"].body_html
    assert f'lang="{language}"' in html
    assert ('dir="rtl"' in html) == (language == "ar")


def test_the_rejection_reason_is_translated_for_the_citizen(moderator):
    question = QuestionFactory(state=S.SUBMITTED, language="de")
    reject_question(question=question, actor=moderator, reason="personal_case")
    body = OutboundEmail.objects.get().body_text
    assert "Grund: Persönlicher Fall für die Konsulardienste" in body
    # A personal case is pointed to the consular services.
    assert "helfen Ihnen die konsularischen Dienste" in body
