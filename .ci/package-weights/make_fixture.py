#!/usr/bin/env python3
"""Writes the weights fixture of .ci/run's embedded-weights package check and the outputs NumPy computes from it.

Run with Debian's python3 and python3-numpy (no other package): `/usr/bin/python3 .ci/package-weights/make_fixture.py`.
It writes, beside itself:
  model.safetensors        a 5-16-8-3 network (ReLU, Tanh, Softmax) as a PyTorch state_dict would be saved: tensors
                           0.weight [16, 5], 0.bias [16], 2.weight [8, 16], 2.bias [8], 4.weight [3, 8], 4.bias [3], F32,
                           and an input standardizer as docs/shipping.md describes it: netgen.standardizer.mean and
                           netgen.standardizer.std [5], F64;
  wrong-shape.safetensors  the same with 2.weight of shape [8, 15] (and 2.bias unchanged), which must fail the build
                           with NG0010;
  expected.json            input rows and the outputs of the forward pass, computed in float64 from the float32 weights;
                           raw (unstandardized) rows and the outputs for them: (raw - mean) / std, then the forward pass.
The safetensors layout is written by hand (8-byte little-endian header length, JSON header, raw little-endian data),
since Debian has no safetensors module.
"""
import json
import os
import struct

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))


def save_safetensors(path, tensors):
    header, data = {}, b""
    for name, array in tensors:
        dtype = "<f8" if array.dtype == np.float64 else "<f4"
        raw = np.ascontiguousarray(array, dtype=dtype).tobytes()
        header[name] = {"dtype": "F64" if dtype == "<f8" else "F32", "shape": list(array.shape), "data_offsets": [len(data), len(data) + len(raw)]}
        data += raw
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * ((8 - len(text) % 8) % 8)  # the format pads the header with spaces to a multiple of 8
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + data)


def forward(tensors, x):
    w = dict(tensors)
    h = np.maximum(x @ w["0.weight"].astype(np.float64).T + w["0.bias"], 0.0)
    h = np.tanh(h @ w["2.weight"].astype(np.float64).T + w["2.bias"])
    z = h @ w["4.weight"].astype(np.float64).T + w["4.bias"]
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def main():
    rng = np.random.default_rng(20261201)
    sizes = [5, 16, 8, 3]
    tensors = []
    for k in range(3):
        fan_in, fan_out = sizes[k], sizes[k + 1]
        bound = 1.0 / np.sqrt(fan_in)
        tensors.append((f"{2 * k}.weight", rng.uniform(-bound, bound, (fan_out, fan_in)).astype(np.float32)))
        tensors.append((f"{2 * k}.bias", rng.uniform(-bound, bound, fan_out).astype(np.float32)))

    wrong = [(name, rng.uniform(-1, 1, (8, 15)).astype(np.float32) if name == "2.weight" else array) for name, array in tensors]
    save_safetensors(os.path.join(HERE, "wrong-shape.safetensors"), wrong)

    x = rng.uniform(-2, 2, (6, 5)).astype(np.float32).astype(np.float64)
    y = forward([(n, a.astype(np.float64)) for n, a in tensors], x)

    # Drawn after everything above, so the weights, the wrong-shape file and the rows stay what they were before the
    # standardizer was added.
    mean = rng.uniform(-50, 50, 5)
    std = rng.uniform(0.5, 20, 5)
    save_safetensors(os.path.join(HERE, "model.safetensors"),
                     tensors + [("netgen.standardizer.mean", mean), ("netgen.standardizer.std", std)])
    raw = (mean + std * rng.uniform(-2, 2, (6, 5))).astype(np.float32).astype(np.float64)
    raw_y = forward([(n, a.astype(np.float64)) for n, a in tensors], (raw - mean) / std)
    with open(os.path.join(HERE, "expected.json"), "w") as f:
        json.dump({"inputs": x.tolist(), "outputs": y.tolist(), "raw_inputs": raw.tolist(), "raw_outputs": raw_y.tolist()}, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
