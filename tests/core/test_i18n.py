from django.utils import translation

from core.i18n import current_language, text_direction


def test_the_current_language_is_an_offered_one_else_french():
    with translation.override("ar"):
        assert current_language() == "ar"
    with translation.override("pt"):
        assert current_language() == "fr"


def test_arabic_reads_right_to_left_and_the_others_left_to_right():
    assert text_direction("ar") == "rtl"
    assert [text_direction(code) for code in ("fr", "en", "zh-hans", "xx")] == ["ltr"] * 4
