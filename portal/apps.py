from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _sync_roles(sender, **kwargs) -> None:
    from django.contrib.auth.models import Group, Permission

    from portal.roles import apply_roles

    apply_roles(Group, Permission)


def brand_admin_site() -> None:
    """The admin carries the site's name (base_site.html draws the République française block);
    no navigation sidebar: its 300 px go to the moderation queue's columns on a laptop."""
    from django.contrib import admin

    admin.site.site_header = _("Le Quai d’Orsay Hors les Murs")
    admin.site.site_title = _("Le Quai d’Orsay Hors les Murs — administration")
    admin.site.index_title = _("Staff and moderators’ administration")
    admin.site.enable_nav_sidebar = False


def _forget_cached_pages(sender, **kwargs) -> None:
    from core.page_cache import site_changed

    site_changed()  # a deployment migrates: its templates may render pages differently


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal")

    def ready(self) -> None:
        from portal import checks  # noqa: F401 - registers the deploy checks

        brand_admin_site()
        # Keep the staff groups' permissions in step with portal/roles.py after every migrate.
        post_migrate.connect(_sync_roles, sender=self, dispatch_uid="portal.sync_roles")
        post_migrate.connect(
            _forget_cached_pages, sender=self, dispatch_uid="portal.forget_cached_pages"
        )
