"""The language a page, an e-mail or a feed speaks."""

from django.conf import settings
from django.utils import translation


def current_language() -> str:
    """The active language if the portal offers it, else the default (French)."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    codes = [code for code, _name in settings.LANGUAGES]
    return language if language in codes else settings.LANGUAGE_CODE


def text_direction(language: str) -> str:
    """ "rtl" for a right-to-left language (Arabic), "ltr" otherwise (also for unknown codes)."""
    try:
        return "rtl" if translation.get_language_info(language)["bidi"] else "ltr"
    except KeyError:
        return "ltr"
