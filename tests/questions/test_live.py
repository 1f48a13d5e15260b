"""The tour day: live services (each recorded as a decision), the cached live state (ETag, 304,
query counts) and the console's permissions."""

import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from core.page_cache import site_changed
from questions.exceptions import AlreadyDecided, LiveActionRefused, TransitionNotAllowed
from questions.live import services
from questions.live.models import LiveEvent
from questions.models import ModerationDecision, QuestionState
from tests.factories import EventFactory, QuestionFactory, UserFactory

S = QuestionState
pytestmark = pytest.mark.django_db


@pytest.fixture
def moderator(db):
    from django.contrib.auth.models import Group

    from portal.roles import MODERATORS

    user = UserFactory(username="moderatrice")
    user.groups.set([Group.objects.get(name=MODERATORS)])
    return user


@pytest.fixture
def event(db):
    return EventFactory(title="Rencontre à Lyon")


def state_url(event) -> str:
    return reverse("room:state", kwargs={"event_id": event.pk})


def test_only_a_shortlisted_question_moves_in_the_shortlist(event, moderator):
    approved = QuestionFactory(event=event, title="Pas encore retenue")
    with pytest.raises(TransitionNotAllowed):
        services.move_in_shortlist(question=approved, actor=moderator, offset=-1)
    assert not ModerationDecision.objects.filter(question=approved, note__contains="place")


def get_state(client, event, **headers):
    return client.get(state_url(event), headers=headers)


def test_a_question_goes_from_the_shortlist_to_the_stage_and_every_step_is_recorded(
    event, moderator, django_capture_on_commit_callbacks
):
    first = QuestionFactory(event=event, title="Première")
    second = QuestionFactory(event=event, title="Seconde")
    with django_capture_on_commit_callbacks(execute=True):
        services.set_live(event=event, actor=moderator, is_live=True)
        services.shortlist_question(question=first, actor=moderator)
        services.shortlist_question(question=second, actor=moderator)
        services.move_in_shortlist(question=second, actor=moderator, offset=-1)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (second.shortlist_position, first.shortlist_position) == (1, 2)

    services.start_answering(question=first, actor=moderator)
    first.refresh_from_db()
    assert first.state == S.ANSWERING and first.stage_started_at is not None
    # The next "now answering" ends the previous answer: it was answered on stage.
    services.start_answering(question=second, actor=moderator)
    first.refresh_from_db()
    assert first.state == S.ON_STAGE and first.stage_ended_at >= first.stage_started_at

    steps = list(
        ModerationDecision.objects.filter(question=first).values_list("from_state", "to_state")
    )
    assert steps == [
        (S.APPROVED, S.SHORTLISTED),
        (S.SHORTLISTED, S.ANSWERING),
        (S.ANSWERING, S.ON_STAGE),
    ]
    # The move is recorded on the question that was moved, with its new place.
    moved = ModerationDecision.objects.filter(question=second, from_state=S.SHORTLISTED)
    assert moved.filter(to_state=S.SHORTLISTED, note__contains="1").count() == 1


def test_ending_the_live_event_ends_the_answer_under_way(event, moderator):
    question = QuestionFactory(event=event)
    services.set_live(event=event, actor=moderator, is_live=True)
    services.start_answering(question=question, actor=moderator)
    services.set_live(event=event, actor=moderator, is_live=False)
    question.refresh_from_db()
    assert question.state == S.ON_STAGE
    assert LiveEvent.objects.get(event=event).is_live is False


def test_the_console_refuses_a_stale_click_and_a_user_without_the_permission(event, moderator):
    question = QuestionFactory(event=event)
    with pytest.raises(AlreadyDecided):
        services.take_live_action(
            name="shortlist", question=question, actor=moderator, seen_state=S.SUBMITTED
        )
    staff = UserFactory(username="communication")
    with pytest.raises(LiveActionRefused):
        services.take_live_action(
            name="shortlist", question=question, actor=staff, seen_state=S.APPROVED
        )
    with pytest.raises(LiveActionRefused):
        services.take_live_action(
            name="select", question=question, actor=moderator, seen_state=S.APPROVED
        )


def test_the_state_ranks_by_supports_and_says_what_is_answered_now(
    client, event, moderator, django_capture_on_commit_callbacks
):
    QuestionFactory(event=event, title="Peu soutenue", support_count=1)
    top = QuestionFactory(event=event, title="Très soutenue", support_count=40)
    QuestionFactory(event=event, title="En attente", state=S.SUBMITTED)
    with django_capture_on_commit_callbacks(execute=True):
        services.set_live(event=event, actor=moderator, is_live=True)
        services.start_answering(question=top, actor=moderator)
    state = get_state(client, event).json()
    assert state["live"] is True
    assert state["now"]["title"] == "Très soutenue"
    assert [q["title"] for q in state["questions"]] == ["Très soutenue", "Peu soutenue"]
    assert state["version"] == 2


def test_the_state_is_served_from_the_cache_with_an_etag_and_a_304(
    client, event, moderator, django_assert_num_queries, django_capture_on_commit_callbacks
):
    QuestionFactory.create_batch(5, event=event)
    with django_assert_num_queries(3):  # the event with its live row, the stage, the ranking
        first = get_state(client, event)
    assert first.status_code == 200 and first["Content-Type"] == "application/json"
    with django_assert_num_queries(0):
        again = get_state(client, event, if_none_match=first["ETag"])
    assert again.status_code == 304
    with django_capture_on_commit_callbacks(execute=True):
        services.set_live(event=event, actor=moderator, is_live=True)
    changed = get_state(client, event, if_none_match=first["ETag"])
    assert changed.status_code == 200 and changed["ETag"] != first["ETag"]
    assert json.loads(changed.content)["live"] is True


def test_a_support_reaches_the_state(client, event, django_capture_on_commit_callbacks):
    from questions.supports import support_question

    question = QuestionFactory(event=event, support_count=0)
    assert get_state(client, event).json()["questions"][0]["supports"] == 0
    with django_capture_on_commit_callbacks(execute=True):
        support_question(question=question, browser_key="un-navigateur")
    assert get_state(client, event).json()["questions"][0]["supports"] == 1


def test_an_unpublished_event_has_no_state(client):
    assert get_state(client, EventFactory(is_published=False)).status_code == 404


def test_the_console_is_for_moderators_only(client, event, moderator):
    url = reverse("live:console", kwargs={"slug": event.slug})
    client.force_login(UserFactory(username="curieux"))
    assert client.get(url).status_code == 403
    client.force_login(moderator)
    question = QuestionFactory(event=event, title="À mettre en avant")
    page = client.get(url)
    assert page.status_code == 200 and "À mettre en avant" in page.content.decode()
    client.post(url, {"action": "shortlist", "question": question.public_id, "state": "approved"})
    question.refresh_from_db()
    assert question.state == S.SHORTLISTED


def test_the_short_link_opens_the_question_form(client, event):
    response = client.get(reverse("room:short", kwargs={"event_id": event.pk}))
    assert response.status_code == 302
    assert response["Location"].endswith(f"/events/{event.slug}/#ask")


def test_the_event_page_shows_now_answering_while_live(
    client, event, moderator, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    question = QuestionFactory(event=event, title="La question du moment")
    url = reverse("events:detail", kwargs={"slug": event.slug})
    assert "hlm-live-panel" not in client.get(url).content.decode()
    # Committed, as in production: the cached event page is forgotten after commit.
    with django_capture_on_commit_callbacks(execute=True):
        services.set_live(event=event, actor=moderator, is_live=True)
        services.start_answering(question=question, actor=moderator)
    with django_assert_max_num_queries(10):
        page = client.get(url)
    html = page.content.decode()
    assert "Réponse en cours" in html and "La question du moment" in html
    assert "questions/live/live.js" in html


def test_the_big_screen_is_public_and_has_no_staff_link(client, event):
    QuestionFactory(event=event, title="Visible au fond de la salle")
    page = client.get(reverse("live:screen", kwargs={"slug": event.slug}))
    html = page.content.decode()
    assert page.status_code == 200 and "public" in page["Cache-Control"]
    assert "<svg" in html and "Visible au fond de la salle" in html
    assert "/admin" not in html and "staff/" not in html
    assert "<script>" not in html  # CSP: one static script file, nothing inline
    # The portal's DSFR subset, not the whole 1.1 MB design system.
    assert "css/dsfr-portal" in html and "dsfr.min.css" not in html


def test_live_moderation_approves_or_rejects_from_the_short_queue(client, event, moderator):
    url = reverse("live:console", kwargs={"slug": event.slug})
    waiting = QuestionFactory(event=event, title="Arrivée pendant le débat", state=S.SUBMITTED)
    insult = QuestionFactory(event=event, title="Hors sujet", state=S.SUBMITTED)
    client.force_login(moderator)
    assert "Arrivée pendant le débat" not in client.get(url).content.decode()
    client.post(url, {"action": "moderation_on"})
    queue = client.get(url).content.decode()
    assert "Arrivée pendant le débat" in queue and 'name="reason"' in queue
    client.post(url, {"action": "approve", "question": waiting.public_id, "state": "submitted"})
    client.post(
        url,
        {
            "action": "reject",
            "question": insult.public_id,
            "state": "submitted",
            "reason": "insulting",
        },
    )
    waiting.refresh_from_db()
    insult.refresh_from_db()
    assert (waiting.state, insult.state, insult.rejection_reason) == (
        S.APPROVED,
        S.REJECTED,
        "insulting",
    )
    assert ModerationDecision.objects.filter(actor=moderator, to_state=S.REJECTED).count() == 1


def test_a_question_answered_on_stage_says_so_and_takes_no_more_supports(client, event, moderator):
    question = QuestionFactory(event=event)
    answering = services.start_answering(question=question, actor=moderator)
    services.answer_on_stage(question=answering, actor=moderator)
    page = client.get(question.get_absolute_url()).content.decode()
    assert "Répondue sur scène" in page
    assert "I support" not in page and "Je soutiens cette question" not in page


def test_the_console_speaks_the_moderators_language(client, event, moderator):
    first, second = QuestionFactory.create_batch(2, event=event)
    services.shortlist_question(question=first, actor=moderator)
    services.shortlist_question(question=second, actor=moderator)
    client.force_login(moderator)
    with translation.override("ar"):
        url = reverse("live:console", kwargs={"slug": event.slug})
    html = client.get(url).content.decode()
    assert "إلى الأعلى" in html and "إلى الأسفل" in html and "Monter" not in html


def test_the_event_page_watches_for_the_live_only_around_the_event(
    client, event, django_capture_on_commit_callbacks
):
    url = reverse("events:detail", kwargs={"slug": event.slug})
    assert "data-live-state-url" not in client.get(url).content.decode()  # in a week
    event.starts_at = timezone.now() + timedelta(hours=1)
    event.ends_at = event.starts_at + timedelta(hours=2)
    with django_capture_on_commit_callbacks(execute=True):
        event.save()
        site_changed()  # as the admin's save does: cached pages are stale
    html = client.get(url).content.decode()
    assert "data-live-state-url" in html and 'id="live" aria-labelledby="live-title" hidden' in html
