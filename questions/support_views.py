"""Supports from the question page: the button's POST (one per browser, signed cookie) and the
supporter's address confirmation page."""

import secrets

from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from django_ratelimit.decorators import ratelimit

from core.i18n import current_language
from questions import supports
from questions.exceptions import QuestionError
from questions.forms import SupportForm
from questions.models import Question
from questions.ratelimits import over_ip_rate, rate_from_setting
from questions.tokens import read_support_email_token

SUPPORTER_COOKIE = "hlm_supporter"
SUPPORTER_COOKIE_SALT = "questions.supporter"
SUPPORTER_COOKIE_MAX_AGE = 2 * 365 * 24 * 3600


def read_supporter_cookie(request: HttpRequest) -> str:
    return request.get_signed_cookie(
        SUPPORTER_COOKIE, default="", salt=SUPPORTER_COOKIE_SALT, max_age=SUPPORTER_COOKIE_MAX_AGE
    )


@require_POST
@ratelimit(key="ip", rate=rate_from_setting("RATELIMIT_SUPPORT_PER_IP"), method="POST", block=True)
def support(request: HttpRequest, public_id: str) -> HttpResponse:
    question = get_object_or_404(Question.objects.public(), public_id=public_id)
    form = SupportForm(request.POST)
    browser_key = read_supporter_cookie(request) or secrets.token_urlsafe(32)
    stuffing = over_ip_rate(
        request,
        group=f"questions.support.{question.pk}",
        setting="RATELIMIT_SUPPORT_PER_IP_AND_QUESTION",
    )
    if stuffing:
        messages.error(
            request, _("This connection has already supported this question today: thank you.")
        )
    elif not form.is_valid():
        messages.error(
            request,
            _("Please check the e-mail address: %(error)s")
            % {"error": " ".join(form.errors.get("email", []))},
        )
    else:
        try:
            supports.support_question(
                question=question,
                browser_key=browser_key,
                email=form.cleaned_data["email"],
                language=current_language(),
            )
        except QuestionError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Thank you: your support is counted."))
            if form.cleaned_data["email"]:
                messages.info(
                    request,
                    _(
                        "To be told when it is answered, confirm your e-mail address with the "
                        "link we sent to it."
                    ),
                )
    response = redirect(question.get_absolute_url() + "#support")
    response.set_signed_cookie(
        SUPPORTER_COOKIE,
        browser_key,
        salt=SUPPORTER_COOKIE_SALT,
        max_age=SUPPORTER_COOKIE_MAX_AGE,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def confirm_support_email(request: HttpRequest, token: str) -> HttpResponse:
    """A supporter's address, confirmed by a button (mail scanners open links, never press)."""
    try:
        email = read_support_email_token(token)
    except signing.BadSignature:  # includes SignatureExpired
        return render(request, "questions/support_email.html", {"invalid": True}, status=400)
    confirmed = request.method == "POST"
    if confirmed:
        supports.confirm_support_email(email=email)
    return render(request, "questions/support_email.html", {"confirmed": confirmed})
