from django import template
from django.db.models.fields.files import FieldFile

from reach import media

register = template.Library()


@register.filter
def media_url(file: FieldFile) -> str:
    """Absolute URL of a stored file (local media or S3), or "" when there is none."""
    return media.file_url(file)
