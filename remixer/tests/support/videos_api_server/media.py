"""The files the server hands out: real media made once per process (an H.264 MP4 from
remixer's own engine, a WebP thumbnail, a JPEG spritesheet), and the damage knobs do to them."""

from __future__ import annotations

import atexit
import io
import shutil
import tempfile
import threading
from pathlib import Path

from remixer.tests.support.videos_api_server.answers import Answer
from remixer.tests.support.videos_api_server.behaviours import Behaviour, Knobs

# The clip every download is rendered from: one fixed prompt, so the cache can be shared.
RENDER_PROMPT = "calm blue waves"
WEBPAGE = b"<!doctype html><html><head><title>Sign in</title></head><body>Sign in</body></html>\n"


class _Media:
    """Rendered MP4s per (size, seconds) and images per size, shared by every server in the
    process: a render takes seconds and its bytes do not depend on the server."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._key_locks: dict[tuple[str, ...], threading.Lock] = {}
        self._bytes: dict[tuple[str, ...], bytes] = {}
        self._dir: Path | None = None

    def _directory(self) -> Path:
        with self._lock:
            if self._dir is None:
                self._dir = Path(tempfile.mkdtemp(prefix="videos-api-server-"))
                atexit.register(shutil.rmtree, self._dir, True)
            return self._dir

    def get(self, kind: str, size: str, seconds: str) -> bytes:
        key = (kind, size, seconds if kind == "video" else "")
        with self._lock:
            key_lock = self._key_locks.setdefault(key, threading.Lock())
        with key_lock:  # one render per key even when downloads race
            if key not in self._bytes:
                self._bytes[key] = self._make(kind, size, int(seconds))
            return self._bytes[key]

    def _make(self, kind: str, size: str, seconds: int) -> bytes:
        if kind == "thumbnail":
            return _image(size, 320, "WEBP")
        if kind == "spritesheet":
            return _spritesheet(size)
        from remixer.providers.local import render_create  # imports PyAV: only when needed

        output = self._directory() / f"{size}-{seconds}s.mp4"
        render_create(
            prompt=RENDER_PROMPT,
            size=size,
            seconds=seconds,
            output=output,
            reference_image=None,
            on_progress=lambda done, total: None,
        )
        return output.read_bytes()


MEDIA = _Media()


def _scaled(size: str, longest: int) -> tuple[int, int]:
    width, height = (int(part) for part in size.split("x"))
    scale = longest / max(width, height)
    return max(2, round(width * scale)), max(2, round(height * scale))


def _image(size: str, longest: int, fmt: str) -> bytes:
    from PIL import Image

    width, height = _scaled(size, longest)
    image = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    out = io.BytesIO()
    image.save(out, fmt)
    return out.getvalue()


def _spritesheet(size: str, columns: int = 4, rows: int = 4) -> bytes:
    from PIL import Image

    tile_w, tile_h = _scaled(size, 128)
    sheet = Image.new("RGB", (tile_w * columns, tile_h * rows))
    for index in range(columns * rows):
        shade = 40 + index * 12
        tile = Image.new("RGB", (tile_w, tile_h), (shade, 90, 255 - shade))
        sheet.paste(tile, ((index % columns) * tile_w, (index // columns) * tile_h))
    out = io.BytesIO()
    sheet.save(out, "JPEG")
    return out.getvalue()


def image_size(data: bytes) -> tuple[int, int] | None:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            return image.size
    except (UnidentifiedImageError, OSError):
        return None


def content_answer(variant: str, data: bytes, behaviour: Behaviour, knobs: Knobs) -> Answer:
    """A download as this server sends it: labelled, and damaged as the knobs say."""
    labels = {"video": "video/mp4", "thumbnail": "image/webp", "spritesheet": "image/jpeg"}
    label = labels[variant] if behaviour.content_mode != "always_video" else "video/mp4"
    mislabel = knobs.mislabel_content
    if isinstance(mislabel, str):
        label = mislabel
    elif mislabel:
        label = "text/plain" if label == "video/mp4" else "video/mp4"
    if behaviour.video_body == "webpage" and variant == "video":
        data = WEBPAGE
    corrupt = knobs.corrupt_content
    if corrupt and variant == "video":
        data = _corrupted(data, "head" if corrupt == "head" else "middle")
    answer = Answer(200, data, label)
    if knobs.truncate_content == "file":
        answer.body = data[: len(data) // 2]
    elif knobs.truncate_content == "body":
        answer.body, answer.length, answer.close = data[: len(data) // 2], len(data), True
    return answer


def _corrupted(data: bytes, where: str) -> bytes:
    """The same length with a block of bytes inverted: in the media data (middle) or over the
    container's header boxes (head), which no demuxer gets past."""
    start, length = (len(data) // 2, 512) if where == "middle" else (0, 512)
    block = bytes(b ^ 0xFF for b in data[start : start + length])
    return data[:start] + block + data[start + length :]
