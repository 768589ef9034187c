"""NumPy and Pillow, imported on first use.

A remix that draws nothing itself (most recipes) never needs them, and importing them adds
some 16 MB to a render worker's peak.
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import TYPE_CHECKING, Any


class _Deferred(ModuleType):
    def __getattr__(self, name: str) -> Any:
        return getattr(importlib.import_module(self.__name__), name)


if TYPE_CHECKING:
    import numpy as np
    from PIL import Image, ImageDraw, ImageFont, ImageOps
else:
    np, Image, ImageDraw, ImageFont, ImageOps = (
        _Deferred(name)
        for name in ("numpy", "PIL.Image", "PIL.ImageDraw", "PIL.ImageFont", "PIL.ImageOps")
    )

__all__ = ["Image", "ImageDraw", "ImageFont", "ImageOps", "np"]
