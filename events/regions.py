"""French regions, metropolitan and overseas (the 18 regions since 2016)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Region(models.TextChoices):
    AUVERGNE_RHONE_ALPES = "ARA", "Auvergne-Rhône-Alpes"
    BOURGOGNE_FRANCHE_COMTE = "BFC", "Bourgogne-Franche-Comté"
    BRETAGNE = "BRE", "Bretagne"
    CENTRE_VAL_DE_LOIRE = "CVL", "Centre-Val de Loire"
    CORSE = "COR", "Corse"
    GRAND_EST = "GES", "Grand Est"
    HAUTS_DE_FRANCE = "HDF", "Hauts-de-France"
    ILE_DE_FRANCE = "IDF", "Île-de-France"
    NORMANDIE = "NOR", "Normandie"
    NOUVELLE_AQUITAINE = "NAQ", "Nouvelle-Aquitaine"
    OCCITANIE = "OCC", "Occitanie"
    PAYS_DE_LA_LOIRE = "PDL", "Pays de la Loire"
    PROVENCE_ALPES_COTE_DAZUR = "PAC", "Provence-Alpes-Côte d'Azur"
    GUADELOUPE = "GUA", "Guadeloupe"
    MARTINIQUE = "MTQ", "Martinique"
    GUYANE = "GUF", "Guyane"
    LA_REUNION = "LRE", "La Réunion"
    MAYOTTE = "MAY", "Mayotte"


# Citizens may also write from an overseas collectivity or from abroad.
CITIZEN_REGION_CHOICES = [
    *Region.choices,
    ("COM", _("Overseas collectivity (Polynesia, New Caledonia, …)")),
    ("ETR", _("French citizen living abroad")),
    ("OTH", _("Other / prefer not to say")),
]


# Overseas regions live in their own time zones: an event's times are shown in local time.
REGION_TIME_ZONES = {
    "GUA": "America/Guadeloupe",
    "MTQ": "America/Martinique",
    "GUF": "America/Cayenne",
    "LRE": "Indian/Reunion",
    "MAY": "Indian/Mayotte",
}
DEFAULT_TIME_ZONE = "Europe/Paris"


def region_time_zone(region: str) -> str:
    return REGION_TIME_ZONES.get(region, DEFAULT_TIME_ZONE)
