"""Transfers that tell how far they have come: a file being read counts its bytes."""

from collections.abc import Callable
from typing import Any

Moved = Callable[[int], None]  # told each amount of bytes a transfer moves


class Counted:
    """A file being read, telling `on_bytes` how much each read took (for the lease)."""

    def __init__(self, handle: Any, on_bytes: Moved) -> None:
        self.handle, self.on_bytes = handle, on_bytes

    def read(self, size: int = -1) -> bytes:
        data: bytes = self.handle.read(size)
        self.on_bytes(len(data))
        return data

    def __getattr__(self, name: str) -> Any:
        return getattr(self.handle, name)
