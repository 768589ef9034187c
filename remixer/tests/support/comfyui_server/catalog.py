"""The node classes the stand-in knows, by name, and `/object_info` built from them."""

from __future__ import annotations

from remixer.tests.support.comfyui_server.folders import Folders
from remixer.tests.support.comfyui_server.image_nodes import IMAGE_NODES
from remixer.tests.support.comfyui_server.node_types import JSONDict, NodeType
from remixer.tests.support.comfyui_server.video_nodes import VIDEO_NODES

NODE_TYPES: dict[str, NodeType] = {node.name: node for node in (*IMAGE_NODES, *VIDEO_NODES)}


def object_info(folders: Folders, name: str | None = None) -> JSONDict:
    """Every node class (or the one named; {} for a name it does not know)."""
    if name is None:
        return {key: node.info(folders) for key, node in NODE_TYPES.items()}
    node = NODE_TYPES.get(name)
    return {name: node.info(folders)} if node is not None else {}
