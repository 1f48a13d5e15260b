"""The moderation admin through the test client, with a user of each role."""

import re

import pytest
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from questions.admin import QuestionAdmin
from questions.models import ModerationDecision, OutboundEmail, Question, Support
from questions.models import QuestionState as S
from questions.services import confirm_question, mark_question_answered
from tests.factories import EventFactory, QuestionFactory, UserFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:questions_question_changelist")


def change_url(question: Question) -> str:
    return reverse("admin:questions_question_change", args=[question.pk])


@pytest.fixture
def client(client):
    """Admin pages in English (the admin follows the browser's language; French by default)."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def moderator_client(client):
    client.force_login(UserFactory(username="moderator", groups=["Moderators"]))
    return client


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(username="staff", groups=["Spokesperson staff"]))
    return client


@pytest.fixture
def superuser_client(client):
    client.force_login(UserFactory(username="root", is_superuser=True))
    return client


def run_action(client, action: str, questions, follow=True, **extra):
    data = {"action": action, "_selected_action": [q.pk for q in questions], **extra}
    return client.post(CHANGELIST, data, follow=follow)


def page_messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def state_of(question: Question) -> str:
    return Question.objects.get(pk=question.pk).state


@pytest.fixture(autouse=True)
def fresh_state_counts():
    cache.clear()


# --- the queue -----------------------------------------------------------------------------


def test_moderators_open_on_the_queue_oldest_first_and_staff_on_published_questions(client):
    older = QuestionFactory(state=S.SUBMITTED)
    newer = QuestionFactory(state=S.SUBMITTED)
    approved = QuestionFactory(state=S.APPROVED)
    client.force_login(UserFactory(groups=["Moderators"]))
    assert list(client.get(CHANGELIST).context["cl"].result_list) == [older, newer]
    everything = client.get(CHANGELIST, {"state": "all"}).context["cl"].result_list
    assert set(everything) == {older, newer, approved}
    client.force_login(UserFactory(groups=["Spokesperson staff"]))
    assert list(client.get(CHANGELIST).context["cl"].result_list) == [approved]


def test_the_counts_follow_a_moderators_decisions_at_once(moderator_client):
    question = QuestionFactory(state=S.SUBMITTED)
    assert 'data-state="submitted">Awaiting moderation <strong>1</strong>' in (
        moderator_client.get(CHANGELIST).content.decode()
    )
    run_action(moderator_client, "approve_questions", [question])
    html = moderator_client.get(CHANGELIST).content.decode()
    assert 'data-state="submitted">Awaiting moderation <strong>0</strong>' in html


def test_the_counts_follow_confirmations_and_publications_at_once(moderator_client):
    """The counts are cached briefly; the services that change a state forget them, not only
    the admin's decisions: a citizen's confirmation, an answer published from the staff page."""
    unconfirmed = QuestionFactory(state=S.UNCONFIRMED)
    selected = QuestionFactory(state=S.SELECTED)
    html = moderator_client.get(CHANGELIST).content.decode()
    assert 'data-state="submitted">Awaiting moderation <strong>0</strong>' in html
    confirm_question(question=unconfirmed)
    mark_question_answered(question=selected, actor=None)
    html = moderator_client.get(CHANGELIST).content.decode()
    assert 'data-state="submitted">Awaiting moderation <strong>1</strong>' in html
    assert 'data-state="answered">Answered <strong>1</strong>' in html
    assert 'data-state="selected">Selected for an answer <strong>0</strong>' in html


def test_the_queue_shows_counts_per_state_and_lists_submitted_questions_oldest_first(
    moderator_client,
):
    older = QuestionFactory(state=S.SUBMITTED, title="Plus ancienne")
    newer = QuestionFactory(state=S.SUBMITTED, title="Plus récente")
    QuestionFactory(state=S.APPROVED)
    response = moderator_client.get(CHANGELIST, {"state": "submitted"})
    assert response.status_code == 200
    content = response.content.decode()
    assert re.search(r'data-state="submitted">[^<]*<strong>2</strong>', content)
    assert re.search(r'data-state="approved">[^<]*<strong>1</strong>', content)
    listed = list(response.context["cl"].result_list)
    assert listed == [older, newer]


def test_the_queue_filters_and_searches(moderator_client):
    lyon = EventFactory(title="Rencontre de Lyon")
    wanted = QuestionFactory(event=lyon, language="en", region="BRE", title="Ukraine aid")
    QuestionFactory(language="fr", region="ARA", title="Sahel")
    for params in (
        {"event__id__exact": lyon.pk},
        {"language__exact": "en"},
        {"region__exact": "BRE"},
        {"q": "ukraine"},
        {"theme__id__exact": wanted.theme_id},
    ):
        response = moderator_client.get(CHANGELIST, {"state": "all", **params})
        assert list(response.context["cl"].result_list) == [wanted], params


def count_questions() -> int:
    return Question.objects.count()


def test_the_changelist_runs_the_same_number_of_queries_for_10_and_300_questions(
    moderator_client,
):
    event = EventFactory()

    def queries_for_changelist() -> int:
        cache.clear()  # the per-state counts are cached briefly; measure them too
        with CaptureQueriesContext(connection) as captured:
            response = moderator_client.get(CHANGELIST, {"state": "all"})
        assert response.status_code == 200
        assert len(response.context["cl"].result_list) == min(count_questions(), 50)
        return len(captured.captured_queries)

    Question.objects.bulk_create(
        QuestionFactory.build(event=event, theme=event.themes.first(), slug=f"q{n}")
        for n in range(10)
    )
    with_10 = queries_for_changelist()
    Question.objects.bulk_create(
        QuestionFactory.build(event=EventFactory(), slug=f"r{n}", theme=event.themes.first())
        for n in range(290)
    )
    with_300 = queries_for_changelist()
    assert with_10 == with_300
    assert with_300 <= 12


# --- approve -------------------------------------------------------------------------------


def test_a_moderator_approves_a_question_and_the_author_is_emailed(moderator_client):
    question = QuestionFactory(state=S.SUBMITTED, language="de")
    response = run_action(moderator_client, "approve_questions", [question])
    assert state_of(question) == S.APPROVED
    assert "1 question approved and published." in page_messages(response)
    assert OutboundEmail.objects.get().language == "de"
    assert ModerationDecision.objects.get().actor.username == "moderator"


def test_a_bulk_approval_reports_successes_and_names_each_refused_question(moderator_client):
    queued = QuestionFactory.create_batch(2, state=S.SUBMITTED)
    rejected = QuestionFactory(state=S.REJECTED, rejection_reason="other", title="Déjà refusée")
    response = run_action(moderator_client, "approve_questions", [*queued, rejected])
    texts = page_messages(response)
    assert "2 questions approved and published." in texts
    assert any("Déjà refusée" in text and text.startswith("Refused") for text in texts)
    assert state_of(rejected) == S.REJECTED


def test_approving_from_the_question_page_returns_to_it(moderator_client):
    question = QuestionFactory(state=S.SUBMITTED)
    page = moderator_client.get(change_url(question)).content.decode()
    assert 'data-decision="approve_questions"' in page
    response = run_action(
        moderator_client,
        "approve_questions",
        [question],
        follow=False,
        index="0",
        _return_to=change_url(question),
    )
    assert response.status_code == 302 and response["Location"] == change_url(question)
    assert state_of(question) == S.APPROVED


def test_a_decision_never_redirects_to_another_site(moderator_client):
    question = QuestionFactory(state=S.SUBMITTED)
    response = run_action(
        moderator_client,
        "approve_questions",
        [question],
        follow=False,
        _return_to="https://evil.example/",
    )
    assert "evil.example" not in response["Location"]


# --- reject (intermediate page) ------------------------------------------------------------


def test_rejecting_asks_for_a_reason_and_a_note_on_an_intermediate_page(moderator_client):
    questions = QuestionFactory.create_batch(2, state=S.SUBMITTED, language="es")
    page = run_action(moderator_client, "reject_questions", questions, index="0")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="reason"' in html and 'type="radio"' in html
    assert '<label for="id_note">' in html
    assert all(q.title in html for q in questions)
    assert all(state_of(q) == S.SUBMITTED for q in questions)  # nothing decided yet

    done = run_action(
        moderator_client,
        "reject_questions",
        questions,
        apply="yes",
        reason="not_a_question",
        note="Merci de formuler une question.",
    )
    assert "2 questions rejected." in page_messages(done)
    for question in questions:
        question.refresh_from_db()
        assert (question.state, question.rejection_reason) == (S.REJECTED, "not_a_question")
    emails = OutboundEmail.objects.filter(kind="question_rejected")
    assert emails.count() == 2
    assert all("Merci de formuler une question." in e.body_text for e in emails)


def test_a_rejection_without_a_reason_is_asked_again_and_changes_nothing(moderator_client):
    question = QuestionFactory(state=S.SUBMITTED)
    response = run_action(moderator_client, "reject_questions", [question], apply="yes", note="x")
    assert response.status_code == 200
    assert "reason" in response.context["form"].errors
    assert 'class="errornote"' in response.content.decode()
    assert state_of(question) == S.SUBMITTED and not OutboundEmail.objects.exists()


# --- duplicates (intermediate page) --------------------------------------------------------


def test_marking_duplicates_merges_them_into_the_chosen_question(moderator_client):
    kept = QuestionFactory(state=S.APPROVED, title="La question gardée")
    duplicates = QuestionFactory.create_batch(2, state=S.SUBMITTED, event=kept.event)
    Support.objects.create(question=duplicates[0], supporter_key="fan")
    page = run_action(moderator_client, "mark_duplicates", duplicates, index="0")
    assert "La question gardée" in page.content.decode()  # suggested: same event, live
    response = run_action(
        moderator_client, "mark_duplicates", duplicates, apply="yes", kept=kept.pk
    )
    assert "2 questions merged into “La question gardée”." in page_messages(response)
    kept.refresh_from_db()
    assert set(kept.duplicates.all()) == set(duplicates)
    assert kept.supports.filter(supporter_key="fan").exists()


def test_one_of_the_selected_questions_can_be_the_one_kept(moderator_client):
    first, second = QuestionFactory.create_batch(2, state=S.SUBMITTED)
    run_action(moderator_client, "mark_duplicates", [first, second], apply="yes", kept=first.pk)
    assert (state_of(first), state_of(second)) == (S.SUBMITTED, S.DUPLICATE)


def test_a_duplicate_can_be_merged_by_the_kept_questions_public_id(moderator_client):
    elsewhere = QuestionFactory(state=S.APPROVED)
    question = QuestionFactory(state=S.SUBMITTED)
    run_action(
        moderator_client,
        "mark_duplicates",
        [question],
        apply="yes",
        kept_public_id=elsewhere.public_id,
    )
    assert Question.objects.get(pk=question.pk).duplicate_of == elsewhere


def test_an_unknown_public_id_is_refused_on_the_duplicate_page(moderator_client):
    question = QuestionFactory(state=S.SUBMITTED)
    response = run_action(
        moderator_client, "mark_duplicates", [question], apply="yes", kept_public_id="nope"
    )
    assert response.status_code == 200
    assert "No question in the queue or published has this public id." in (
        response.content.decode()
    )
    assert state_of(question) == S.SUBMITTED


# --- undo, select --------------------------------------------------------------------------


def test_a_moderator_undoes_a_mistaken_rejection(moderator_client):
    question = QuestionFactory(state=S.SUBMITTED)
    run_action(moderator_client, "reject_questions", [question], apply="yes", reason="other")
    page = moderator_client.get(change_url(question)).content.decode()
    assert 'data-decision="undo_rejections"' in page
    response = run_action(moderator_client, "undo_rejections", [question])
    assert state_of(question) == S.SUBMITTED
    assert "1 question put back in the moderation queue." in page_messages(response)


def test_spokesperson_staff_select_approved_questions(staff_client):
    approved = QuestionFactory(state=S.APPROVED)
    page = staff_client.get(change_url(approved)).content.decode()
    assert 'data-decision="select_questions"' in page
    assert 'data-decision="approve_questions"' not in page
    response = run_action(staff_client, "select_questions", [approved])
    assert state_of(approved) == S.SELECTED
    assert "1 question selected for an answer." in page_messages(response)


def test_spokesperson_staff_withdraw_a_selection(staff_client):
    selected = QuestionFactory(state=S.SELECTED)
    page = staff_client.get(change_url(selected)).content.decode()
    assert 'data-decision="unselect_questions"' in page
    response = run_action(staff_client, "unselect_questions", [selected])
    assert state_of(selected) == S.APPROVED
    assert "1 question no longer selected." in page_messages(response)


def test_not_even_a_superuser_deletes_questions_or_decisions_from_the_admin(superuser_client):
    question = QuestionFactory(state=S.SUBMITTED)
    run_action(superuser_client, "approve_questions", [question])
    assert "delete_selected" not in action_names(superuser_client.get(CHANGELIST))
    delete_url = reverse("admin:questions_question_delete", args=[question.pk])
    assert superuser_client.post(delete_url, {"post": "yes"}).status_code == 403
    assert superuser_client.get("/admin/questions/moderationdecision/").status_code == 404
    assert ModerationDecision.objects.filter(question=question).count() == 1


def test_a_superuser_can_moderate_and_select(superuser_client):
    question = QuestionFactory(state=S.SUBMITTED)
    run_action(superuser_client, "approve_questions", [question])
    run_action(superuser_client, "select_questions", [question])
    assert state_of(question) == S.SELECTED


# --- role boundaries -----------------------------------------------------------------------


def action_names(response) -> set[str]:
    return {name for name, _label in response.context["action_form"].fields["action"].choices}


def test_moderators_cannot_select_delete_or_add_questions(moderator_client):
    question = QuestionFactory(state=S.APPROVED)
    actions = action_names(moderator_client.get(CHANGELIST))
    assert {"approve_questions", "reject_questions", "mark_duplicates", "undo_rejections"} <= (
        actions
    )
    assert "select_questions" not in actions and "unselect_questions" not in actions
    assert "delete_selected" not in actions
    run_action(moderator_client, "select_questions", [question])
    assert state_of(question) == S.APPROVED
    delete_url = reverse("admin:questions_question_delete", args=[question.pk])
    assert moderator_client.get(delete_url).status_code == 403
    assert moderator_client.post(delete_url, {"post": "yes"}).status_code == 403
    assert moderator_client.get(reverse("admin:questions_question_add")).status_code == 403
    assert Question.objects.filter(pk=question.pk).exists()


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:media_pipeline_answervideo_changelist",
        "admin:auth_user_changelist",
        "admin:auth_group_changelist",
    ],
)
def test_moderators_cannot_touch_videos_users_or_groups(moderator_client, url_name):
    assert moderator_client.get(reverse(url_name)).status_code == 403


def test_spokesperson_staff_see_only_public_questions_and_cannot_moderate(staff_client):
    submitted = QuestionFactory(state=S.SUBMITTED, title="En attente")
    approved = QuestionFactory(state=S.APPROVED, title="Publiée")
    response = staff_client.get(CHANGELIST)
    assert list(response.context["cl"].result_list) == [approved]
    assert "reject_questions" not in action_names(response)
    assert "approve_questions" not in action_names(response)
    assert 'data-state="submitted"' not in response.content.decode()
    # A queued question does not exist for them, even by its URL.
    assert staff_client.get(change_url(submitted), follow=True).redirect_chain
    assert "En attente" not in staff_client.get(change_url(submitted), follow=True).content.decode()
    # Posting a moderation action anyway does nothing.
    for action in ("approve_questions", "reject_questions"):
        run_action(staff_client, action, [approved], apply="yes", reason="other")
    assert state_of(approved) == S.APPROVED
    assert not ModerationDecision.objects.exists()


def test_spokesperson_staff_cannot_edit_or_delete_questions(staff_client):
    question = QuestionFactory(state=S.APPROVED)
    response = staff_client.post(change_url(question), {"theme": question.theme_id})
    assert response.status_code == 403
    delete_url = reverse("admin:questions_question_delete", args=[question.pk])
    assert staff_client.post(delete_url, {"post": "yes"}).status_code == 403


def test_citizens_email_is_masked_without_the_dedicated_permission(client):
    question = QuestionFactory(email="camille.dupont@example.org")
    moderator = UserFactory(groups=["Moderators"])
    client.force_login(moderator)
    assert "camille.dupont@example.org" not in client.get(change_url(question)).content.decode()
    assert "c•••@•••.org" in client.get(change_url(question)).content.decode()

    moderator.user_permissions.add(Permission.objects.get(codename="view_citizen_email"))
    moderator = type(moderator).objects.get(pk=moderator.pk)  # drop the permission cache
    client.force_login(moderator)
    assert "camille.dupont@example.org" in client.get(change_url(question)).content.decode()


def test_the_question_page_is_read_only_where_it_matters(moderator_client):
    question = QuestionFactory(state=S.SUBMITTED, title="Titre du citoyen")
    other_theme = EventFactory().themes.first()
    response = moderator_client.post(
        change_url(question),
        {
            "theme": other_theme.pk,
            "title": "Réécrit",
            "text": "Réécrit",
            "state": "approved",
            "decisions-TOTAL_FORMS": "0",
            "decisions-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    question.refresh_from_db()
    assert question.theme == other_theme  # the theme can be corrected…
    assert (question.title, question.state) == ("Titre du citoyen", S.SUBMITTED)  # …not the rest


def test_the_decision_history_is_shown_and_cannot_be_edited_or_deleted(moderator_client):
    question = QuestionFactory(state=S.SUBMITTED, email="")
    run_action(moderator_client, "reject_questions", [question], apply="yes", reason="insulting")
    page = moderator_client.get(change_url(question))
    html = page.content.decode()
    assert "Insulting or defamatory" in html
    inline = page.context["inline_admin_formsets"][0]
    assert inline.opts.model is ModerationDecision
    assert not inline.has_change_permission and not inline.has_delete_permission
    assert 'name="decisions-0-note"' not in html
    assert 'name="decisions-0-DELETE"' not in html


def test_the_question_page_shows_full_text_duplicates_and_supporters(moderator_client):
    kept = QuestionFactory(state=S.APPROVED, text="Premier paragraphe.\n\nSecond paragraphe.")
    merged = QuestionFactory(state=S.DUPLICATE, duplicate_of=kept, title="Doublon")
    Question.objects.filter(pk=kept.pk).update(support_count=17)
    html = moderator_client.get(change_url(kept)).content.decode()
    assert "<p>Premier paragraphe.</p>" in html and "<p>Second paragraphe.</p>" in html
    assert change_url(merged) in html and "Doublon" in html
    assert "17" in html


def test_only_public_questions_link_to_their_page_on_the_site(moderator_client):
    queued = QuestionFactory(state=S.SUBMITTED)
    published = QuestionFactory(state=S.APPROVED)
    assert "viewsitelink" not in moderator_client.get(change_url(queued)).content.decode()
    html = moderator_client.get(change_url(published)).content.decode()
    assert "viewsitelink" in html and published.get_absolute_url() in html


def test_the_moderation_admin_speaks_french_by_default():
    from django.test import Client

    french = Client()
    french.force_login(UserFactory(groups=["Moderators"]))
    question = QuestionFactory(state=S.SUBMITTED)
    assert (
        '>Approuver <kbd aria-hidden="true">A</kbd></button>'
        in french.get(change_url(question)).content.decode()
    )
    page = run_action(french, "reject_questions", [question], index="0").content.decode()
    assert "Motif communiqué au citoyen" in page and 'value="Rejeter"' in page
    done = run_action(french, "reject_questions", [question], apply="yes", reason="other")
    assert "1 question rejetée." in page_messages(done)


def test_a_big_changelist_is_never_counted_in_full(moderator_client, monkeypatch):
    """Beyond the exact-count limit the paginator counts a bounded subquery (and, on
    PostgreSQL, asks the planner); it never runs COUNT(*) over the whole filtered table."""
    from questions.pagination import EstimatedCountPaginator

    monkeypatch.setattr(EstimatedCountPaginator, "exact_count_limit", 5)
    monkeypatch.setattr(QuestionAdmin, "list_per_page", 4)
    QuestionFactory.create_batch(12, state=S.SUBMITTED)
    with CaptureQueriesContext(connection) as captured:
        response = moderator_client.get(CHANGELIST)
    changelist = response.context["cl"]
    assert changelist.result_count >= 6  # more than the limit: paged, not counted
    assert len(changelist.result_list) == 4
    assert changelist.paginator.num_pages >= 2
    counts = [q["sql"] for q in captured.captured_queries if "COUNT(" in q["sql"].upper()]
    row_counts = [sql for sql in counts if "GROUP BY" not in sql.upper()]
    assert row_counts and all("LIMIT" in sql.upper() for sql in row_counts), row_counts
