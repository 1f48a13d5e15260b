"""Submitting a question from the event page, through the test client."""

import re
import time
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from core.page_cache import site_changed
from questions import emails
from questions.models import OutboundEmail, Question, QuestionState
from questions.tokens import make_form_started
from tests.factories import EventFactory
from tests.questions.conftest import question_data, sent

pytestmark = pytest.mark.django_db


def event_url(event, language="fr"):
    with translation.override(language):
        return reverse("events:detail", kwargs={"slug": event.slug})


def test_the_event_page_shows_the_form_with_labels_hints_and_counter(client, event):
    response = client.get(event_url(event))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<label class="fr-label" for="question-title">' in html
    assert 'aria-describedby="question-title-hint question-title-count"' in html
    assert 'maxlength="1500"' in html and 'id="question-text-count"' in html
    assert 'class="hlm-hp"' in html  # the honeypot is there, hidden by CSS
    assert "<script>" not in html.replace("<script src=", "")  # no inline script (CSP)


def test_a_question_is_stored_unconfirmed_and_a_confirmation_email_is_queued(client, event):
    response = client.post(event_url(event), question_data(event))
    assert response.status_code == 302
    assert response["Location"] == reverse("questions:check_inbox")
    question = Question.objects.get()
    assert question.state == QuestionState.UNCONFIRMED
    assert (question.language, question.region, question.email) == (
        "fr",
        "BRE",
        "camille@example.org",
    )
    message = OutboundEmail.objects.get(kind="question_confirmation")
    assert message.to == "camille@example.org" and message.language == "fr"
    assert message.body_text == ""  # rendered when sent: the request only stores the row
    message = sent(message)
    assert "Confirmez votre question" in message.subject
    assert "/fr/questions/confirm/" in message.body_text
    assert "/fr/questions/confirm/" in message.body_html
    page = client.get(response["Location"])
    assert "Consultez votre messagerie" in page.content.decode()


def confirmation_link(message: OutboundEmail) -> str:
    return re.search(r"https?://\S+/questions/confirm/\S+/", sent(message).body_text).group(0)


def test_the_email_is_sent_in_the_citizens_language_with_a_working_link(client, event):
    client.post(event_url(event, "de"), question_data(event))
    message = OutboundEmail.objects.get()
    assert emails.send_outbound_email(message_id=message.pk)
    sent = mail.outbox[0]
    assert sent.to == ["camille@example.org"]
    assert sent.extra_headers["Content-Language"] == "de"
    assert "Bestätigen Sie Ihre Frage" in sent.subject
    html = sent.alternatives[0][0]
    assert '<html lang="de"' in html and "Frage bestätigen" in html
    link = confirmation_link(message)
    assert "/de/questions/confirm/" in link
    response = client.post(link.split("127.0.0.1:8000", 1)[1])
    assert response.status_code == 200
    assert Question.objects.get().state == QuestionState.SUBMITTED
    assert "Ihre Frage ist bestätigt" in response.content.decode()


def test_opening_the_link_only_shows_a_button_so_mail_scanners_confirm_nothing(client, event):
    client.post(event_url(event), question_data(event))
    path = confirmation_link(OutboundEmail.objects.get()).split("8000", 1)[1]
    shown = client.get(path)
    assert shown.status_code == 200
    assert "no-store" in shown["Cache-Control"]
    html = shown.content.decode()
    assert "Confirmez votre question" in html and 'method="post"' in html
    assert "Confirmer ma question" in html
    assert "Quelle place pour la France" in html
    assert Question.objects.get().state == QuestionState.UNCONFIRMED
    pressed = client.post(path)
    assert "no-store" in pressed["Cache-Control"]
    assert "Votre question est confirmée" in pressed.content.decode()
    assert Question.objects.get().state == QuestionState.SUBMITTED


def test_the_button_needs_the_pages_csrf_token(client, event):
    from django.test import Client

    client.post(event_url(event), question_data(event))
    csrf_client = Client(enforce_csrf_checks=True)
    path = confirmation_link(OutboundEmail.objects.get()).split("8000", 1)[1]
    assert csrf_client.post(path).status_code == 403
    assert Question.objects.get().state == QuestionState.UNCONFIRMED


def test_opening_the_link_again_is_harmless(client, event):
    client.post(event_url(event), question_data(event))
    path = confirmation_link(OutboundEmail.objects.get()).split("8000", 1)[1]
    assert client.get(path).status_code == 200
    assert client.post(path).status_code == 200
    assert client.post(path).status_code == 200
    confirmed_at = Question.objects.get().confirmed_at
    again = client.get(path)
    assert again.status_code == 200
    question = Question.objects.get()
    assert question.state == QuestionState.SUBMITTED and question.confirmed_at == confirmed_at
    assert question.decisions.count() == 1
    assert "déjà été confirmée" in again.content.decode()


def test_an_expired_link_changes_nothing_and_offers_a_new_one(client, event, settings):
    client.post(event_url(event), question_data(event))
    path = confirmation_link(OutboundEmail.objects.get()).split("8000", 1)[1]
    settings.QUESTION_CONFIRMATION_MAX_AGE_SECONDS = -1  # every link is now too old
    response = client.get(path)
    assert response.status_code == 410
    assert "Ce lien a expiré" in response.content.decode()
    assert Question.objects.get().state == QuestionState.UNCONFIRMED
    token = path.rstrip("/").rsplit("/", 1)[1]
    settings.QUESTION_CONFIRMATION_MAX_AGE_SECONDS = 48 * 3600
    OutboundEmail.objects.update(created_at=timezone.now() - timedelta(minutes=16))
    resent = client.post(reverse("questions:resend"), {"token": token})
    assert resent.status_code == 302
    assert OutboundEmail.objects.filter(kind="question_confirmation").count() == 2
    assert client.post(confirmation_link(OutboundEmail.objects.latest("pk")).split("8000", 1)[1])
    assert Question.objects.get().state == QuestionState.SUBMITTED


def test_a_forged_link_changes_nothing(client, event):
    client.post(event_url(event), question_data(event))
    path = confirmation_link(OutboundEmail.objects.get()).split("8000", 1)[1]
    forged = path[:-3] + ("A" if path[-3] != "A" else "B") + path[-2:]
    response = client.get(forged)
    assert response.status_code == 400
    assert "Ce lien n’est pas valide" in response.content.decode()
    assert Question.objects.get().state == QuestionState.UNCONFIRMED
    assert client.get("/fr/questions/confirm/not-a-token/").status_code == 400


def test_a_lost_link_can_be_asked_for_by_address_without_revealing_it(client, event):
    client.post(event_url(event), question_data(event))
    OutboundEmail.objects.update(created_at=timezone.now() - timedelta(minutes=16))
    known = client.post(reverse("questions:resend"), {"email": "CAMILLE@example.org"})
    unknown = client.post(reverse("questions:resend"), {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert OutboundEmail.objects.filter(to="camille@example.org").count() == 2
    assert not OutboundEmail.objects.filter(to="nobody@example.org").exists()


def test_a_double_click_stores_one_question_and_sends_one_email(client, event):
    data = question_data(event)
    first = client.post(event_url(event), data)
    second = client.post(event_url(event), data)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Question.objects.count() == 1
    assert OutboundEmail.objects.count() == 1


def test_the_same_question_sent_again_from_a_new_form_is_not_duplicated(client, event):
    client.post(event_url(event), question_data(event))
    client.post(event_url(event), question_data(event, submission_token="f" * 32))
    assert Question.objects.count() == 1


def test_the_honeypot_stores_nothing_but_looks_like_success(client, event):
    response = client.post(event_url(event), question_data(event, website="http://spam.example"))
    assert response.status_code == 302
    assert not Question.objects.exists() and not OutboundEmail.objects.exists()


def test_a_form_sent_too_fast_is_refused_with_a_message(client, event, settings):
    settings.QUESTION_MIN_FILL_SECONDS = 30
    response = client.post(
        event_url(event, "en"), question_data(event, form_started=make_form_started(time.time()))
    )
    assert response.status_code == 200
    assert "That was very fast" in response.content.decode()
    assert not Question.objects.exists()


def test_a_forged_form_timestamp_is_refused(client, event):
    response = client.post(event_url(event, "en"), question_data(event, form_started="123"))
    assert "This form has expired" in response.content.decode()
    assert not Question.objects.exists()


@pytest.mark.parametrize(
    ("language", "required_message"),
    [
        ("fr", "Ce champ est obligatoire."),
        ("en", "This field is required."),
        ("de", "Dieses Feld ist zwingend erforderlich."),
        ("es", "Este campo es obligatorio."),
        ("ar", "هذا الحقل مطلوب."),
        ("zh-hans", "这个字段是必填项。"),
    ],
)
def test_field_errors_are_in_the_visitors_language_and_linked_to_the_field(
    client, event, language, required_message
):
    data = question_data(event, title="", consent="", email="not-an-address", text="x" * 1501)
    response = client.post(event_url(event, language), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert required_message in html
    assert 'id="question-title-desc-error"' in html
    assert (
        'aria-describedby="question-title-hint question-title-count question-title-desc-error"'
        in html
    )
    assert 'aria-invalid="true"' in html
    assert not Question.objects.exists()


def test_html_in_fields_is_stored_as_text_and_escaped_on_every_page(client, event):
    data = question_data(
        event,
        title='<script>alert("x")</script> Europe',
        display_name="<img src=x onerror=alert(1)>",
    )
    client.post(event_url(event), data)
    question = Question.objects.get()
    question.state = QuestionState.APPROVED
    question.save()
    for url in (event_url(event), question.get_absolute_url(), reverse("questions:search")):
        html = client.get(url).content.decode()
        assert "<script>alert" not in html and "<img src=x" not in html
        assert "&lt;script&gt;alert" in html


def test_a_closed_event_says_so_and_stores_nothing(client):
    now = timezone.now()
    closed = EventFactory(
        questions_open_at=now - timedelta(days=10), questions_close_at=now - timedelta(days=1)
    )
    response = client.post(event_url(closed), question_data(closed))
    assert response.status_code == 409
    assert "n’accepte pas de questions" in response.content.decode()
    assert "question-form" not in response.content.decode()
    assert not Question.objects.exists()


def test_an_unknown_or_unpublished_event_is_a_404(client):
    hidden = EventFactory(is_published=False)
    assert client.get(event_url(hidden)).status_code == 404
    assert client.post("/fr/events/nope/", {"title": "x"}).status_code == 404
    assert not Question.objects.exists()


def test_too_many_questions_from_one_ip_get_the_429_page_in_the_visitors_language(
    client, event, settings
):
    settings.RATELIMIT_QUESTION_PER_IP = "2/h"
    for n in range(2):
        client.post(
            event_url(event, "es"),
            question_data(event, email=f"a{n}@example.org", submission_token=f"{n}" * 32),
        )
    response = client.post(event_url(event, "es"), question_data(event, email="b@example.org"))
    assert response.status_code == 429
    assert '<html lang="es"' in response.content.decode()
    assert "Demasiados intentos" in response.content.decode()
    assert Question.objects.count() == 2


def test_strangers_using_an_address_neither_lock_its_owner_out_nor_spam_it(client, event):
    """Five questions sent with Camille's address from five IPs: one e-mail, without their
    titles; Camille still submits, and confirms her own question from that e-mail's page."""
    for n in range(5):
        response = client.post(
            event_url(event),
            question_data(
                event,
                title=f"Achetez des montres pas chères {n}",
                submission_token=f"{n}" * 32,
            ),
            REMOTE_ADDR=f"198.51.100.{n}",
        )
        assert response.status_code == 302
    mine = client.post(
        event_url(event),
        question_data(event, title="Ma vraie question", submission_token="9" * 32),
        REMOTE_ADDR="10.1.1.1",
    )
    assert mine.status_code == 302 and mine["Location"] == reverse("questions:check_inbox")
    assert Question.objects.filter(state=QuestionState.UNCONFIRMED).count() == 6
    (message,) = OutboundEmail.objects.filter(to="camille@example.org")  # one e-mail
    message = sent(message)
    assert "montres" not in message.subject + message.body_text + message.body_html
    assert event.i18n.title in message.body_text

    path = confirmation_link(message).split("8000", 1)[1]
    page = client.get(path).content.decode()
    assert "Ma vraie question" in page and page.count('name="question"') == 6
    own = Question.objects.get(title="Ma vraie question")
    confirmed = client.post(path, {"question": own.public_id})
    assert "Votre question est confirmée" in confirmed.content.decode()
    assert Question.objects.get(pk=own.pk).state == QuestionState.SUBMITTED
    assert Question.objects.filter(state=QuestionState.SUBMITTED).count() == 1


def test_a_link_confirms_only_questions_of_its_own_address(client, event):
    client.post(event_url(event), question_data(event))
    client.post(
        event_url(event),
        question_data(event, email="autre@example.org", submission_token="8" * 32),
    )
    other = Question.objects.get(email="autre@example.org")
    message = OutboundEmail.objects.get(to="camille@example.org")
    path = confirmation_link(message).split("8000", 1)[1]
    client.post(path, {"question": other.public_id})
    assert Question.objects.get(pk=other.pk).state == QuestionState.UNCONFIRMED


def test_new_links_for_one_address_are_one_per_interval_and_never_refused(client, event):
    client.post(event_url(event), question_data(event))
    OutboundEmail.objects.update(created_at=timezone.now() - timedelta(minutes=16))
    for n in range(5):  # the owner, or strangers from many IPs: never a 429 for the address
        response = client.post(
            reverse("questions:resend"),
            {"email": "Camille@example.org"},
            REMOTE_ADDR=f"10.0.0.{n + 1}",
        )
        assert response.status_code == 302
    assert OutboundEmail.objects.filter(to="camille@example.org").count() == 2
    OutboundEmail.objects.update(created_at=timezone.now() - timedelta(minutes=16))
    client.post(reverse("questions:resend"), {"email": "camille@example.org"})
    assert OutboundEmail.objects.filter(to="camille@example.org").count() == 3  # 15 min later


@pytest.mark.parametrize(
    "token",
    ["%C3%A9:%C3%A9", "a" * 3000, "..%2F..%2Fetc", "e30:1abc:xyz", "%00"],
)
def test_garbage_confirmation_tokens_never_cause_a_server_error(client, token):
    response = client.get(f"/fr/questions/confirm/{token}/")
    assert response.status_code in (400, 404)


def test_garbage_form_values_give_field_errors_not_server_errors(client, event):
    data = question_data(event, theme="not-a-number", region="XXX")
    response = client.post(event_url(event), data)
    assert response.status_code == 200
    assert not Question.objects.exists()
    assert client.get(reverse("questions:search"), {"theme": "x"}).status_code == 200
    # NUL bytes: the 400 page says why (tests/portal/test_refused_text.py).
    nul = question_data(event, display_name="a\x00b", text="\x00")
    assert client.post(event_url(event), nul).status_code == 400
    assert client.get(reverse("questions:search"), {"q": "\x00"}).status_code == 400
    assert not Question.objects.exists()
    resend = client.post(reverse("questions:resend"), {"token": "forged:token"})
    assert resend.status_code == 400


@pytest.mark.parametrize(
    ("language", "subject"),
    [
        ("fr", "Confirmez votre question au porte-parole"),
        ("en", "Confirm your question to the spokesperson"),
        ("de", "Bestätigen Sie Ihre Frage an den Sprecher"),
        ("es", "Confirme su pregunta al portavoz"),
        ("ar", "أكّد سؤالك الموجّه إلى المتحدث الرسمي"),
        ("zh-hans", "请确认您向发言人提出的问题"),
    ],
)
def test_the_confirmation_email_is_in_the_language_of_the_page(client, event, language, subject):
    client.post(event_url(event, language), question_data(event))
    message = sent(OutboundEmail.objects.get())
    assert Question.objects.get().language == language
    assert message.subject == subject and message.language == language
    assert f"/{language}/questions/confirm/" in message.body_text
    assert f'lang="{language}"' in message.body_html
    assert ('dir="rtl"' in message.body_html) == (language == "ar")


def test_a_theme_of_another_event_is_refused_and_nothing_is_stored(client, event):
    other = EventFactory()
    data = question_data(event, theme=other.themes.first().pk)
    response = client.post(event_url(event), data)
    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in response.content.decode()
    assert not Question.objects.exists() and not OutboundEmail.objects.exists()


def test_a_submission_reads_the_event_and_its_themes_once(client, event, django_assert_num_queries):
    """The submitted theme is checked among the themes read with the event, not by a query of
    its own: the event, its themes, then the submission's own statements."""
    data = question_data(event)
    with django_assert_num_queries(2 + SUBMISSION_STATEMENTS) as queries:
        response = client.post(event_url(event), data)
    assert response.status_code == 302
    theme_reads = [q["sql"] for q in queries.captured_queries if 'FROM "events_theme"' in q["sql"]]
    assert len(theme_reads) == 1
    assert Question.objects.count() == 1 and OutboundEmail.objects.count() == 1


# BEGIN; the duplicate and e-mail checks (one SELECT); the question; its confirmation e-mail;
# the day's tallies (one upsert); COMMIT. No savepoint, no delay row to delete.
SUBMISSION_STATEMENTS = 6


def test_a_burst_of_submissions_reads_the_event_once_per_process(
    client, event, django_assert_num_queries
):
    """The next submissions to the same event use the event this process has read (the site
    generation unchanged): only the submission's own statements."""
    client.post(event_url(event), question_data(event))
    for number in range(2):
        data = question_data(
            event, email=f"autre{number}@example.org", submission_token=f"{number:032x}"
        )
        with django_assert_num_queries(SUBMISSION_STATEMENTS) as queries:
            response = client.post(event_url(event), data)
        assert response.status_code == 302
        reads = " ".join(query["sql"] for query in queries.captured_queries)
        assert '"events_event"."title"' not in reads and '"events_theme"' not in reads
    assert Question.objects.count() == 3 and OutboundEmail.objects.count() == 3


def test_an_event_closed_in_the_admin_refuses_the_next_submission(
    client, event, django_capture_on_commit_callbacks
):
    """The admin's change bumps the site generation (after commit): the event kept by the
    process is read again, closed."""
    client.post(event_url(event), question_data(event))
    event.questions_close_at = timezone.now() - timedelta(minutes=1)
    event.save()
    with django_capture_on_commit_callbacks(execute=True):
        site_changed()  # what the admin's save does
    data = question_data(event, email="autre@example.org", submission_token="f" * 32)
    response = client.post(event_url(event), data)
    assert response.status_code == 409
    assert Question.objects.count() == 1


def test_the_submission_checks_find_the_address_in_any_case_within_their_windows(client, event):
    """The duplicate check and the one-e-mail-per-interval check (one statement) match the
    address whatever its case, and only within their windows."""
    client.post(event_url(event), question_data(event))
    shouting = "CAMILLE@Example.ORG"
    client.post(event_url(event), question_data(event, email=shouting, submission_token="1" * 32))
    assert Question.objects.count() == 1  # the same question again
    other = question_data(event, email=shouting, title="Une autre", submission_token="2" * 32)
    client.post(event_url(event), other)
    assert Question.objects.count() == 2 and OutboundEmail.objects.count() == 1
    later = timezone.now() - timedelta(minutes=16)
    Question.objects.update(created_at=later)
    OutboundEmail.objects.update(created_at=later)
    client.post(event_url(event), question_data(event, submission_token="3" * 32))
    assert Question.objects.count() == 3 and OutboundEmail.objects.count() == 2
