"""The spokesperson's briefing: the questions selected for an answer (for one event or all),
most supported first, as rows for the print-ready page, a CSV file and a PDF (fpdf2, one page per
question, in the State's Marianne font shipped with django-dsfr)."""

import csv
import io
import logging
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.contrib.staticfiles import finders
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from fpdf import FPDF

from events.models import Event
from questions.models import Question
from questions.workflow import SELECT_FOR_ANSWER

MARIANNE = {"": "dsfr/dist/fonts/Marianne-Regular.woff", "B": "dsfr/dist/fonts/Marianne-Bold.woff"}
# Characters Marianne lacks (Arabic…) are drawn with Debian's DejaVu Sans where it is installed.
FALLBACK_FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
BLUE_FRANCE = (0, 0, 145)
GREY = (88, 88, 88)


@dataclass(frozen=True)
class BriefingRow:
    title: str
    text: str
    pseudonym: str
    region: str
    theme: str
    supports: int
    written_at: datetime
    event: str


def briefing_questions(
    *, event: Event | None = None, ids: list[int] | None = None
) -> QuerySet[Question]:
    """The questions selected for an answer (for one event, or only those of `ids`: a selection
    made in the admin), most supported first, then the oldest."""
    questions = Question.objects.filter(state=SELECT_FOR_ANSWER.target)
    if event is not None:
        questions = questions.filter(event=event)
    if ids is not None:
        questions = questions.filter(pk__in=ids)
    return questions.select_related("event", "theme").order_by("-support_count", "created_at", "pk")


def briefing_rows(*, event: Event | None = None, ids: list[int] | None = None) -> list[BriefingRow]:
    return [
        BriefingRow(
            title=question.title,
            text=question.text,
            pseudonym=question.display_name,
            region=str(question.get_region_display()),
            theme=str(question.theme),
            supports=question.support_count,
            written_at=question.created_at,
            event=f"{question.event.i18n.title} ({question.event.city})",
        )
        for question in briefing_questions(event=event, ids=ids)
    ]


def briefing_title(event: Event | None, *, chosen: bool = False) -> str:
    if chosen:
        return _("Spokesperson’s briefing: the questions chosen in the admin")
    if event is None:
        return _("Spokesperson’s briefing: the questions selected for an answer")
    return _("Spokesperson’s briefing: %(event)s") % {"event": event.i18n.title}


def csv_headers() -> list[str]:
    return [
        _("Title"),
        _("Question"),
        _("Pseudonym"),
        _("Region"),
        _("Theme"),
        _("Supports"),
        _("Written on"),
        _("Event"),
    ]


def briefing_csv(rows: list[BriefingRow]) -> str:
    """UTF-8 CSV (with a byte order mark, so spreadsheets read the accents)."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(csv_headers())
    for row in rows:
        writer.writerow(
            [
                row.title,
                row.text,
                row.pseudonym,
                row.region,
                row.theme,
                row.supports,
                timezone.localtime(row.written_at).date().isoformat(),
                row.event,
            ]
        )
    return out.getvalue()


class BriefingPDF(FPDF):
    def __init__(self, title: str) -> None:
        super().__init__(format="A4")
        self.briefing_title = title
        self.set_title(title)
        self.set_creator(_("Le Quai d’Orsay Hors les Murs"))
        for style, path in MARIANNE.items():
            self.add_font("Marianne", style, finders.find(path))
        if Path(FALLBACK_FONT).is_file():
            self.add_font("Fallback", "", FALLBACK_FONT)
            self.set_fallback_fonts(["Fallback"])
        self.set_auto_page_break(auto=True, margin=18)

    def header(self) -> None:
        self.set_font("Marianne", "B", 9)
        self.set_text_color(*GREY)
        self.cell(0, 6, self.briefing_title, new_x="LMARGIN", new_y="NEXT")
        self.ln(2)

    def footer(self) -> None:
        self.set_y(-14)
        self.set_font("Marianne", "", 8)
        self.set_text_color(*GREY)
        self.cell(0, 6, _("Page %(number)s") % {"number": self.page_no()}, align="C")


def briefing_pdf(rows: list[BriefingRow], *, title: str) -> bytes:
    """One page per question: its title, who asked and how many support it, its full text."""
    pdf = BriefingPDF(title)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    for number, row in enumerate(rows, start=1):
        pdf.add_page()
        pdf.set_font("Marianne", "B", 10)
        pdf.set_text_color(*BLUE_FRANCE)
        pdf.cell(
            0,
            6,
            _("Question %(number)d of %(total)d") % {"number": number, "total": len(rows)},
            new_x="LMARGIN",
            new_y="NEXT",
        )
        pdf.set_font("Marianne", "B", 16)
        pdf.set_text_color(22, 22, 22)
        pdf.multi_cell(0, 8, row.title, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
        pdf.set_font("Marianne", "", 10)
        pdf.set_text_color(*GREY)
        for label, value in (
            (_("Supports"), str(row.supports)),
            (_("Pseudonym"), row.pseudonym),
            (_("Region"), row.region),
            (_("Theme"), row.theme),
            (_("Written on"), date_format(timezone.localtime(row.written_at), "DATE_FORMAT")),
            (_("Event"), row.event),
        ):
            pdf.multi_cell(0, 5.5, f"{label} : {value}", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(4)
        pdf.set_font("Marianne", "", 12)
        pdf.set_text_color(22, 22, 22)
        pdf.multi_cell(0, 6.5, row.text, new_x="LMARGIN", new_y="NEXT")
    if not rows:
        pdf.add_page()
        pdf.set_font("Marianne", "", 12)
        pdf.multi_cell(0, 7, _("No question is selected for an answer yet."))
    return bytes(pdf.output())
