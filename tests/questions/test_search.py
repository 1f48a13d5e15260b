"""Searching and filtering public questions."""

import pytest
from django.urls import reverse

from questions.models import QuestionState
from questions.selectors import search_public_questions
from tests.factories import EventFactory, QuestionFactory, ThemeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def corpus(db):
    europe, climat = ThemeFactory(slug="europe"), ThemeFactory(slug="climat")
    lille = EventFactory(slug="lille", region="HDF", themes=[europe, climat])
    rennes = EventFactory(slug="rennes", region="BRE", themes=[europe, climat])
    return {
        "elections": QuestionFactory(
            event=lille,
            theme=europe,
            title="Les élections européennes",
            text="Comment voter depuis l'étranger aux élections du Parlement européen ?",
        ),
        "climat": QuestionFactory(
            event=rennes,
            theme=climat,
            title="La diplomatie du climat",
            text="Quels engagements la France défend-elle pour réduire les émissions ?",
            state=QuestionState.ANSWERED,
        ),
        "hidden": QuestionFactory(
            event=lille, theme=europe, title="Élections cachées", state=QuestionState.SUBMITTED
        ),
    }


def titles(questions) -> set[str]:
    return {question.title for question in questions}


def test_filters_combine_and_only_public_questions_are_found(corpus):
    assert titles(search_public_questions()) == {
        "Les élections européennes",
        "La diplomatie du climat",
    }
    assert titles(search_public_questions(region="BRE")) == {"La diplomatie du climat"}
    assert titles(search_public_questions(answered="yes")) == {"La diplomatie du climat"}
    assert titles(search_public_questions(answered="no")) == {"Les élections européennes"}
    europe = corpus["elections"].theme
    assert titles(search_public_questions(theme=europe)) == {"Les élections européennes"}
    assert titles(search_public_questions(event=corpus["climat"].event)) == {
        "La diplomatie du climat"
    }


def test_words_are_found_in_title_or_text(corpus):
    assert titles(search_public_questions(text="parlement")) == {"Les élections européennes"}
    assert titles(search_public_questions(text="diplomatie climat")) == {"La diplomatie du climat"}
    assert titles(search_public_questions(text="introuvable")) == set()


@pytest.mark.postgresql_only
def test_postgresql_full_text_search_uses_french_stemming_and_ranks_titles_first(corpus):
    # "élection" (singular) finds "élections" through the French stemmer, which icontains cannot.
    assert titles(search_public_questions(text="élection")) == {"Les élections européennes"}
    assert titles(search_public_questions(text="engagement")) == {"La diplomatie du climat"}
    QuestionFactory(
        event=corpus["elections"].event,
        theme=corpus["elections"].theme,
        title="Voter à l'étranger",
        text="Une question sur le climat, en passant.",
    )
    ranked = list(search_public_questions(text="climat"))
    assert ranked[0].title == "La diplomatie du climat"  # title match (weight A) first
    # websearch syntax: quoted phrases and exclusions from the search box are safe.
    assert titles(search_public_questions(text='"diplomatie du climat" -voter')) == {
        "La diplomatie du climat"
    }


def test_the_search_page_filters_paginates_and_ignores_bad_input(client, corpus, settings):
    settings.QUESTIONS_PER_PAGE = 1
    response = client.get(reverse("questions:search"), {"region": "BRE"})
    html = response.content.decode()
    assert "La diplomatie du climat" in html and "Les élections européennes" not in html
    page_two = client.get(reverse("questions:search"), {"page": 2})
    assert page_two.status_code == 200 and "page=1" in page_two.content.decode()
    for bad in ({"event": "nope"}, {"answered": "<b>"}, {"page": "x"}, {"q": "x" * 500}):
        assert client.get(reverse("questions:search"), bad).status_code == 200


def test_the_search_page_makes_few_queries(client, corpus, django_assert_max_num_queries):
    QuestionFactory.create_batch(
        30, event=corpus["elections"].event, theme=corpus["elections"].theme
    )
    with django_assert_max_num_queries(8):
        assert client.get(reverse("questions:search"), {"q": "question"}).status_code == 200


@pytest.mark.postgresql_only
def test_postgresql_search_ignores_accents_in_both_directions(corpus):
    # Typed on a keyboard without accents, or with accents the text lacks.
    assert titles(search_public_questions(text="election europeenne")) == {
        "Les élections européennes"
    }
    assert titles(search_public_questions(text="étranger")) == {"Les élections européennes"}
    assert titles(search_public_questions(text="emission")) == {"La diplomatie du climat"}


@pytest.mark.postgresql_only
def test_postgresql_full_text_search_can_use_its_index(corpus):
    """The GIN index (migration 0005) matches the search expression, so a search does not
    read every question; with sequential scans disabled the planner must pick it."""
    from django.contrib.postgres.search import SearchQuery
    from django.db import connection

    from questions.models import Question
    from questions.selectors import SEARCH_CONFIG, search_vector

    query = SearchQuery("élection", config=SEARCH_CONFIG, search_type="websearch")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = Question.objects.annotate(search=search_vector()).filter(search=query).explain()
    assert "question_search_fr_idx" in plan
