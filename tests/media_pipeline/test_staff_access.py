"""Who reaches the staff page, and how the admin leads there."""

import pytest
from django.urls import reverse
from django.utils import translation

from portal.roles import MODERATORS, SPOKESPERSON_STAFF
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def staff_page(language: str = "fr") -> str:
    with translation.override(language):
        return reverse("media_pipeline:staff")


@pytest.mark.parametrize(
    ("language", "title", "back"),
    [
        ("fr", "Accès refusé", "Retour à l’administration"),
        ("ar", "تم رفض الوصول", "العودة إلى الإدارة"),
    ],
)
def test_a_moderator_opening_the_staff_page_gets_the_sites_403_page_in_their_language(
    client, language, title, back
):
    client.force_login(UserFactory(groups=[MODERATORS]))
    response = client.get(staff_page(language))
    assert response.status_code == 403
    page = response.content.decode()
    assert f"<h1>{title}</h1>" in page and back in page
    assert 'class="fr-header"' in page  # the site's layout, not a bare "403 Forbidden"
    assert reverse("admin:index") in page


def test_the_video_admin_leads_to_the_staff_page(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "fr"
    client.force_login(UserFactory(groups=[SPOKESPERSON_STAFF]))
    listing = client.get(reverse("admin:media_pipeline_answervideo_changelist"))
    page = listing.content.decode()
    assert f'href="{staff_page("fr")}"' in page and "/fr/staff/videos/" in page
    assert "Page de l’équipe : envoi, sous-titres, publication" in page
    assert "Réponses en vidéo (page de l’équipe)" in page  # in the header, on every admin page
    form = client.get(reverse("admin:media_pipeline_answervideo_add")).content.decode()
    assert "Fichiers plus lourds : la page de l’équipe" in form
    assert f'<a href="{staff_page("fr")}">' in form


def test_a_moderator_has_no_staff_page_link_in_the_admin_header(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "fr"
    client.force_login(UserFactory(groups=[MODERATORS]))
    page = client.get(reverse("admin:index")).content.decode()
    assert staff_page("fr") not in page
