"""Storage operations through Django's storage API only (local disk or S3 alike)."""

import shutil
from pathlib import Path

from django.core.files import File
from django.core.files.storage import Storage

from media_pipeline.exceptions import TransientStorageError

COPY_CHUNK = 1024 * 1024


def transient_errors() -> tuple[type[BaseException], ...]:
    """Errors that may pass on retry: disk/network I/O and S3 endpoint or throttling errors."""
    errors: list[type[BaseException]] = [OSError, TimeoutError, ConnectionError]
    try:
        from botocore.exceptions import BotoCoreError, ClientError

        errors += [BotoCoreError, ClientError]
    except ImportError:  # pragma: no cover - boto3 is a dependency
        pass
    return tuple(errors)


def download_to(storage: Storage, name: str, destination: Path) -> None:
    """Copy a stored file to a local path in constant memory (ffmpeg reads local files only)."""
    try:
        with storage.open(name, "rb") as source, open(destination, "wb") as target:
            shutil.copyfileobj(source, target, COPY_CHUNK)
    except FileNotFoundError:
        raise
    except transient_errors() as error:
        raise TransientStorageError(str(error)) from error


def upload_folder(storage: Storage, folder: Path, prefix: str) -> list[str]:
    """Store every file of `folder` under `prefix`, names kept exactly (playlists refer to them).

    On failure the files already stored are deleted before the error is raised: no orphans.
    """
    stored: list[str] = []
    try:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            wanted = f"{prefix}/{path.relative_to(folder).as_posix()}"
            with open(path, "rb") as handle:
                saved = storage.save(wanted, File(handle, name=path.name))
            stored.append(saved)
            if saved != wanted:
                raise TransientStorageError(f"storage renamed {wanted} to {saved}")
    except transient_errors() as error:
        delete_names(storage, stored)
        raise TransientStorageError(str(error)) from error
    except TransientStorageError:
        delete_names(storage, stored)
        raise
    return stored


def list_tree(storage: Storage, prefix: str) -> list[str]:
    """All file names under `prefix` (a folder), recursively."""
    try:
        folders, files = storage.listdir(prefix)
    except FileNotFoundError:
        return []
    names = [f"{prefix}/{name}" for name in files]
    for folder in folders:
        names += list_tree(storage, f"{prefix}/{folder}")
    return names


def delete_names(storage: Storage, names: list[str]) -> None:
    for name in names:
        try:
            storage.delete(name)
        except FileNotFoundError:
            continue


def delete_tree(storage: Storage, prefix: str) -> int:
    names = list_tree(storage, prefix)
    delete_names(storage, names)
    remove_empty_local_folders(storage, prefix)
    return len(names)


def remove_empty_local_folders(storage: Storage, prefix: str) -> None:
    """On a local disk, empty version folders would linger; S3 has no folders."""
    try:
        root = Path(storage.path(prefix))
    except NotImplementedError:
        return
    if not root.is_dir():
        return
    for folder in sorted((p for p in root.rglob("*") if p.is_dir()), reverse=True):
        if not any(folder.iterdir()):
            folder.rmdir()
    if not any(root.iterdir()):
        root.rmdir()
