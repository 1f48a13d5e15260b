"""The DSFR stylesheet the pages load is the one scripts/build_dsfr_css.py builds from the
installed django-dsfr and the classes the templates use."""

import re
import runpy
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "build_dsfr_css.py"


def test_the_built_dsfr_stylesheet_is_up_to_date_and_complete():
    build = runpy.run_path(str(SCRIPT))
    used = build["used_classes"]()
    css = build["build"](used)
    assert build["OUTPUT"].read_text(encoding="utf-8") == css, "run scripts/build_dsfr_css.py"
    # What the built file lacks, the whole DSFR lacks too (hooks without a style of their own).
    whole = "".join(
        (build["DIST"] / name).read_text(encoding="utf-8")
        for name in ("dsfr/dsfr.min.css", "utility/utility.min.css")
    )
    for name in build["missing"](css, used):
        assert not re.search(rf"\.{re.escape(name)}(?![\w-])", whole), name
    assert len(css.encode()) < 0.5 * 1_169_000  # the whole DSFR: dsfr.min.css + utility.min.css
