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
            "comes from the one run described here; ratios compare measurements taken in that "
            "same run. "
            "Targets come from issue 7; a missed target is reported, never tuned away. The "
            "machine is shared (see the load averages): absolute figures move with its load, "
            "the ratios much less.",
            "",
            f"- Command: `{self.command}`",
            f"- Date: {self.started} (UTC), {self.duration_s:.0f} s in all",
        ]
        lines += [f"- {name}: {value}" for name, value in self.machine.items()]
        lines += ["", "Set-up:", ""] + [f"- {item}" for item in self.setup] + [""]
        lines += ["## Summary", ""]
        if missed:
            lines += ["Targets missed in this run:", ""] + [f"- {item}" for item in missed]
        else:
            lines.append("Every measured target was met in this run.")
        not_measured = [section.title for section in self.sections if section.not_measured]
        if not_measured:
            lines += ["", "Not measured in this run: " + ", ".join(not_measured) + "."]
        lines.append("")
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
        path.write_text(text.rstrip() + "\n", encoding="utf-8")
