"""The server's knobs: where it listens, how long its nodes take, and what it breaks on
purpose. Any of them can change while it runs (`server.set(...)`), host and port aside."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class ComfyKnobs:
    host: str = "127.0.0.1"
    port: int = 0  # 0: a free port, kept across restarts once chosen
    node_seconds: float = 0.05  # the least time each node that runs takes
    job_seconds: float = 0.0  # the least time a job's nodes take together (shared among them)
    cache: bool = True  # identical inputs are not run again (ComfyUI's classic cache)
    fail_node_class: str | None = None  # nodes of this class raise when they run
    fail_message: str = "stand-in failure"
    version: str = "0.3.64"
