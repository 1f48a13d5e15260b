"""axe-core on every public page, in French, English and Arabic: zero violations."""

import pytest
from django.urls import reverse
from django.utils import translation

from tests.browser.axe import assert_accessible, axe_violations
from tests.factories import EventFactory, QuestionFactory

pytestmark = pytest.mark.django_db(transaction=True)
LANGUAGES = ["fr", "en", "ar"]


@pytest.fixture
def published_content():
    event = EventFactory(title="Rencontre citoyenne à Lyon")
    QuestionFactory.create_batch(3, event=event)
    return event


def url_in(language: str, name: str, **kwargs) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs)


@pytest.mark.parametrize("language", LANGUAGES)
def test_home_page_has_no_accessibility_violations(desktop, published_content, language):
    desktop.goto(url_in(language, "home"))
    assert desktop.locator("html").get_attribute("lang") == language
    assert_accessible(desktop)


def test_the_accessibility_check_reports_what_a_screen_reader_user_would_miss(desktop):
    """The helper is not a rubber stamp: an unlabelled field and an image without text fail."""
    desktop.set_content(
        '<html lang="fr"><head><title>t</title></head><body><main>'
        '<h1>Formulaire</h1><input type="text" name="q"><img src="x.png"></main></body></html>'
    )
    ids = {violation["id"] for violation in axe_violations(desktop)}
    assert {"label", "image-alt"} <= ids
    with pytest.raises(AssertionError, match=r"label \(critical\)"):
        assert_accessible(desktop)
