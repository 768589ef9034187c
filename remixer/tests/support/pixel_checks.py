"""The synthetic source the engine's pixel tests decode, and the measures they judge it by."""

import numpy as np

from remixer.engine import FPS

W, H, N = 160, 90, FPS
BAR = slice(78, 86)


def pixels(index: int) -> np.ndarray:
    """Red ramps left to right, green top to bottom; a white square near the top left; a
    black bar near the bottom moving 5 px a frame tells the frames apart."""
    a = np.empty((H, W, 3), dtype=np.uint8)
    a[..., 0] = np.linspace(20, 235, W, dtype=np.float32)[None, :]
    a[..., 1] = np.linspace(20, 235, H, dtype=np.float32)[:, None]
    a[..., 2] = 100
    a[12:40, 16:52] = 255
    a[BAR, 4 + 6 * index : 8 + 6 * index] = 0
    return a


def luma(a: np.ndarray) -> np.ndarray:
    return a @ np.array([0.299, 0.587, 0.114], dtype=np.float32)


def r_minus_b(a: np.ndarray) -> float:
    return float((a[..., 0] - a[..., 2]).mean())


def chroma(a: np.ndarray) -> float:
    return float(a.std(axis=2).mean())


def row_ripple(a: np.ndarray) -> float:
    return float(np.abs(np.diff(luma(a[:70]).mean(axis=1))).mean())


def block_spread(a: np.ndarray, block: int = 12) -> float:
    """Mean spread of luma inside aligned blocks: near 0 when the picture is made of blocks."""
    y = luma(a)[: H - H % block, : W - W % block]
    tiles = y.reshape(y.shape[0] // block, block, y.shape[1] // block, block)
    return float(tiles.std(axis=(1, 3)).mean())


def edge(a: np.ndarray) -> float:
    """How sharp the white square's left edge is: the steepest step across it."""
    return float(np.abs(np.diff(luma(a[16:36, 8:26]), axis=1)).max(axis=1).mean())


def on_levels(a: np.ndarray, levels: int) -> float:
    """The share of red values within 12 of a posterised level's centre."""
    step = 256 / levels
    red = a[20:70, 60:150, 0]
    return float((np.abs((red % step) - step / 2) < 12).mean())


def corr(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.corrcoef(luma(a).ravel(), luma(b).ravel())[0, 1])


def shown(a: np.ndarray) -> int:
    """Which source frame a frame shows, from where its black bar is."""
    columns = luma(a[BAR]).sum(axis=0)
    return round((int(np.argmin(columns)) - 5.5) / 6)


def mid(frames: list[np.ndarray]) -> np.ndarray:
    return frames[N // 2]
