"""The image nodes the stand-in runs for real (numpy and Pillow), the primitives, a text
encoder that only carries its text, and SaveImage: an output that is not a video."""

from __future__ import annotations

import sys

import numpy as np
from PIL import Image, ImageOps

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

SCALE_METHODS = ("nearest-exact", "bilinear", "area", "bicubic", "lanczos")
RESAMPLING = {
    "nearest-exact": Image.Resampling.NEAREST,
    "bilinear": Image.Resampling.BILINEAR,
    "area": Image.Resampling.BOX,
    "bicubic": Image.Resampling.BICUBIC,
    "lanczos": Image.Resampling.LANCZOS,
}
IMAGE = Input("IMAGE")


def _size(default: int, low: int) -> Input:
    return Input("INT", {"default": default, "min": low, "max": 16384, "step": 1})


def load_image(context: NodeContext, image: str) -> NodeResult:
    path = context.folders.input_path(image)
    if path is None:
        raise FileNotFoundError(f"No such file or directory: '{image}'")
    with Image.open(path) as opened:
        picture = ImageOps.exif_transpose(opened) or opened
        rgb = as_float(np.asarray(picture.convert("RGB")))[None]
        if "A" in picture.getbands():
            mask = 1.0 - as_float(np.asarray(picture.getchannel("A")))[None]
        else:
            mask = np.zeros((1, 64, 64), dtype=np.float32)
    return NodeResult((rgb, mask))


def check_image_file(folders: Folders, name: str, value: object) -> str | None:
    return None if folders.input_path(str(value)) else f"Invalid image file: {value}"


def empty_image(
    context: NodeContext, width: int, height: int, batch_size: int, color: int
) -> NodeResult:
    rgb = [(color >> shift & 0xFF) / 255.0 for shift in (16, 8, 0)]
    images = np.empty((batch_size, height, width, 3), dtype=np.float32)
    images[...] = rgb
    return NodeResult((images,))


def invert(context: NodeContext, image: Images) -> NodeResult:
    return NodeResult((1.0 - image,))


def blur(context: NodeContext, image: Images, blur_radius: int, sigma: float) -> NodeResult:
    """ComfyUI's kernel: a Gaussian over [-1, 1] sampled at 2·radius+1 points, reflect-padded."""
    if blur_radius == 0:
        return NodeResult((image,))
    weights = np.exp(-(np.linspace(-1, 1, 2 * blur_radius + 1) ** 2) / (2 * sigma**2))
    weights = (weights / weights.sum()).astype(np.float32)
    frames = []
    for index, frame in enumerate(image):
        for axis in (0, 1):
            pad = [(0, 0)] * 3
            pad[axis] = (blur_radius, blur_radius)
            padded = np.pad(frame, pad, mode="reflect")
            length = frame.shape[axis]
            frame = sum(
                w * np.take(padded, range(k, k + length), axis=axis) for k, w in enumerate(weights)
            )
        frames.append(frame)
        context.progress(index + 1, len(image))
    return NodeResult((np.stack(frames).astype(np.float32),))


def scale(
    context: NodeContext, image: Images, upscale_method: str, width: int, height: int, crop: str
) -> NodeResult:
    frames, old_h, old_w = image.shape[:3]
    if width == 0 and height == 0:
        return NodeResult((image,))
    width = width or max(1, round(old_w * height / old_h))
    height = height or max(1, round(old_h * width / old_w))
    out = []
    for index, frame in enumerate(image):
        picture = Image.fromarray(as_uint8(frame))
        if crop == "center":
            picture = ImageOps.fit(picture, (width, height), RESAMPLING[upscale_method])
        else:
            picture = picture.resize((width, height), RESAMPLING[upscale_method])
        out.append(as_float(np.asarray(picture)))
        context.progress(index + 1, frames)
    return NodeResult((np.stack(out),))


def repeat(context: NodeContext, image: Images, amount: int) -> NodeResult:
    return NodeResult((np.concatenate([image] * amount),))


def primitive(context: NodeContext, value: object) -> NodeResult:
    return NodeResult((value,))


def text_encode(context: NodeContext, text: str, clip: object) -> NodeResult:
    return NodeResult(([[text, {"stand_in": True}]],))  # no model here: the text, carried


def save_image(context: NodeContext, images: Images, filename_prefix: str) -> NodeResult:
    saved = []
    for frame in images:
        path, subfolder = context.folders.save_path(filename_prefix, "png")
        Image.fromarray(as_uint8(frame)).save(path, compress_level=4)
        saved.append({"filename": path.name, "subfolder": subfolder, "type": "output"})
    return NodeResult(ui={"images": saved})


def _primitive(name: str, kind: str, options: dict[str, object]) -> NodeType:
    return NodeType(
        name,
        name.removeprefix("Primitive"),
        "utils/primitive",
        primitive,
        {"value": Input(kind, options)},
        outputs=(kind,),
        python_module="comfy_extras.nodes_primitive",
    )


IMAGE_NODES = (
    NodeType(
        "LoadImage",
        "Load Image",
        "image",
        load_image,
        {"image": Input(lambda folders: folders.input_files("image"), {"image_upload": True})},
        outputs=("IMAGE", "MASK"),
        check=check_image_file,
        checked_inputs=("image",),
        fingerprinted="image",
    ),
    NodeType(
        "EmptyImage",
        "EmptyImage",
        "image",
        empty_image,
        {
            "width": _size(512, 1),
            "height": _size(512, 1),
            "batch_size": Input("INT", {"default": 1, "min": 1, "max": 4096}),
            "color": Input(
                "INT",
                {"default": 0, "min": 0, "max": 0xFFFFFF, "step": 1, "display": "color"},
            ),
        },
        outputs=("IMAGE",),
    ),
    NodeType("ImageInvert", "Invert Image", "image", invert, {"image": IMAGE}, outputs=("IMAGE",)),
    NodeType(
        "ImageBlur",
        "Image Blur",
        "image/postprocessing",
        blur,
        {
            "image": IMAGE,
            "blur_radius": Input("INT", {"default": 1, "min": 1, "max": 31, "step": 1}),
            "sigma": Input("FLOAT", {"default": 1.0, "min": 0.1, "max": 10.0, "step": 0.1}),
        },
        outputs=("IMAGE",),
        python_module="comfy_extras.nodes_post_processing",
    ),
    NodeType(
        "ImageScale",
        "Upscale Image",
        "image/upscaling",
        scale,
        {
            "image": IMAGE,
            "upscale_method": Input(SCALE_METHODS),
            "width": _size(512, 0),
            "height": _size(512, 0),
            "crop": Input(("disabled", "center")),
        },
        outputs=("IMAGE",),
    ),
    NodeType(
        "RepeatImageBatch",
        "RepeatImageBatch",
        "image/batch",
        repeat,
        {"image": IMAGE, "amount": Input("INT", {"default": 1, "min": 1, "max": 4096})},
        outputs=("IMAGE",),
        python_module="comfy_extras.nodes_images",
    ),
    _primitive("PrimitiveString", "STRING", {}),
    _primitive("PrimitiveInt", "INT", {"min": -sys.maxsize, "max": sys.maxsize}),
    _primitive("PrimitiveFloat", "FLOAT", {"min": -sys.maxsize, "max": sys.maxsize}),
    NodeType(
        "CLIPTextEncode",
        "CLIP Text Encode (Prompt)",
        "conditioning",
        text_encode,
        {
            "text": Input("STRING", {"multiline": True, "dynamicPrompts": True}),
            "clip": Input("CLIP"),
        },
        outputs=("CONDITIONING",),
    ),
    NodeType(
        "SaveImage",
        "Save Image",
        "image",
        save_image,
        {"images": IMAGE, "filename_prefix": Input("STRING", {"default": "ComfyUI"})},
        output_node=True,
    ),
)
