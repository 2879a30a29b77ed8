"""Structural similarity (SSIM, Wang et al. 2004) of two screenshots, per region.

The cross-engine perceptual measure: both images are grey levels at CSS pixels (the same
size); SSIM is computed over 7x7 windows (uniform weights, the constants of the paper,
K1 = 0.01 and K2 = 0.03 of a 255 range) and averaged inside each region, e.g. a text
run's or a control's box. 1.0 is identical; a glyph drawn with another gamma or hinting
stays close to 1, a moved or missing edge does not. Numpy only (summed-area tables).
"""

from __future__ import annotations

import io
import math

import numpy as np
from PIL import Image

WINDOW = 7
C1 = (0.01 * 255) ** 2
C2 = (0.03 * 255) ** 2


def grey(png: bytes) -> np.ndarray:
    """A PNG as grey levels (0-255, float), composited on white."""
    image = Image.open(io.BytesIO(png)).convert("RGBA")
    canvas = Image.new("RGBA", image.size, (255, 255, 255, 255))
    canvas.alpha_composite(image)
    return np.asarray(canvas.convert("L"), dtype=np.float64)


def _window_mean(values: np.ndarray) -> np.ndarray:
    """Mean over each WINDOW x WINDOW neighbourhood (edges padded by reflection)."""
    pad = WINDOW // 2
    padded = np.pad(values, pad, mode="reflect")
    summed = np.pad(padded.cumsum(0).cumsum(1), ((1, 0), (1, 0)))
    h, w = values.shape
    total = (
        summed[WINDOW : WINDOW + h, WINDOW : WINDOW + w]
        - summed[:h, WINDOW : WINDOW + w]
        - summed[WINDOW : WINDOW + h, :w]
        + summed[:h, :w]
    )
    return total / (WINDOW * WINDOW)


def ssim_map(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The SSIM of every pixel's window; ``a`` and ``b`` the same shape, at least 7x7."""
    if a.shape != b.shape:
        raise ValueError(f"shapes differ: {a.shape} and {b.shape}")
    mu_a, mu_b = _window_mean(a), _window_mean(b)
    var_a = _window_mean(a * a) - mu_a**2
    var_b = _window_mean(b * b) - mu_b**2
    cov = _window_mean(a * b) - mu_a * mu_b
    return ((2 * mu_a * mu_b + C1) * (2 * cov + C2)) / ((mu_a**2 + mu_b**2 + C1) * (var_a + var_b + C2))


def region_ssim(expected_png: bytes, actual_png: bytes, regions: dict[str, list[float]]) -> dict[str, float]:
    """Mean SSIM inside each named region ``[x, y, w, h]`` (image pixels, clipped to the
    image); the whole image under ``"all"``. Images of different sizes: the common top-left
    area is compared, and a region outside it scores 0."""
    a, b = grey(expected_png), grey(actual_png)
    h, w = min(a.shape[0], b.shape[0]), min(a.shape[1], b.shape[1])
    if h < WINDOW or w < WINDOW:
        return {"all": 0.0}
    scores = ssim_map(a[:h, :w], b[:h, :w])
    out = {"all": float(scores.mean()) if a.shape == b.shape else 0.0}
    for name, (x, y, rw, rh) in regions.items():
        left, top = max(0, math.floor(x)), max(0, math.floor(y))
        right, bottom = min(w, math.ceil(x + rw)), min(h, math.ceil(y + rh))
        out[name] = float(scores[top:bottom, left:right].mean()) if right > left and bottom > top else 0.0
    return out
