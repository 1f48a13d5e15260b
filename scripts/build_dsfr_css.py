"""Build static/css/dsfr-portal.css from the installed django-dsfr: the design system's core, its
colour schemes, the component stylesheets the portal uses, only the icon classes it names, and
django-dsfr's small form overrides.

The whole DSFR (dsfr.min.css + utility.min.css, 1.1 MB) blocks the first paint; this file is
about a fifth of it. url()s are rewritten for the new place (the manifest storage then hashes
them). Run it again after upgrading django-dsfr or using a new component:

    .venv/bin/python scripts/build_dsfr_css.py          # writes the file
    .venv/bin/python scripts/build_dsfr_css.py --check  # fails if a used class is missing
"""

import argparse
import posixpath
import re
import sys
from pathlib import Path

import dsfr

ROOT = Path(__file__).resolve().parent.parent
DIST = Path(dsfr.__file__).parent / "static" / "dsfr" / "dist"
OUTPUT = ROOT / "static" / "css" / "dsfr-portal.css"
OUTPUT_STATIC_DIR = "css"  # where OUTPUT lives among the static files
SOURCES = ["templates", "portal", "questions", "events", "media_pipeline", "static/js", "core"]
# Components whose classes the templates, forms and scripts use (checked by --check).
COMPONENTS = [
    "accordion",
    "alert",
    "badge",
    "breadcrumb",
    "button",
    "callout",
    "card",
    "checkbox",
    "content",
    "follow",
    "footer",
    "form",
    "header",
    "input",
    "link",
    "logo",
    "modal",
    "navigation",
    "pagination",
    "radio",
    "select",
    "share",
    "skiplink",
    "table",
    "tag",
    "translate",
    "upload",
]
CLASS = re.compile(r"(?<![\w-])fr-[a-z0-9_]+(?:-[a-z0-9_]+)*(?:--[a-z0-9-]+)?(?:__[a-z0-9-]+)?")
URL = re.compile(r"url\((['\"]?)(?!data:|https?:|/)([^)'\"]+)\1\)")


def used_classes() -> set[str]:
    found = set()
    for folder in SOURCES:
        for path in (ROOT / folder).rglob("*"):
            if path.suffix in {".html", ".py", ".js"} and "vendor" not in path.parts:
                found |= set(CLASS.findall(path.read_text(encoding="utf-8", errors="ignore")))
    return found


def blocks(css: str) -> list[str]:
    """Top-level rules and at-rules, each with its braces."""
    parts, depth, start = [], 0, 0
    for index, char in enumerate(css):
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                parts.append(css[start : index + 1])
                start = index + 1
    return parts


def icon_rules(css: str, wanted: set[str]) -> str:
    """Rules naming no icon, or naming one the portal uses (also inside @media)."""
    kept = []
    for block in blocks(css):
        if block.startswith("@media"):
            inner = block[block.index("{") + 1 : -1]
            rules = icon_rules(inner, wanted)
            if rules:
                kept.append(block[: block.index("{") + 1] + rules + "}")
            continue
        selector = block[: block.index("{")]
        icons = set(re.findall(r"\.(fr-icon-[a-z0-9-]+)", selector))
        if not icons or icons & wanted:
            kept.append(block)
    return "".join(kept)


def rebase_urls(css: str, source: Path) -> str:
    """url(../x.svg) of a file under DIST, made relative to OUTPUT among the static files."""
    source_dir = posixpath.join("dsfr/dist", source.parent.relative_to(DIST).as_posix())

    def rebase(match: re.Match) -> str:
        target = posixpath.normpath(posixpath.join(source_dir, match.group(2)))
        return f"url({posixpath.relpath(target, OUTPUT_STATIC_DIR)})"

    return URL.sub(rebase, css)


def strip_banner(css: str) -> str:
    return re.sub(r"/\*!.*?\*/", "", css, flags=re.S)


def build(used: set[str]) -> str:
    files = [DIST / "core" / "core.main.min.css", DIST / "scheme" / "scheme.min.css"]
    files += [DIST / "component" / name / f"{name}.main.min.css" for name in COMPONENTS]
    parts = [
        "/*! DSFR (Système de design de l'État) | SPDX-License-Identifier: MIT | "
        "built by scripts/build_dsfr_css.py from django-dsfr's files: do not edit */"
    ]
    for path in files:
        parts.append(rebase_urls(strip_banner(path.read_text(encoding="utf-8")), path))
    icons = DIST / "utility" / "icons" / "icons.main.min.css"
    wanted = {name for name in used if name.startswith("fr-icon-")}
    parts.append(rebase_urls(icon_rules(strip_banner(icons.read_text("utf-8")), wanted), icons))
    parts.append((DIST.parent.parent / "css" / "dsfr-django-overrides.css").read_text("utf-8"))
    return "\n".join(parts) + "\n"


def missing(css: str, used: set[str]) -> list[str]:
    defined = set(re.findall(r"\.(fr-[a-zA-Z0-9_-]+)", css))
    # Classes the templates use only as hooks (no style of their own in the DSFR).
    return sorted(name for name in used if name not in defined and not name.endswith("-"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true", help="compare, do not write")
    args = parser.parse_args()
    used = used_classes()
    css = build(used)
    absent = missing(css, used)
    if absent:
        print("classes used but not in the built CSS:", " ".join(absent))
    if args.check:
        current = OUTPUT.read_text(encoding="utf-8") if OUTPUT.exists() else ""
        return 0 if current == css else 1
    OUTPUT.write_text(css, encoding="utf-8")
    print(f"wrote {OUTPUT.relative_to(ROOT)}: {len(css.encode()) / 1000:.0f} kB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
