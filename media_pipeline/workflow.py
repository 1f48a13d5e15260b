"""The answer video's workflow: its states and the actions allowed in each, in one table.

    (no video) ─upload→ uploaded ─process→ processing ─finish→ ready ─publish→ published
    uploaded | processing ─fail→ failed ─retry→ uploaded        processing ─release→ uploaded
    any state but published ─upload (a replacement)→ uploaded

Publishing also has a guard (`publish_blocker`): reviewed French captions and a reviewed
transcript. Speech-to-text drafts have their own small table (`SpeechState`, `SPEECH_*`): a job
per video, queued when the video is ready, run on the `speech` queue, leased like a transcode.

Services call `ACTION.apply(video)` (which refuses with the action's domain error) before saving;
the admin, the staff page, the status endpoint and the commands ask the same table whether an
action may happen now or a button may show (`ACTION.allows(video, user)`, `controls(...)`), so a
rule changes here only. A new state or action (e.g. speech-to-text drafts) is one entry below.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db import models
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from events.models import Event
from media_pipeline.exceptions import (
    MediaPipelineError,
    PublishRefused,
    RetryRefused,
    UploadConflict,
)
from questions import workflow as question_workflow
from questions.models import Question

if TYPE_CHECKING:
    from media_pipeline.models import AnswerVideo


class VideoState(models.TextChoices):
    UPLOADING = "uploading", _("Uploading")
    UPLOADED = "uploaded", _("Uploaded, waiting for processing")
    PROCESSING = "processing", _("Processing")
    READY = "ready", _("Ready for preview")
    PUBLISHED = "published", _("Published")
    FAILED = "failed", _("Failed")


S = VideoState

# What a state means to the pages (one place each): a worker holds or will take the video, so
# its status is polled; it has outputs to preview; the public sees it; the colour of its badge.
BUSY = frozenset({S.UPLOADED, S.PROCESSING})
HAS_OUTPUTS = frozenset({S.READY, S.PUBLISHED})
PUBLIC = frozenset({S.PUBLISHED})
BADGE = {S.FAILED: "error", S.PUBLISHED: "success", S.READY: "info"}  # others: "new"


NOT_PROCESSING = _("This video is not being processed.")


@dataclass(frozen=True)
class Action:
    """One step of the workflow: from which states, to which, with what refusal and permission."""

    name: str
    sources: frozenset[str | None]
    target: str
    # The timestamp field set when the action is applied.
    stamp: str = ""
    # What a staff member needs to do it by hand (empty: the pipeline's own step).
    permission: str = ""
    refusal: str | Promise = NOT_PROCESSING
    # A clearer refusal for some source states, e.g. "already published".
    refusals: Mapping[str, str | Promise] = field(default_factory=dict)
    error: Callable[[str], MediaPipelineError] = MediaPipelineError
    # What else must hold, beyond the state: a function returning the reason it does not (or None).
    guard: Callable[[Any], str | Promise | None] | None = None

    def blocker(self, video: Any) -> str | None:
        """Why the guard refuses this action now (None when it passes or there is no guard)."""
        reason = self.guard(video) if self.guard is not None and video is not None else None
        return str(reason) if reason else None

    def allows(self, video: "AnswerVideo | None", user: Any = None) -> bool:
        """May it happen now (and, given a user, may this user do it: may the button show)?"""
        state = video.state if video is not None else None
        if state not in self.sources:
            return False
        return user is None or not self.permission or user.has_perm(self.permission)

    def check(self, video: "AnswerVideo | None") -> None:
        if not self.allows(video):
            state = video.state if video is not None else None
            raise self.error(str(self.refusals.get(state, self.refusal)))
        reason = self.blocker(video)
        if reason:
            raise self.error(reason)

    def apply(self, video: "AnswerVideo", *, now: datetime | None = None) -> None:
        """Check, then move the (locked) video to the target state; the caller saves it."""
        self.check(video)
        video.state = self.target
        if self.stamp:
            setattr(video, self.stamp, now or timezone.now())


STAFF = "media_pipeline.change_answervideo"
PUBLISHER = "media_pipeline.publish_answervideo"
ALREADY_PUBLISHED = _("This answer is already published.")
NO_VIDEO = None  # a question without a video yet may receive one

# name, from, to; then what the action stamps, who may do it by hand, how it is refused.
UPLOAD = Action(
    "upload",
    frozenset({NO_VIDEO, *S.values}) - {S.PUBLISHED},
    S.UPLOADED,
    stamp="uploaded_at",
    permission=STAFF,
    refusal=ALREADY_PUBLISHED,
    error=UploadConflict,
)
PROCESS = Action(
    "process",
    frozenset({S.UPLOADED}),
    S.PROCESSING,
    stamp="processing_started_at",
    refusal=_("This video is not waiting for processing."),
)
FINISH = Action("finish", frozenset({S.PROCESSING}), S.READY, stamp="ready_at")
FAIL = Action("fail", BUSY, S.FAILED)
# The worker gives its claim back (storage hiccup) or the sweeper takes it from a dead worker.
RELEASE = Action("release", frozenset({S.PROCESSING}), S.UPLOADED)
RETRY = Action(
    "retry",
    frozenset({S.FAILED}),
    S.UPLOADED,
    permission=STAFF,
    refusal=_("Only a failed video can be processed again."),
    error=RetryRefused,
)
PUBLISH_CAPTION_LANGUAGE = "fr"


def publish_blocker(video: "AnswerVideo") -> str | Promise | None:
    """Accessibility law: reviewed French captions and a reviewed transcript before publishing.
    Automatic drafts never count until a staff member marks them reviewed."""
    captions = list(video.captions.all()) if video.pk else []  # prefetched by the staff page
    if not any(caption.language == PUBLISH_CAPTION_LANGUAGE for caption in captions):
        return _("Add French captions and a transcript before publishing.")
    if not any(c.language == PUBLISH_CAPTION_LANGUAGE and c.is_reviewed for c in captions):
        return _(
            "The French captions are an automatic draft: review them in the caption editor "
            "and mark them reviewed before publishing."
        )
    if not video.transcript.strip():
        return _("Add a transcript before publishing: the answer must be accessible.")
    if video.transcript_automatic:
        return _(
            "The transcript is an automatic draft: review it (or mark the French captions "
            "reviewed, which rebuilds it from them) before publishing."
        )
    return None


PUBLISH = Action(
    "publish",
    frozenset({S.READY}),
    S.PUBLISHED,
    stamp="published_at",
    permission=PUBLISHER,
    refusal=_("Only a processed video (state “ready”) can be published."),
    refusals={S.PUBLISHED: ALREADY_PUBLISHED},
    error=PublishRefused,
    guard=publish_blocker,
)
ACTIONS = (UPLOAD, PROCESS, FINISH, FAIL, RELEASE, RETRY, PUBLISH)


def question_accepts_answer(question: Question) -> bool:
    """A question may receive an answer video while its own workflow lets it be answered."""
    return question_workflow.ANSWER.allows(question)


class SpeechState(models.TextChoices):
    QUEUED = "queued", _("Waiting for speech-to-text")
    RUNNING = "running", _("Drafting captions")
    DONE = "done", _("Draft captions ready")
    FAILED = "failed", _("Draft captions failed")


SP = SpeechState
NO_JOB = None
SPEECH_BUSY = frozenset({SP.QUEUED, SP.RUNNING})
SPEECH_QUEUE = Action(
    "draft",
    frozenset({NO_JOB, SP.DONE, SP.FAILED}),
    SP.QUEUED,
    permission=STAFF,
    refusal=_("Captions are already being drafted for this video."),
    error=RetryRefused,
)
SPEECH_START = Action(
    "start-draft",
    frozenset({SP.QUEUED}),
    SP.RUNNING,
    stamp="processing_started_at",
    refusal=_("This draft is not waiting."),
)
SPEECH_FINISH = Action("finish-draft", frozenset({SP.RUNNING}), SP.DONE, stamp="finished_at")
SPEECH_FAIL = Action("fail-draft", SPEECH_BUSY, SP.FAILED, stamp="finished_at")
SPEECH_RELEASE = Action("release-draft", frozenset({SP.RUNNING}), SP.QUEUED)
SPEECH_ACTIONS = (SPEECH_QUEUE, SPEECH_START, SPEECH_FINISH, SPEECH_FAIL, SPEECH_RELEASE)


def check_question_accepts_answer(question: Question) -> None:
    if not question_accepts_answer(question):
        raise UploadConflict(_("Only a question selected for an answer can receive a video."))


def may_upload(question: Question, video: "AnswerVideo | None", user: Any = None) -> bool:
    return question_accepts_answer(question) and UPLOAD.allows(video, user)


def event_accepts_recording(event: Event, *, now: datetime | None = None) -> bool:
    """A published event may receive its recording once it has started (there is none before)."""
    return event.is_published and event.starts_at <= (now or timezone.now())


def check_event_accepts_recording(event: Event) -> None:
    if not event.is_published:
        raise UploadConflict(_("Only a published event can receive a recording."))
    if not event_accepts_recording(event):
        raise UploadConflict(_("An event's recording can be uploaded once the event has started."))


def may_upload_recording(event: Event, video: "AnswerVideo | None", user: Any = None) -> bool:
    return event_accepts_recording(event) and UPLOAD.allows(video, user)


def is_busy(state: str) -> bool:
    return state in BUSY


def is_public(state: str) -> bool:
    return state in PUBLIC


@dataclass(frozen=True)
class Controls:
    """What a staff page shows for one video, as booleans for templates (no state literals)."""

    busy: bool
    failed: bool
    previewable: bool
    badge: str
    can_upload: bool
    can_retry: bool
    can_publish: bool
    # Why publishing is refused now although the video is ready (e.g. drafts not reviewed).
    publish_blocker: str | None = None


def controls(
    video: "AnswerVideo | None",
    user: Any = None,
    *,
    question: Question | None = None,
    event: Event | None = None,
) -> Controls:
    """The buttons `user` may see for `video` now (upload only when its question, or the event
    it records, is given)."""
    state = video.state if video is not None else None
    if question is not None:
        can_upload = may_upload(question, video, user)
    else:
        can_upload = event is not None and may_upload_recording(event, video, user)
    return Controls(
        busy=state in BUSY,
        failed=state == S.FAILED,
        previewable=state in HAS_OUTPUTS,
        badge=BADGE.get(state, "new"),
        can_upload=can_upload,
        can_retry=RETRY.allows(video, user),
        can_publish=PUBLISH.allows(video, user) and not PUBLISH.blocker(video),
        publish_blocker=PUBLISH.blocker(video) if PUBLISH.allows(video, user) else None,
    )
