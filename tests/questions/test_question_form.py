"""The question form's fields, copied for each form without deepcopy's machinery, are copied as
Django copies them: what one form changes, no other form sees."""

import copy

import pytest

from questions.forms import QuestionForm
from tests.questions.conftest import question_data

pytestmark = pytest.mark.django_db


def test_each_form_has_its_own_fields_widgets_attrs_and_messages(event):
    first, second = QuestionForm(event=event), QuestionForm(question_data(event), event=event)
    assert first.fields.keys() == QuestionForm.base_fields.keys()
    for name, field in first.fields.items():
        base, other = QuestionForm.base_fields[name], second.fields[name]
        assert type(field) is type(base) and field is not base and field is not other
        assert field.widget is not base.widget and field.widget is not other.widget
        assert (
            field.widget.attrs == base.widget.attrs and field.widget.attrs is not base.widget.attrs
        )
        assert field.error_messages == base.error_messages
        assert field.error_messages is not base.error_messages
        assert field.validators == base.validators and field.validators is not base.validators
        assert field.label == base.label and field.required == base.required
    first.fields["title"].widget.attrs["class"] = "changed"
    first.fields["email"].error_messages["required"] = "changed"
    first.fields["region"].widget.choices.append(("XX", "changed"))
    assert "class" not in second.fields["title"].widget.attrs
    assert "class" not in QuestionForm.base_fields["title"].widget.attrs
    assert second.fields["email"].error_messages["required"] != "changed"
    assert ("XX", "changed") not in second.fields["region"].widget.choices
    assert ("XX", "changed") not in QuestionForm.base_fields["region"].widget.choices


def test_the_copy_has_the_attributes_djangos_deepcopy_gives(event):
    quick = copy.deepcopy(QuestionForm.base_fields)
    plain = copy.deepcopy(dict(QuestionForm.base_fields))  # Django's own copy of each field
    for name, field in quick.items():
        assert field.__dict__.keys() == plain[name].__dict__.keys(), name
        assert field.widget.__dict__.keys() == plain[name].widget.__dict__.keys(), name


def test_a_form_with_errors_is_shown_again_with_its_fields(client, event):
    form = QuestionForm(question_data(event, title="", email="nope"), event=event)
    assert not form.is_valid()
    assert set(form.errors) == {"title", "email"}
    html = str(form["email"]) + str(form["region"]) + str(form["theme"])
    assert 'value="nope"' in html and 'value="BRE" selected' in html
    assert f'value="{event.themes.first().pk}" selected' in html
