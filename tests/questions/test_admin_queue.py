"""The admin as a moderator sees it in French: the ministry's look, the queue's columns, the
history in words, every column header translated."""

import pytest
from django.contrib import admin
from django.contrib.admin.utils import label_for_field
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.translation.trans_real import translation as catalog_for

from questions.models import QuestionState as S
from questions.moderation import approve_question
from tests.factories import QuestionFactory, UserFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:questions_question_changelist")


@pytest.fixture
def moderator(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "fr"
    user = UserFactory(username="moderatrice", groups=["Moderators"])
    client.force_login(user)
    return user


def test_the_admin_carries_the_ministrys_block_and_the_sites_name(client, moderator):
    page = client.get(reverse("admin:index")).content.decode()
    assert 'class="fr-logo"' in page and "République<br>française" in page
    assert "Le Quai d’Orsay Hors les Murs" in page
    assert "Administration des équipes et des modérateurs" in page
    assert "Administration de Django" not in page
    assert "admin-dsfr/admin.css" in page and "Marianne" not in page  # the font is in the CSS


def test_the_queue_shows_each_question_with_its_excerpt_event_theme_language_region_and_supports(
    client, moderator
):
    question = QuestionFactory(
        state=S.SUBMITTED,
        title="Quelle aide pour le Sahel ?",
        text="Une question longue sur l’aide au développement au Sahel et son évaluation.",
        language="ar",
        region="BRE",
        support_count=0,
    )
    response = client.get(CHANGELIST, {"state": S.SUBMITTED})
    page = response.content.decode()
    assert response.context["title"] == "En attente de modération"
    headers = [str(header["text"]).lower() for header in response.context["result_headers"]]
    assert headers[1:] == [
        "question",
        "événement",
        "thème",
        "langue",
        "région",
        "ancienneté",
        "soutiens",
    ]
    assert "Quelle aide pour le Sahel ?" in page
    assert "Une question longue sur l’aide au développement au Sahel" in page
    assert question.event.city in page and "Bretagne" in page
    assert 'class="hlm-queue__excerpt"' in page


def test_every_state_shows_the_state_column_only_when_no_state_is_chosen(client, moderator):
    QuestionFactory(state=S.SUBMITTED)
    response = client.get(CHANGELIST, {"state": "all"})
    headers = [str(header["text"]).lower() for header in response.context["result_headers"]]
    assert "état" in headers
    assert 'class="hlm-state hlm-state--submitted"' in response.content.decode()


def test_the_queue_costs_the_same_queries_for_3_or_30_questions(client, moderator):
    QuestionFactory.create_batch(3, state=S.SUBMITTED)
    client.get(CHANGELIST, {"state": S.SUBMITTED})  # warms the state counts' cache
    with CaptureQueriesContext(connection) as few:
        assert client.get(CHANGELIST, {"state": S.SUBMITTED}).status_code == 200
    QuestionFactory.create_batch(27, state=S.SUBMITTED)
    client.get(CHANGELIST, {"state": S.SUBMITTED})
    with CaptureQueriesContext(connection) as many:
        assert client.get(CHANGELIST, {"state": S.SUBMITTED}).status_code == 200
    assert len(many) == len(few) <= 12, [q["sql"] for q in many.captured_queries]


def test_the_state_buttons_above_the_queue_have_no_list_bullets(client, moderator):
    page = client.get(CHANGELIST).content.decode()
    assert 'class="moderation-summary"' in page
    css = client.get("/static/questions/admin/moderation.css")
    text = b"".join(css.streaming_content).decode() if css.streaming else css.content.decode()
    assert ".moderation-summary li" in text and "list-style: none" in text


def test_the_history_names_the_states_in_french_never_their_codes(client, moderator):
    question = QuestionFactory(state=S.SUBMITTED)
    approve_question(question=question, actor=moderator)
    page = client.get(reverse("admin:questions_question_change", args=[question.pk]))
    text = page.content.decode()
    assert "En attente de modération → Publiée" in text
    assert "submitted → approved" not in text


def test_no_column_header_of_the_admin_is_left_in_english():
    """Every list column of every model in the admin has a French translation."""
    french = catalog_for("fr")
    untranslated = []
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in {"questions", "media_pipeline", "events"}:
            continue
        for name in model_admin.list_display:
            if name == "action_checkbox":
                continue
            with translation.override("en"):
                english = str(label_for_field(name, model, model_admin))
            with translation.override("fr"):
                label = str(label_for_field(name, model, model_admin))
            if label == english and english.lower() not in french._catalog:
                untranslated.append(f"{model.__name__}.{name}: {english}")
    assert untranslated == []
