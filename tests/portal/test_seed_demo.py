import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from events.models import Event
from questions.models import Question

pytestmark = [pytest.mark.slow, pytest.mark.django_db]


def test_seed_demo_is_idempotent_and_covers_every_state(monkeypatch):
    monkeypatch.setenv("DEMO_ADMIN_PASSWORD", "demo-password-for-tests")
    call_command("seed_demo", verbosity=0)
    call_command("seed_demo", verbosity=0)
    assert Event.objects.count() == 5
    assert Question.objects.count() == 31  # 30 + the answer video demo
    states = set(Question.objects.values_list("state", flat=True))
    assert states == {
        "unconfirmed",
        "submitted",
        "approved",
        "selected",
        "answered",
        "rejected",
        "duplicate",
    }
    admin = get_user_model().objects.get(username="admin")
    assert admin.is_superuser and admin.check_password("demo-password-for-tests")


def test_home_page_shows_demo_events(client, monkeypatch):
    monkeypatch.setenv("DEMO_ADMIN_PASSWORD", "demo-password-for-tests")
    call_command("seed_demo", verbosity=0)
    response = client.get("/fr/")
    assert response.status_code == 200
    assert "Marseille" in response.content.decode()
