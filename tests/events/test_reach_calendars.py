"""The .ics exports, read back with the icalendar library as a calendar app would."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone, translation

from tests.factories import EventFactory, QuestionFactory, ThemeFactory

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")


def parse(response) -> icalendar.Calendar:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content)


def ics_url(event, language="fr") -> str:
    with translation.override(language):
        return reverse("events:ics", kwargs={"slug": event.slug})


def calendar_url(language="fr") -> str:
    with translation.override(language):
        return reverse("events:calendar")


def test_event_ics_holds_the_event_in_paris_time(client, settings):
    settings.SITE_URL = "https://horslesmurs.example"
    starts = datetime(2026, 12, 3, 18, 30, tzinfo=PARIS)
    event = EventFactory(
        title="Rencontre à Lille",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        questions_open_at=starts - timedelta(days=30),
        questions_close_at=starts,
        venue="Gare Saint-Sauveur",
        address="17 boulevard Jean-Baptiste Lebas",
        city="Lille",
        speakers="Christophe Lemoine, porte-parole\nUne diplomate, direction Europe",
        themes=[ThemeFactory(name="Europe")],
    )

    response = client.get(ics_url(event))

    assert response["Content-Disposition"] == f'attachment; filename="{event.slug}.ics"'
    calendar = parse(response)
    assert calendar["VERSION"] == "2.0"
    assert calendar["METHOD"] == "PUBLISH"
    (vevent,) = calendar.walk("VEVENT")
    assert vevent["UID"] == f"event-{event.pk}@horslesmurs.example"
    assert vevent["SUMMARY"] == "Rencontre à Lille"
    assert vevent.decoded("DTSTART") == starts
    assert vevent["DTSTART"].params["TZID"] == "Europe/Paris"
    assert vevent.decoded("DTSTART").utcoffset() == timedelta(hours=1)  # winter time in Paris
    assert vevent.decoded("DTEND") == starts + timedelta(hours=2)
    assert vevent.decoded("DTSTAMP") == event.updated_at.replace(microsecond=0)
    assert "Gare Saint-Sauveur" in vevent["LOCATION"]
    assert "Lille" in vevent["LOCATION"]
    assert "Christophe Lemoine, porte-parole" in vevent["DESCRIPTION"]
    assert "Europe" in vevent["CATEGORIES"].cats
    assert vevent["URL"] == f"https://horslesmurs.example/fr/events/{event.slug}/"
    assert vevent["URL"] in vevent["DESCRIPTION"]
    # The Paris zone ships with the file, so any calendar app places the event at 18:30 in Paris.
    (vtimezone,) = calendar.walk("VTIMEZONE")
    assert vtimezone["TZID"] == "Europe/Paris"


def test_overseas_event_is_in_its_local_time_zone(client):
    starts = datetime(2026, 12, 5, 18, 0, tzinfo=ZoneInfo("Indian/Reunion"))
    event = EventFactory(
        region="LRE",
        city="Saint-Denis",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        questions_open_at=starts - timedelta(days=30),
        questions_close_at=starts,
    )
    calendar = parse(client.get(ics_url(event)))
    (vevent,) = calendar.walk("VEVENT")
    assert vevent["DTSTART"].params["TZID"] == "Indian/Reunion"
    assert vevent.decoded("DTSTART") == starts
    assert "5 décembre 2026 18:00" in vevent["DESCRIPTION"]
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Indian/Reunion"]


def test_event_uid_is_stable_across_downloads_and_languages(client):
    event = EventFactory()
    first = parse(client.get(ics_url(event, "fr"))).walk("VEVENT")[0]["UID"]
    again = parse(client.get(ics_url(event, "en"))).walk("VEVENT")[0]["UID"]
    assert first == again


def test_event_links_follow_the_language_of_the_url(client):
    event = EventFactory()
    english = parse(client.get(ics_url(event, "en"))).walk("VEVENT")[0]
    assert english["URL"].endswith(f"/en/events/{event.slug}/")
    calendar = parse(client.get(calendar_url("ar")))
    assert calendar.walk("VEVENT")[0]["URL"].endswith(f"/ar/events/{event.slug}/")


def test_description_follows_the_language_of_the_url(client):
    starts = datetime(2026, 12, 3, 18, 30, tzinfo=PARIS)
    event = EventFactory(
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        questions_open_at=starts - timedelta(days=30),
        questions_close_at=starts,
    )
    french = parse(client.get(ics_url(event, "fr"))).walk("VEVENT")[0]["DESCRIPTION"]
    german = parse(client.get(ics_url(event, "de"))).walk("VEVENT")[0]["DESCRIPTION"]
    assert "Questions acceptées jusqu’au 3 décembre 2026 18:30." in french
    assert "Intervenants" in french and "Speakers" not in french
    assert "Fragen möglich bis 3. Dezember 2026" in german
    assert "Redner: Porte-parole du ministère" in german


def test_unpublished_or_unknown_event_has_no_ics(client):
    hidden = EventFactory(is_published=False)
    assert client.get(ics_url(hidden)).status_code == 404
    assert client.get("/fr/events/nope.ics").status_code == 404


def test_calendar_feed_lists_published_upcoming_events_soonest_first(client):
    now = timezone.now()
    later = EventFactory(title="Plus tard", starts_at=now + timedelta(days=20))
    sooner = EventFactory(title="Bientôt", starts_at=now + timedelta(days=2))
    recent = EventFactory(
        title="Hier",
        starts_at=now - timedelta(days=1, hours=3),
        ends_at=now - timedelta(days=1),
        questions_open_at=now - timedelta(days=20),
        questions_close_at=now - timedelta(days=1),
    )
    EventFactory(
        title="Il y a longtemps",
        starts_at=now - timedelta(days=120),
        ends_at=now - timedelta(days=120) + timedelta(hours=2),
        questions_open_at=now - timedelta(days=150),
        questions_close_at=now - timedelta(days=120),
    )
    EventFactory(title="Brouillon", is_published=False)

    response = client.get(calendar_url())

    calendar = parse(response)
    summaries = [vevent["SUMMARY"] for vevent in calendar.walk("VEVENT")]
    assert summaries == [recent.title, sooner.title, later.title]
    assert calendar["X-WR-CALNAME"]
    assert calendar["X-WR-TIMEZONE"] == "Europe/Paris"
    assert str(calendar["REFRESH-INTERVAL"].to_ical(), "ascii") == "PT6H"
    assert response["Content-Disposition"].startswith("inline")


def test_calendar_feed_says_how_often_to_refresh_as_icalendar_durations(client):
    """REFRESH-INTERVAL (RFC 7986) and X-PUBLISHED-TTL (read by Outlook) are both RFC 5545
    durations, not Python's "6:00:00"."""
    EventFactory()

    response = client.get(calendar_url())

    lines = response.content.decode().split("\r\n")
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT6H" in lines
    assert "X-PUBLISHED-TTL:PT6H" in lines
    ttl = parse(response)["X-PUBLISHED-TTL"]
    assert icalendar.vDuration.from_ical(str(ttl)) == timedelta(hours=6)


def test_calendar_feed_never_contains_citizens_emails(client):
    event = EventFactory(description="Venez nombreux.")
    QuestionFactory(event=event, email="secret.citoyen@example.org")
    body = client.get(calendar_url()).content.decode()
    assert "@example.org" not in body
    assert "secret.citoyen" not in body


def test_calendar_feed_query_count_is_constant(client, django_assert_max_num_queries):
    EventFactory.create_batch(2)
    with django_assert_max_num_queries(2):
        parse(client.get(calendar_url()))
    EventFactory.create_batch(15)
    with django_assert_max_num_queries(2):
        calendar = parse(client.get(calendar_url()))
    assert len(calendar.walk("VEVENT")) == 17
