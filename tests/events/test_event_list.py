from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import EventFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def events(db):
    now = timezone.now()
    return {
        "soon": EventFactory(title="Lyon bientôt", region="ARA", starts_at=now + timedelta(days=2)),
        "later": EventFactory(
            title="Rennes plus tard", region="BRE", starts_at=now + timedelta(days=20)
        ),
        "past": EventFactory(
            title="Lille passé",
            region="HDF",
            starts_at=now - timedelta(days=20),
            questions_open_at=now - timedelta(days=40),
            questions_close_at=now - timedelta(days=20),
        ),
        "hidden": EventFactory(title="Brouillon", is_published=False),
    }


def test_upcoming_events_soonest_first_without_drafts_or_past(client, events):
    html = client.get(reverse("events:list")).content.decode()
    assert html.index("Lyon bientôt") < html.index("Rennes plus tard")
    assert "Lille passé" not in html and "Brouillon" not in html


def test_past_events_and_region_filter(client, events):
    past = client.get(reverse("events:list"), {"period": "past"}).content.decode()
    assert "Lille passé" in past and "Lyon bientôt" not in past
    breton = client.get(reverse("events:list"), {"region": "BRE"}).content.decode()
    assert "Rennes plus tard" in breton and "Lyon bientôt" not in breton


def test_bad_filters_fall_back_to_defaults(client, events):
    response = client.get(
        reverse("events:list"), {"region": "<script>", "period": "x", "page": "9"}
    )
    assert response.status_code == 200
    assert "Lyon bientôt" in response.content.decode()
    assert "<script>" not in response.content.decode()


def test_the_list_makes_few_queries(client, events, django_assert_max_num_queries):
    EventFactory.create_batch(15)
    with django_assert_max_num_queries(4):
        client.get(reverse("events:list"))


def test_overseas_events_show_local_time(client):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    starts = datetime(2030, 3, 10, 18, 0, tzinfo=ZoneInfo("Indian/Reunion"))
    event = EventFactory(
        title="Saint-Denis", region="LRE", starts_at=starts, questions_close_at=starts
    )
    listing = client.get("/en/events/").content.decode()
    page = client.get(f"/en/events/{event.slug}/").content.decode()
    for html in (listing, page):
        assert "6:00" in html or "18:00" in html  # 18:00 in Saint-Denis, not 15:00 in Paris
        assert "local time" in html
