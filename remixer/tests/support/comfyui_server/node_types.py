"""What a node class is: its inputs as `/object_info` shows them, its outputs, and the work it
does. Images travel as ComfyUI's IMAGE does: float32 arrays [frames, height, width, 3] in 0–1."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from remixer.tests.support.comfyui_server.folders import Folders

JSONDict = dict[str, Any]
Images = np.ndarray  # float32 [frames, height, width, 3], values 0–1

# A choice list computed from the input folder when asked (LoadVideo's files).
Choices = Callable[[Folders], list[str]]


@dataclass(frozen=True)
class Input:
    """One input: a type name (IMAGE, INT, …) or a list of choices, and its options."""

    kind: str | tuple[str, ...] | Choices
    options: JSONDict = field(default_factory=dict)

    def choices(self, folders: Folders) -> list[str] | None:
        if isinstance(self.kind, tuple):
            return list(self.kind)
        if callable(self.kind):
            return self.kind(folders)
        return None

    def info(self, folders: Folders) -> list[Any]:
        """The input as `/object_info` lists it: [type or choices, options]."""
        choices = self.choices(folders)
        return [choices if choices is not None else self.kind, dict(self.options)]


@dataclass
class NodeContext:
    """What a running node gets besides its inputs."""

    folders: Folders
    progress: Callable[[int, int], None]  # value, max: sends `progress`, spends time, may stop


@dataclass(frozen=True)
class NodeResult:
    outputs: tuple[Any, ...] = ()
    ui: JSONDict | None = None  # what `executed` and the history show of an output node


@dataclass(frozen=True)
class NodeType:
    name: str
    display_name: str
    category: str
    run: Callable[..., NodeResult]  # run(context, **inputs)
    required: dict[str, Input]
    optional: dict[str, Input] = field(default_factory=dict)
    outputs: tuple[str, ...] = ()
    output_names: tuple[str, ...] | None = None
    output_node: bool = False
    description: str = ""
    python_module: str = "nodes"
    # Custom validation of one literal input (ComfyUI's VALIDATE_INPUTS): the reason, or None.
    check: Callable[[Folders, str, Any], str | None] | None = None
    checked_inputs: tuple[str, ...] = ()
    fingerprinted: str | None = None  # the input naming a file whose change reruns the node

    def input(self, name: str) -> Input | None:
        return self.required.get(name) or self.optional.get(name)

    def info(self, folders: Folders) -> JSONDict:
        """The node as `GET /object_info` shows it."""
        groups = {"required": self.required, "optional": self.optional}
        present = {group: inputs for group, inputs in groups.items() if inputs}
        return {
            "input": {
                group: {name: spec.info(folders) for name, spec in inputs.items()}
                for group, inputs in present.items()
            },
            "input_order": {group: list(inputs) for group, inputs in present.items()},
            "output": list(self.outputs),
            "output_is_list": [False] * len(self.outputs),
            "output_name": list(self.output_names or self.outputs),
            "name": self.name,
            "display_name": self.display_name,
            "description": self.description,
            "python_module": self.python_module,
            "category": self.category,
            "output_node": self.output_node,
        }


def as_uint8(frame: np.ndarray) -> np.ndarray:
    return np.clip(np.rint(frame * 255.0), 0, 255).astype(np.uint8)


def as_float(frame: np.ndarray) -> np.ndarray:
    return frame.astype(np.float32) / 255.0
