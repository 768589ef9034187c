"""Workflows in ComfyUI's API format, as a team exports them, with remixer's marks: one that
makes a video from words alone (a solid colour), one that remixes a video (inverted), and one
in the UI format that must be refused."""

from typing import Any

RED = 0xFF0000


def marked(class_type: str, role: str | None = None, **inputs: Any) -> dict[str, Any]:
    title = f"remixer:{role}" if role else class_type
    return {"class_type": class_type, "inputs": inputs, "_meta": {"title": title}}


def solid_colour(colour: int = RED) -> dict[str, Any]:
    """Words in, a video of one colour out: width, height, frames and fps marked."""
    return {
        "10": marked("PrimitiveString", "prompt", value=""),
        "11": marked("PrimitiveInt", "width", value=64),
        "12": marked("PrimitiveInt", "height", value=64),
        "13": marked("PrimitiveInt", "frames", value=8),
        "14": marked("PrimitiveFloat", "fps", value=1.0),  # few frames: light for tests
        "1": marked(
            "EmptyImage", width=["11", 0], height=["12", 0], batch_size=["13", 0], color=colour
        ),
        "2": marked("CreateVideo", images=["1", 0], fps=["14", 0]),
        "3": marked(
            "SaveVideo", video=["2", 0], filename_prefix="video/remixer", format="mp4", codec="h264"
        ),
    }


def inverted() -> dict[str, Any]:
    """A video in, its colours inverted out (video-to-video)."""
    return {
        "10": marked("PrimitiveString", "prompt", value=""),
        "1": marked("LoadVideo", "video", file="example.mp4"),
        "2": marked("GetVideoComponents", video=["1", 0]),
        "3": marked("ImageInvert", image=["2", 0]),
        "4": marked("CreateVideo", images=["3", 0], fps=["2", 2]),
        "5": marked(
            "SaveVideo", video=["4", 0], filename_prefix="video/remixer", format="mp4", codec="h264"
        ),
    }


def needing(class_type: str) -> dict[str, Any]:
    """A workflow with a node this ComfyUI lacks (a model's own node)."""
    workflow = solid_colour()
    workflow["1"] = marked(class_type, width=["11", 0], height=["12", 0])
    return workflow


UI_FORMAT = {"last_node_id": 3, "nodes": [{"id": 1, "type": "LoadVideo"}], "links": []}


def from_frame() -> dict[str, Any]:
    """An image in (a reference, or a frame of the source), repeated and inverted: remixes
    from the source's first frame and extends from its last."""
    return {
        "10": marked("PrimitiveString", "prompt", value=""),
        "13": marked("PrimitiveInt", "frames", value=4),
        "14": marked("PrimitiveFloat", "fps", value=1.0),
        "1": marked("LoadImage", "image", image="example.png"),
        "2": marked("RepeatImageBatch", image=["1", 0], amount=["13", 0]),
        "3": marked("ImageInvert", image=["2", 0]),
        "4": marked("CreateVideo", images=["3", 0], fps=["14", 0]),
        "5": marked(
            "SaveVideo", video=["4", 0], filename_prefix="video/remixer", format="mp4", codec="h264"
        ),
    }


def still_image() -> dict[str, Any]:
    """A workflow whose output is a picture, not a video."""
    workflow = solid_colour()
    del workflow["2"], workflow["3"]
    workflow["3"] = marked("SaveImage", "output", images=["1", 0], filename_prefix="remixer")
    return workflow
