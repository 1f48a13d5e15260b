"""Beat's schedule names only tasks that workers know, on the queue of short jobs."""

from django.conf import settings

from portal.celery import app


def test_every_periodic_job_is_a_registered_task_on_the_default_queue():
    app.loader.import_default_modules()
    assert len(settings.CELERY_BEAT_SCHEDULE) >= 5
    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        assert entry["task"] in app.tasks, f"{name}: unknown task {entry['task']}"
        route = app.amqp.router.route({}, entry["task"])
        assert route["queue"].name == "default", f"{name} would wait behind transcodes"
