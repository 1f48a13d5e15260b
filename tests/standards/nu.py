"""The Nu HTML Checker (vnu.jar, pinned in package.json) run over saved pages in one JVM call.

`npm ci` installs it on first use (from package-lock.json, without install scripts: the package's
own postinstall would download a Java runtime; Debian's Java 17 runs the jar).
"""

import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

PACKAGE_DIR = Path(__file__).parent
VNU_JAR = PACKAGE_DIR / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
INSTALL_TIMEOUT_SECONDS = 300
CHECK_TIMEOUT_SECONDS = 240


@dataclass(frozen=True)
class NuMessage:
    file: str
    line: int | None
    message: str
    extract: str

    @property
    def place(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file


def vnu_jar() -> Path:
    """The pinned vnu.jar, installed with `npm ci` if it is not there yet."""
    if not VNU_JAR.exists():
        npm = shutil.which("npm")
        if npm is None:
            raise RuntimeError("npm is missing: run `scripts/system-deps.sh test`")
        subprocess.run(
            [npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund"],
            cwd=PACKAGE_DIR,
            check=True,
            timeout=INSTALL_TIMEOUT_SECONDS,
        )
    return VNU_JAR


def check_html(files: list[Path]) -> list[NuMessage]:
    """The checker's errors (not its warnings) for every file, each named by its file name."""
    java = shutil.which("java")
    if java is None:
        raise RuntimeError("Java is missing: run `scripts/system-deps.sh test`")
    completed = subprocess.run(
        [
            java,
            "-jar",
            str(vnu_jar()),
            "--errors-only",
            "--format",
            "json",
            "--stdout",
            "--exit-zero-always",
            *map(str, files),
        ],
        capture_output=True,
        check=True,
        text=True,
        timeout=CHECK_TIMEOUT_SECONDS,
    )
    messages = json.loads(completed.stdout)["messages"]
    return [
        NuMessage(
            file=Path(message.get("url", "")).name,
            line=message.get("lastLine"),
            message=message.get("message", ""),
            extract=message.get("extract", ""),
        )
        for message in messages
        if message.get("type") in {"error", "non-document-error"}
    ]
