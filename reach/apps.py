from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReachConfig(AppConfig):
    """Outputs that carry the portal beyond its pages: feeds, sitemap, share cards, embeds.

    It sits at the top of the import chain, beside portal (reach → media_pipeline → questions →
    events): it reads every app's models, uses portal's security helpers, and no app imports it
    (portal only names it in settings and URLs).
    """

    name = "reach"
    verbose_name = _("Reach")
