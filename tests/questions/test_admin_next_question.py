"""A moderator's day in the admin: each decision opens the next question of the queue; prepared
rejection notes fill the note, which stays editable; the moderators keep those notes themselves."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from questions.models import PreparedNote, Question, RejectionReason
from questions.models import QuestionState as S
from tests.factories import QuestionFactory, UserFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:questions_question_changelist")


def change_url(question: Question) -> str:
    return reverse("admin:questions_question_change", args=[question.pk])


@pytest.fixture
def moderator(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "fr"
    user = UserFactory(username="moderatrice", groups=["Moderators"])
    client.force_login(user)
    return user


@pytest.fixture
def queue():
    """Three questions waiting, oldest first, and one already public."""
    now = timezone.now()
    waiting = [
        QuestionFactory(state=S.SUBMITTED, title=f"Question en attente {n}") for n in range(3)
    ]
    for age, question in zip((30, 20, 10), waiting, strict=True):
        Question.objects.filter(pk=question.pk).update(created_at=now - timedelta(minutes=age))
    QuestionFactory(state=S.APPROVED, title="Déjà publiée")
    return waiting


def return_to_of(page: str) -> str:
    return re.search(r'name="_return_to" value="([^"]+)"', page).group(1)


def test_approving_a_question_of_the_queue_opens_the_next_one(client, moderator, queue):
    first, second, _third = queue
    page = client.get(change_url(first)).content.decode()
    assert 'data-shortcut="a"' in page and 'data-shortcut="r"' in page
    assert 'data-shortcut="n"' in page and "Raccourcis clavier" in page
    response = client.post(
        CHANGELIST,
        {
            "action": "approve_questions",
            "_selected_action": [first.pk],
            "_return_to": return_to_of(page),
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0] == change_url(second)
    first.refresh_from_db()
    assert first.state == S.APPROVED
    assert "Question en attente 1" in response.content.decode()


def test_rejecting_with_a_prepared_note_sends_it_and_opens_the_next_question(
    client, moderator, queue
):
    first, second, _third = queue
    note = PreparedNote.objects.create(
        title="Cas consulaire",
        text="Pour un cas personnel, écrivez au consulat de votre pays de résidence.",
        reason=RejectionReason.PERSONAL_CASE,
    )
    page = client.get(change_url(first)).content.decode()
    form = client.post(
        CHANGELIST,
        {
            "action": "reject_questions",
            "_selected_action": [first.pk],
            "_return_to": return_to_of(page),
        },
    ).content.decode()
    assert "Cas consulaire" in form and 'id="prepared-notes"' in form
    assert f'href="{change_url(first)}" class="button cancel-link"' in form  # cancel: back to it
    response = client.post(
        CHANGELIST,
        {
            "action": "reject_questions",
            "_selected_action": [first.pk],
            "_return_to": return_to_of(page),
            "apply": "yes",
            "reason": RejectionReason.PERSONAL_CASE,
            "prepared_note": note.pk,
            "note": "",
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0] == change_url(second)
    first.refresh_from_db()
    assert first.state == S.REJECTED and first.rejection_note == note.text


def test_a_note_edited_after_choosing_a_prepared_one_is_sent_as_edited(client, moderator, queue):
    first = queue[0]
    note = PreparedNote.objects.create(title="Hors sujet", text="Texte préparé.")
    client.post(
        CHANGELIST,
        {
            "action": "reject_questions",
            "_selected_action": [first.pk],
            "apply": "yes",
            "reason": RejectionReason.OFF_TOPIC,
            "prepared_note": note.pk,
            "note": "Texte préparé, complété pour ce citoyen.",
        },
    )
    first.refresh_from_db()
    assert first.rejection_note == "Texte préparé, complété pour ce citoyen."


def test_next_skips_to_the_following_question_and_comes_back_to_those_skipped(
    client, moderator, queue
):
    first, second, third = queue
    next_url = reverse("admin:questions_question_next")
    assert client.get(next_url, {"after": first.pk}).url == change_url(second)
    assert client.get(next_url, {"after": third.pk}).url == change_url(first)
    assert client.get(next_url).url == change_url(first)


def test_after_the_last_question_the_queue_says_it_is_empty(client, moderator):
    only = QuestionFactory(state=S.SUBMITTED)
    response = client.get(reverse("admin:questions_question_next"), {"after": only.pk}, follow=True)
    assert response.redirect_chain[-1][0] == f"{CHANGELIST}?state=submitted"
    assert "La file de modération est vide." in response.content.decode()


def test_save_and_go_to_the_next_question(client, moderator, queue):
    first, second, _third = queue
    page = client.get(change_url(first)).content.decode()
    assert 'name="_savenext"' in page and "Enregistrer et passer à la question suivante" in page
    response = client.post(
        change_url(first),
        {
            "theme": first.theme.pk,
            "_savenext": "1",
            "decisions-TOTAL_FORMS": 0,
            "decisions-INITIAL_FORMS": 0,
        },
    )
    assert response.url == f"{reverse('admin:questions_question_next')}?after={first.pk}"


def test_a_decision_on_a_public_question_stays_on_its_page(client, moderator):
    public = QuestionFactory(state=S.APPROVED)
    page = client.get(change_url(public)).content.decode()
    assert return_to_of(page) == change_url(public)


def test_the_spokespersons_staff_have_no_next_in_the_queue(client):
    client.force_login(UserFactory(groups=["Spokesperson staff"]))
    assert client.get(reverse("admin:questions_question_next")).status_code == 403
    page = client.get(change_url(QuestionFactory(state=S.APPROVED))).content.decode()
    assert 'data-shortcut="n"' not in page


def test_moderators_write_their_prepared_notes_in_the_admin(client, moderator):
    response = client.post(
        reverse("admin:questions_preparednote_add"),
        {
            "title": "Propos injurieux",
            "text": "Votre question contient des propos injurieux.",
            "reason": RejectionReason.INSULTING,
            "position": 1,
        },
    )
    assert response.status_code == 302
    assert PreparedNote.objects.get().title == "Propos injurieux"
    listing = client.get(reverse("admin:questions_preparednote_changelist")).content.decode()
    assert "Propos injurieux" in listing
