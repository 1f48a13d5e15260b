"""Demo content for `manage.py seed_demo`: believable, varied, idempotent."""

from datetime import timedelta

from django.utils import timezone

THEMES = [
    (
        "europe",
        "Europe",
        {"en": "Europe", "de": "Europa", "es": "Europa", "ar": "أوروبا", "zh-hans": "欧洲"},
    ),
    (
        "climat",
        "Climat et environnement",
        {
            "en": "Climate and environment",
            "de": "Klima und Umwelt",
            "es": "Clima y medio ambiente",
            "ar": "المناخ والبيئة",
            "zh-hans": "气候与环境",
        },
    ),
    (
        "securite",
        "Paix et sécurité",
        {
            "en": "Peace and security",
            "de": "Frieden und Sicherheit",
            "es": "Paz y seguridad",
            "ar": "السلام والأمن",
            "zh-hans": "和平与安全",
        },
    ),
    (
        "developpement",
        "Solidarité internationale",
        {
            "en": "International solidarity",
            "de": "Internationale Solidarität",
            "es": "Solidaridad internacional",
            "ar": "التضامن الدولي",
            "zh-hans": "国际团结",
        },
    ),
    (
        "francais-etranger",
        "Français à l'étranger",
        {
            "en": "French citizens abroad",
            "de": "Franzosen im Ausland",
            "es": "Franceses en el extranjero",
            "ar": "الفرنسيون في الخارج",
            "zh-hans": "海外法国人",
        },
    ),
    (
        "economie",
        "Diplomatie économique",
        {
            "en": "Economic diplomacy",
            "de": "Wirtschaftsdiplomatie",
            "es": "Diplomacia económica",
            "ar": "الدبلوماسية الاقتصادية",
            "zh-hans": "经济外交",
        },
    ),
]

SPEAKERS = (
    "Porte-parole du ministère de l'Europe et des Affaires étrangères\n"
    "Ambassadeur, représentant permanent auprès de l'Union européenne\n"
    "Directrice de la prospective"
)


SPEAKERS_TRANSLATED = {
    "en": "Spokesperson of the Ministry for Europe and Foreign Affairs\n"
    "Ambassador, Permanent Representative to the European Union\n"
    "Director of Policy Planning",
    "ar": "المتحدث باسم وزارة أوروبا والشؤون الخارجية\n"
    "السفير، المندوب الدائم لدى الاتحاد الأوروبي\n"
    "مديرة الاستشراف",
}


def event_translations(title: dict[str, str], venue: dict[str, str] | None = None) -> dict:
    """Some events are translated (English, Arabic, Chinese); the others show French."""
    translations: dict[str, dict[str, str]] = {}
    for language, text in title.items():
        translations[language] = {"title": text}
        if language in SPEAKERS_TRANSLATED:
            translations[language]["speakers"] = SPEAKERS_TRANSLATED[language]
        if venue and language in venue:
            translations[language]["venue"] = venue[language]
    return translations


def event_specs(now=None) -> list[dict]:
    """Past, current (window open) and upcoming events in several regions."""
    now = now or timezone.now()
    day = timedelta(days=1)
    return [
        {
            "slug": "lille-2026-europe",
            "title": "L'Europe face aux crises",
            "city": "Lille",
            "region": "HDF",
            "venue": "Palais des Beaux-Arts",
            "address": "Place de la République",
            "translations": event_translations(
                {
                    "en": "Europe facing crises",
                    "ar": "أوروبا في مواجهة الأزمات",
                    "zh-hans": "面对危机的欧洲",
                },
                {"en": "Palace of Fine Arts", "ar": "قصر الفنون الجميلة"},
            ),
            "starts_at": now - 40 * day,
            "questions_open_at": now - 70 * day,
        },
        {
            "slug": "rennes-2026-climat",
            "title": "Diplomatie du climat",
            "city": "Rennes",
            "region": "BRE",
            "venue": "Les Champs Libres",
            "translations": event_translations(
                {
                    "en": "Climate diplomacy",
                    "de": "Klimadiplomatie",
                    "es": "Diplomacia climática",
                    "ar": "دبلوماسية المناخ",
                    "zh-hans": "气候外交",
                }
            ),
            "address": "10 cours des Alliés",
            "starts_at": now - 10 * day,
            "questions_open_at": now - 40 * day,
        },
        {
            "slug": "lyon-2026-paix",
            "title": "Paix et sécurité internationales",
            "city": "Lyon",
            "region": "ARA",
            "venue": "Hôtel de Région",
            "translations": event_translations(
                {
                    "en": "International peace and security",
                    "ar": "السلم والأمن الدوليان",
                    "es": "Paz y seguridad internacionales",
                },
                {"en": "Regional Council building", "ar": "مقر المجلس الإقليمي"},
            ),
            "address": "1 esplanade François-Mitterrand",
            "starts_at": now + 5 * day,
            "questions_open_at": now - 20 * day,
        },
        {
            "slug": "marseille-2026-mediterranee",
            "title": "La Méditerranée, notre voisinage",
            "city": "Marseille",
            "region": "PAC",
            "venue": "Mucem",
            "address": "7 promenade Robert-Laffont",
            "starts_at": now + 30 * day,
            "questions_open_at": now - 2 * day,
        },
        {
            "slug": "saint-denis-2027-ocean-indien",
            "title": "La France dans l'océan Indien",
            "city": "Saint-Denis",
            "region": "LRE",
            "venue": "Université de La Réunion",
            "address": "15 avenue René-Cassin",
            "starts_at": now + 75 * day,
            "questions_open_at": now + 20 * day,
        },
    ]


QUESTION_TEXTS = [
    (
        "Quelle place pour la France dans l'élargissement de l'Union ?",
        "Comment la France prépare-t-elle l'adhésion de nouveaux États membres, et quelles "
        "réformes des institutions européennes défendra-t-elle ?",
    ),
    (
        "Que fait la diplomatie française pour le climat ?",
        "Quels engagements la France porte-t-elle dans les négociations climatiques "
        "internationales, et comment en mesure-t-on les résultats ?",
    ),
    (
        "Comment sont protégés les Français à l'étranger en cas de crise ?",
        "Lors d'une crise politique ou d'une catastrophe naturelle, comment le ministère "
        "organise-t-il l'évacuation et l'information des ressortissants ?",
    ),
    (
        "Quelle aide au développement pour l'Afrique de l'Ouest ?",
        "Quelles sont les priorités de l'aide publique au développement française dans la région, "
        "et comment les citoyens peuvent-ils en suivre l'usage ?",
    ),
    (
        "La France soutient-elle une réforme du Conseil de sécurité ?",
        "Quelle position la France défend-elle sur l'élargissement du Conseil de sécurité des "
        "Nations unies et sur l'encadrement du droit de veto ?",
    ),
    (
        "Comment la diplomatie aide-t-elle nos PME à exporter ?",
        "Quels dispositifs existent pour accompagner les petites entreprises de notre région sur "
        "les marchés étrangers ?",
    ),
]

DISPLAY_NAMES = [
    "Camille R.",
    "Yanis",
    "Sophie L.",
    "Mehdi B.",
    "Louise",
    "Thomas D.",
    "Awa",
    "Jean-Pierre M.",
    "Inès",
    "Lucas V.",
]
REGIONS = ["HDF", "BRE", "ARA", "PAC", "IDF", "OCC", "NAQ", "LRE", "GES", "ETR"]
LANGUAGES = ["fr", "fr", "fr", "en", "fr", "de", "fr", "es", "ar", "fr"]
# ~30 questions across every state, most of them public.
STATE_PLAN = (
    ["approved"] * 10
    + ["selected"] * 4
    + ["answered"] * 4
    + ["submitted"] * 5
    + ["unconfirmed"] * 3
    + ["rejected"] * 3
    + ["duplicate"] * 1
)
