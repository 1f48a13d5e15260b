"""What a question card shows (event page, search, home), computed in Python for a whole list.

A page lists 20 cards: resolving each card's values in the template (an include per card and
per badge, a URL reversed, two translated sentences, a word truncation) was most of the CPU of
an event page's cache miss. Here each value is computed once, with the same translations and
escaping, and the template only prints them.
"""

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext, ngettext

from questions.models import Question
from questions.models import QuestionState as S

EXCERPT_WORDS = 30
# A slug made only of these characters appears in its URL as it is (reverse() quotes the rest).
PLAIN_SLUG = re.compile(r"[-a-zA-Z0-9_]+")


@dataclass(frozen=True, slots=True)
class Badge:
    css: str  # fr-badge--success…
    label: str


@dataclass(frozen=True, slots=True)
class QuestionCard:
    public_id: str
    url: str
    title: str
    language: str
    excerpt: str
    theme: str
    asked_by: SafeString
    city: str  # "" when the list is of one event
    badge: Badge
    supports: SafeString
    moment: Any = None  # questions.spoken's moment, on search results


def state_badge(question: Question) -> Badge:
    """The badge of a public question's state (cards and the question page)."""
    if question.state == S.ANSWERED:
        return Badge("fr-badge--success", gettext("Answered"))
    if question.state == S.ON_STAGE:
        return Badge("fr-badge--success", str(question.get_state_display()))
    if question.state in (S.ANSWERING, S.SHORTLISTED):
        return Badge("fr-badge--new", str(question.get_state_display()))
    if question.state == S.SELECTED:
        return Badge("fr-badge--new", gettext("Selected for an answer"))
    return Badge("fr-badge--info", gettext("Awaiting an answer"))


def url_maker() -> Callable[[Question], str]:
    """Question page URLs in the active language: reversed once, then filled in."""
    prefix = reverse("questions:detail", kwargs={"public_id": "0", "slug": "0"})[: -len("0/0/")]

    def url(question: Question) -> str:
        if PLAIN_SLUG.fullmatch(question.slug) and PLAIN_SLUG.fullmatch(question.public_id):
            return f"{prefix}{question.public_id}/{question.slug}/"
        return question.get_absolute_url()

    return url


def question_cards(
    questions: Iterable[Question], *, show_event: bool = False, moments: dict | None = None
) -> list[QuestionCard]:
    """One card per question, in order, with its event's city when `show_event`; `moments`: the
    search's spoken moments by question pk. Select the theme (and event) with the questions."""
    url = url_maker()
    moments = moments or {}
    return [
        QuestionCard(
            public_id=question.public_id,
            url=url(question),
            title=question.title,
            language=question.language,
            excerpt=Truncator(question.text).words(EXCERPT_WORDS, truncate=" …"),
            theme=question.theme.localized_name,
            # As {% blocktranslate %} does: the sentence translated, the values escaped.
            asked_by=mark_safe(  # noqa: S308 - the only value is escaped
                gettext("Asked by %(name)s") % {"name": conditional_escape(question.display_name)}
            ),
            city=question.event.city if show_event else "",
            badge=state_badge(question),
            supports=mark_safe(  # noqa: S308 - a localized number
                ngettext("%(counter)s support", "%(counter)s supports", question.support_count)
                % {"counter": localize(question.support_count)}
            ),
            moment=moments.get(question.pk),
        )
        for question in questions
    ]
