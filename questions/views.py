"""Citizens' pages of the questions app: the event page with its questions and form, the
confirmation flow, question pages, supports and search. Views validate, call one service,
render or redirect."""

from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_ratelimit.decorators import ratelimit

from core.cached_pages import changes_at, fragment_version, is_cached_render, public_page
from core.i18n import current_language
from core.page_cache import event_moments, event_scope, question_scope
from events.models import Event
from events.selectors import public_event
from questions import selectors, services, spoken, support_views, supports, workflow
from questions.cards import question_cards, state_badge
from questions.exceptions import DuplicateSubmission, QuestionError
from questions.forms import QuestionForm, ResendConfirmationForm, SearchForm, SupportForm
from questions.live.state import page_state_if_live
from questions.models import Question, Support
from questions.ratelimits import rate_from_setting
from questions.tokens import (
    confirmation_link_hours,
    make_form_started,
    read_confirmation_token,
)

ANSWER_PARTIAL = "media_pipeline/_answer.html"


# --- The event page ------------------------------------------------------------------------------


@ratelimit(key="ip", rate=rate_from_setting("RATELIMIT_QUESTION_PER_IP"), method="POST", block=True)
@public_page(params=("sort", "page"), scopes=lambda kwargs: [event_scope(kwargs["slug"])])
def event_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """An event, its public questions (by supports or newest) and, while open, the form."""
    try:
        event = public_event(slug=slug)
    except Event.DoesNotExist as error:
        raise Http404(_("This event does not exist or is not published.")) from error
    status = 200
    form = None
    if event.accepts_questions():
        # A page for the cache carries no per-visitor token: forms.js fetches them.
        form = QuestionForm(request.POST or None, event=event, tokens=not is_cached_render(request))
        if request.method == "POST":
            response = handle_question_form(request, form)
            if response is not None:
                return response
    elif request.method == "POST":
        messages.error(request, _("This event does not accept questions at the moment."))
        status = 409
    context = event_context(request, event, form)
    return render(request, "questions/event_detail.html", context, status=status)


def handle_question_form(request: HttpRequest, form: QuestionForm) -> HttpResponse | None:
    """Submit a valid form and redirect (POST/redirect/GET); None to show the form's errors."""
    if not form.is_valid():
        if getattr(form, "form_expired", False):
            form.data = form.data.copy()
            form.data["form_started"] = make_form_started()
        return None
    if form.filled_by_robot:
        return redirect("questions:check_inbox")  # say nothing to robots; store nothing
    # No refusal per address here: anyone may type anyone's address, so the e-mails are what is
    # limited (services: one confirmation e-mail per address and interval).
    data = form.cleaned_data
    try:
        services.submit_question(
            event=form.event,
            theme=data["theme"],
            title=data["title"],
            text=data["text"],
            display_name=data["display_name"],
            email=data["email"],
            region=data["region"],
            language=current_language(),
            idempotency_key=data["submission_token"],
        )
    except DuplicateSubmission:
        pass  # the first click already stored the question and queued its e-mail
    except QuestionError as error:  # closed meanwhile, theme withdrawn: nothing was stored
        form.add_error(None, error.message)
        return None
    return redirect("questions:check_inbox")


def event_context(request: HttpRequest, event: Event, form: QuestionForm | None) -> dict:
    sort = request.GET.get("sort")
    sort = sort if sort in selectors.SORTS else selectors.SORT_SUPPORTS
    questions = selectors.public_questions_for_event(event=event, sort=sort)
    page = Paginator(questions, settings.QUESTIONS_PER_PAGE).get_page(request.GET.get("page"))
    now = timezone.now()
    changes_at(request, *event_moments(event))  # questions open or close, the live watch…
    return {
        "event": event,
        "themes": list(event.themes.all()),
        "form": form,
        "page": page,
        "cards": question_cards(page.object_list),
        "sort": sort,
        "questions_open": form is not None,
        # The blank form is the same for every visitor: rendered once per event and version.
        "form_fragment_version": fragment_version(request) if form and not form.is_bound else "",
        "questions_not_yet_open": event.questions_open_at > now,
        # While the event is live, the phones in the room see the live list (questions/live/).
        "live_state": page_state_if_live(event),
        # After it: its recording and its chapters, one per question answered on stage.
        "recording": (recording := selectors.published_recording(event)),
        "answer_partial": answer_partial() if recording else None,
    }


# --- Confirmation (double opt-in) ----------------------------------------------------------------


def check_inbox(request: HttpRequest) -> HttpResponse:
    return render(request, "questions/check_inbox.html", {"hours": confirmation_link_hours()})


@never_cache
@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The link of the confirmation e-mail shows a button; pressing it (POST) puts the question
    in the moderation queue. Mail scanners open links (GET) but do not press buttons. Never
    cached: the page shows a title that is not public."""
    try:
        public_id = read_confirmation_token(token)
    except signing.SignatureExpired:
        return link_problem(request, expired=True, token=token)
    except signing.BadSignature:
        return link_problem(request, expired=False)
    question = Question.objects.select_related("event").filter(public_id=public_id).first()
    if question is None:
        return render(request, "questions/confirm_gone.html", status=410)
    # The link proves the mailbox: it may confirm any question waiting with the same address
    # (one e-mail per address and interval, whoever submitted).
    waiting = services.questions_awaiting_confirmation(email=question.email)
    if request.method == "GET":
        if workflow.CONFIRM.allows(question) or waiting:
            context = {"question": question, "waiting": waiting}
            return render(request, "questions/confirm.html", context)
    else:
        chosen = request.POST.get("question", question.public_id)
        question = next((other for other in waiting if other.public_id == chosen), question)
    question, changed = services.confirm_question(question=question)
    return render(
        request,
        "questions/confirmed.html",
        {"question": question, "just_confirmed": changed, "event": question.event},
    )


def link_problem(request: HttpRequest, *, expired: bool, token: str = "") -> HttpResponse:
    """Expired or forged link: nothing changes; offer a new link."""
    return render(
        request,
        "questions/confirm_invalid.html",
        {"expired": expired, "token": token, "form": ResendConfirmationForm()},
        status=410 if expired else 400,
    )


@ratelimit(key="ip", rate=rate_from_setting("RATELIMIT_RESEND_PER_IP"), method="POST", block=True)
def resend_confirmation(request: HttpRequest) -> HttpResponse:
    """Ask for a new confirmation link, from an expired link (one click) or with an address."""
    if request.method != "POST":
        return render(request, "questions/resend.html", {"form": ResendConfirmationForm()})
    token = request.POST.get("token", "")
    if token:
        try:
            public_id = read_confirmation_token(token, check_age=False)
        except signing.BadSignature:
            return link_problem(request, expired=False)
        question = Question.objects.filter(public_id=public_id).first()
        if question is not None:
            services.resend_confirmation(question=question)
        return redirect("questions:check_inbox")
    form = ResendConfirmationForm(request.POST)
    if not form.is_valid():
        return render(request, "questions/resend.html", {"form": form}, status=400)
    # No refusal per address (a stranger would use it up): an address gets at most one
    # confirmation e-mail per interval, whoever asks.
    services.resend_confirmations_for_email(email=form.cleaned_data["email"])
    # Same answer whether or not the address wrote a question: it reveals nothing.
    return redirect("questions:check_inbox")


# --- The question page and supports -------------------------------------------------------------


@public_page(scopes=lambda kwargs: [question_scope(kwargs["public_id"])])
def question_detail(request: HttpRequest, public_id: str, slug: str) -> HttpResponse:
    """A public question's stable page; non-public questions do not exist for the public."""
    try:
        question = selectors.public_question(public_id=public_id)
    except Question.DoesNotExist as error:
        raise Http404(_("This question does not exist or is not public.")) from error
    if slug != question.slug:
        return redirect(question, permanent=True)
    video = selectors.published_answer_video(question)
    # Answered on stage: its moment in the event's recording plays instead.
    chapter = None if video else selectors.published_chapter(question)
    # The cached page is everyone's: whether this browser supports the question is not in it.
    browser_key = "" if is_cached_render(request) else support_views.read_supporter_cookie(request)
    supported = (
        bool(browser_key)
        and Support.objects.filter(
            question=question, supporter_key=supports.supporter_key_digest(browser_key)
        ).exists()
    )
    return render(
        request,
        "questions/detail.html",
        {
            "question": question,
            "badge": state_badge(question),
            "event": question.event,
            "video": video or (chapter and chapter.recording),
            "chapter": chapter,
            "answer_partial": answer_partial() if video or chapter else None,
            "supported": supported,
            "can_support": question.is_supportable and not supported,
            "support_form": SupportForm(),
        },
    )


def answer_partial() -> str | None:
    """The media app's answer partial, if installed: the page still works without it."""
    try:
        get_template(ANSWER_PARTIAL)
    except TemplateDoesNotExist:
        return None
    return ANSWER_PARTIAL


# --- Search ---------------------------------------------------------------------------------------


# Support counts in the results are tracked by no generation: they lag SEARCH_CACHE_SECONDS.
SEARCH_CACHE_SECONDS = 10


@public_page(
    params=("event", "theme", "region", "answered", "page"),
    refuse=("q",),
    timeout=SEARCH_CACHE_SECONDS,
)
def search(request: HttpRequest) -> HttpResponse:
    """Full-text search and filters over public questions (GET, paginated)."""
    form = SearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    questions = selectors.search_public_questions(
        text=filters.get("q", ""),
        event=filters.get("event"),
        theme=filters.get("theme"),
        region=filters.get("region", ""),
        answered=filters.get("answered", ""),
    )
    page = Paginator(questions, settings.QUESTIONS_PER_PAGE).get_page(request.GET.get("page"))
    query_string = request.GET.copy()
    query_string.pop("page", None)
    # Where the answers say the words: "said at 02:14", a link that plays from there.
    moments = spoken.spoken_moments(
        [question.pk for question in page.object_list], filters.get("q", ""), current_language()
    )
    return render(
        request,
        "questions/search.html",
        {
            "form": form,
            "page": page,
            "cards": question_cards(page.object_list, show_event=True, moments=moments),
            "query_string": query_string.urlencode(),
        },
    )
