import pytest
from django.contrib.auth.models import Group
from django.core.management.sql import emit_post_migrate_signal

from portal.roles import MODERATORS, SPOKESPERSON_STAFF

pytestmark = pytest.mark.django_db


def test_staff_roles_come_back_after_a_migrate_or_flush():
    """A flushed or migrated database gets the staff groups and their permissions back
    (transactional tests flush the database between tests)."""
    Group.objects.all().delete()
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    moderators = Group.objects.get(name=MODERATORS)
    assert moderators.permissions.filter(codename="moderate_question").exists()
    assert (
        Group.objects.get(name=SPOKESPERSON_STAFF)
        .permissions.filter(codename="publish_answervideo")
        .exists()
    )
