"""The portal's own tables live in its sub-packages; Django finds them through this module (which
also makes Django send `post_migrate` for this app, re-applying the staff roles)."""

from portal.opendata.models import DumpFormat, OpenDataDump
from portal.statistics.models import PlayCount, ReachCount, ReachKind

__all__ = ["DumpFormat", "OpenDataDump", "PlayCount", "ReachCount", "ReachKind"]
