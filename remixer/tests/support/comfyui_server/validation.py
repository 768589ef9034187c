"""A workflow checked as `POST /prompt` checks it, with ComfyUI's error shapes: a node class it
does not know, no output node, and per-node input errors under `node_errors`."""

from __future__ import annotations

import copy
import traceback
from typing import Any

from remixer.tests.support.comfyui_server.catalog import NODE_TYPES
from remixer.tests.support.comfyui_server.folders import Folders
from remixer.tests.support.comfyui_server.node_types import Input, JSONDict, NodeType

Verdict = tuple[bool, list[JSONDict]]  # valid, its own reasons
CONVERSIONS: dict[str, Any] = {"INT": int, "FLOAT": float, "STRING": str, "BOOLEAN": bool}


class InvalidPrompt(Exception):
    """A 400 answer: {"error": error, "node_errors": node_errors}."""

    def __init__(self, error: JSONDict, node_errors: JSONDict) -> None:
        super().__init__(error["message"])
        self.error, self.node_errors = error, node_errors


def _error(kind: str, message: str, details: str, **extra: Any) -> JSONDict:
    return {"type": kind, "message": message, "details": details, "extra_info": extra}


def validate_prompt(prompt: JSONDict, folders: Folders) -> tuple[JSONDict, list[str], JSONDict]:
    """The prompt with its values converted, the outputs to run, and errors of other outputs."""
    prompt = copy.deepcopy(prompt)
    outputs = []
    for node_id, node in prompt.items():
        if "class_type" not in node:
            message = "Cannot execute because a node is missing the class_type property."
            raise InvalidPrompt(_error("invalid_prompt", message, f"Node ID '#{node_id}'"), {})
        node_type = NODE_TYPES.get(node["class_type"])
        if node_type is None:
            message = f"Cannot execute because node {node['class_type']} does not exist."
            raise InvalidPrompt(_error("invalid_prompt", message, f"Node ID '#{node_id}'"), {})
        if node_type.output_node:
            outputs.append(node_id)
    if not outputs:
        raise InvalidPrompt(_error("prompt_no_outputs", "Prompt has no outputs", ""), {})
    good, failed, node_errors = _validate_outputs(prompt, outputs, folders)
    if not good:
        details = "\n".join(f"{r['message']}: {r['details']}" for _, rs in failed for r in rs)
        error = _error(
            "prompt_outputs_failed_validation", "Prompt outputs failed validation", details
        )
        raise InvalidPrompt(error, node_errors)
    return prompt, good, node_errors


def _validate_outputs(
    prompt: JSONDict, outputs: list[str], folders: Folders
) -> tuple[list[str], list[tuple[str, list[JSONDict]]], JSONDict]:
    good: list[str] = []
    failed: list[tuple[str, list[JSONDict]]] = []
    node_errors: JSONDict = {}
    validated: dict[str, Verdict] = {}
    for output in outputs:
        try:
            valid, reasons = _validate_node(prompt, output, validated, folders)
        except Exception as error:
            valid, reasons = False, [_exception_reason(error)]
            validated[output] = (False, reasons)
        if valid:
            good.append(output)
            continue
        failed.append((output, reasons))
        for node_id, (node_valid, node_reasons) in validated.items():
            if node_valid or not node_reasons:
                continue
            entry = node_errors.setdefault(
                node_id,
                {
                    "errors": node_reasons,
                    "dependent_outputs": [],
                    "class_type": prompt[node_id]["class_type"],
                },
            )
            entry["dependent_outputs"].append(output)
    return good, failed, node_errors


def _exception_reason(error: Exception) -> JSONDict:
    return _error(
        "exception_during_validation",
        "Exception when validating node",
        str(error),
        exception_type=type(error).__qualname__,
        traceback=traceback.format_tb(error.__traceback__),
    )


def _validate_node(
    prompt: JSONDict, node_id: str, validated: dict[str, Verdict], folders: Folders
) -> Verdict:
    if node_id in validated:
        return validated[node_id]
    inputs = prompt[node_id]["inputs"]
    node_type = NODE_TYPES[prompt[node_id]["class_type"]]
    reasons: list[JSONDict] = []
    valid = True
    for name in [*node_type.required, *node_type.optional]:
        spec = node_type.input(name)
        assert spec is not None
        if name not in inputs:
            if name in node_type.required:
                reasons.append(
                    _error(
                        "required_input_missing",
                        "Required input is missing",
                        name,
                        input_name=name,
                    )
                )
            continue
        if isinstance(inputs[name], list):
            reason, upstream_valid = _check_link(
                prompt, inputs[name], name, spec, validated, folders
            )
            valid = valid and upstream_valid
        else:
            reason = _check_value(inputs, name, spec, node_type, folders)
        if reason is not None:
            reasons.append(reason)
    verdict = (valid and not reasons, reasons)
    validated[node_id] = verdict
    return verdict


def _check_link(
    prompt: JSONDict,
    link: list[Any],
    name: str,
    spec: Input,
    validated: dict[str, Verdict],
    folders: Folders,
) -> tuple[JSONDict | None, bool]:
    config = spec.info(folders)
    if len(link) != 2:
        message = "Bad linked input, must be a length-2 list of [node_id, slot_index]"
        return _error(
            "bad_linked_input",
            message,
            name,
            input_name=name,
            input_config=config,
            received_value=link,
        ), True
    upstream = NODE_TYPES[prompt[link[0]]["class_type"]]
    received = upstream.outputs[link[1]]
    if isinstance(spec.kind, str) and received != spec.kind and "*" not in (received, spec.kind):
        details = f"{name}, received_type({received}) mismatch input_type({spec.kind})"
        return _error(
            "return_type_mismatch",
            "Return type mismatch between linked nodes",
            details,
            input_name=name,
            input_config=config,
            received_type=received,
            linked_node=link,
        ), True
    return None, _validate_node(prompt, link[0], validated, folders)[0]


def _check_value(
    inputs: JSONDict, name: str, spec: Input, node_type: NodeType, folders: Folders
) -> JSONDict | None:
    value = inputs[name]
    if isinstance(value, dict) and "__value__" in value:
        value = inputs[name] = value["__value__"]
    config = spec.info(folders)
    convert = CONVERSIONS.get(spec.kind) if isinstance(spec.kind, str) else None
    if convert is not None:
        try:
            value = inputs[name] = convert(value)
        except (TypeError, ValueError) as error:
            return _error(
                "invalid_input_type",
                f"Failed to convert an input value to a {spec.kind} value",
                f"{name}, {value}, {error}",
                input_name=name,
                input_config=config,
                received_value=value,
                exception_message=str(error),
            )
    if name in node_type.checked_inputs:
        assert node_type.check is not None
        reason = node_type.check(folders, name, value)
        if reason is None:
            return None
        return _error(
            "custom_validation_failed",
            "Custom validation failed for node",
            f"{name} - {reason}",
            input_name=name,
        )
    return _check_range(name, value, spec, config, folders)


def _check_range(
    name: str, value: Any, spec: Input, config: list[Any], folders: Folders
) -> JSONDict | None:
    extra = {"input_name": name, "input_config": config, "received_value": value}
    low, high = spec.options.get("min"), spec.options.get("max")
    if low is not None and value < low:
        return _error(
            "value_smaller_than_min", f"Value {value} smaller than min of {low}", name, **extra
        )
    if high is not None and value > high:
        return _error(
            "value_bigger_than_max", f"Value {value} bigger than max of {high}", name, **extra
        )
    choices = spec.choices(folders)
    if choices is not None and value not in choices:
        listed = str(choices) if len(choices) <= 20 else f"(list of length {len(choices)})"
        return _error(
            "value_not_in_list", "Value not in list", f"{name}: '{value}' not in {listed}", **extra
        )
    return None
