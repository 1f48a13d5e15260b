"""Question cards (questions/cards.py): the values a card prints, computed once per list."""

import pytest
from django.utils import translation

from questions.cards import question_cards, state_badge
from questions.models import QuestionState
from tests.factories import QuestionFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_a_card_links_to_the_question_page_whatever_its_slug(language):
    plain = QuestionFactory(title="Quelle Europe demain ?")
    arabic = QuestionFactory(title="ما هو موقف فرنسا من المناخ؟", language="ar")
    with translation.override(language):
        cards = question_cards([plain, arabic])
        assert [card.url for card in cards] == [plain.get_absolute_url(), arabic.get_absolute_url()]
    assert cards[1].url.startswith(f"/{language}/questions/") and "%D9" in cards[1].url


def test_a_card_escapes_what_citizens_wrote_and_counts_supports_in_the_language():
    question = QuestionFactory(display_name="<b>Camille</b> & co", support_count=1)
    with translation.override("fr"):
        card = question_cards([question], show_event=True)[0]
    assert card.asked_by == "Posée par &lt;b&gt;Camille&lt;/b&gt; &amp; co"
    assert card.supports == "1 soutien" and card.city == question.event.city
    assert question_cards([question])[0].city == ""


@pytest.mark.parametrize(
    ("state", "css"),
    [
        (QuestionState.APPROVED, "fr-badge--info"),
        (QuestionState.SELECTED, "fr-badge--new"),
        (QuestionState.SHORTLISTED, "fr-badge--new"),
        (QuestionState.ANSWERING, "fr-badge--new"),
        (QuestionState.ON_STAGE, "fr-badge--success"),
        (QuestionState.ANSWERED, "fr-badge--success"),
    ],
)
def test_the_badge_follows_the_state(state, css):
    assert state_badge(QuestionFactory(state=state)).css == css
