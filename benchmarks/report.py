"""BENCHMARKS.md: what was measured, how, on what, and whether each target was met."""

import re
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Section:
    title: str
    method: str
    headers: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    verdicts: list[tuple[str, bool]] = field(default_factory=list)  # (target text, met?)
    notes: list[str] = field(default_factory=list)
    not_measured: str = ""

    def check(self, target: str, met: bool) -> None:
        self.verdicts.append((target, met))

    def markdown(self) -> str:
        lines = [f"## {self.title}", "", self.method, ""]
        if self.not_measured:
            lines += [f"**Not measured:** {self.not_measured}", ""]
            return "\n".join(lines)
        if self.rows:
            lines.append("| " + " | ".join(self.headers) + " |")
            lines.append("|" + "|".join("---" for _ in self.headers) + "|")
            lines += ["| " + " | ".join(row) + " |" for row in self.rows]
            lines.append("")
        for target, met in self.verdicts:
            lines.append(f"- {'✅ met' if met else '❌ **missed**'}: {target}")
        if self.verdicts:
            lines.append("")
        lines += [f"{note}\n" for note in self.notes]
        return "\n".join(lines)


@dataclass
class Report:
    command: str
    started: str
    duration_s: float = 0.0
    machine: dict[str, str] = field(default_factory=dict)
    setup: list[str] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)

    def markdown(self) -> str:
        missed = [
            f"{section.title}: {target}"
            for section in self.sections
            for target, met in section.verdicts
            if not met
        ]
        lines = [
            "# Benchmarks",
            "",
            "Written by `make bench` (benchmarks/); not part of the tests. Every figure below "
            "comes from the one run described here, but in a section that names a later partial "
            "run (`--only`); ratios compare measurements taken in the same run. "
            "Targets come from issue 7; a missed target is reported, never tuned away. The "
            "machine is shared (see the load averages): absolute figures move with its load, "
            "the ratios much less.",
            "",
            f"- Command: `{self.command}`",
            f"- Date: {self.started} (UTC), {self.duration_s:.0f} s in all",
        ]
        lines += [f"- {name}: {value}" for name, value in self.machine.items()]
        lines += ["", "Set-up:", ""] + [f"- {item}" for item in self.setup] + [""]
        not_measured = [section.title for section in self.sections if section.not_measured]
        lines += summary_lines(missed, not_measured, "in this run")
        for section in self.sections:
            lines.append(section.markdown())
        return "\n".join(lines).rstrip() + "\n"

    def write(self, path: Path) -> None:
        path.write_text(self.markdown(), encoding="utf-8")

    def merge_into(self, path: Path) -> None:
        """A partial run (--only): its sections replace those of the same title in the file, or
        come before the hand-written notes; each says which run measured it."""
        text = path.read_text(encoding="utf-8") if path.exists() else self.markdown()
        for section in self.sections:
            provenance = (
                f"_Measured by `{self.command}` on {self.started} (UTC); "
                + "; ".join(f"{name}: {value}" for name, value in self.machine.items())
                + "._"
            )
            block = section.markdown().replace("\n\n", f"\n\n{provenance}\n\n", 1).rstrip()
            # The whole title: "\b" never matches after one ending in ")".
            title = rf"^## {re.escape(section.title)}[ \t]*$"
            pattern = re.compile(rf"{title}.*?(?=^## |\Z)", re.S | re.M)
            if match := pattern.search(text):
                text = text[: match.start()] + block + "\n\n" + text[match.end() :]
            elif "\n## Reading this run" in text:
                text = text.replace("\n## Reading this run", f"\n{block}\n\n## Reading this run", 1)
            else:
                text = text.rstrip() + f"\n\n{block}\n"
        path.write_text(with_summary_of_sections(text).rstrip() + "\n", encoding="utf-8")


MISSED = re.compile(r"^- ❌ \*\*missed\*\*: (.+)$", re.M)
SECTION = re.compile(r"^## (.+?)[ \t]*\n(.*?)(?=^## |\Z)", re.S | re.M)


def summary_lines(missed: list[str], not_measured: list[str], scope: str) -> list[str]:
    lines = ["## Summary", ""]
    if missed:
        lines += [f"Targets missed {scope}:", ""] + [f"- {item}" for item in missed]
    else:
        lines.append(f"Every measured target was met {scope}.")
    if not_measured:
        lines += ["", f"Not measured {scope}: " + ", ".join(not_measured) + "."]
    return [*lines, ""]


def with_summary_of_sections(text: str) -> str:
    """The summary after a partial run: the verdicts of the sections as they now stand, some
    from the full run, some from later partial runs (each section names its run)."""
    missed, not_measured = [], []
    for title, body in SECTION.findall(text):
        if title == "Summary" or title.startswith("Reading this run"):
            continue
        missed += [f"{title}: {target}" for target in MISSED.findall(body)]
        if "**Not measured:**" in body:
            not_measured.append(title)
    scope = "in the sections below (each from the run it names)"
    summary = "\n".join(summary_lines(missed, not_measured, scope)) + "\n"
    pattern = re.compile(r"^## Summary[ \t]*\n.*?(?=^## |\Z)", re.S | re.M)
    return pattern.sub(lambda _match: summary, text, count=1)
