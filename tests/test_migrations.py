import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_models_and_migrations_agree():
    # Raises SystemExit(1) when a model change has no migration.
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


@pytest.mark.django_db
def test_posters_made_before_their_size_was_stored_are_measured():
    """The migration that adds the poster's size reads it from the stored image's header."""
    from importlib import import_module
    from io import BytesIO

    from django.apps import apps
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from PIL import Image

    from media_pipeline.models import AnswerVideo
    from tests.factories import QuestionFactory

    image = BytesIO()
    Image.new("RGB", (960, 540)).save(image, "JPEG")
    measured = AnswerVideo.objects.create(
        question=QuestionFactory(),
        poster=default_storage.save("answers/1/v1/poster.jpg", ContentFile(image.getvalue())),
    )
    missing = AnswerVideo.objects.create(question=QuestionFactory(), poster="answers/2/gone.jpg")

    migration = import_module("media_pipeline.migrations.0003_poster_size")
    migration.measure_existing_posters(apps, None)

    measured.refresh_from_db()
    missing.refresh_from_db()
    assert (measured.poster_width, measured.poster_height) == (960, 540)
    assert (missing.poster_width, missing.poster_height) == (None, None)
