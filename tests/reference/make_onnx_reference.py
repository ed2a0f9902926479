#!/usr/bin/python3
"""Real ONNX exports for NetGen's ONNX import tests, and PyTorch's outputs for them.

What it writes (into tests/reference/onnx/, committed so that CI needs no Python):
  <case>.onnx       a small MLP exported by torch.onnx.export (eval mode, constant folding on, dynamic batch axis),
                    one file per case below; each is 1-3 KB;
  refused_*.onnx    exports NetGen refuses with a clear message: the exact GELU (nn.GELU(), with Erf) and LogSoftmax;
  onnx.json         per case: the layers as NetGen declares them, a batch of inputs, PyTorch's outputs computed in
                    float64 from the exported (float32) weights, and the float32 outputs of the exported module.

How to run (from the repository root):
  apt-get install -y python3-torch libopenblas0-pthread
  /usr/bin/python3 tests/reference/make_onnx_reference.py
Running it twice gives byte-identical files. Last run with PyTorch 1.13.0a0 (Debian's python3-torch), Python 3.11.
The onnx Python package is not needed: torch.onnx.export writes the protobuf itself.

The cases cover every activation NetGen has, in the forms torch.onnx really writes: ReLU, Tanh, Sigmoid, Softmax,
LeakyRelu(alpha), Elu(alpha), Selu, PRelu (slope initializer), Softplus, GELU(approximate='tanh') (a Mul/Tanh/Add
subgraph with Constant nodes), SiLU (Sigmoid + Mul), PiecewiseLinear as torch.clamp(z + 0.5, 0, 1) (Add + Clip,
with Clip's bounds as inputs at opset 13 and as attributes at opset 9), Step as (sign(z) + 1) * 0.5 and Sign; a
Linear without bias (exported as MatMul with a transposed [in, out] initializer); nn.Flatten and nn.Dropout; a
float64 model (DOUBLE initializers); and the tf2onnx layout, MatMul with an [in, out] weight followed by Add of the
bias, written by a module that computes x @ W + b by hand (torch exports it as MatMul + Add, as tf2onnx does for a
Keras Dense layer).

Inputs are drawn from 2 N(0, 1) and rounded to float32; a draw is rejected while any pre-activation of a kinked
activation lies within 1e-3 of its kink (0, or +-0.5 for PiecewiseLinear), so float32 and float64 take the same
branches.
"""
import io
import json
import os
import zlib

import torch
import torch.nn as nn

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "onnx")
MARGIN = 1e-3
ROWS = 6

torch.set_num_threads(1)


class Clamp(nn.Module):
    """NetGen's PiecewiseLinear: clip(z + 0.5, 0, 1)."""

    def forward(self, z):
        return torch.clamp(z + 0.5, 0, 1)


class Step(nn.Module):
    """NetGen's Step (Heaviside with 0.5 at 0), written so that torch.onnx can export it."""

    def forward(self, z):
        return (torch.sign(z) + 1) * 0.5


class Sign(nn.Module):
    def forward(self, z):
        return torch.sign(z)


class DenseInOut(nn.Module):
    """A dense layer stored as Keras stores it, kernel [in, out]: x @ W + b, exported as MatMul + Add."""

    def __init__(self, inputs, units):
        super().__init__()
        self.kernel = nn.Parameter(torch.empty(inputs, units).uniform_(-0.6, 0.6))
        self.bias = nn.Parameter(torch.empty(units).uniform_(-0.3, 0.3))

    def forward(self, x):
        return x @ self.kernel + self.bias


# name -> (input size, [(kind, arg)], opset, dtype). kind: "linear" (units, bias), "inout" (units), or an activation.
CASES = {
    "relu_tanh": (4, [("linear", (8, True)), ("ReLU", None), ("linear", (6, True)), ("Tanh", None), ("linear", (3, True))], 13, "float32"),
    "sigmoid_softmax": (5, [("linear", (7, True)), ("Sigmoid", None), ("linear", (3, True)), ("Softmax", None)], 13, "float32"),
    "leaky_elu": (5, [("linear", (7, True)), ("LeakyReLU", 0.2), ("linear", (6, True)), ("ELU", 0.5), ("linear", (2, True))], 13, "float32"),
    "prelu_selu": (5, [("linear", (7, True)), ("PReLU", 0.15), ("linear", (6, True)), ("SELU", None), ("linear", (3, True))], 13, "float32"),
    "softplus_gelu": (5, [("linear", (7, True)), ("Softplus", None), ("linear", (6, True)), ("GELU", None), ("linear", (3, True))], 13, "float32"),
    "silu_piecewise": (5, [("linear", (7, True)), ("SiLU", None), ("linear", (6, True)), ("PiecewiseLinear", None), ("linear", (3, True))], 13, "float32"),
    "step_sign": (5, [("linear", (6, True)), ("Step", None), ("linear", (4, True)), ("Sign", None), ("linear", (3, True))], 13, "float32"),
    "nobias_flatten_dropout": (6, [("flatten", None), ("linear", (7, False)), ("ReLU", None), ("dropout", 0.3), ("linear", (5, True)), ("Tanh", None), ("linear", (2, False))], 13, "float32"),
    "opset9_clip_softmax": (4, [("linear", (5, True)), ("PiecewiseLinear", None), ("linear", (3, True)), ("Softmax", None)], 9, "float32"),
    "double_tanh_sigmoid": (4, [("linear", (6, True)), ("Tanh", None), ("linear", (3, True)), ("Sigmoid", None)], 13, "float64"),
    "matmul_add_relu": (5, [("inout", 7), ("ReLU", None), ("inout", 4), ("Sigmoid", None)], 13, "float32"),
}

# Exports NetGen must refuse with a clear message (no outputs recorded): the exact GELU (Div, Erf, Add, Mul, Mul)
# and LogSoftmax, both in 5 -> 4 -> 3 networks.
REFUSED = {
    "refused_gelu_exact": (5, [("linear", (4, True)), ("GELUExact", None), ("linear", (3, True))], 13, "float32"),
    "refused_log_softmax": (5, [("linear", (4, True)), ("ReLU", None), ("linear", (3, True)), ("LogSoftmax", None)], 13, "float32"),
}

KINKS = {"ReLU": [0.0], "LeakyReLU": [0.0], "PReLU": [0.0], "ELU": [0.0], "SELU": [0.0], "Step": [0.0],
         "Sign": [0.0], "PiecewiseLinear": [-0.5, 0.5]}


def module_for(kind, arg):
    return {
        "ReLU": lambda: nn.ReLU(), "Tanh": lambda: nn.Tanh(), "Sigmoid": lambda: nn.Sigmoid(),
        "Softmax": lambda: nn.Softmax(dim=1), "LeakyReLU": lambda: nn.LeakyReLU(arg), "ELU": lambda: nn.ELU(arg),
        "SELU": lambda: nn.SELU(), "PReLU": lambda: nn.PReLU(init=arg), "Softplus": lambda: nn.Softplus(),
        "GELU": lambda: nn.GELU(approximate="tanh"), "SiLU": lambda: nn.SiLU(), "PiecewiseLinear": lambda: Clamp(),
        "Step": lambda: Step(), "Sign": lambda: Sign(), "flatten": lambda: nn.Flatten(),
        "dropout": lambda: nn.Dropout(arg), "GELUExact": lambda: nn.GELU(), "LogSoftmax": lambda: nn.LogSoftmax(dim=1),
    }[kind]()


def build(name, inputs, spec):
    torch.manual_seed(zlib.crc32(name.encode()))
    modules, layers, width = [], [], inputs
    for kind, arg in spec:
        if kind == "linear":
            units, bias = arg
            modules.append(nn.Linear(width, units, bias=bias))
            layers.append({"kind": "Dense", "units": units, "activation": "Linear", "alpha": None, "bias": bias})
            width = units
        elif kind == "inout":
            modules.append(DenseInOut(width, arg))
            layers.append({"kind": "Dense", "units": arg, "activation": "Linear", "alpha": None, "bias": True})
            width = arg
        elif kind == "flatten":
            modules.append(module_for(kind, arg))
        elif kind == "dropout":
            modules.append(module_for(kind, arg))
            layers.append({"kind": "Dropout", "units": width, "activation": "Linear", "alpha": None, "bias": False, "rate": arg})
        else:
            modules.append(module_for(kind, arg))
            dense = [layer for layer in layers if layer["kind"] == "Dense"][-1]
            dense["activation"] = kind
            dense["alpha"] = arg
    return nn.Sequential(*modules).eval(), layers


def pre_activations(model, x):
    """The input of every activation module, for the kink check."""
    found = []
    z = x
    for module in model:
        if not isinstance(module, (nn.Linear, DenseInOut, nn.Flatten, nn.Dropout)):
            found.append((type(module).__name__, z))
        z = module(z)
    return found


def kind_of(module_name):
    return {"ReLU": "ReLU", "LeakyReLU": "LeakyReLU", "PReLU": "PReLU", "ELU": "ELU", "SELU": "SELU",
            "Step": "Step", "Sign": "Sign", "Clamp": "PiecewiseLinear"}.get(module_name)


def draw_inputs(name, model, inputs, dtype):
    generator = torch.Generator().manual_seed(zlib.crc32((name + "/inputs").encode()))
    draws = 0
    while True:
        draws += 1
        x = (2 * torch.randn(ROWS, inputs, generator=generator, dtype=torch.float64)).float().double()
        ok = True
        for module_name, z in pre_activations(model.double(), x):
            for kink in KINKS.get(kind_of(module_name), []):
                if (z - kink).abs().min().item() < MARGIN:
                    ok = False
        model.to(torch.float64 if dtype == "float64" else torch.float32)
        if ok:
            return x, draws


def export(model, inputs, opset, dtype):
    example = torch.zeros(1, inputs, dtype=torch.float64 if dtype == "float64" else torch.float32)
    buffer = io.BytesIO()
    torch.onnx.export(model, example, buffer, input_names=["input"], output_names=["output"],
                      dynamic_axes={"input": {0: "batch"}, "output": {0: "batch"}}, opset_version=opset)
    return buffer.getvalue()


def main():
    os.makedirs(OUT, exist_ok=True)
    cases = []
    for name, (inputs, spec, opset, dtype) in CASES.items():
        model, layers = build(name, inputs, spec)
        if dtype == "float64":
            model = model.double()
        x, draws = draw_inputs(name, model, inputs, dtype)
        with torch.no_grad():
            data = export(model, inputs, opset, dtype)
            native = model(x.to(torch.float64 if dtype == "float64" else torch.float32)).double()
            reference = model.double()(x)
        with open(os.path.join(OUT, name + ".onnx"), "wb") as f:
            f.write(data)
        cases.append({
            "name": name, "file": name + ".onnx", "opset": opset, "dtype": dtype, "bytes": len(data),
            "input_size": inputs, "output_size": [layer for layer in layers if layer["kind"] == "Dense"][-1]["units"],
            "layers": layers, "rows": ROWS, "draws": draws,
            "inputs": [float(v) for v in x.flatten().tolist()],
            "outputs_float64": [float(v) for v in reference.flatten().tolist()],
            "outputs_native": [float(v) for v in native.flatten().tolist()],
        })
    refused = []
    for name, (inputs, spec, opset, dtype) in REFUSED.items():
        model, layers = build(name, inputs, spec)
        with torch.no_grad():
            data = export(model, inputs, opset, dtype)
        with open(os.path.join(OUT, name + ".onnx"), "wb") as f:
            f.write(data)
        refused.append({"name": name, "file": name + ".onnx", "opset": opset, "bytes": len(data),
                        "module": repr(model).replace("\n", " ")})
    document = {"format": "netgen-onnx-reference", "version": 1, "generator": "tests/reference/make_onnx_reference.py",
                "torch_version": torch.__version__, "cases": cases, "refused": refused}
    with open(os.path.join(OUT, "onnx.json"), "w") as f:
        json.dump(document, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
