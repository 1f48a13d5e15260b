"""One row inserted by a statement compiled once per model: for the rows a request writes by the
thousand (a submission burst), where building Django's INSERT costs several times the statement.

`insert(instance)` does what `instance.save()` does for a new row of a model with an
auto-incremented id: each field's pre_save (auto_now_add, auto_now, core.fields.SlugFromField)
and database preparation, then one INSERT ... RETURNING id. It sends no signals and calls no
save() override: a model that has either one day is saved by the ORM instead, so that work is
never skipped.
"""

import functools

from django.db import connections, models, router
from django.db.models import signals


@functools.cache
def _statement(model: type[models.Model], alias: str) -> tuple[str, tuple[models.Field, ...]]:
    fields = tuple(field for field in model._meta.concrete_fields if not field.primary_key)
    quote = connections[alias].ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    pk = quote(model._meta.pk.column)
    return (
        f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({placeholders}) "  # noqa: S608 - names from the model
        f"RETURNING {pk}",
        fields,
    )


def _needs_save(model: type[models.Model]) -> bool:
    """The model does work of its own when saved: a save() override or a save signal receiver."""
    return (
        model.save is not models.Model.save
        or signals.pre_save.has_listeners(model)
        or signals.post_save.has_listeners(model)
    )


def insert(instance: models.Model) -> models.Model:
    """Insert `instance` (a new row) and give it its id; returns it."""
    model = type(instance)
    if _needs_save(model):
        instance.save(force_insert=True)
        return instance
    alias = router.db_for_write(model, instance=instance)
    connection = connections[alias]
    sql, fields = _statement(model, alias)
    params = [
        field.get_db_prep_save(field.pre_save(instance, True), connection) for field in fields
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        instance.pk = cursor.fetchone()[0]
    instance._state.adding = False
    instance._state.db = alias
    return instance
