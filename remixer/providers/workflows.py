"""ComfyUI workflows, in its API format: read, checked, their marked inputs found and filled.

A workflow is node id → {"class_type", "inputs", "_meta": {"title"}}. remixer fills the
inputs of the nodes a team titles `remixer:<role>` (or that an operator names by hand):

    prompt  the input `text`, else `value`           video   LoadVideo's `file`
    image   LoadImage's `image`                      seed    `seed`, `noise_seed` or `value`
    width, height  `width`/`height`, else `value`    fps     `fps`, else `value`
    frames  `batch_size`, `length`, `num_frames` or `value`: seconds × fps
    output  the node whose file is the result (else the only SaveVideo)

What a workflow can do follows from its roles: with `video` it remixes a video; with
`image` it makes a video from an image (a reference, or a frame of the source); with
neither it creates from words alone.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

MARKER = "remixer:"
ROLES = ("prompt", "video", "image", "seed", "width", "height", "frames", "fps", "output")
INPUTS: dict[str, tuple[str, ...]] = {
    "prompt": ("text", "value"),
    "video": ("file",),
    "image": ("image",),
    "seed": ("seed", "noise_seed", "value"),
    "width": ("width", "value"),
    "height": ("height", "value"),
    "frames": ("batch_size", "length", "num_frames", "value"),
    "fps": ("fps", "value"),
}
DEFAULT_FPS = 24.0
FRAMES_RULE = re.compile(r"\s*(\d+)\s*k\s*(?:\+\s*(\d+))?\s*")

Workflow = dict[str, Any]
Place = tuple[str, str]  # (node id, input name); an output's input name is ""


class WorkflowError(ValueError):
    """A workflow remixer cannot use, said in words for the person who gave it."""


def read(text: str | bytes) -> Workflow:
    """A workflow from a file's text: API format only, refused in words otherwise."""
    try:
        document = json.loads(text)
    except (ValueError, UnicodeDecodeError) as error:
        raise WorkflowError(f"This is not a JSON file: {error}.") from error
    return checked(document)


def checked(document: Any) -> Workflow:
    if isinstance(document, dict) and isinstance(document.get("nodes"), list):
        raise WorkflowError(
            "This workflow is in ComfyUI's UI format (it has nodes and links lists): "
            "export it with Export (API) in ComfyUI's workflow menu."
        )
    if not isinstance(document, dict) or not document:
        raise WorkflowError("A workflow in ComfyUI's API format is a JSON object of nodes.")
    for node_id, node in document.items():
        if not isinstance(node, dict) or not isinstance(node.get("class_type"), str):
            raise WorkflowError(f"Node {node_id} has no class_type: is this ComfyUI's API format?")
        if not isinstance(node.get("inputs", {}), dict):
            raise WorkflowError(f"Node {node_id}'s inputs are not an object.")
    return dict(document)


def node_classes(workflow: Workflow) -> set[str]:
    return {str(node["class_type"]) for node in workflow.values()}


def title(node: Mapping[str, Any]) -> str:
    meta = node.get("_meta")
    return str(meta.get("title", "")) if isinstance(meta, dict) else ""


def find_roles(workflow: Workflow, by_hand: Mapping[str, Any] | None = None) -> dict[str, Place]:
    """Each role's node and input: set by hand, else read from the nodes' titles."""
    found: dict[str, Place] = {}
    for node_id, node in workflow.items():
        marked = title(node).strip()
        if not marked.lower().startswith(MARKER):
            continue
        role = marked[len(MARKER) :].strip().lower()
        if role not in ROLES:
            raise WorkflowError(
                f"Node {node_id} is titled {marked!r}: roles are {', '.join(ROLES)}."
            )
        found[role] = (node_id, "" if role == "output" else input_for(node, role, node_id))
    if "output" not in found:
        savers = [
            node_id for node_id, node in workflow.items() if node["class_type"] == "SaveVideo"
        ]
        if len(savers) == 1:
            found["output"] = (savers[0], "")
    for role, place in (by_hand or {}).items():
        found[role] = checked_place(workflow, role, place)
    if "output" not in found:
        raise WorkflowError(
            "remixer cannot tell which node makes the video: end the workflow in one SaveVideo, "
            "or title the output node remixer:output."
        )
    return found


def input_for(node: Mapping[str, Any], role: str, node_id: str) -> str:
    inputs = node.get("inputs", {})
    for name in INPUTS[role]:
        if name in inputs:
            return name
    wanted = " or ".join(INPUTS[role])
    raise WorkflowError(f"Node {node_id} is marked remixer:{role} but has no input {wanted}.")


def checked_place(workflow: Workflow, role: str, place: Any) -> Place:
    if role not in ROLES:
        raise WorkflowError(f"{role!r} is not a role: roles are {', '.join(ROLES)}.")
    if isinstance(place, str):
        place = [place, ""]
    if not (isinstance(place, list | tuple) and len(place) == 2 and str(place[0]) in workflow):
        raise WorkflowError(f"The {role} role must name a node of the workflow and its input.")
    node_id, name = str(place[0]), str(place[1])
    if role != "output" and name not in workflow[node_id].get("inputs", {}):
        raise WorkflowError(f"Node {node_id} has no input {name!r} for the {role} role.")
    return (node_id, name)


@dataclass(frozen=True)
class Abilities:
    """What a workflow can make, from its roles."""

    remixes: bool  # video-to-video, from the source video
    from_image: bool  # from an image: a reference, or a frame of the source (remix, extend)

    def describe(self) -> str:
        if self.remixes:
            return "remixes a video (video-to-video)"
        if self.from_image:
            return "makes a video from an image: remixes from the source's first frame"
        return "makes a video from words alone: it cannot remix"


def abilities(roles: Mapping[str, Place]) -> Abilities:
    return Abilities(remixes="video" in roles, from_image="image" in roles)


def frame_count(seconds: float, fps: float, rule: str = "") -> int:
    """Frames for `seconds` at `fps`, rounded as the entry's rule says ("4k+1": Wan's)."""
    exact = max(1.0, seconds * fps)
    matched = FRAMES_RULE.fullmatch(rule or "")
    if not matched:
        return max(1, round(exact))
    step, offset = int(matched.group(1)) or 1, int(matched.group(2) or 0)
    return max(1, round((exact - offset) / step)) * step + offset


def workflow_fps(workflow: Workflow, roles: Mapping[str, Place]) -> float:
    """The frame rate frames are counted at: the fps role's value in the workflow, else 24."""
    if "fps" not in roles:
        return DEFAULT_FPS
    node_id, name = roles["fps"]
    value = workflow[node_id]["inputs"].get(name)
    return float(value) if isinstance(value, int | float) and value > 0 else DEFAULT_FPS


def fill(workflow: Workflow, roles: Mapping[str, Place], values: Mapping[str, Any]) -> Workflow:
    """A copy of the workflow with each role's input set to its value (roles it lacks and
    values not given are left as the workflow has them)."""
    filled = copy.deepcopy(workflow)
    for role, value in values.items():
        if role in roles and role != "output" and value is not None:
            node_id, name = roles[role]
            filled[node_id]["inputs"][name] = value
    return filled


def sizes(size: str) -> tuple[int, int]:
    width, _, height = size.partition("x")
    return int(width), int(height)


def seed_for(video_id: str, variation: int) -> int:
    """A seed of the video's own: a variation is another take, a resend the same one."""
    return (int.from_bytes(video_id.encode()[-6:], "big") + variation * 7919) % 2**32
