from django.urls import path

from media_pipeline import caption_editor, recording_views, speech_views, tus, views

app_name = "media_pipeline"

urlpatterns = [
    path("staff/videos/", views.staff_list, name="staff"),
    path("staff/questions/<int:question_id>/", views.staff_question, name="staff_question"),
    path("staff/videos/<int:video_id>/status/", views.video_status, name="video_status"),
    path("staff/videos/<int:video_id>/retry/", views.retry, name="retry"),
    path("staff/videos/<int:video_id>/publish/", views.publish, name="publish"),
    path("staff/videos/<int:video_id>/captions/", views.add_caption, name="add_caption"),
    path("staff/captions/<int:caption_id>/delete/", views.remove_caption, name="remove_caption"),
    path("staff/videos/<int:video_id>/transcript/", views.save_transcript, name="transcript"),
    path(
        "staff/videos/<int:video_id>/speech/status/",
        speech_views.speech_status,
        name="speech_status",
    ),
    path("staff/videos/<int:video_id>/speech/", speech_views.redraft, name="redraft"),
    path(
        "staff/videos/<int:video_id>/captions/<str:language>/edit/",
        caption_editor.editor,
        name="caption_editor",
    ),
    path(
        "staff/videos/<int:video_id>/captions/<str:language>/save/",
        caption_editor.save,
        name="caption_save",
    ),
    path(
        "staff/videos/<int:video_id>/captions/<str:language>/import/",
        caption_editor.import_file,
        name="caption_import",
    ),
    path(
        "staff/events/<slug:slug>/recording/",
        recording_views.staff_recording,
        name="staff_recording",
    ),
    path(
        "staff/events/<slug:slug>/recording/chapters/",
        recording_views.save_chapters,
        name="recording_chapters",
    ),
    path(
        "staff/events/<slug:slug>/recording/chapters/prefill/",
        recording_views.prefill,
        name="recording_prefill",
    ),
    path(
        "staff/events/<slug:slug>/recording/chapters/publish/",
        recording_views.publish_chapters,
        name="recording_publish_chapters",
    ),
    path("staff/uploads/", tus.upload_create, name="upload_create"),
    path("staff/uploads/<uuid:upload_id>/", tus.upload_detail, name="upload_detail"),
]
