"""One row inserted by a statement compiled once per model: for the rows a request writes by the
thousand (a submission burst), where building Django's INSERT costs several times the statement.

`insert(instance)` does what `instance.save()` does for a new row of a model with an
auto-incremented id: each field's pre_save (auto_now_add, auto_now) and database preparation,
then one INSERT ... RETURNING id. It sends no signals: a model that gets a pre_save or post_save
receiver one day is saved by the ORM instead, so the receiver still sees its rows.
"""

import functools

from django.db import connection, models
from django.db.models import signals


@functools.cache
def _statement(model: type[models.Model]) -> tuple[str, tuple[models.Field, ...]]:
    fields = tuple(field for field in model._meta.concrete_fields if not field.primary_key)
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    pk = quote(model._meta.pk.column)
    return (
        f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({placeholders}) "  # noqa: S608 - names from the model
        f"RETURNING {pk}",
        fields,
    )


def insert(instance: models.Model) -> models.Model:
    """Insert `instance` (a new row) and give it its id; returns it."""
    model = type(instance)
    if signals.pre_save.has_listeners(model) or signals.post_save.has_listeners(model):
        instance.save(force_insert=True)
        return instance
    sql, fields = _statement(model)
    params = [
        field.get_db_prep_save(field.pre_save(instance, True), connection) for field in fields
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        instance.pk = cursor.fetchone()[0]
    instance._state.adding = False
    instance._state.db = connection.alias
    return instance
