"""The server's input, output and temp folders: uploads named as ComfyUI names them, files
listed for a node's choices, and the numbered names a save node writes under."""

from __future__ import annotations

import hashlib
import mimetypes
import re
import tempfile
from pathlib import Path

FOLDER_TYPES = ("input", "output", "temp")


class Folders:
    """Three folders in one temporary directory; they outlive a restart, as a disk does."""

    def __init__(self) -> None:
        self._root = tempfile.TemporaryDirectory(prefix="comfyui-stand-in-")
        self.root = Path(self._root.name)
        for name in FOLDER_TYPES:
            (self.root / name).mkdir()

    def cleanup(self) -> None:
        self._root.cleanup()

    @property
    def input(self) -> Path:
        return self.root / "input"

    @property
    def output(self) -> Path:
        return self.root / "output"

    def of_type(self, folder_type: str | None) -> Path | None:
        if folder_type is None:
            return self.input
        return self.root / folder_type if folder_type in FOLDER_TYPES else None

    def inside(self, folder_type: str | None, subfolder: str, filename: str) -> Path | None:
        """The path of a file in a folder, or None when it would climb out of it."""
        base = self.of_type(folder_type)
        if base is None:
            return None
        path = (base / subfolder / filename).resolve()
        return path if path.is_relative_to(base.resolve()) else None

    def store_upload(self, folder: Path, filename: str, data: bytes, overwrite: bool) -> str:
        """Store an upload; the name it got. A name taken by other bytes becomes `name (1).ext`;
        the same bytes under the same name are kept once (ComfyUI compares hashes)."""
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / filename
        stem, suffix = Path(filename).stem, Path(filename).suffix
        counter = 1
        while not overwrite and path.exists():
            if _digest(path.read_bytes()) == _digest(data):
                return path.name
            path = folder / f"{stem} ({counter}){suffix}"
            counter += 1
        path.write_bytes(data)
        return path.name

    def input_files(self, content_type: str) -> list[str]:
        """Input files whose guessed type is `content_type` (video, image), as a node's choices."""
        return sorted(
            path.name
            for path in self.input.iterdir()
            if path.is_file()
            and (mimetypes.guess_type(path.name)[0] or "").startswith(content_type + "/")
        )

    def input_path(self, name: str) -> Path | None:
        path = self.inside("input", "", name)
        return path if path is not None and path.is_file() else None

    def save_path(self, filename_prefix: str, extension: str) -> tuple[Path, str]:
        """The next free `prefix_00001_.ext` in the output folder, and its subfolder."""
        subfolder, _, filename = filename_prefix.replace("\\", "/").rpartition("/")
        folder = self.output / subfolder
        if not folder.resolve().is_relative_to(self.output.resolve()):
            raise ValueError(f"Saving image outside the output folder is not allowed.: {folder}")
        folder.mkdir(parents=True, exist_ok=True)
        taken = re.compile(rf"{re.escape(filename)}_(\d+)_")
        counters = [int(m.group(1)) for p in folder.iterdir() if (m := taken.match(p.name))]
        counter = max(counters, default=0) + 1
        return folder / f"{filename}_{counter:05}_.{extension}", subfolder


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def fingerprint(path: Path | None) -> str:
    """What a load node's cache key holds of its file: a changed file runs the node again."""
    if path is None:
        return "missing"
    stat = path.stat()
    return f"{stat.st_mtime_ns}:{stat.st_size}"
