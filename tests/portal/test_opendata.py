"""Open data: the API and the daily files publish the public questions only, without personal
data, in the shape their published OpenAPI schema describes."""

import csv
import io
import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate as validate_openapi

from portal.opendata.columns import COLUMN_NAMES
from portal.opendata.dumps import DUMPS_KEPT, csv_row, export_dumps
from portal.opendata.models import OpenDataDump
from questions.models import QuestionState
from questions.moderation import approve_question
from tests.factories import EventFactory, QuestionFactory, ThemeFactory
from tests.media_pipeline.recording_pages import published_recording
from tests.portal.answers import publish_answer

pytestmark = pytest.mark.django_db
API = "/api/v1/questions/"
PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def schema(client) -> dict:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()


def validator(schema: dict, component: str) -> Draft202012Validator:
    """Validates against one component of the published document (its $refs resolve inside it)."""
    return Draft202012Validator(
        {**schema, "$ref": f"#/components/schemas/{component}"},
        format_checker=Draft202012Validator.FORMAT_CHECKER,
    )


def assert_valid(schema: dict, component: str, instance) -> None:
    errors = [error.message for error in validator(schema, component).iter_errors(instance)]
    assert errors == []


@pytest.fixture
def dataset(db):
    """Public questions of every public state, an answered one with a video, and private ones."""
    europe = ThemeFactory(slug="europe", name="Europe")
    climat = ThemeFactory(slug="climat", name="Climat")
    lyon = EventFactory(slug="lyon", themes=[europe, climat])
    lille = EventFactory(slug="lille", city="Lille", region="HDF", themes=[europe])
    approved = QuestionFactory(
        event=lyon,
        theme=europe,
        approved_at=datetime(2026, 3, 2, 10, tzinfo=PARIS),
        email="secret-approved@example.org",
        region="ETR",
        display_name="Camille",
    )
    selected = QuestionFactory(
        event=lyon,
        theme=climat,
        state=QuestionState.SELECTED,
        approved_at=datetime(2026, 3, 5, 23, 30, tzinfo=PARIS),
        selected_at=datetime(2026, 3, 6, 9, tzinfo=PARIS),
    )
    answered = QuestionFactory(
        event=lille,
        theme=europe,
        state=QuestionState.SELECTED,
        approved_at=datetime(2026, 3, 9, 8, tzinfo=PARIS),
        email="secret-answered@example.org",
    )
    video = publish_answer(answered, captions=("fr", "ar"))
    video.transcript = "Merci pour votre question."
    video.save(update_fields=["transcript"])
    answered.refresh_from_db()
    private = [
        QuestionFactory(
            event=lyon, state=state, email=f"{state}@example.org", title=f"Privée {state}"
        )
        for state in ("unconfirmed", "submitted", "duplicate")
    ]
    private.append(
        QuestionFactory(
            event=lyon,
            state=QuestionState.REJECTED,
            rejection_reason="off_topic",
            rejection_note="Note privée",
            title="Privée rejected",
        )
    )
    return {"approved": approved, "selected": selected, "answered": answered, "private": private}


def test_the_published_description_is_a_valid_openapi_31_document(schema):
    validate_openapi(schema)
    assert schema["openapi"] == "3.1.0"
    assert schema["info"]["license"]["identifier"] == "etalab-2.0"
    record = schema["components"]["schemas"]["Question"]
    assert list(record["properties"]) == list(COLUMN_NAMES)


def test_the_api_lists_public_questions_only_and_each_record_matches_the_schema(
    client, dataset, schema
):
    response = client.get(API)
    assert response.status_code == 200
    page = response.json()
    assert_valid(schema, "QuestionPage", page)
    ids = [record["id"] for record in page["results"]]
    assert ids == [dataset[name].public_id for name in ("approved", "selected", "answered")]
    assert page["next"] is None


def test_no_private_field_ever_appears(client, dataset):
    body = client.get(API).content.decode()
    for secret in (
        "secret-approved@example.org",
        "secret-answered@example.org",
        "ETR",
        "Note privée",
        "Privée",
        "@example.org",
    ):
        assert secret not in body
    for record in json.loads(body)["results"]:
        assert set(record) == set(COLUMN_NAMES)


def test_an_answered_record_links_its_published_video_captions_and_transcript(client, dataset):
    answered = dataset["answered"]
    record = client.get(f"{API}{answered.public_id}/").json()
    assert record["state"] == "answered"
    assert record["answer_video_url"].startswith("http") and record["answer_video_url"].endswith(
        ".mp4"
    )
    assert record["answer_embed_url"].endswith(f"/embed/{answered.public_id}/")
    assert record["answer_caption_languages"] == ["ar", "fr"]
    assert record["answer_transcript"] == "Merci pour votre question."
    assert record["event_region"] == "HDF" and record["event_city"] == "Lille"
    assert record["answer_on_stage"] is False and record["answer_start_seconds"] is None
    assert record["answer_duration_seconds"] == 61.4
    approved = client.get(f"{API}{dataset['approved'].public_id}/").json()
    assert approved["answer_video_url"] is None and approved["answer_caption_languages"] == []
    assert approved["answer_on_stage"] is False and approved["answered_at"] is None
    assert approved["pseudonym"] == "Camille"


def test_a_question_answered_on_stage_links_its_moment_in_the_event_recording(client, schema):
    recording, first, second = published_recording()
    record = client.get(f"{API}{second.public_id}/").json()
    assert_valid(schema, "Question", record)
    assert record["state"] == "answered" and record["answered_at"]
    assert record["answer_on_stage"] is True
    # 20:00–28:00 into the recording: its MP4 with a media fragment, the embed from 20:00.
    assert record["answer_video_url"].startswith("http")
    assert record["answer_video_url"].endswith(f"{recording.mp4.url}#t=1200,1680")
    assert record["answer_poster_url"].endswith(recording.poster.url)
    assert record["answer_embed_url"].endswith(f"/embed/{second.public_id}/?t=1200")
    assert record["answer_start_seconds"] == 1200.0
    assert record["answer_duration_seconds"] == 480.0
    assert record["answer_caption_languages"] == ["fr"]
    assert record["answer_transcript"] is None  # the recording's covers the whole event
    row = csv_row(record)
    assert row[COLUMN_NAMES.index("answer_on_stage")] == "true"
    assert row[COLUMN_NAMES.index("answer_start_seconds")] == 1200.0


def test_a_stage_answer_whose_chapter_is_not_published_shows_no_answer(client):
    _recording, first, _second = published_recording(chapters=False)
    record = client.get(f"{API}{first.public_id}/").json()
    assert record["answer_on_stage"] is False and record["answer_video_url"] is None


def test_a_private_question_is_not_found(client, dataset):
    for question in dataset["private"]:
        response = client.get(f"{API}{question.public_id}/")
        assert response.status_code == 404
        assert response.json() == {"error": "not found"}


def test_pages_follow_the_next_link_until_every_record_was_seen_once(client, db):
    event = EventFactory()
    questions = QuestionFactory.create_batch(7, event=event)
    seen, url, pages = [], f"{API}?limit=3&event={event.slug}", 0
    while url:
        response = client.get(url)
        page = response.json()
        seen += [record["id"] for record in page["results"]]
        url = page["next"]
        if url:
            assert response["Link"] == f'<{url}>; rel="next"'
            assert f"event={event.slug}" in url and "limit=3" in url
            url = url.removeprefix("http://127.0.0.1:8000")
        pages += 1
    assert pages == 3
    assert seen == [question.public_id for question in questions]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("event=lille", ["answered"]),
        ("theme=climat", ["selected"]),
        ("state=approved", ["approved"]),
        ("state=answered", ["answered"]),
        ("published_since=2026-03-05", ["selected", "answered"]),
        # Days are Paris days: 23:30 on 5 March is the 5th, not the 6th (UTC).
        ("published_until=2026-03-05", ["approved", "selected"]),
        ("published_since=2026-03-03&published_until=2026-03-06", ["selected"]),
        ("event=lyon&theme=europe", ["approved"]),
        ("event=nowhere", []),
    ],
)
def test_filters(client, dataset, query, expected):
    results = client.get(f"{API}?{query}").json()["results"]
    assert [record["id"] for record in results] == [dataset[name].public_id for name in expected]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("limit=0", "limit"),
        ("limit=501", "limit"),
        ("limit=many", "limit"),
        ("state=rejected", "state"),
        ("published_since=05/03/2026", "published_since"),
        ("published_since=2026-03-06&published_until=2026-03-05", "published_until"),
        ("cursor=not-a-cursor", "cursor"),
    ],
)
def test_invalid_parameters_are_refused_with_a_400_that_names_them(
    client, db, schema, query, field
):
    response = client.get(f"{API}?{query}")
    assert response.status_code == 400
    assert field in response.json()["fields"]
    assert_valid(schema, "Error", response.json())


def test_a_page_costs_three_queries_however_many_answered_records_it_holds(
    client, dataset, django_assert_num_queries
):
    for _ in range(3):
        publish_answer(QuestionFactory(state=QuestionState.SELECTED))
    published_recording()
    # The questions with their event, theme, video and chapter; the captions of the page's
    # videos; the captions of its recordings.
    with django_assert_num_queries(3):
        response = client.get(f"{API}?limit=100")
    assert len(response.json()["results"]) == 8


def test_api_answers_are_publicly_cacheable_and_open_to_other_origins(client, dataset):
    for url in (API, f"{API}{dataset['approved'].public_id}/", "/api/v1/openapi.json"):
        response = client.get(url)
        assert "public" in response["Cache-Control"] and "max-age=" in response["Cache-Control"]
        assert response["Access-Control-Allow-Origin"] == "*"
        assert "Set-Cookie" not in response
    assert client.post(API).status_code == 405


def test_the_dumps_hold_the_api_records_and_validate_against_the_schema(client, dataset, schema):
    csv_dump, json_dump = sorted(export_dumps(), key=lambda dump: dump.format)
    assert (csv_dump.format, json_dump.format) == ("csv", "json")
    api_records = client.get(API).json()["results"]

    with default_storage.open(json_dump.file.name) as handle:
        document = json.load(handle)
    assert_valid(schema, "Dump", document)
    assert document["results"] == api_records
    assert document["count"] == json_dump.records == 3
    assert "etalab" in document["licence"]

    with default_storage.open(csv_dump.file.name) as handle:
        rows = list(csv.reader(io.TextIOWrapper(handle, encoding="utf-8")))
    assert rows[0] == list(COLUMN_NAMES)
    assert rows[1:] == [[str(value) for value in csv_row(record)] for record in api_records]
    assert csv_dump.size == default_storage.size(csv_dump.file.name)
    for dump in (csv_dump, json_dump):
        with default_storage.open(dump.file.name) as handle:
            content = handle.read().decode()
        assert "@example.org" not in content and "Privée" not in content


def test_the_stable_download_addresses_lead_to_the_latest_files(client, dataset):
    assert client.get("/open-data/questions.csv").status_code == 404
    export_dumps()
    newest = export_dumps()
    for dump in newest:
        response = client.get(f"/open-data/questions.{dump.format}")
        assert response.status_code == 302
        assert response["Location"].endswith(dump.file.url)
    assert client.get("/open-data/questions.xml").status_code == 404


def test_only_a_week_of_files_is_kept(dataset, django_capture_on_commit_callbacks):
    first = export_dumps()
    for _ in range(DUMPS_KEPT):
        with django_capture_on_commit_callbacks(execute=True):
            export_dumps()
    assert OpenDataDump.objects.count() == 2 * DUMPS_KEPT
    for dump in first:
        assert not default_storage.exists(dump.file.name)
        assert not OpenDataDump.objects.filter(pk=dump.pk).exists()


def test_the_command_writes_the_files(dataset, capsys):
    call_command("export_open_data")
    assert "3 records" in capsys.readouterr().out
    assert OpenDataDump.objects.count() == 2


def test_the_page_documents_licence_files_api_and_every_column(client, dataset):
    export_dumps()
    html = client.get(reverse("open_data")).content.decode()
    assert "Licence Ouverte / Open Licence 2.0 (Etalab)" in html
    assert "https://www.etalab.gouv.fr/licence-ouverte-open-licence/" in html
    for url in ("/open-data/questions.csv", "/open-data/questions.json", "/api/v1/openapi.json"):
        assert url in html
    for name in COLUMN_NAMES:
        assert f"<code>{name}</code>" in html
    assert "3 enregistrements" in html


def test_the_page_says_when_no_file_was_generated_yet(client, db):
    html = client.get("/en/open-data/").content.decode()
    assert "The first files will be generated tonight" in html


def test_records_of_an_answer_whose_video_is_not_published_show_no_answer(client, db):
    question = QuestionFactory(state=QuestionState.ANSWERED, answered_at=timezone.now())
    record = client.get(f"{API}{question.public_id}/").json()
    assert record["answer_video_url"] is None and record["answered_at"] is None
    assert (
        record["published_at"] is None
        or record["published_at"] < (timezone.now() + timedelta(days=1)).isoformat()
    )


def test_api_pages_are_served_from_the_page_cache_with_an_etag(
    client, dataset, django_assert_num_queries, django_capture_on_commit_callbacks
):
    url = f"{API}?limit=1&event=lyon"
    first = client.get(url)
    # Read again: from the page cache (no query), with the next link and CORS of the first.
    with django_assert_num_queries(0):
        again = client.get(url)
    assert again.content == first.content
    assert again["Link"] == first["Link"] and again["Access-Control-Allow-Origin"] == "*"
    assert again["ETag"]
    with django_assert_num_queries(0):
        unchanged = client.get(url, headers={"if-none-match": again["ETag"]})
    assert unchanged.status_code == 304
    # A question approved since: the cached pages are stale, the API answers afresh.
    every = f"{API}?event=lyon"
    before = len(client.get(every).json()["results"])
    new = QuestionFactory(event=dataset["approved"].event, state=QuestionState.SUBMITTED)
    with django_capture_on_commit_callbacks(execute=True):
        approve_question(question=new, actor=None)
    after = [record["id"] for record in client.get(every).json()["results"]]
    assert len(after) == before + 1 and new.public_id in after
