"""The video nodes, for real with PyAV: LoadVideo (a file, decoded when its parts are asked
for, as ComfyUI does), GetVideoComponents, CreateVideo and SaveVideo (H.264 in an MP4)."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
import numpy as np

from remixer.tests.support.comfyui_server.folders import Folders
from remixer.tests.support.comfyui_server.node_types import (
    Images,
    Input,
    NodeContext,
    NodeResult,
    NodeType,
    as_float,
    as_uint8,
)

FORMATS = ("auto", "mp4")
CODECS = ("auto", "h264")


@dataclass(frozen=True)
class ComfyVideo:
    """ComfyUI's VIDEO: a file not yet decoded, or frames and a rate."""

    path: Path | None = None
    images: Images | None = None
    fps: float = 0.0

    def components(self) -> tuple[Images, float]:
        if self.images is not None:
            return self.images, self.fps
        assert self.path is not None
        with av.open(str(self.path)) as container:
            stream = container.streams.video[0]
            frames = [
                as_float(frame.to_ndarray(format="rgb24")) for frame in container.decode(stream)
            ]
            rate = float(stream.average_rate or stream.guessed_rate or 0)
        if not frames:
            raise ValueError(f"No frames in {self.path.name}")
        return np.stack(frames), rate


def load_video(context: NodeContext, file: str) -> NodeResult:
    path = context.folders.input_path(file)
    if path is None:
        raise FileNotFoundError(f"No such file or directory: '{file}'")
    return NodeResult((ComfyVideo(path=path),))


def check_video_file(folders: Folders, name: str, value: object) -> str | None:
    return None if folders.input_path(str(value)) else f"Invalid video file: {value}"


def components(context: NodeContext, video: ComfyVideo) -> NodeResult:
    images, fps = video.components()
    return NodeResult((images, None, fps))


def create(context: NodeContext, images: Images, fps: float, audio: object = None) -> NodeResult:
    return NodeResult((ComfyVideo(images=images, fps=fps),))


def save(
    context: NodeContext, video: ComfyVideo, filename_prefix: str, format: str, codec: str
) -> NodeResult:
    images, fps = video.components()
    path, subfolder = context.folders.save_path(filename_prefix, "mp4")
    rate = Fraction(fps).limit_denominator(1001)
    with av.open(str(path), "w", format="mp4") as container:
        stream = container.add_stream("libx264", rate=rate, options={"preset": "ultrafast"})
        stream.height, stream.width = images.shape[1:3]
        stream.pix_fmt = "yuv420p"
        for index, frame in enumerate(images):
            picture = av.VideoFrame.from_ndarray(as_uint8(frame), format="rgb24")
            container.mux(stream.encode(picture))
            context.progress(index + 1, len(images))
        container.mux(stream.encode(None))
    saved = {"filename": path.name, "subfolder": subfolder, "type": "output"}
    return NodeResult(ui={"images": [saved], "animated": [True]})


VIDEO = Input("VIDEO")
VIDEO_NODES = (
    NodeType(
        "LoadVideo",
        "Load ComfyVideo",
        "image/video",
        load_video,
        {"file": Input(lambda folders: folders.input_files("video"), {"video_upload": True})},
        outputs=("VIDEO",),
        python_module="comfy_extras.nodes_video",
        check=check_video_file,
        checked_inputs=("file",),
        fingerprinted="file",
    ),
    NodeType(
        "GetVideoComponents",
        "Get ComfyVideo Components",
        "image/video",
        components,
        {"video": VIDEO},
        outputs=("IMAGE", "AUDIO", "FLOAT"),
        output_names=("images", "audio", "fps"),
        description="Extracts all components from a video: frames, audio, and framerate.",
        python_module="comfy_extras.nodes_video",
    ),
    NodeType(
        "CreateVideo",
        "Create ComfyVideo",
        "image/video",
        create,
        {
            "images": Input("IMAGE"),
            "fps": Input("FLOAT", {"default": 30.0, "min": 1.0, "max": 120.0, "step": 1.0}),
        },
        optional={"audio": Input("AUDIO")},
        outputs=("VIDEO",),
        description="Create a video from images.",
        python_module="comfy_extras.nodes_video",
    ),
    NodeType(
        "SaveVideo",
        "Save ComfyVideo",
        "image/video",
        save,
        {
            "video": VIDEO,
            "filename_prefix": Input("STRING", {"default": "video/ComfyUI"}),
            "format": Input(FORMATS, {"default": "auto"}),
            "codec": Input(CODECS, {"default": "auto"}),
        },
        output_node=True,
        description="Saves the input images to your ComfyUI output directory.",
        python_module="comfy_extras.nodes_video",
    ),
)
