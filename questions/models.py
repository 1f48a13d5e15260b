import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Upper
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.fields import SlugFromField
from events.models import Event, Theme
from events.regions import CITIZEN_REGION_CHOICES
from questions.workflow import PUBLIC_STATES, SUPPORTABLE_STATES, UNDECIDED_STATES, QuestionState

PUBLIC_ID_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"  # no 0/o/1/l: read aloud, typed on phones


def new_public_id() -> str:
    return "".join(secrets.choice(PUBLIC_ID_ALPHABET) for _ in range(10))


class RejectionReason(models.TextChoices):
    OFF_TOPIC = "off_topic", _("Off topic: not about foreign policy")
    INSULTING = "insulting", _("Insulting or defamatory")
    PERSONAL_CASE = "personal_case", _("Personal case for the consular services")
    DUPLICATE = "duplicate", _("Already asked")
    NOT_A_QUESTION = "not_a_question", _("Not a question")
    OTHER = "other", _("Other")


class PreparedNote(models.Model):
    """A note to the citizen that moderators reuse when rejecting (edited in the admin by the
    moderators themselves); chosen on the rejection page, it fills the note, still editable."""

    title = models.CharField(_("name"), max_length=80, unique=True)
    text = models.TextField(_("note to the citizen"), max_length=1000)
    reason = models.CharField(
        _("usual reason"),
        max_length=20,
        choices=RejectionReason.choices,
        blank=True,
        help_text=_("Chosen with the note on the rejection page, if no reason is chosen yet."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "title"]
        verbose_name = _("prepared rejection note")
        verbose_name_plural = _("prepared rejection notes")

    def __str__(self) -> str:
        return self.title


class QuestionQuerySet(models.QuerySet):
    def public(self) -> "QuestionQuerySet":
        return self.filter(state__in=PUBLIC_STATES)


class Question(models.Model):
    """A citizen's question for a tour event. State changes only through questions.services."""

    public_id = models.CharField(
        _("public id"), max_length=12, unique=True, default=new_public_id, editable=False
    )
    # Made from the title when the question is first written (any write path: see the field).
    slug = SlugFromField(
        _("slug"),
        max_length=140,
        allow_unicode=True,
        blank=True,
        populate_from="title",
        fallback="question",
    )
    event = models.ForeignKey(
        Event, on_delete=models.PROTECT, related_name="questions", verbose_name=_("event")
    )
    theme = models.ForeignKey(
        Theme, on_delete=models.PROTECT, related_name="questions", verbose_name=_("theme")
    )
    title = models.CharField(_("title"), max_length=120)
    text = models.TextField(_("question"), max_length=1500)
    display_name = models.CharField(_("display name or pseudonym"), max_length=80)
    email = models.EmailField(_("e-mail address"), blank=True)
    region = models.CharField(_("region"), max_length=3, choices=CITIZEN_REGION_CHOICES)
    language = models.CharField(_("language"), max_length=7, choices=settings.LANGUAGES)
    state = models.CharField(
        _("state"),
        max_length=12,
        choices=QuestionState.choices,
        default=QuestionState.UNCONFIRMED,
    )
    rejection_reason = models.CharField(
        _("rejection reason"), max_length=20, choices=RejectionReason.choices, blank=True
    )
    rejection_note = models.TextField(_("note to the citizen"), blank=True)
    duplicate_of = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="duplicates",
        verbose_name=_("duplicate of"),
    )
    support_count = models.PositiveIntegerField(_("supports"), default=0)
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    selected_at = models.DateTimeField(_("selected at"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    # The tour day (questions/live/): the shortlist's order, and when it was answered on stage.
    shortlisted_at = models.DateTimeField(_("shortlisted at"), null=True, blank=True)
    shortlist_position = models.PositiveIntegerField(
        _("place in the shortlist"), null=True, blank=True
    )
    stage_started_at = models.DateTimeField(_("answer on stage started at"), null=True, blank=True)
    stage_ended_at = models.DateTimeField(_("answer on stage ended at"), null=True, blank=True)
    rejected_at = models.DateTimeField(_("rejected at"), null=True, blank=True)
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = QuestionQuerySet.as_manager()
    # Never filtered on in the admin without questions.view_citizen_email (core.admin_privacy).
    PERSONAL_FIELDS = ("email",)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        permissions = [
            ("view_citizen_email", _("Can see citizens' e-mail addresses")),
            ("moderate_question", _("Can approve, reject and merge questions")),
            ("select_question", _("Can select questions for a video answer")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=QuestionState.values), name="question_state_valid"
            ),
            models.CheckConstraint(
                condition=Q(rejection_reason="") | Q(state=QuestionState.REJECTED),
                name="question_reason_only_when_rejected",
            ),
            models.CheckConstraint(
                condition=Q(duplicate_of__isnull=True) | Q(state=QuestionState.DUPLICATE),
                name="question_duplicate_of_only_when_duplicate",
            ),
            models.CheckConstraint(
                condition=~Q(duplicate_of=F("pk")), name="question_not_duplicate_of_itself"
            ),
        ]
        indexes = [
            models.Index(fields=["state", "created_at"], name="question_state_created_idx"),
            # The admin's default order (newest first, then id), with no state filter.
            models.Index(fields=["created_at", "id"], name="question_created_idx"),
            models.Index(
                fields=["event", "state", "-support_count"], name="question_event_support_idx"
            ),
            models.Index(
                fields=["event", "state", "-created_at"], name="question_event_recent_idx"
            ),
            models.Index(fields=["state", "-answered_at"], name="question_answered_idx"),
            models.Index(fields=["theme", "state"], name="question_theme_state_idx"),
            models.Index(fields=["region", "state"], name="question_region_state_idx"),
            models.Index(fields=["language", "state"], name="question_language_state_idx"),
            models.Index(fields=["email"], name="question_email_idx"),
            # A submission's duplicate check and the "lost link" form look up a citizen's
            # unconfirmed questions by address, whatever its case: one row, not a burst's scan.
            models.Index(
                Upper("email"),
                "event",
                name="question_unconfirmed_email_idx",
                condition=Q(state=QuestionState.UNCONFIRMED),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("questions:detail", kwargs={"public_id": self.public_id, "slug": self.slug})

    # What a state means to the pages, as booleans for templates (the states are in
    # questions/workflow.py).
    @property
    def is_public(self) -> bool:
        return self.state in PUBLIC_STATES

    @property
    def is_undecided(self) -> bool:
        """No moderator has decided on it yet (unconfirmed or in the queue)."""
        return self.state in UNDECIDED_STATES

    @property
    def is_supportable(self) -> bool:
        return self.state in SUPPORTABLE_STATES

    @property
    def is_selected(self) -> bool:
        return self.state == QuestionState.SELECTED

    @property
    def is_answered(self) -> bool:
        return self.state == QuestionState.ANSWERED

    @property
    def is_shortlisted(self) -> bool:
        return self.state == QuestionState.SHORTLISTED

    @property
    def is_answering(self) -> bool:
        return self.state == QuestionState.ANSWERING

    @property
    def is_on_stage(self) -> bool:
        return self.state == QuestionState.ON_STAGE


class Support(models.Model):
    """A citizen's "me too": one per browser (a hashed key from a signed cookie)."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="supports")
    supporter_key = models.CharField(max_length=64)
    # Optional: the supporter asked to be told when the answer is published; nothing is sent to
    # it before its owner confirmed it (double opt-in, like a question's address).
    email = models.EmailField(_("e-mail address"), blank=True)
    email_confirmed_at = models.DateTimeField(_("address confirmed at"), null=True, blank=True)
    language = models.CharField(
        _("language"), max_length=7, choices=settings.LANGUAGES, default="fr"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    PERSONAL_FIELDS = ("email", "supporter_key")

    class Meta:
        verbose_name = _("support")
        verbose_name_plural = _("supports")
        constraints = [
            models.UniqueConstraint(
                fields=["question", "supporter_key"], name="support_once_per_supporter"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question_id}:{self.supporter_key[:8]}"


class ModerationDecision(models.Model):
    """Audit trail: every state change of a question, who made it and why. Never edited."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="decisions")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="moderation_decisions",
        verbose_name=_("by"),
    )
    from_state = models.CharField(_("from"), max_length=12, choices=QuestionState.choices)
    to_state = models.CharField(_("to"), max_length=12, choices=QuestionState.choices)
    reason = models.CharField(
        _("reason"), max_length=20, choices=RejectionReason.choices, blank=True
    )
    note = models.TextField(_("note"), blank=True)
    # A moderator's correction (the state does not change): the citizen's words before it.
    original_title = models.CharField(_("title before the correction"), max_length=120, blank=True)
    original_text = models.TextField(_("text before the correction"), blank=True)
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("moderation decision")
        verbose_name_plural = _("moderation decisions")
        indexes = [
            models.Index(fields=["question", "created_at"], name="decision_question_idx"),
        ]

    def __str__(self) -> str:
        # Shown above each row of the history in the admin: the states' names, never their codes.
        if self.is_correction:
            return str(_("Corrected by a moderator"))
        return f"{self.get_from_state_display()} → {self.get_to_state_display()}"

    @property
    def is_correction(self) -> bool:
        """A correction leaves the state as it was; every workflow action changes it."""
        return self.from_state == self.to_state


# The live state of events (the tour day) is kept beside the questions it ranks.
from questions.live.models import LiveEvent  # noqa: E402, F401

# The outbox of e-mails, written with the changes that cause them.
from questions.outbox_models import OutboundEmail  # noqa: E402, F401

# The stored aggregates of the statistics page, kept by questions.tallies.
from questions.tally_models import QuestionDelay, QuestionTally  # noqa: E402, F401
