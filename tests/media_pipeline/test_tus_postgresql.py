"""The cap on unfinished uploads holds when one user creates many at the same instant (the burst
that filled the disk: 40 uploads of 8 GiB accepted in 0.2 s)."""

import threading

import pytest
from django.db import connection

from media_pipeline import uploads
from media_pipeline.exceptions import UploadForbidden, UploadRefused
from media_pipeline.models import UploadSession
from portal.roles import SPOKESPERSON_STAFF
from questions.models import QuestionState
from tests.factories import QuestionFactory, UserFactory

pytestmark = [pytest.mark.postgresql_only, pytest.mark.django_db(transaction=True)]


def test_simultaneous_creations_cannot_slip_under_the_cap(settings):
    settings.UPLOAD_MAX_UNFINISHED_PER_USER = 3
    user = UserFactory(groups=[SPOKESPERSON_STAFF])
    question = QuestionFactory(state=QuestionState.SELECTED)
    start = threading.Barrier(8)
    outcomes: list = []

    def create() -> None:
        try:
            start.wait(timeout=10)
            outcomes.append(
                uploads.create_upload(
                    question=question,
                    user=user,
                    length=1000,
                    content_type="video/mp4",
                    filename="a.mp4",
                )
            )
        except UploadRefused as error:
            outcomes.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=create) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    refused = [outcome for outcome in outcomes if isinstance(outcome, UploadRefused)]
    assert len(outcomes) == 8 and len(refused) == 5
    assert all(isinstance(error, UploadForbidden) for error in refused)
    assert UploadSession.objects.filter(created_by=user).count() == 3
