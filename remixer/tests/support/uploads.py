"""What people bring in: reference images (one that decodes, one whose pixels do not) and the
sidecar JSON a downloaded Sora video comes with."""

import io
import struct
import zlib

from PIL import Image

# A Video object as OpenAI answers it, saved beside the MP4 it describes.
SIDECAR = {
    "id": "video_68d7512d07848190b3e45da0ecbebcde",
    "object": "video",
    "model": "sora-2",
    "status": "completed",
    "progress": 100,
    "created_at": 1759938772,
    "completed_at": 1759938900,
    "expires_at": 1759942500,
    "prompt": "A calico cat playing a piano on stage",
    "size": "1280x720",
    "seconds": "4",
    "remixed_from_video_id": None,
    "error": None,
    "quality": "standard",
}


def png_bytes(width=64, height=36) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


def undecodable_png() -> bytes:
    """A PNG whose header and checksums are right but whose pixel data is noise."""
    data = png_bytes()
    at = data.index(b"IDAT")
    length = struct.unpack(">I", data[at - 4 : at])[0]
    noise = bytes((n * 37 + 11) % 256 for n in range(length))
    checksum = struct.pack(">I", zlib.crc32(b"IDAT" + noise))
    return data[: at + 4] + noise + checksum + data[at + 8 + length :]
