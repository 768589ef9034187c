"""Request bodies: multipart forms, JSON and urlencoded fields as each server takes them, and
the summaries the records keep of them."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from email.message import Message
from typing import Any
from urllib.parse import parse_qsl

from remixer.tests.support.videos_api_server.answers import JSONDict, ServerError
from remixer.tests.support.videos_api_server.behaviours import Behaviour


@dataclass
class Upload:
    filename: str | None
    content_type: str | None
    data: bytes


def parse_multipart(body: bytes, content_type: str) -> tuple[dict[str, str], dict[str, Upload]]:
    """Fields and files of a multipart/form-data body."""
    boundary = _header_param(content_type, "content-type", "boundary")
    if not boundary:
        raise ValueError("multipart body without a boundary")
    fields: dict[str, str] = {}
    files: dict[str, Upload] = {}
    # A delimiter is CRLF--boundary; the first one may start the body without the CRLF.
    for part in (b"\r\n" + body).split(b"\r\n--" + boundary.encode())[1:]:
        if part.startswith(b"--"):
            break
        head, _, data = part.removeprefix(b"\r\n").partition(b"\r\n\r\n")
        headers = _part_headers(head)
        disposition = headers.get("content-disposition", "")
        name = _header_param(disposition, "content-disposition", "name")
        if not name:
            continue
        filename = _header_param(disposition, "content-disposition", "filename")
        if filename is not None or "content-type" in headers:
            files[name] = Upload(filename, headers.get("content-type"), data)
        else:
            fields[name] = data.decode("utf-8", "replace")
    return fields, files


def _part_headers(head: bytes) -> dict[str, str]:
    headers = {}
    for line in head.decode("utf-8", "replace").split("\r\n"):
        name, sep, value = line.partition(":")
        if sep:
            headers[name.strip().lower()] = value.strip()
    return headers


def _header_param(value: str, header: str, param: str) -> str | None:
    message = Message()
    message[header] = value
    found = message.get_param(param, header=header)
    if found is None:
        return None
    return str(found if isinstance(found, str) else found[2])


def request_fields(
    route: str, headers: dict[str, str], body: bytes, behaviour: Behaviour
) -> JSONDict:
    """A create's, remix's or extension's fields, as this behaviour reads its body."""
    content_type = headers.get("content-type", "")
    if content_type.startswith("multipart/form-data"):
        if not behaviour.form_create:
            raise ServerError(400, "Request body must be JSON (Content-Type: application/json).")
        form, files = parse_multipart(body, content_type)
        return {**form, **files}
    if route == "create" and not behaviour.json_create:
        loc = ["body", "prompt"]
        raise ServerError(
            422,
            "Field required",
            detail=[{"type": "missing", "loc": loc, "msg": "Field required", "input": None}],
        )
    if content_type.startswith("application/x-www-form-urlencoded"):
        return dict(parse_qsl(body.decode(), keep_blank_values=True))
    try:
        payload = json.loads(body or b"{}")
    except ValueError:
        raise ServerError(400, "We could not parse the JSON body of your request.") from None
    if not isinstance(payload, dict):
        raise ServerError(400, "The request body must be a JSON object.")
    return payload


def video_reference(value: Any) -> Upload:
    """vLLM-Omni's video_reference: a JSON string {"video_url": "data:video/mp4;base64,…"}."""
    try:
        url = json.loads(value)["video_url"]
        head, _, data = url.partition(",")
        video = base64.b64decode(data, validate=True)
    except (ValueError, TypeError, KeyError) as error:
        raise ServerError(400, f"video_reference is not valid: {error}") from None
    if head != "data:video/mp4;base64" or video[4:8] != b"ftyp":
        raise ServerError(400, "video_reference must hold an MP4 video as a data URL.")
    return Upload("video_reference", "video/mp4", video)


def summary(fields: JSONDict) -> JSONDict:
    """Fields as recorded: uploads summarised, so records stay readable."""
    return {
        key: {
            "filename": value.filename,
            "content_type": value.content_type,
            "size": len(value.data),
        }
        if isinstance(value, Upload)
        else value
        for key, value in fields.items()
    }
