from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReachConfig(AppConfig):
    """Outputs that carry the portal beyond its pages: feeds, sitemap, share cards, embeds.

    It sits at the top of the import chain (portal → reach → media_pipeline → questions → events):
    it reads every app's models and no lower app imports it.
    """

    name = "reach"
    verbose_name = _("Reach")
