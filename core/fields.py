"""Model fields shared by the apps."""

from typing import Any

from django.db import models
from django.utils.text import slugify


class SlugFromField(models.SlugField):
    """A slug made from another field of the row when it is written without one.

    The work is in pre_save, which every write path runs: save(), bulk_create() and
    core.inserts alike, so none of them can write a row without its slug.
    """

    def __init__(self, *args: Any, populate_from: str, fallback: str, **kwargs: Any) -> None:
        self.populate_from = populate_from
        self.fallback = fallback
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> tuple[str, str, list[Any], dict[str, Any]]:
        name, path, args, kwargs = super().deconstruct()
        kwargs["populate_from"] = self.populate_from
        kwargs["fallback"] = self.fallback
        return name, path, args, kwargs

    def pre_save(self, model_instance: models.Model, add: bool) -> str:
        slug = getattr(model_instance, self.attname)
        if not slug:
            source = getattr(model_instance, self.populate_from)
            slug = slugify(source, allow_unicode=self.allow_unicode)[: self.max_length]
            setattr(model_instance, self.attname, slug or self.fallback)
        return getattr(model_instance, self.attname)
