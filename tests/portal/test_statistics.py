"""Statistics: known questions and plays in, known figures out; staff with the permission only."""

import csv
import io
import threading
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.utils import translation

from portal.statistics import figures, play_buffer
from portal.statistics.counters import record_play, record_view
from portal.statistics.figures import Period
from portal.statistics.models import PlayCount, ReachCount
from portal.statistics.play_buffer import count_play, flush_plays
from questions import tallies
from questions.models import QuestionState as S
from questions.moderation import reject_question
from tests.factories import EventFactory, QuestionFactory, ThemeFactory, UserFactory
from tests.redis_server import redis_url  # noqa: F401 - the configured Redis, or one of its own

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")
BASE = datetime(2026, 3, 2, 10, tzinfo=PARIS)


@pytest.fixture(autouse=True)
def no_plays_waiting_in_redis(redis_url, settings):  # noqa: F811
    """Plays are counted in a real Redis (the configured one, or the tests' own on the embedded
    defaults); plays left there by another test would be flushed into this one's counters."""
    settings.REDIS_URL = redis_url
    redis_client = play_buffer.client()
    keys = [play_buffer.pending_key(), *redis_client.scan_iter(play_buffer.batch_prefix() + "*")]
    redis_client.delete(*keys)
    yield


def at(days: float) -> datetime:
    return BASE + timedelta(days=days)


def question(event, theme, state, *, region="ARA", language="fr", supports=0, **stamps):
    created = stamps.pop("created", at(0))
    q = QuestionFactory(
        event=event,
        theme=theme,
        state=state,
        region=region,
        language=language,
        support_count=supports,
        confirmed_at=stamps.pop("confirmed", at(0)),
        **stamps,
    )
    type(q).objects.filter(pk=q.pk).update(created_at=created)  # auto_now_add
    return q


@pytest.fixture
def known(db):
    """Lyon: 6 questions; Lille: 2. Delays in whole days for readable medians."""
    europe, climat = (
        ThemeFactory(slug="europe", name="Europe"),
        ThemeFactory(slug="climat", name="Climat"),
    )
    lyon = EventFactory(title="Lyon", slug="lyon", themes=[europe, climat])
    lille = EventFactory(title="Lille", slug="lille", themes=[europe])
    qs = {
        "approved": question(lyon, europe, S.APPROVED, supports=3, approved_at=at(1)),
        "selected": question(
            lyon, europe, S.SELECTED, supports=5, approved_at=at(2), selected_at=at(3)
        ),
        "answered": question(
            lyon,
            climat,
            S.ANSWERED,
            language="en",
            supports=7,
            approved_at=at(4),
            selected_at=at(5),
            answered_at=at(7),
        ),
        "rejected": question(
            lyon, climat, S.REJECTED, rejection_reason="off_topic", rejected_at=at(6)
        ),
        "merged": question(lyon, europe, S.DUPLICATE, region="BRE"),
        "waiting": question(lyon, europe, S.UNCONFIRMED, confirmed=None, region="BRE"),
        "lille_rejected": question(
            lille,
            europe,
            S.REJECTED,
            rejection_reason="insulting",
            rejected_at=at(42),
            created=at(40),
            confirmed=at(40),
        ),
        "lille_answered": question(
            lille,
            europe,
            S.ANSWERED,
            language="ar",
            supports=1,
            approved_at=at(41),
            selected_at=at(41),
            answered_at=at(44),
            created=at(40),
            confirmed=at(40),
        ),
    }
    # Written on given days (created_at is set after the insert): the aggregates are recounted
    # from the questions, as the rebuild_question_tallies command does.
    tallies.rebuild()
    return qs


COLUMN_KEYS = [key for key, _label in figures.FLOW_COLUMNS + figures.MEDIAN_COLUMNS]


def rows_by_label(figure) -> dict:
    return {row[0]: dict(zip(COLUMN_KEYS, row[1:], strict=True)) for row in figure.rows}


@pytest.mark.postgresql_only
def test_question_flow_per_event_counts_every_step_and_the_median_delays(known):
    figure = figures.question_flow("event", Period())
    rows = rows_by_label(figure)
    assert rows["Lyon"] == {
        "received": 6,
        "confirmed": 5,
        "approved": 3,
        "rejected": 1,
        "merged": 1,
        "selected": 2,
        "answered": 1,
        "supports": 15,
        # decided − confirmed: approved after 1, 2 and 4 days, rejected after 6 → median 3.0
        "decision_days": 3.0,
        # answered − selected: 2 days
        "answer_days": 2.0,
    }
    assert rows["Lille"]["received"] == 2 and rows["Lille"]["answered"] == 1
    assert rows["Lille"]["decision_days"] == 1.5  # median of 2 days (rejected) and 1 (approved)
    assert rows["Lille"]["answer_days"] == 3.0


@pytest.mark.parametrize(
    ("dimension", "expected"),
    [
        ("theme", {"Europe": 6, "Climat": 2}),
        ("region", {"Auvergne-Rhône-Alpes": 6, "Bretagne": 2}),
        ("language", {"Français": 6, "English": 1, "العربية": 1}),
        ("month", {"mars 2026": 6, "avril 2026": 2}),
    ],
)
def test_questions_received_per_theme_region_language_and_month(known, dimension, expected):
    rows = rows_by_label(figures.question_flow(dimension, Period()))
    assert {label: row["received"] for label, row in rows.items()} == expected


def test_the_period_keeps_the_questions_written_in_it(known):
    rows = rows_by_label(
        figures.question_flow("event", Period(since=date(2026, 4, 1), until=date(2026, 4, 30)))
    )
    assert list(rows) == ["Lille"]
    assert rows["Lille"]["rejected"] == 1


def test_rejections_by_reason(known):
    reject_question(question=known["approved"], actor=None, reason="off_topic")
    with translation.override("en"):
        assert figures.rejections(Period()).rows == [
            ["Off topic: not about foreign policy", 2],
            ["Insulting or defamatory", 1],
        ]


def test_plays_are_summed_per_day_answer_and_language(known):
    answered = known["answered"]
    other = known["lille_answered"]
    for _ in range(3):
        record_play(question_id=answered.pk, language="fr", event="start", day=date(2026, 3, 10))
    record_play(question_id=answered.pk, language="fr", event="end", day=date(2026, 3, 10))
    record_play(question_id=answered.pk, language="ar", event="start", day=date(2026, 3, 11))
    record_play(question_id=other.pk, language="ar", event="start", day=date(2026, 3, 11))
    record_play(question_id=other.pk, language="ar", event="end", day=date(2026, 3, 11))
    assert PlayCount.objects.count() == 3  # one row per (day, answer, language)
    assert figures.plays_per_day(Period()).rows == [["2026-03-10", 3, 1], ["2026-03-11", 2, 1]]
    assert figures.plays_per_answer(Period()).rows == [
        [answered.title, 4, 1],
        [other.title, 1, 1],
    ]
    assert figures.plays_per_language(Period()).rows == [["Français", 3, 1], ["العربية", 2, 1]]
    assert figures.plays_per_day(Period(since=date(2026, 3, 11))).rows == [["2026-03-11", 2, 1]]


@pytest.fixture
def communication(client):
    client.force_login(UserFactory(username="comm", groups=["Communication"]))
    return client


def test_the_page_shows_every_figure_with_its_table_chart_and_csv(communication, known):
    record_play(question_id=known["answered"].pk, language="fr", event="start")
    record_view(kind="feed", key="answers.rss", language="fr")
    response = communication.get("/fr/staff/statistics/?dimension=theme")
    assert response.status_code == 200
    html = response.content.decode()
    for key in ("flow-theme", "rejections", "plays-day", "plays-answer", "plays-language", "views"):
        assert f'src="/fr/staff/statistics/{key}.svg?dimension=theme"' in html
        assert f'href="/fr/staff/statistics/{key}.csv?dimension=theme"' in html
    assert '<th scope="row" dir="auto">Europe</th>' in html
    assert "no-cache" in response["Cache-Control"] or "private" in response["Cache-Control"]


def test_the_page_costs_the_same_queries_however_much_data_it_counts(
    communication, known, django_assert_max_num_queries
):
    communication.get("/fr/staff/statistics/")
    for day in range(1, 20):
        record_play(
            question_id=known["answered"].pk, language="de", event="start", day=date(2026, 3, day)
        )
        QuestionFactory(state=S.APPROVED, approved_at=at(day))
    cache.clear()  # the figures are kept five minutes: count them afresh
    # Session, user and its permissions (4), one query per figure (6), the flow's medians (the
    # delays table) and labels, and the titles of the most played answers.
    with django_assert_max_num_queries(13):
        assert communication.get("/fr/staff/statistics/").status_code == 200
    # Then its charts and CSV files read the figures from the cache: the login checks only.
    with django_assert_max_num_queries(4):
        assert communication.get("/fr/staff/statistics/flow-event.svg").status_code == 200


def test_each_figure_is_an_svg_chart_without_script_and_a_csv(communication, known):
    svg = communication.get("/fr/staff/statistics/flow-event.svg")
    assert svg.status_code == 200 and svg["Content-Type"].startswith("image/svg+xml")
    body = svg.content.decode()
    assert "<svg" in body and "Lyon" in body
    assert "<script" not in body and "http://kozea" not in body and "https://kozea" not in body
    assert "default-src 'none'" in svg["Content-Security-Policy"]
    data = communication.get("/en/staff/statistics/flow-event.csv")
    assert data["Content-Disposition"] == 'attachment; filename="hors-les-murs-flow-event.csv"'
    rows = list(csv.reader(io.StringIO(data.content.decode())))
    assert rows[0][:3] == ["Event", "Received", "Confirmed"]
    assert sorted(row[:2] for row in rows[1:]) == [["Lille", "2"], ["Lyon", "6"]]
    assert communication.get("/fr/staff/statistics/nothing.svg").status_code == 404


def test_every_figure_draws_its_chart(communication, known):
    record_play(question_id=known["answered"].pk, language="fr", event="start")
    record_play(question_id=known["answered"].pk, language="fr", event="end", day=date(2026, 1, 2))
    record_view(kind="embed", key=known["answered"].public_id, language="fr")
    keys = [f"flow-{dimension}" for dimension in figures.DIMENSIONS]
    keys += ["rejections", "plays-day", "plays-answer", "plays-language", "views"]
    for key in keys:
        response = communication.get(f"/ar/staff/statistics/{key}.svg?since=2026-01-01")
        assert response.status_code == 200, key
        assert b"<svg" in response.content and b"<script" not in response.content, key


def test_only_staff_with_the_statistics_permission_see_them(client, known):
    assert client.get("/fr/staff/statistics/").status_code == 302  # to the login
    for group in ("Moderators", "Spokesperson staff"):
        client.force_login(UserFactory(groups=[group]))
        assert client.get("/fr/staff/statistics/").status_code == 403
        assert client.get("/fr/staff/statistics/flow-event.csv").status_code == 403


def test_the_admin_home_links_to_the_statistics_for_those_who_may_see_them(client, db):
    communication = UserFactory(username="comm", groups=["Communication"])
    assert communication.is_staff
    client.force_login(communication)
    page = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="fr")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'href="/fr/staff/statistics/"' in html and "Statistiques" in html
    client.force_login(UserFactory(groups=["Moderators"]))
    assert 'href="/fr/staff/statistics/"' not in client.get("/admin/").content.decode()


def test_the_communication_role_reads_statistics_and_nothing_else():
    from django.contrib.auth.models import Group

    group = Group.objects.get(name="Communication")
    assert [f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()] == [
        "portal.view_statistics"
    ]


def test_the_beacon_counts_a_play_of_an_answer_without_cookies(client, known):
    answered = known["answered"]
    for event in ("start", "start", "end"):
        response = client.post(
            "/reach/plays/", {"question": answered.public_id, "event": event, "lang": "ar"}
        )
        assert response.status_code == 204
        assert not response.cookies
    assert flush_plays() == 3
    row = PlayCount.objects.get()
    assert (row.question_id, row.language, row.started, row.completed) == (answered.pk, "ar", 2, 1)


@pytest.mark.parametrize(
    "data",
    [
        {"event": "start", "lang": "fr"},
        {"question": "unknown", "event": "start", "lang": "fr"},
        {"question": "APPROVED", "event": "start", "lang": "fr"},
        {"question": "ANSWERED", "event": "pause", "lang": "fr"},
        {"question": "ANSWERED", "event": "start", "lang": "pt"},
    ],
)
def test_the_beacon_refuses_what_is_not_a_play_of_an_answer(client, known, data):
    ids = {"APPROVED": known["approved"].public_id, "ANSWERED": known["answered"].public_id}
    data = {key: ids.get(value, value) for key, value in data.items()}
    assert client.post("/reach/plays/", data).status_code == 400
    assert client.get("/reach/plays/").status_code == 405
    assert not PlayCount.objects.exists()


def test_the_beacon_reads_nothing_once_the_answer_is_known(
    client, known, django_assert_max_num_queries
):
    data = {"question": known["answered"].public_id, "event": "start", "lang": "fr"}
    client.post("/reach/plays/", data)
    with django_assert_max_num_queries(0):  # the answer's id is known; the count goes to Redis
        assert client.post("/reach/plays/", data).status_code == 204
    flush_plays()
    assert PlayCount.objects.get().started == 2


@pytest.mark.postgresql_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_plays_lose_no_count():
    """16 threads, each with its own connection, 50 starts and 25 ends on the same row."""
    answered = QuestionFactory(state=S.ANSWERED)
    barrier = threading.Barrier(16)
    errors = []

    def play() -> None:
        try:
            barrier.wait()
            for number in range(50):
                record_play(question_id=answered.pk, language="fr", event="start")
                if number % 2:
                    record_play(question_id=answered.pk, language="fr", event="end")
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=play) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    row = PlayCount.objects.get()
    assert (row.started, row.completed) == (16 * 50, 16 * 25)


@pytest.mark.postgresql_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_beacons_through_http_lose_no_count(live_server):
    """Real requests on the live server's threads, as browsers would send them."""
    import requests

    answered = QuestionFactory(state=S.ANSWERED)
    url = f"{live_server.url}/reach/plays/"

    def send() -> None:
        with requests.Session() as session:
            for _ in range(20):
                session.post(
                    url,
                    data={"question": answered.public_id, "event": "start", "lang": "es"},
                    timeout=30,
                ).raise_for_status()

    threads = [threading.Thread(target=send) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    flush_plays()
    assert PlayCount.objects.get(language="es").started == 160


def test_feed_embed_and_oembed_requests_are_counted(client, answered_question):
    answered = answered_question()
    client.get("/fr/feeds/answers.rss")
    client.get("/fr/feeds/answers.rss")
    client.get(f"/en/feeds/events/{answered.event.slug}/answers.atom")
    client.get(f"/embed/{answered.public_id}/?lang=ar")
    client.get(f"/oembed/?url=http://127.0.0.1:8000{answered.get_absolute_url()}")
    client.get("/embed/unknown/")  # a 404 is not a view
    counts = {(row.kind, row.key, row.language): row.count for row in ReachCount.objects.all()}
    assert counts == {
        ("feed", "answers.rss", "fr"): 2,
        ("feed", f"event/{answered.event.slug}.atom", "en"): 1,
        ("embed", answered.public_id, "ar"): 1,
        ("oembed", "", "fr"): 1,
    }


def test_the_answer_pages_load_the_play_counter_but_the_staff_preview_does_not(
    client, answered_question
):
    answered = answered_question()
    page = client.get(answered.get_absolute_url()).content.decode()
    assert 'src="/static/reach/plays.js" data-beacon="/reach/plays/"' in page
    assert f'data-question="{answered.public_id}"' in page
    embed = client.get(f"/embed/{answered.public_id}/?lang=fr").content.decode()
    assert "reach/plays.js" in embed


def test_a_staff_client_without_login_cannot_read_a_chart(db):
    assert Client().get("/fr/staff/statistics/views.svg").status_code == 302


@pytest.mark.postgresql_only
@pytest.mark.django_db(transaction=True)
def test_plays_counted_while_flushes_run_are_all_added_once():
    """8 threads count 100 plays each while another flushes again and again."""
    answered = QuestionFactory(state=S.ANSWERED)
    counting = threading.Barrier(9)
    done = threading.Event()
    errors = []

    def play(number: int) -> None:
        try:
            counting.wait()
            for _ in range(100):
                count_play(
                    question_id=answered.pk,
                    language="fr",
                    event="start",
                    address=f"10.0.0.{number}",
                )
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)

    def flush() -> None:
        try:
            counting.wait()
            while not done.is_set():
                flush_plays()
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    players = [threading.Thread(target=play, args=(n,)) for n in range(8)]
    flusher = threading.Thread(target=flush)
    for thread in (*players, flusher):
        thread.start()
    for thread in players:
        thread.join()
    done.set()
    flusher.join()
    flush_plays()
    assert errors == []
    assert PlayCount.objects.get().started == 800


def test_a_flush_that_died_is_finished_by_the_next_without_counting_twice(known):
    answered = known["answered"]
    redis_client = play_buffer.client()
    for _ in range(3):
        count_play(question_id=answered.pk, language="fr", event="start", address="10.1.1.1")
    # Died after renaming the plays to its batch: the next flush adds them.
    redis_client.rename(play_buffer.pending_key(), play_buffer.batch_prefix() + "dead1")
    count_play(question_id=answered.pk, language="fr", event="end", address="10.1.1.1")
    assert flush_plays() == 4
    row = PlayCount.objects.get()
    assert (row.started, row.completed) == (3, 1)
    # Died after recording its batch, before deleting it: the next flush only deletes it.
    count_play(question_id=answered.pk, language="fr", event="start", address="10.1.1.1")
    redis_client.rename(play_buffer.pending_key(), play_buffer.batch_prefix() + "dead2")
    play_buffer._flush_batch(redis_client, play_buffer.batch_prefix() + "dead2")
    redis_client.hset(play_buffer.batch_prefix() + "dead2", "2026-03-02|1|fr|start", 5)
    assert flush_plays() == 0
    assert PlayCount.objects.get().started == 4
    assert not list(redis_client.scan_iter(play_buffer.batch_prefix() + "*"))


def test_plays_go_to_the_database_while_redis_is_down(client, known, settings):
    from tests.production import free_port

    settings.REDIS_URL = f"redis://127.0.0.1:{free_port()}/0"  # a closed port
    data = {"question": known["answered"].public_id, "event": "start", "lang": "de"}
    assert client.post("/reach/plays/", data).status_code == 204
    assert PlayCount.objects.get(language="de").started == 1


def test_the_beacon_keeps_its_rate_limit_per_address(client, known, settings):
    settings.RATELIMIT_PLAY_PER_IP = "2/m"
    data = {"question": known["answered"].public_id, "event": "start", "lang": "fr"}
    assert [
        client.post("/reach/plays/", data, REMOTE_ADDR="10.2.2.2").status_code for _ in range(3)
    ] == [204, 204, 429]
    assert client.post("/reach/plays/", data, REMOTE_ADDR="10.2.2.3").status_code == 204
    assert flush_plays() == 3
