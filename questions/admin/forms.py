"""Forms of the moderation admin's intermediate pages (reject, mark as duplicate)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from questions.models import PreparedNote, Question, RejectionReason
from questions.selectors import merge_target


class RejectForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Reason given to the citizen"),
        choices=RejectionReason.choices,
        widget=forms.RadioSelect,
    )
    prepared_note = forms.ModelChoiceField(
        label=_("Prepared note"),
        help_text=_("Fills the note below, which you can still edit."),
        queryset=PreparedNote.objects.all(),
        required=False,
        empty_label=_("None: write the note yourself"),
    )
    note = forms.CharField(
        label=_("Note to the citizen (optional)"),
        help_text=_("Sent as written, in the e-mail telling the citizen why."),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
    )

    def clean(self) -> dict:
        cleaned = super().clean()
        prepared = cleaned.get("prepared_note")
        # Without the page's script, a prepared note chosen with an empty note is the note.
        if prepared is not None and not (cleaned.get("note") or "").strip():
            cleaned["note"] = prepared.text
        return cleaned

    def prepared_notes(self) -> dict[str, dict[str, str]]:
        """Each prepared note's text and usual reason, for the page's script (json_script)."""
        return {
            str(note.pk): {"text": note.text, "reason": note.reason}
            for note in self.fields["prepared_note"].queryset
        }


class DuplicateForm(forms.Form):
    """Choose the question to keep: one of the suggestions, or any question by its public id."""

    kept = forms.ModelChoiceField(
        label=_("Question to keep"),
        queryset=Question.objects.none(),
        required=False,
        widget=forms.RadioSelect,
        empty_label=None,
    )
    kept_public_id = forms.CharField(
        label=_("Or the public id of another question to keep"),
        help_text=_("Shown on each question's page in the admin, e.g. “k7m2x9p4qa”."),
        required=False,
        max_length=12,
    )

    def __init__(self, *args, candidates, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kept"].queryset = candidates
        self.fields["kept"].label_from_instance = lambda question: (
            f"{question.title} — {question.event} — {question.get_state_display()} "
            f"({question.support_count}) [{question.public_id}]"
        )

    def clean(self) -> dict:
        cleaned = super().clean()
        public_id = (cleaned.get("kept_public_id") or "").strip()
        if public_id:
            kept = merge_target(public_id)
            if kept is None:
                self.add_error(
                    "kept_public_id",
                    _("No question in the queue or published has this public id."),
                )
            cleaned["kept"] = kept
        elif not cleaned.get("kept"):
            raise forms.ValidationError(_("Choose the question to keep."))
        return cleaned


class CorrectionForm(forms.Form):
    """A moderator's correction of a question's words (the citizen's stay in the history)."""

    title = forms.CharField(label=_("Title"), max_length=120)
    text = forms.CharField(
        label=_("Question"), max_length=1500, widget=forms.Textarea(attrs={"rows": 8})
    )
    note = forms.CharField(
        label=_("Why (for the history, optional)"),
        help_text=_("Seen by the moderators only, e.g. “phone number removed”."),
        required=False,
        max_length=500,
    )
