"""Least-privilege staff roles. Applied by a data migration; re-applied by seed_demo."""

MODERATORS = "Moderators"
SPOKESPERSON_STAFF = "Spokesperson staff"
# The communication team reads the statistics; nothing else (no question, no e-mail address).
COMMUNICATION = "Communication"

# (app_label, codename) per group. Moderators never delete, never touch videos, users or groups.
ROLE_PERMISSIONS: dict[str, list[tuple[str, str]]] = {
    MODERATORS: [
        ("questions", "view_question"),
        ("questions", "change_question"),
        ("questions", "moderate_question"),
        ("questions", "view_moderationdecision"),
        ("questions", "view_preparednote"),
        ("questions", "add_preparednote"),
        ("questions", "change_preparednote"),
        ("questions", "delete_preparednote"),
        # The outbox: which citizens' e-mails are waiting or were abandoned (addresses masked).
        ("questions", "view_outboundemail"),
        ("events", "view_event"),
        ("events", "view_theme"),
    ],
    SPOKESPERSON_STAFF: [
        ("questions", "view_question"),
        ("questions", "select_question"),
        ("events", "view_event"),
        ("events", "view_theme"),
        ("media_pipeline", "view_answervideo"),
        ("media_pipeline", "add_answervideo"),
        ("media_pipeline", "change_answervideo"),
        ("media_pipeline", "publish_answervideo"),
        ("media_pipeline", "view_caption"),
        ("media_pipeline", "add_caption"),
        ("media_pipeline", "change_caption"),
        ("media_pipeline", "delete_caption"),
        ("media_pipeline", "view_rendition"),
        # An event recording's chapters, read-only in the admin (set on the staff page).
        ("media_pipeline", "view_recordingchapter"),
    ],
    COMMUNICATION: [
        ("portal", "view_statistics"),
    ],
}


def apply_roles(group_model, permission_model, *, strict: bool = True) -> None:
    """Create the groups and give each exactly its permissions (idempotent).

    `strict=False` (the first data migration) passes over permissions of models that later
    migrations create; post_migrate re-applies every role, strictly, once all have run.
    """
    for group_name, wanted in ROLE_PERMISSIONS.items():
        group, _ = group_model.objects.get_or_create(name=group_name)
        permissions = []
        for app_label, codename in wanted:
            found = permission_model.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if found is None and strict:
                raise permission_model.DoesNotExist(f"{app_label}.{codename}")
            if found is not None:
                permissions.append(found)
        group.permissions.set(permissions)
