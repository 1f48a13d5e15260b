"""Helpers of the `crispy_dsfr` template pack: DSFR classes and aria links on form widgets."""

from django import forms, template
from django.forms.boundfield import BoundField
from django.utils.safestring import SafeString

register = template.Library()


def hint_id(field: BoundField) -> str:
    return f"{field.auto_id}-hint"


def error_id(field: BoundField) -> str:
    return f"{field.auto_id}-desc-error"


def counter_id(field: BoundField) -> str:
    return f"{field.auto_id}-count"


@register.filter
def dsfr_hint_id(field: BoundField) -> str:
    return hint_id(field)


@register.filter
def dsfr_error_id(field: BoundField) -> str:
    return error_id(field)


@register.filter
def dsfr_counter_id(field: BoundField) -> str:
    return counter_id(field)


@register.filter
def dsfr_kind(field: BoundField) -> str:
    """Which DSFR component renders this field: input, select, checkbox, radio or hidden."""
    widget = field.field.widget
    if widget.is_hidden:
        return "hidden"
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radio"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.Select):
        return "select"
    return "input"


@register.filter
def has_counter(field: BoundField) -> bool:
    return "data-hlm-count" in field.field.widget.attrs


@register.simple_tag
def dsfr_widget(field: BoundField, css_class: str = "") -> SafeString:
    """Render the widget with its DSFR class (plus `--error`) and `aria-describedby` pointing at
    the hint, the character counter and the error message, so screen readers read them all."""
    widget_attrs = field.field.widget.attrs
    classes = [widget_attrs.get("class", ""), css_class]
    if css_class and field.errors:
        classes.append(f"{css_class}--error")
    described_by = [widget_attrs.get("aria-describedby", "")]
    if field.help_text:
        described_by.append(hint_id(field))
    if has_counter(field):
        described_by.append(counter_id(field))
    if field.errors:
        described_by.append(error_id(field))
    attrs = {}
    if any(classes):
        attrs["class"] = " ".join(c for c in classes if c)
    if any(described_by):
        attrs["aria-describedby"] = " ".join(d for d in described_by if d)
    return field.as_widget(attrs=attrs)
