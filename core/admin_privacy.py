"""Personal data in the admin: list filters never reach it without the dedicated permission.

A model declares its personal fields in `PERSONAL_FIELDS`. Django's admin accepts any lookup on a
model's own fields from the changelist's query string (`?email__startswith=c`), which would let
anyone who can open the list rebuild an address letter by letter from the result counts.
"""

from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.views import shortcut
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist, ValidationError
from django.db.models import Model
from django.db.models.constants import LOOKUP_SEP
from django.http import Http404, HttpRequest, HttpResponse

PERSONAL_DATA_PERMISSION = "questions.view_citizen_email"


def reaches_personal_field(model: type[Model], lookup: str) -> bool:
    """Whether a lookup path (`email__regex`, `supports__email`…) touches a personal field."""
    for part in lookup.split(LOOKUP_SEP):
        try:
            field = model._meta.get_field(part)
        except FieldDoesNotExist:
            return False  # a lookup type or transform: the path ended on a non-personal field
        if field.name in getattr(model, "PERSONAL_FIELDS", ()):
            return True
        if not field.is_relation or field.related_model is None:
            return False
        model = field.related_model
    return False


class PersonalDataLookupsMixin:
    """Refuse (400, whatever the value) changelist filters on personal fields, through relations
    too, for users without the permission to see them."""

    def lookup_allowed(self, lookup: str, value: str, request: HttpRequest) -> bool:
        if not request.user.has_perm(PERSONAL_DATA_PERMISSION) and reaches_personal_field(
            self.model, lookup
        ):
            return False
        return super().lookup_allowed(lookup, value, request)


def view_on_site(request: HttpRequest, content_type_id: str, object_id: str) -> HttpResponse:
    """The admin's "view on site" shortcut, only for objects that have a public page: a model
    with `is_public` answers 404 for the others (their ids and title slugs stay private)."""
    try:
        model = ContentType.objects.get_for_id(int(content_type_id)).model_class()
        obj = model._default_manager.get(pk=object_id) if model else None
    except (ValueError, ObjectDoesNotExist, ValidationError):
        obj = None
    if obj is not None and getattr(obj, "is_public", True) is False:
        raise Http404
    return shortcut(request, content_type_id, object_id)
