"""Settings for Hors les Murs, read from environment variables.

Every variable is optional: the embedded defaults need no server (SQLite, local media, a
filesystem Celery broker, e-mail to the console). Production and CI point the same code at
PostgreSQL, Redis and S3 by environment alone; see README.md, "Deploying".

One module per concern; this one composes them, so DJANGO_SETTINGS_MODULE stays
"portal.settings". Each module imports by name what it reads from another; Django takes the
upper-case names of them all.
"""

from .base import *  # noqa: F403
from .folders import *  # noqa: F403
from .i18n import *  # noqa: F403
from .logs import *  # noqa: F403
from .media import *  # noqa: F403
from .questions import *  # noqa: F403
from .queues import *  # noqa: F403
from .security import *  # noqa: F403
from .storage import *  # noqa: F403
