import pytest
from django.contrib.auth.models import Group

pytestmark = pytest.mark.django_db


def permissions_of(group_name: str) -> set[str]:
    group = Group.objects.get(name=group_name)
    return {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}


def test_moderators_can_moderate_but_not_delete_or_touch_videos():
    permissions = permissions_of("Moderators")
    assert {"questions.view_question", "questions.change_question"} <= permissions
    assert "questions.delete_question" not in permissions
    assert not any(p.startswith("media_pipeline.") for p in permissions)
    assert not any(p.startswith("auth.") for p in permissions)


def test_spokesperson_staff_manage_videos_but_cannot_moderate():
    permissions = permissions_of("Spokesperson staff")
    assert {"media_pipeline.add_answervideo", "media_pipeline.change_answervideo"} <= permissions
    assert "questions.view_question" in permissions
    assert "questions.change_question" not in permissions
    assert "questions.moderate_question" not in permissions
