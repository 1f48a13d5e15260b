"""What was said in the published answers, for the site search: the moments of the answer
videos' captions (and the words of their transcripts) that match the searched words.

The answer video, its captions and their cues are reached through their reverse relations by
name (`answer_video__captions__cues`), never by importing media_pipeline. Only reviewed captions
of published videos count, in the page's language and the language of the answer (French
unless the answer says otherwise). PostgreSQL: the same French, accent-insensitive full text as
the questions (media_pipeline's migration 0004 indexes the cues' expression); elsewhere
(SQLite): every word appears in the cue.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q, QuerySet

from questions.models import Question

SEARCH_CONFIG = "french_unaccent"
CUES = "answer_video__captions__cues__"
CAPTIONS = "answer_video__captions__"


@dataclass(frozen=True)
class SpokenMoment:
    """Where a searched word is said in an answer: the cue's start, its text and language."""

    seconds: float
    text: str
    language: str

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
    return questions.filter(answer_video__published_at__isnull=False)


def _cue_rows(questions: QuerySet[Question], text: str, languages: list[str]):
    """(question id, caption language, cue start, cue text) of the matching cues."""
    # One filter() call: the caption conditions and the cue's words apply to the same caption.
    conditions = {f"{CAPTIONS}reviewed_at__isnull": False, f"{CAPTIONS}language__in": languages}
    rows = published_answers(questions).filter(**conditions)
    if settings.IS_POSTGRESQL:
        from django.contrib.postgres.search import SearchQuery, SearchVector

        query = SearchQuery(text, config=SEARCH_CONFIG, search_type="websearch")
        rows = rows.annotate(spoken=SearchVector(f"{CUES}text", config=SEARCH_CONFIG)).filter(
            spoken=query
        )
    else:
        for word in text.split():
            rows = rows.filter(**{f"{CUES}text__icontains": word}, **conditions)
    return rows.values_list("pk", f"{CAPTIONS}language", f"{CUES}start", f"{CUES}text")


def spoken_filter(text: str, language: str) -> Q:
    """Questions whose answer says the words (reviewed captions) or writes them (reviewed
    transcript): a filter the search adds to its own with OR."""
    questions = Question.objects.all()
    by_cues = _cue_rows(questions, text, answer_languages(language)).values("pk")
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
    return Q(pk__in=by_cues) | Q(pk__in=by_transcript)


def answer_languages(language: str) -> list[str]:
    return list(dict.fromkeys([language, settings.LANGUAGE_CODE]))


def spoken_moments(
    question_ids: Iterable[int], text: str, language: str
) -> dict[int, SpokenMoment]:
    """The first moment each question's answer says the words, in the page's language when its
    captions say them, else in the answer's own (one query for a page of results)."""
    languages = answer_languages(language)
    ids = list(question_ids)
    if not ids or not text.strip():
        return {}
    moments: dict[int, SpokenMoment] = {}
    rows = _cue_rows(Question.objects.filter(pk__in=ids), text, languages)
    for pk, caption_language, start, cue_text in sorted(
        rows, key=lambda row: (languages.index(row[1]), row[2])
    ):
        moments.setdefault(pk, SpokenMoment(start, cue_text, caption_language))
    return moments
