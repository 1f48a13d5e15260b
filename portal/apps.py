from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _sync_roles(sender, **kwargs) -> None:
    from django.contrib.auth.models import Group, Permission

    from portal.roles import apply_roles

    apply_roles(Group, Permission)


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal")

    def ready(self) -> None:
        from portal import checks  # noqa: F401 - registers the deploy checks

        # Keep the staff groups' permissions in step with portal/roles.py after every migrate.
        post_migrate.connect(_sync_roles, sender=self, dispatch_uid="portal.sync_roles")
