"""Reference images: checked by their bytes, re-encoded without metadata, stored under new names."""

from __future__ import annotations

import io
import logging
import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from PIL import Image, UnidentifiedImageError

from remixer.files import storage
from remixer.models import Video

logger = logging.getLogger(__name__)

ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP"}


def check_reference(upload: UploadedFile[Any]) -> None:
    """Raise ValidationError unless the upload is a JPEG, PNG or WebP of sane dimensions."""
    if upload.size is None or upload.size > settings.REMIXER_MAX_IMAGE_BYTES:
        limit = settings.REMIXER_MAX_IMAGE_BYTES // (1024 * 1024)
        raise ValidationError(f"The image is larger than {limit} MB.")
    try:
        with Image.open(upload) as image:  # reads the header only: no pixels decoded yet
            check_header(image)
            image.verify()
        upload.seek(0)
        with Image.open(upload) as image:  # now every pixel, within the limit checked above
            check_header(image)
            image.load()
    except Image.DecompressionBombError as error:
        raise ValidationError(too_many_pixels()) from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as error:
        raise ValidationError("The file is not an image remixer can read.") from error
    finally:
        upload.seek(0)


def check_header(image: Image.Image) -> None:
    if image.format not in ACCEPTED_FORMATS:
        raise ValidationError("The reference must be a JPEG, PNG or WebP image.")
    if image.width * image.height > settings.REMIXER_MAX_IMAGE_PIXELS:
        raise ValidationError(f"The image is {image.width}x{image.height}. " + too_many_pixels())


def too_many_pixels() -> str:
    return f"A reference image may have at most {settings.REMIXER_MAX_IMAGE_PIXELS:,} pixels."


def store_reference(upload: UploadedFile[Any]) -> str:
    """Re-encode as PNG (dropping metadata) under a generated name; return the storage name."""
    with Image.open(upload) as image:
        pixels = image.convert("RGB")
    buffer = io.BytesIO()
    pixels.save(buffer, format="PNG")
    name = f"references/{uuid.uuid4().hex}.png"
    storage.save_file(ContentFile(buffer.getvalue(), name=name), name)
    return name


def release_reference(name: str | None) -> None:
    """Remove a stored reference image once no video uses it (a retry shares its original's)."""
    if name and not Video.objects.filter(reference_image=name).exists():
        try:
            storage.delete(name)
        except storage.StorageError:
            logger.exception("The reference image %s stays in the storage", name)
