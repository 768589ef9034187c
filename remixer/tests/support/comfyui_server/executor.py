"""The worker: jobs run one at a time in queue order, each node for real, with ComfyUI's events
in its order and its cache of identical inputs, and a history entry at the end."""

from __future__ import annotations

import hashlib
import json
import threading
import time
import traceback
from dataclasses import dataclass
from typing import Any

from remixer.tests.support.comfyui_server.catalog import NODE_TYPES
from remixer.tests.support.comfyui_server.folders import Folders, fingerprint
from remixer.tests.support.comfyui_server.jobs import PromptQueue, QueuedJob
from remixer.tests.support.comfyui_server.knobs import ComfyKnobs
from remixer.tests.support.comfyui_server.node_types import JSONDict, NodeContext, NodeResult
from remixer.tests.support.comfyui_server.sockets import Hub


class Interrupted(Exception):
    pass


class Abandoned(Exception):
    """The server stops: the job is dropped without a trace, as a killed process drops it."""


def is_link(value: Any) -> bool:
    return (
        isinstance(value, list)
        and len(value) == 2
        and isinstance(value[0], str)
        and isinstance(value[1], int)
    )


def format_value(value: Any) -> Any:
    return value if value is None or isinstance(value, int | float | bool | str) else str(value)


@dataclass
class CacheEntry:
    outputs: tuple[Any, ...]
    ui: JSONDict | None


class Worker:
    def __init__(self, jobs: PromptQueue, hub: Hub, folders: Folders, knobs: ComfyKnobs) -> None:
        self.jobs, self.hub, self.folders, self.knobs = jobs, hub, folders, knobs
        self.cache: dict[str, CacheEntry] = {}
        self.client_id: str | None = None  # of the job running or last run
        self.last_node_id: str | None = None
        self.errors: list[str] = []  # the stand-in's own bugs, not a node's failure
        self._stopping = threading.Event()
        self._alarm = threading.Event()  # wakes a node's wait: an interrupt or a stop
        self._interrupted = False
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, daemon=True, name="comfyui-worker")
        self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        self._alarm.set()
        if self._thread is not None:
            self._thread.join(timeout=10)

    def interrupt(self, prompt_id: str | None) -> bool:
        """Stop the running job if it is `prompt_id` (any running job when None)."""
        running = self.jobs.running()
        if prompt_id is not None and (running is None or running.prompt_id != prompt_id):
            return False
        self._interrupted = True
        self._alarm.set()
        return True

    def wait(self, seconds: float, node_id: str) -> None:
        """Spend a node's time; wake early to stop."""
        if seconds > 0:
            self._alarm.wait(seconds)
        if self._stopping.is_set():
            raise Abandoned
        if self._interrupted:
            raise Interrupted(node_id)

    def _loop(self) -> None:
        while not self._stopping.is_set():
            job = self.jobs.take(self._stopping)
            if job is None:
                continue
            self._interrupted = False
            self._alarm.clear()
            try:
                JobRun(self, job).run()
            except Abandoned:
                self.jobs.abandon()
            except Exception:
                self.errors.append(traceback.format_exc())
                self.jobs.abandon()


class JobRun:
    def __init__(self, worker: Worker, job: QueuedJob) -> None:
        self.worker, self.job, self.id = worker, job, job.prompt_id
        self.client = job.client_id
        self.messages: list[list[Any]] = []
        self.executed: list[str] = []
        self.signatures = signatures(job.prompt, worker.folders)
        self.states: dict[str, JSONDict] = {}
        self.cached: list[str] = []
        self.inputs: JSONDict = {}

    def run(self) -> None:
        worker = self.worker
        worker.client_id = self.client
        self.add_message("execution_start", {"prompt_id": self.id})
        if not worker.knobs.cache:
            worker.cache.clear()
        keep = set(self.signatures.values())
        worker.cache = {key: entry for key, entry in worker.cache.items() if key in keep}
        cached = [n for n in self.job.prompt if self.signatures[n] in worker.cache]
        self.cached = cached
        self.add_message("execution_cached", {"nodes": cached, "prompt_id": self.id})
        order = plan(self.job.prompt, self.job.outputs, set(cached))
        seconds = max(worker.knobs.node_seconds, worker.knobs.job_seconds / max(len(order), 1))
        success = self.execute(order, set(cached), seconds)
        if success:
            self.add_message("execution_success", {"prompt_id": self.id})
        worker.last_node_id = None
        status = {
            "status_str": "success" if success else "error",
            "completed": success,
            "messages": self.messages,
        }
        worker.jobs.done(self.job, self.history_result(), status)
        if self.client is not None:
            worker.hub.send("executing", {"node": None, "prompt_id": self.id}, self.client)

    def execute(self, order: list[str], cached: set[str], seconds: float) -> bool:
        for node_id in order:
            try:
                if node_id in cached:
                    self.replay(node_id)
                else:
                    self.run_node(node_id, seconds)
            except Interrupted:
                self.add_message("execution_interrupted", self.failure(node_id), broadcast=True)
                return False
            except Abandoned:
                raise
            except Exception as error:
                self.add_message("execution_error", self.error_details(node_id, error))
                return False
        return True

    def replay(self, node_id: str) -> None:
        entry = self.worker.cache[self.signatures[node_id]]
        output = entry.ui
        self.send_client(
            "executed", {**self.where(node_id), "output": output, "prompt_id": self.id}
        )
        self.set_state(node_id, "finished", 1.0, 1.0)

    def run_node(self, node_id: str, seconds: float) -> None:
        worker = self.worker
        worker.wait(0, node_id)
        node = self.job.prompt[node_id]
        node_type = NODE_TYPES[node["class_type"]]
        self.inputs = {name: self.resolve(value) for name, value in node["inputs"].items()}
        self.inputs = {n: v for n, v in self.inputs.items() if node_type.input(n) is not None}
        self.set_state(node_id, "running", 0.0, 1.0)
        worker.last_node_id = node_id
        self.send_client("executing", {**self.where(node_id), "prompt_id": self.id})
        ticks = []

        def progress(value: int, total: int) -> None:
            ticks.append(value)
            self.set_state(node_id, "running", float(value), float(total))
            message = {"value": value, "max": total, "prompt_id": self.id, "node": node_id}
            worker.hub.send("progress", message, self.client)
            worker.wait(seconds / max(total, 1), node_id)

        if node["class_type"] == worker.knobs.fail_node_class:
            raise RuntimeError(worker.knobs.fail_message)
        result: NodeResult = node_type.run(NodeContext(worker.folders, progress), **self.inputs)
        if not ticks:
            worker.wait(seconds, node_id)
        worker.cache[self.signatures[node_id]] = CacheEntry(result.outputs, result.ui)
        if result.ui:
            message = {**self.where(node_id), "output": result.ui, "prompt_id": self.id}
            self.send_client("executed", message)
        self.executed.append(node_id)
        self.set_state(node_id, "finished", 1.0, 1.0)

    def resolve(self, value: Any) -> Any:
        if not is_link(value):
            return value
        return self.worker.cache[self.signatures[value[0]]].outputs[value[1]]

    def where(self, node_id: str) -> JSONDict:
        return {"node": node_id, "display_node": node_id}

    def failure(self, node_id: str) -> JSONDict:
        return {
            "prompt_id": self.id,
            "node_id": node_id,
            "node_type": self.job.prompt[node_id]["class_type"],
            "executed": list(self.executed),
        }

    def error_details(self, node_id: str, error: Exception) -> JSONDict:
        kind = type(error)
        module = "" if kind.__module__ == "builtins" else f"{kind.__module__}."
        return {
            **self.failure(node_id),
            "exception_message": f"{error}\n",
            "exception_type": f"{module}{kind.__qualname__}",
            "traceback": traceback.format_tb(error.__traceback__),
            "current_inputs": {name: [format_value(v)] for name, v in self.inputs.items()},
            "current_outputs": list(self.cached),
        }

    def add_message(self, event: str, data: JSONDict, broadcast: bool = False) -> None:
        data = {**data, "timestamp": int(time.time() * 1000)}
        self.messages.append([event, data])
        if self.client is not None or broadcast:
            self.worker.hub.send(event, data, self.client)

    def send_client(self, event: str, data: JSONDict) -> None:
        if self.client is not None:
            self.worker.hub.send(event, data, self.client)

    def set_state(self, node_id: str, state: str, value: float, total: float) -> None:
        self.states[node_id] = {
            "value": value,
            "max": total,
            "state": state,
            "node_id": node_id,
            "prompt_id": self.id,
            "display_node_id": node_id,
            "parent_node_id": None,
            "real_node_id": node_id,
        }
        nodes = {key: dict(value) for key, value in self.states.items()}
        self.worker.hub.send("progress_state", {"prompt_id": self.id, "nodes": nodes}, self.client)

    def history_result(self) -> JSONDict:
        outputs, meta = {}, {}
        for node_id, signature in self.signatures.items():
            entry = self.worker.cache.get(signature)
            if entry is not None and entry.ui:
                outputs[node_id] = entry.ui
                meta[node_id] = {
                    "node_id": node_id,
                    "display_node": node_id,
                    "parent_node": None,
                    "real_node_id": node_id,
                }
        return {"outputs": outputs, "meta": meta}


def signatures(prompt: JSONDict, folders: Folders) -> dict[str, str]:
    """Each node's cache key: its class, its literal inputs, its file's fingerprint and the
    keys of the nodes it links to. Equal keys in the next job mean nothing to run again."""
    memo: dict[str, str] = {}

    def key(node_id: str, trail: frozenset[str]) -> str:
        if node_id in memo:
            return memo[node_id]
        node = prompt.get(node_id)
        if not isinstance(node, dict) or node_id in trail:
            return "missing"
        inputs = node.get("inputs", {})
        parts = {
            name: ["link", key(value[0], trail | {node_id}), value[1]] if is_link(value) else value
            for name, value in inputs.items()
        }
        node_type = NODE_TYPES.get(node.get("class_type", ""))
        file = None
        if node_type is not None and node_type.fingerprinted:
            file = fingerprint(folders.input_path(str(inputs.get(node_type.fingerprinted))))
        text = json.dumps([node.get("class_type"), file, parts], sort_keys=True, default=str)
        memo[node_id] = hashlib.sha1(text.encode()).hexdigest()
        return memo[node_id]

    return {node_id: key(node_id, frozenset()) for node_id in prompt}


def plan(prompt: JSONDict, outputs: list[str], cached: set[str]) -> list[str]:
    """The nodes to stage, each after what it links to; cached nodes are not entered, but an
    output node always is (a cached one is only reported)."""
    order: list[str] = []
    entered: set[str] = set()

    def visit(node_id: str) -> None:
        if node_id in entered:
            return  # done, or a cycle: ComfyUI would refuse it; here it runs once
        entered.add(node_id)
        for value in prompt[node_id]["inputs"].values():
            if is_link(value) and value[0] not in cached:
                visit(value[0])
        order.append(node_id)

    for output in outputs:
        visit(output)
    return order
