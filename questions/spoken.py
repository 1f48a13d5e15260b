"""What was said in the published answers, for the site search: the moments of the answers'
captions (and the words of the answer videos' transcripts) that match the searched words.

An answer is a question's own video, or its chapter in its event's recording (answered on
stage): there, only the cues inside the chapter count, and the moment is a time in the
recording, which the question page's player plays. Videos, captions and cues are reached
through their reverse relations by name (`answer_video__captions__cues`), never by importing
media_pipeline. Only reviewed captions of published videos (and chapters) count, in the page's
language and the language of the answer (French unless the answer says otherwise).
PostgreSQL: the same French, accent-insensitive full text as the questions (media_pipeline's
migration 0004 indexes the cues' expression); elsewhere (SQLite): every word appears in the cue.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import F, Q, QuerySet

from questions.models import Question

SEARCH_CONFIG = "french_unaccent"


@dataclass(frozen=True)
class AnswerPath:
    """How a question reaches the captions of its published answer."""

    captions: str  # the lookup prefix of the answer's captions
    published: Q  # the answer is public
    within: Q = Q()  # the cues that belong to the answer (all of them, but on stage)
    on_stage: bool = False

    @property
    def cues(self) -> str:
        return self.captions + "cues__"


OWN_VIDEO = AnswerPath("answer_video__captions__", Q(answer_video__published_at__isnull=False))
STAGE = AnswerPath(
    "recording_chapter__recording__captions__",
    Q(
        recording_chapter__published_at__isnull=False,
        recording_chapter__recording__published_at__isnull=False,
    ),
    Q(
        recording_chapter__recording__captions__cues__start__gte=F(
            "recording_chapter__start_seconds"
        ),
        recording_chapter__recording__captions__cues__start__lt=F("recording_chapter__end_seconds"),
    ),
    on_stage=True,
)
ANSWER_PATHS = (OWN_VIDEO, STAGE)


@dataclass(frozen=True)
class SpokenMoment:
    """Where a searched word is said in an answer: the cue's start, its text and language."""

    seconds: float
    text: str
    language: str
    on_stage: bool = False  # `seconds` is a time in the event's recording

    @property
    def clock(self) -> str:
        """02:14 (1:02:14 past an hour), as the result says it."""
        total = int(self.seconds)
        hours, rest = divmod(total, 3600)
        minutes, secs = divmod(rest, 60)
        return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"

    @property
    def fragment(self) -> str:
        """The question page's address fragment that opens the player at this moment."""
        return f"#t={int(self.seconds)}"


def published_answers(questions: QuerySet[Question]) -> QuerySet[Question]:
    """Questions with a published answer video of their own (whose transcript is searched)."""
    return questions.filter(OWN_VIDEO.published)


def _cue_rows(questions: QuerySet[Question], text: str, languages: list[str], path: AnswerPath):
    """(question id, caption language, cue start, cue text) of the matching cues of the
    answers reached by `path`."""
    # One filter() call: the caption conditions and the cue's words apply to the same caption
    # (and, on stage, to cues inside the chapter).
    conditions = {
        f"{path.captions}reviewed_at__isnull": False,
        f"{path.captions}language__in": languages,
    }
    rows = questions.filter(path.published).filter(path.within, **conditions)
    if settings.IS_POSTGRESQL:
        from django.contrib.postgres.search import SearchQuery, SearchVector

        query = SearchQuery(text, config=SEARCH_CONFIG, search_type="websearch")
        rows = rows.annotate(spoken=SearchVector(f"{path.cues}text", config=SEARCH_CONFIG)).filter(
            spoken=query
        )
    else:
        for word in text.split():
            rows = rows.filter(path.within, **{f"{path.cues}text__icontains": word}, **conditions)
    return rows.values_list(
        "pk", f"{path.captions}language", f"{path.cues}start", f"{path.cues}text"
    )


def spoken_filter(text: str, language: str) -> Q:
    """Questions whose answer says the words (reviewed captions) or writes them (reviewed
    transcript): a filter the search adds to its own with OR."""
    questions = Question.objects.all()
    languages = answer_languages(language)
    said = Q()
    for path in ANSWER_PATHS:
        said |= Q(pk__in=_cue_rows(questions, text, languages, path).values("pk"))
    if settings.IS_POSTGRESQL:
        from django.contrib.postgres.search import SearchQuery, SearchVector

        query = SearchQuery(text, config=SEARCH_CONFIG, search_type="websearch")
        by_transcript = (
            published_answers(questions)
            .filter(answer_video__transcript_automatic=False)
            .annotate(written=SearchVector("answer_video__transcript", config=SEARCH_CONFIG))
            .filter(written=query)
            .values("pk")
        )
    else:
        transcript = Q(answer_video__transcript_automatic=False)
        for word in text.split():
            transcript &= Q(answer_video__transcript__icontains=word)
        by_transcript = published_answers(questions).filter(transcript).values("pk")
    return said | Q(pk__in=by_transcript)


def answer_languages(language: str) -> list[str]:
    return list(dict.fromkeys([language, settings.LANGUAGE_CODE]))


def spoken_moments(
    question_ids: Iterable[int], text: str, language: str
) -> dict[int, SpokenMoment]:
    """The first moment each question's answer says the words, in the page's language when its
    captions say them, else in the answer's own (one query per kind of answer for a page of
    results)."""
    languages = answer_languages(language)
    ids = list(question_ids)
    if not ids or not text.strip():
        return {}
    moments: dict[int, SpokenMoment] = {}
    questions = Question.objects.filter(pk__in=ids)
    rows = [
        (*row, path.on_stage)
        for path in ANSWER_PATHS
        for row in _cue_rows(questions, text, languages, path)
    ]
    for pk, caption_language, start, cue_text, on_stage in sorted(
        rows, key=lambda row: (languages.index(row[1]), row[2])
    ):
        moments.setdefault(pk, SpokenMoment(start, cue_text, caption_language, on_stage))
    return moments
