"""Citizens' personal data cannot be guessed through the admin's list filters, and "view on
site" never reveals a question that is not public."""

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from questions.models import Question, Support
from questions.models import QuestionState as S
from tests.factories import QuestionFactory, UserFactory

pytestmark = pytest.mark.django_db

QUESTIONS = reverse("admin:questions_question_changelist")
EVENTS = reverse("admin:events_event_changelist")
VIDEOS = reverse("admin:media_pipeline_answervideo_changelist")
ADDRESS = "camille.dupont@example.org"

# Each lookup type a moderator could use to rebuild an address, with a value that matches and one
# that does not: both must give the same answer.
LOOKUPS = [
    ("email", ADDRESS, "x@example.org"),
    ("email__exact", ADDRESS, "x@example.org"),
    ("email__iexact", ADDRESS.upper(), "x@example.org"),
    ("email__startswith", "c", "z"),
    ("email__istartswith", "C", "Z"),
    ("email__contains", "dupont", "zzz"),
    ("email__icontains", "DUPONT", "zzz"),
    ("email__endswith", ".org", ".com"),
    ("email__regex", "^c", "^z"),
    ("email__iregex", "^C", "^Z"),
    ("email__gt", "c", "z"),
    ("email__in", ADDRESS, "x@example.org"),
    ("email__isnull", "False", "True"),
    ("email__length", "26", "3"),
    ("supports__email__startswith", "s", "z"),
    ("duplicate_of__email__startswith", "c", "z"),
    ("emails__to__startswith", "c", "z"),
    ("emails__body_text__contains", "dupont", "zzz"),
    ("supports__supporter_key", "k", "z"),
]


@pytest.fixture
def questions():
    public = QuestionFactory(state=S.APPROVED, email=ADDRESS)
    Support.objects.create(question=public, supporter_key="k", email="soutien@example.org")
    QuestionFactory(state=S.DUPLICATE, duplicate_of=public, email="autre@example.org")
    return public


def user_client(client, *, groups=(), email_permission=False):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    user = UserFactory(groups=list(groups))
    if email_permission:
        user.user_permissions.add(Permission.objects.get(codename="view_citizen_email"))
    client.force_login(user)
    return client


@pytest.mark.parametrize("group", ["Moderators", "Spokesperson staff"])
@pytest.mark.parametrize(("lookup", "matching", "other"), LOOKUPS)
def test_personal_fields_cannot_be_filtered_without_the_permission(
    client, questions, group, lookup, matching, other
):
    client = user_client(client, groups=[group])
    answers = [
        client.get(QUESTIONS, {"state": "all", lookup: value}) for value in (matching, other)
    ]
    assert [answer.status_code for answer in answers] == [400, 400]
    assert answers[0].content == answers[1].content  # nothing learnt from the value


@pytest.mark.parametrize(
    ("url", "lookup"),
    [
        (EVENTS, "questions__email__startswith"),
        (VIDEOS, "question__email__startswith"),
        (VIDEOS, "question__supports__email"),
    ],
)
def test_other_lists_cannot_reach_personal_fields_through_relations(client, questions, url, lookup):
    user = UserFactory(groups=["Moderators"])
    for permission in ("view_event", "view_answervideo"):
        user.user_permissions.add(Permission.objects.get(codename=permission))
    client.force_login(user)
    assert client.get(url, {lookup: "c"}).status_code == 400


def test_a_user_with_the_permission_can_still_filter_by_address(client, questions):
    client = user_client(client, groups=["Moderators"], email_permission=True)
    found = client.get(QUESTIONS, {"state": "all", "email__startswith": "c"})
    assert found.status_code == 200
    assert [q.pk for q in found.context["cl"].result_list] == [questions.pk]
    missed = client.get(QUESTIONS, {"state": "all", "email__startswith": "z"})
    assert list(missed.context["cl"].result_list) == []


def test_ordinary_filters_still_work_for_moderators(client, questions):
    client = user_client(client, groups=["Moderators"])
    answer = client.get(QUESTIONS, {"state": "all", "region__exact": questions.region})
    assert answer.status_code == 200
    assert questions in answer.context["cl"].result_list


def view_on_site_url(question: Question) -> str:
    content_type = ContentType.objects.get_for_model(Question)
    return f"/admin/r/{content_type.pk}/{question.pk}/"


@pytest.mark.parametrize("state", [S.UNCONFIRMED, S.SUBMITTED, S.REJECTED, S.DUPLICATE])
def test_view_on_site_never_leads_to_a_question_that_is_not_public(client, state):
    public = QuestionFactory(state=S.APPROVED)
    extra = {"duplicate_of": public} if state == S.DUPLICATE else {}
    if state == S.REJECTED:
        extra["rejection_reason"] = "insulting"
    hidden = QuestionFactory(state=state, **extra)
    client = user_client(client, groups=["Moderators"])
    answer = client.get(view_on_site_url(hidden))
    assert answer.status_code == 404
    assert hidden.public_id not in answer.content.decode()


@pytest.mark.parametrize("state", [S.APPROVED, S.SELECTED, S.ANSWERED])
def test_view_on_site_leads_to_a_public_questions_page(client, state):
    question = QuestionFactory(state=state)
    client = user_client(client, groups=["Moderators"])
    answer = client.get(view_on_site_url(question))
    assert answer.status_code == 302
    assert question.get_absolute_url() in answer["Location"]


def test_view_on_site_is_for_staff_only(client):
    question = QuestionFactory(state=S.APPROVED)
    answer = client.get(view_on_site_url(question))
    assert answer.status_code == 302 and "/admin/login/" in answer["Location"]
