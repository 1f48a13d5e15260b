from django.utils import translation

from core.errors import DomainError
from questions.exceptions import AlreadyDecided, QuestionError


def test_a_domain_error_carries_a_translated_message_and_a_stable_code():
    with translation.override("fr"):
        error = AlreadyDecided()
    assert isinstance(error, QuestionError) and isinstance(error, DomainError)
    assert error.message == str(error) == "Un autre modérateur a déjà statué sur cette question."
    assert error.code == "already_decided"


def test_a_specific_message_and_code_replace_the_defaults():
    error = DomainError("Trop tard.", code="too_late")
    assert (error.message, error.code) == ("Trop tard.", "too_late")
    assert DomainError().code == "not_possible"
