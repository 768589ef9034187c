"""The checks a request's fields meet, as OpenAI words them or as a lenient server relaxes them:
prompt, model, seconds, size, the source image or video, the list's limit, the variant."""

from __future__ import annotations

from typing import Any

from remixer.tests.support.videos_api_server.answers import JSONDict, ServerError
from remixer.tests.support.videos_api_server.behaviours import Behaviour, Knobs
from remixer.tests.support.videos_api_server.bodies import Upload, video_reference
from remixer.tests.support.videos_api_server.media import image_size

SIZES = ("720x1280", "1280x720", "1024x1792", "1792x1024")
SECONDS = ("4", "8", "12")
EXTEND_SECONDS = ("4", "8", "12", "16", "20")  # a new segment's lengths on /videos/extensions
MAX_PROMPT = 32000


def prompt(fields: JSONDict) -> str:
    text = fields.get("prompt")
    if not isinstance(text, str) or not text:
        raise ServerError(
            400,
            "Missing required parameter: 'prompt'.",
            param="prompt",
            code="missing_required_parameter",
        )
    if len(text) > MAX_PROMPT:
        raise ServerError(
            400,
            f"Invalid 'prompt': string too long. Expected a string with "
            f"maximum length {MAX_PROMPT}, but got a string with length "
            f"{len(text)} instead.",
            param="prompt",
            code="string_above_max_length",
        )
    return text


def model(requested: Any, behaviour: Behaviour, knobs: Knobs) -> str:
    name = requested or behaviour.default_model or knobs.served_model
    if behaviour.model_check == "any":
        return str(name)
    if behaviour.model_check == "provider":
        if "/" not in str(name):
            raise ServerError(
                400, f"Model `{name}` must be given as provider/model.", param="model"
            )
        return str(name)
    allowed = (*knobs.models, knobs.model_alias) if behaviour.alias_model else knobs.models
    if behaviour.model_check == "served":
        allowed = (knobs.served_model,)
    if name not in allowed:
        raise ServerError(
            behaviour.model_error_status,
            f"The model `{name}` does not exist or you do not have access to it.",
            param="model",
            code="model_not_found",
        )
    return str(name)


def seconds(value: Any, behaviour: Behaviour) -> str:
    if behaviour.validate:
        if not isinstance(value, str):
            raise ServerError(
                400,
                "Invalid type for 'seconds': expected one of '4', '8', or "
                f"'12', but got {type(value).__name__} instead.",
                param="seconds",
                code="invalid_type",
            )
        if value not in SECONDS:
            raise ServerError(
                400,
                f"Invalid value: '{value}'. Supported values are: '4', '8', and '12'.",
                param="seconds",
                code="invalid_value",
            )
        return value
    text = str(value)
    if not text.isdigit() or not 1 <= int(text) <= 60:
        raise ServerError(
            400, f"seconds must be a whole number from 1 to 60, not {text!r}", param="seconds"
        )
    return str(int(text))


def extension_seconds(value: Any) -> str:
    """A new segment's length on /videos/extensions."""
    text = str(value)
    if text not in EXTEND_SECONDS:
        raise ServerError(
            400,
            f"Invalid value: '{text}'. Supported values are: '4', '8', '12', '16', '20'.",
            param="seconds",
            code="invalid_value",
        )
    return text


def size(value: Any, behaviour: Behaviour) -> str:
    text = str(value)
    if behaviour.validate and text not in SIZES:
        raise ServerError(
            400,
            f"Invalid value: '{text}'. Supported values are: '720x1280', "
            "'1280x720', '1024x1792', and '1792x1024'.",
            param="size",
            code="invalid_value",
        )
    parts = text.split("x")
    if not (
        len(parts) == 2
        and all(p.isdigit() and 2 <= int(p) <= 4096 and int(p) % 2 == 0 for p in parts)
    ):
        raise ServerError(
            400, f"size must be WIDTHxHEIGHT with even sides, not {text!r}", param="size"
        )
    return text


def source(fields: JSONDict, behaviour: Behaviour) -> Upload | None:
    """The create's image or video, as this behaviour takes it (video_reference as sent)."""
    reference = fields.get("input_reference")
    video_url = fields.get("video_reference")
    if behaviour.references != "video":
        video_url = None  # a field the server lacks is ignored, as FastAPI forms do
    if reference is not None and video_url is not None:
        raise ServerError(400, "Give input_reference or video_reference, not both.")
    if video_url is not None:
        return video_reference(video_url)
    if not isinstance(reference, Upload) or behaviour.references == "image":
        if isinstance(reference, Upload) and image_size(reference.data) is None:
            raise ServerError(
                400, "The input_reference is not a supported image.", param="input_reference"
            )
        return reference if isinstance(reference, Upload) else None
    if reference.data[4:8] != b"ftyp" and image_size(reference.data) is None:
        raise ServerError(400, "input_reference must be an image or an MP4 video.")
    return reference


def check_reference(reference: Upload, size: str) -> None:
    """OpenAI's rule: the image is the first frame, so it has the video's size."""
    found = image_size(reference.data)
    if found is None:
        raise ServerError(
            400,
            "The input_reference is not a supported image.",
            param="input_reference",
            code="invalid_image",
        )
    if f"{found[0]}x{found[1]}" != size:
        raise ServerError(
            400,
            "Inpaint image must match the requested width and height",
            param="input_reference",
            code="invalid_value",
        )


def limit(value: str) -> int:
    if not value.isdigit() or int(value) > 100:
        raise ServerError(
            400,
            f"Invalid 'limit': expected an integer from 0 to 100, got '{value}'.",
            param="limit",
            code="invalid_value",
        )
    return int(value)


def variant(query: dict[str, str], behaviour: Behaviour) -> str:
    """Which file a content request asks for, as this behaviour reads `variant`."""
    asked = query.get("variant")
    mode = behaviour.content_mode
    if mode == "always_video":
        return "video"
    if mode == "no_variant" and asked is not None:
        raise ServerError(404, "Not Found")
    if asked is None:
        return "video"
    if asked not in ("video", "thumbnail", "spritesheet"):
        raise ServerError(
            400,
            f"Invalid value: '{asked}'. Supported values are: 'video', "
            "'thumbnail', and 'spritesheet'.",
            param="variant",
            code="invalid_value",
        )
    return asked
