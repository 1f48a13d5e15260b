"""The outbox as moderators read it: kinds by their names, a list that fits a laptop."""

import html as entities
import re

import pytest
from django.urls import reverse

from portal.roles import MODERATORS
from questions.models import OutboundEmail
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:questions_outboundemail_changelist")
REFUSAL = (
    "SMTPRecipientsRefused({'camille.durand@example.org': (550, b'5.1.1 "
    "<camille.durand@example.org>: Recipient address rejected: User unknown in virtual "
    "mailbox table')})"
)


@pytest.fixture
def moderator(client):
    client.force_login(UserFactory(groups=[MODERATORS]))
    return client


def stored(kind: str, **fields) -> OutboundEmail:
    defaults = {"to": "camille.durand@example.org", "language": "fr", "subject": "Objet"}
    return OutboundEmail.objects.create(kind=kind, **defaults | fields)


def text_of(html: str) -> str:
    return entities.unescape(re.sub(r"<[^>]+>", " ", html))


def test_moderators_read_each_kind_by_its_french_name_never_its_code(moderator):
    stored("question_confirmation")
    stored("support_email_confirmation")
    page = text_of(moderator.get(CHANGELIST).content.decode())
    assert page.count("Confirmation d’une question") == 2  # its row and the kind filter
    assert page.count("Confirmation d’un soutien") == 2
    assert "Réponse publiée" in page  # the filter offers every kind
    assert "question_confirmation" not in page and "support_email_confirmation" not in page


def test_the_kind_filter_keeps_its_parameter_and_filters(moderator):
    stored("question_confirmation")
    stored("question_rejected")
    page = text_of(moderator.get(CHANGELIST, {"kind": "question_rejected"}).content.decode())
    assert page.count("Question refusée") == 2
    assert page.count("Confirmation d’une question") == 1  # in the filter only


def test_an_emails_page_names_its_kind_and_not_its_masked_address(moderator):
    message = stored("question_approved")
    page = moderator.get(reverse("admin:questions_outboundemail_change", args=[message.pk]))
    html = page.content.decode()
    assert "Question approuvée" in html and "question_approved" not in text_of(html)
    assert "camille.durand@example.org" not in html  # not in the title or breadcrumbs either


def test_a_long_error_is_shortened_in_the_list_whole_in_its_tooltip_and_on_its_page(moderator):
    message = stored("question_approved", last_error=REFUSAL, attempts=3)
    html = moderator.get(CHANGELIST).content.decode()
    cell = re.search(r'<td class="field-short_masked_error">(.*?)</td>', html, re.S).group(1)
    visible = text_of(cell).strip()
    assert len(visible) <= 60 and visible.endswith("…")
    assert "User unknown in virtual mailbox table" in cell  # the title attribute
    assert "camille.durand@example.org" not in html  # masked in the tooltip too
    assert 'href="/static/questions/admin/outbox.css"' in html
    page = moderator.get(reverse("admin:questions_outboundemail_change", args=[message.pk]))
    assert "User unknown in virtual mailbox table" in text_of(page.content.decode())
