"""Other kinds of reader for one line of text: the recognition networks of PaddleOCR's Chinese
models (Apache-2.0), run by ONNX Runtime on a crop of the line.

Tesseract's two Chinese models (the distribution's and tessdata 4.0's LSTM) make the same
mistakes on the same print: Ming and Kai faces, photos, low resolution. These networks were
trained on other data, with another architecture (a convolutional encoder, CTC), so where one
agrees with a Tesseract reading the agreement means something.

- ``FIRST``, PP-OCRv4's (``LINE_MODEL_PATH``), reads first; the pipeline takes its reading alone
  where it is sure of every character.
- ``SECOND``, PP-OCRv5's (``SECOND_MODEL_PATH``), reads where the first is not sure. It reads
  other characters right (冯 where the first read 鸿, a J the first read as a bracket), but it
  drops a character now and then with no doubt shown (电子 read 电, more often on a tight crop:
  it is given a margin above and below), so its reading only ever confirms another's.

``make venv`` installs both; without one, it is skipped and the pipeline runs on the others.
One thread per call, as Tesseract runs (``OMP_THREAD_LIMIT=1``): the workers are the parallelism.
"""

from __future__ import annotations

import functools
import logging
import math
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from . import engine

_MODELS = Path(__file__).resolve().parents[1] / "var" / "models"
LINE_MODEL_PATH = Path(os.environ.get("OCR_LINE_MODEL") or _MODELS / "ppocr-v4-rec.onnx")
SECOND_MODEL_PATH = Path(os.environ.get("OCR_SECOND_LINE_MODEL") or _MODELS / "ppocr-v5-rec.onnx")


@dataclass(frozen=True)
class Network:
    """One recognition network: where its model is (the module's setting named ``path_setting``,
    so that it can be moved) and the margin it needs above and below a line (a share of the
    crop's height)."""

    name: str
    path_setting: str
    margin: float = 0.0

    @property
    def path(self) -> Path:
        return Path(globals()[self.path_setting])


FIRST = Network("PP-OCRv4", "LINE_MODEL_PATH")
SECOND = Network("PP-OCRv5", "SECOND_MODEL_PATH", margin=0.25)
_HEIGHT = 48  # the network's input height
_MIN_WIDTH = 320  # narrower lines are padded to this width, as the network was trained
_MAX_WIDTH = 3200  # a wider crop is not a line
logger = logging.getLogger(__name__)
_load_lock = threading.Lock()


@dataclass(frozen=True)
class LineReading:
    """The text of a line and the network's probability of each character of it."""

    text: str
    probabilities: tuple[float, ...]
    # where each character stands: its centre, in pixels from the left of the crop read
    positions: tuple[float, ...] = ()

    @property
    def least(self) -> float:
        """The probability of the least sure character (0 for an empty reading)."""
        return min(self.probabilities, default=0.0)


def available(network: Network = FIRST) -> bool:
    """Whether the network's model is installed (logged once when it is not)."""
    return _model(network) is not None


def read_line(gray: np.ndarray, network: Network = FIRST) -> LineReading | None:
    """The text of the one line in ``gray`` (a crop of a greyscale page, dark ink on light),
    as ``network`` reads it; None when its model is not installed or the crop is not a line."""
    model = _model(network)
    h, w = gray.shape[:2]
    if model is None or h < 4 or w < 4:
        return None
    # a wide blank beside the text makes the network see a character in it (關 銀 at 10 %):
    # the crop is cut to its ink and half a line height around it, as its detector would box it
    inked = np.flatnonzero((gray < engine.ink_threshold(gray)).any(axis=0))
    offset = 0
    if inked.size:
        offset = max(0, int(inked[0]) - h // 2)
        gray = gray[:, offset : min(w, int(inked[-1]) + 1 + h // 2)]
        w = gray.shape[1]
    if network.margin:
        margin = int(network.margin * h)
        paper = int(np.percentile(gray, 95))
        gray = cv2.copyMakeBorder(gray, margin, margin, 0, 0, cv2.BORDER_CONSTANT, value=paper)
        h = gray.shape[0]
    width = min(max(math.ceil(_HEIGHT * w / h), 1), _MAX_WIDTH)
    resized = cv2.resize(gray, (width, _HEIGHT), interpolation=cv2.INTER_LINEAR)
    batch = np.zeros((1, 3, _HEIGHT, max(width, _MIN_WIDTH)), dtype=np.float32)
    # scaled to [-1, 1]; the padding stays at 0 (mid grey), as in training
    batch[0, :, :, :width] = resized.astype(np.float32) / 127.5 - 1.0
    session, characters = model
    (scores,) = session.run(None, {session.get_inputs()[0].name: batch})
    # a step of the output covers an equal share of the input's width
    step_width = batch.shape[3] / scores.shape[1] * w / width
    return _decoded(scores[0], characters, step_width=step_width, offset=offset)


def _decoded(
    scores: np.ndarray, characters: list[str], *, step_width: float = 1.0, offset: float = 0.0
) -> LineReading:
    """CTC's best path: the most likely class at each step, repeats merged, blanks dropped;
    a character stands at its first step (``step_width`` pixels each, from ``offset``)."""
    best = scores.argmax(axis=1)
    probabilities = scores.max(axis=1)
    text: list[str] = []
    kept: list[float] = []
    positions: list[float] = []
    previous = -1
    for step, index in enumerate(best):
        if index != previous and index != 0:
            text.append(characters[index])
            kept.append(float(probabilities[step]))
            positions.append(offset + (step + 0.5) * step_width)
        previous = index
    return LineReading("".join(text), tuple(kept), tuple(positions))


def _model(network: Network) -> tuple[Any, list[str]] | None:
    with _load_lock:
        return _load(network.path)


@functools.cache
def _load(path: Path) -> tuple[Any, list[str]] | None:
    if not path.is_file():
        logger.warning("OCR line model not installed at %s (make venv installs it)", path)
        return None
    # here: a process that never reads a document does not load it
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    options.log_severity_level = 3
    session = onnxruntime.InferenceSession(
        str(path), sess_options=options, providers=["CPUExecutionProvider"]
    )
    # the alphabet is in the model's metadata; class 0 is CTC's blank, the last a space
    alphabet = session.get_modelmeta().custom_metadata_map["character"].splitlines()
    return session, ["", *alphabet, " "]
