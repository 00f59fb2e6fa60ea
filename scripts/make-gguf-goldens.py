#!/usr/bin/env python3
"""Writes Tests/Fixtures/qwen-dequant-goldens.json: a few dequantised rows of the Qwen GGUF,
decoded by gguf-py (the reference implementation), for ModelFilesTests to check our block decoders against.

Run it in a throw-away venv, never in the repo:
    python3 -m venv /tmp/ggufenv && /tmp/ggufenv/bin/pip install gguf
    /tmp/ggufenv/bin/python scripts/make-gguf-goldens.py [path/to/qwen2.5-coder-0.5b-instruct-q4_k_m.gguf]
"""
import json
import os
import sys

import numpy as np
from gguf import GGUFReader
from gguf.quants import dequantize

MODEL = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
    os.environ.get("RAG_MODELS", os.path.expanduser("~/.cache/rag/models")),
    "qwen2.5-coder-0.5b-instruct-q4_k_m.gguf")
OUT = os.path.join(os.path.dirname(__file__), "..", "Tests", "Fixtures", "qwen-dequant-goldens.json")

# (tensor, rows): one tensor per type in the file; first, a middle and the last row.
PICKS = [
    ("token_embd.weight", [0, 151643, 151935]),      # Q5_0, 896 columns
    ("output.weight", [1, 70000, 151935]),           # Q8_0
    ("blk.2.ffn_down.weight", [0, 450, 895]),        # Q4_K, 4864 columns
    ("blk.0.ffn_down.weight", [0, 451, 895]),        # Q6_K
    ("blk.0.attn_norm.weight", [0]),                 # F32
]

reader = GGUFReader(MODEL)
by_name = {t.name: t for t in reader.tensors}
cases = []
for name, rows in PICKS:
    t = by_name[name]
    columns = int(t.shape[0])
    matrix = dequantize(t.data, t.tensor_type).reshape(-1, columns)
    for row in rows:
        values = matrix[row].astype(np.float64)
        # 8 leading columns, then 16 spread over the row, so every sub-block layout is sampled somewhere.
        picked = list(range(8)) + [int(c) for c in np.linspace(8, columns - 1, 16)]
        cases.append({
            "tensor": name,
            "type": t.tensor_type.name,
            "row": row,
            "columns": columns,
            "indices": picked,
            "values": [float(values[c]) for c in picked],
            "sum": float(values.sum()),
            "sum_of_squares": float((values * values).sum()),
        })

with open(OUT, "w") as f:
    json.dump({"model": os.path.basename(MODEL), "tool": "gguf-py GGUFReader + gguf.quants.dequantize",
               "cases": cases}, f, indent=1)
print(f"wrote {len(cases)} rows to {OUT}")
