#!/usr/bin/python3
"""PyTorch reference values for NetGen's numerics tests.

What it writes (next to this file, committed so that CI needs no Python):
  activations.json  every trainable activation in a 5 -> 7 -> 3 network under MSE, MAE and Huber (the activation in
                    both layers), BCE (Sigmoid output) and CE (Softmax output);
  outputs.json      Softmax outputs under MSE/MAE/Huber (the general Jacobian path), CE with one-hot and with soft
                    targets, a one-layer softmax, a single-Sigmoid BCE with labels and Softplus past its threshold;
  deep.json         whole networks of 3 to 5 layers mixing activations, sizes and no-bias layers;
  lecture.json      the lecture numbers: a softmax, sigmoid'(0), tanh'(0) and a cross-entropy in nats.
Each case holds the network description, its parameters in NetGen's layout (for each Linear: weight [out, in]
row-major, bias, then a PReLU's single slope), a batch of inputs and targets, the eval-mode outputs, the mean loss,
d loss / d parameters, and the parameters after 3 steps of each of 7 optimizer configurations. The schema is in
README.md beside this file.

How to run (from the repository root):
  apt-get install -y python3-torch libopenblas0-pthread
  /usr/bin/python3 tests/reference/make_reference.py
The output is deterministic: running it twice gives byte-identical files. Last run with PyTorch 1.13.0a0 (Debian's
python3-torch), Python 3.11.

Numerics: everything is computed in float64. Initial parameters, inputs and targets are drawn and then rounded to
float32, so that a float test loads exactly the values the float64 computation started from. Each case is drawn
from its own seed (CRC-32 of its name) and redrawn while any pre-activation of a kinked activation (ReLU family at 0,
PiecewiseLinear at +-0.5, Softplus at its threshold 20) or any MAE residual lies within 1e-3 of its kink, at the
start or at any optimizer step, so that finite differences and float twins follow the same branches.
"""
import json
import os
import sys
import zlib

import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
MARGIN = 1e-3
STEPS = 3

torch.set_num_threads(1)
torch.set_default_dtype(torch.float64)

# NetGen's defaults for the activations with a parameter (DenseAttribute.Alpha when not set).
DEFAULT_ALPHA = {"LeakyReLU": 0.01, "PReLU": 0.25, "ELU": 1.0}

LOSS_NAMES = {"mse": "MeanSquaredError", "mae": "MeanAbsoluteError", "huber": "Huber",
              "bce": "BinaryCrossEntropy", "ce": "CrossEntropy"}
TORCH_LOSS = {"mse": "MSELoss()", "mae": "L1Loss()", "huber": "HuberLoss(delta=1.0)",
              "bce": "BCEWithLogitsLoss() on the Sigmoid layer's pre-activation",
              "ce": "CrossEntropyLoss() on the Softmax layer's pre-activation"}

# The optimizer configurations of after_steps: name -> (NetGen Optimizer, hyper-parameters, torch factory).
OPTIMIZERS = [
    ("sgd", "Sgd", dict(learning_rate=0.1, momentum=0.0, nesterov=False, weight_decay=0.0),
     lambda p: torch.optim.SGD(p, lr=0.1)),
    ("sgd_momentum", "Sgd", dict(learning_rate=0.1, momentum=0.9, nesterov=False, weight_decay=0.0),
     lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9)),
    ("sgd_nesterov", "Sgd", dict(learning_rate=0.1, momentum=0.9, nesterov=True, weight_decay=0.0),
     lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9, nesterov=True)),
    ("sgd_weight_decay", "Sgd", dict(learning_rate=0.1, momentum=0.0, nesterov=False, weight_decay=0.01),
     lambda p: torch.optim.SGD(p, lr=0.1, weight_decay=0.01)),
    ("adam", "Adam", dict(learning_rate=0.01, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.0),
     lambda p: torch.optim.Adam(p, lr=0.01)),
    ("adamw", "AdamW", dict(learning_rate=0.01, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.01),
     lambda p: torch.optim.AdamW(p, lr=0.01, weight_decay=0.01)),
    ("rmsprop", "RmsProp", dict(learning_rate=0.01, alpha=0.99, eps=1e-8, momentum=0.0, weight_decay=0.0),
     lambda p: torch.optim.RMSprop(p, lr=0.01, alpha=0.99, eps=1e-8)),
]


class PiecewiseLinear(nn.Module):
    """NetGen's PiecewiseLinear: a ramp z + 1/2 clipped to [0, 1]."""

    def forward(self, z):
        return torch.clamp(z + 0.5, 0.0, 1.0)


def activation_module(name, alpha):
    if name == "Linear":
        return nn.Identity()
    if name == "Sigmoid":
        return nn.Sigmoid()
    if name == "Tanh":
        return nn.Tanh()
    if name == "ReLU":
        return nn.ReLU()
    if name == "LeakyReLU":
        return nn.LeakyReLU(negative_slope=alpha)
    if name == "PReLU":
        return nn.PReLU(num_parameters=1, init=alpha)
    if name == "ELU":
        return nn.ELU(alpha=alpha)
    if name == "SELU":
        return nn.SELU()
    if name == "Softplus":
        return nn.Softplus()  # beta 1, threshold 20
    if name == "GELU":
        return nn.GELU(approximate="tanh")
    if name == "SiLU":
        return nn.SiLU()
    if name == "PiecewiseLinear":
        return PiecewiseLinear()
    if name == "Softmax":
        return nn.Softmax(dim=1)
    raise ValueError(name)


def kinks(name):
    """The pre-activation values where the activation (or its derivative) jumps."""
    if name in ("ReLU", "LeakyReLU", "PReLU", "ELU", "SELU"):
        return [0.0]
    if name == "PiecewiseLinear":
        return [-0.5, 0.5]
    if name == "Softplus":
        return [20.0]
    return []


class Net(nn.Module):
    """Linear, activation, Linear, activation, ... registered interleaved, so parameters() is NetGen's layout."""

    def __init__(self, input_size, layers):
        super().__init__()
        self.layers = layers
        modules, width = [], input_size
        for layer in layers:
            modules.append(nn.Linear(width, layer["units"], bias=layer["bias"]))
            modules.append(activation_module(layer["activation"], layer["alpha"]))
            width = layer["units"]
        self.body = nn.ModuleList(modules)

    def forward(self, x):
        """Returns (pre-activations of every layer, outputs)."""
        zs = []
        for i in range(0, len(self.body), 2):
            z = self.body[i](x)
            zs.append(z)
            x = self.body[i + 1](z)
        return zs, x


def to_f32(t):
    """Rounds to the nearest float32, kept as float64: a float test starts from exactly these values."""
    return t.float().double()


def flat(model):
    return torch.cat([p.detach().reshape(-1) for p in model.parameters()])


def loss_of(kind, zs, y, targets, labels):
    if kind == "mse":
        return F.mse_loss(y, targets)
    if kind == "mae":
        return F.l1_loss(y, targets)
    if kind == "huber":
        return F.huber_loss(y, targets, delta=1.0)
    if kind == "bce":
        return F.binary_cross_entropy_with_logits(zs[-1], targets)
    if kind == "ce":
        return F.cross_entropy(zs[-1], labels if labels is not None else targets)
    raise ValueError(kind)


def margins_ok(model, kind, x, targets):
    with torch.no_grad():
        zs, y = model(x)
    for layer, z in zip(model.layers, zs):
        for k in kinks(layer["activation"]):
            if (z - k).abs().min().item() < MARGIN:
                return False
    if kind == "mae" and (y - targets).abs().min().item() < MARGIN:
        return False
    return True


def draw(spec, generator):
    """One draw of parameters, inputs and targets for a case."""
    n_in, layers, rows, kind = spec["input_size"], spec["layers"], spec["rows"], spec["kind"]
    model = Net(n_in, layers)
    with torch.no_grad():
        width = n_in
        for i, layer in enumerate(layers):
            linear = model.body[2 * i]
            linear.weight.copy_(to_f32(torch.randn(linear.weight.shape, generator=generator)
                                       * spec["gain"] / width ** 0.5))
            if linear.bias is not None:
                bias = torch.randn(linear.bias.shape, generator=generator) * 0.3
                if i == 0 and "first_bias_offsets" in spec:
                    bias += torch.tensor(spec["first_bias_offsets"])
                linear.bias.copy_(to_f32(bias))
            width = layer["units"]
    x = to_f32(torch.randn(rows, n_in, generator=generator) * spec["input_scale"])
    n_out = layers[-1]["units"]
    labels = None
    if kind == "ce" and spec.get("soft_targets"):
        targets = to_f32(torch.softmax(torch.randn(rows, n_out, generator=generator) * 1.5, dim=1))
    elif kind == "ce" or spec.get("one_hot_targets"):
        labels = torch.randint(0, n_out, (rows,), generator=generator)
        targets = F.one_hot(labels, n_out).double()
        if kind != "ce":
            labels = None
    elif kind == "bce":
        targets = torch.randint(0, 2, (rows, n_out), generator=generator).double()
        if n_out == 1:
            labels = targets[:, 0].long()
    else:
        targets = to_f32(torch.randn(rows, n_out, generator=generator) * spec["target_scale"])
    return model, x, targets, labels


def run_optimizer(model, factory, kind, x, targets, labels):
    """STEPS steps on the same batch; returns (losses before each step, final parameters, final loss, margins ok)."""
    params = list(model.parameters())
    optimizer = factory(params)
    losses, ok = [], True
    for _ in range(STEPS):
        ok = ok and margins_ok(model, kind, x, targets)
        optimizer.zero_grad()
        zs, y = model(x)
        loss = loss_of(kind, zs, y, targets, labels)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    ok = ok and margins_ok(model, kind, x, targets)
    with torch.no_grad():
        zs, y = model(x)
        final = loss_of(kind, zs, y, targets, labels).item()
    return losses, flat(model), final, ok


def retuned(optimizer, lr):
    for group in optimizer.param_groups:
        group["lr"] = lr
    return optimizer


def build_case(spec):
    kind = spec["kind"]
    seed = zlib.crc32(spec["name"].encode("ascii"))
    generator = torch.Generator().manual_seed(seed)
    for attempt in range(1000):
        model, x, targets, labels = draw(spec, generator)
        if not margins_ok(model, kind, x, targets):
            continue
        zs, y = model(x)
        if kind == "huber":
            d = (y - targets).abs()
            if not (bool((d > 1).any()) and bool((d < 1).any())):
                continue  # both Huber branches must be exercised
        if spec["name"].startswith("softplus_threshold") and not bool((zs[0] > 20).any()):
            continue
        initial = flat(model)
        model.zero_grad()
        loss = loss_of(kind, zs, y, targets, labels)
        loss.backward()
        gradients = torch.cat([p.grad.reshape(-1) for p in model.parameters()])
        after, ok = {}, True
        for name, netgen_name, hyper, factory in OPTIMIZERS:
            copy = Net(spec["input_size"], spec["layers"])
            copy.load_state_dict(model.state_dict())
            hyper = dict(hyper)
            if name.startswith("sgd") and "sgd_learning_rate" in spec:
                lr = hyper["learning_rate"] = spec["sgd_learning_rate"]
                base = factory
                factory = lambda p, base=base, lr=lr: retuned(base(p), lr)
            losses, final_params, final_loss, step_ok = run_optimizer(copy, factory, kind, x, targets, labels)
            ok = ok and step_ok
            entry = {"optimizer": netgen_name}
            entry.update(hyper)
            entry.update({"steps": STEPS, "losses": losses, "loss_after": final_loss,
                          "parameters": final_params.tolist()})
            after[name] = entry
        if not ok:
            continue
        break
    else:
        raise RuntimeError("no draw keeps clear of the kinks: " + spec["name"])

    layers, offset, width = [], 0, spec["input_size"]
    for layer in spec["layers"]:
        units = layer["units"]
        entry = {"units": units, "activation": layer["activation"], "alpha": layer["alpha"], "bias": layer["bias"],
                 "weight_offset": offset}
        offset += units * width
        entry["bias_offset"] = offset if layer["bias"] else -1
        offset += units if layer["bias"] else 0
        entry["slope_offset"] = offset if layer["activation"] == "PReLU" else -1
        offset += 1 if layer["activation"] == "PReLU" else 0
        entry["parameter_count"] = offset - entry["weight_offset"]
        layers.append(entry)
        width = units
    assert offset == initial.numel()

    with torch.no_grad():
        model.eval()
        _, outputs = model(x)
    case = {
        "name": spec["name"],
        "description": describe(spec),
        "input_size": spec["input_size"],
        "output_size": spec["layers"][-1]["units"],
        "layers": layers,
        "loss_function": LOSS_NAMES[kind],
        "torch_loss": TORCH_LOSS[kind],
        "rows": spec["rows"],
        "parameter_count": offset,
        "seed": seed,
        "draws": attempt + 1,
        "parameters": initial.tolist(),
        "inputs": x.reshape(-1).tolist(),
        "targets": targets.reshape(-1).tolist(),
    }
    if labels is not None:
        case["labels"] = [int(v) for v in labels.tolist()]
    case.update({
        "outputs": outputs.reshape(-1).tolist(),
        "loss": loss.item(),
        "gradients": gradients.tolist(),
        "after_steps": after,
    })
    return case


def describe(spec):
    parts = [str(spec["input_size"])]
    for layer in spec["layers"]:
        text = "%d %s" % (layer["units"], layer["activation"])
        if layer["alpha"] is not None:
            text += "(%r)" % layer["alpha"]
        if not layer["bias"]:
            text += " no-bias"
        parts.append(text)
    return " -> ".join(parts) + ", " + LOSS_NAMES[spec["kind"]]


def layer(units, activation, alpha=None, bias=True):
    if alpha is None and activation in DEFAULT_ALPHA:
        alpha = DEFAULT_ALPHA[activation]
    return {"units": units, "activation": activation, "alpha": alpha, "bias": bias}


def spec(name, kind, input_size, layers, rows, gain=1.2, input_scale=1.0, target_scale=1.5, **extra):
    s = {"name": name, "kind": kind, "input_size": input_size, "layers": layers, "rows": rows, "gain": gain,
         "input_scale": input_scale, "target_scale": target_scale}
    s.update(extra)
    return s


# (case-name stem, activation, alpha)
ACTIVATIONS = [
    ("linear", "Linear", None), ("sigmoid", "Sigmoid", None), ("tanh", "Tanh", None), ("relu", "ReLU", None),
    ("leakyrelu", "LeakyReLU", 0.01), ("leakyrelu02", "LeakyReLU", 0.2), ("prelu", "PReLU", 0.25),
    ("elu", "ELU", 1.0), ("elu05", "ELU", 0.5), ("selu", "SELU", None), ("softplus", "Softplus", None),
    ("gelu", "GELU", None), ("silu", "SiLU", None), ("piecewiselinear", "PiecewiseLinear", None),
]


def activation_specs():
    specs = []
    for i, (stem, act, alpha) in enumerate(ACTIVATIONS):
        rows = 4 + i % 3
        specs.append(spec(stem + "_mse", "mse", 5, [layer(7, act, alpha), layer(3, act, alpha)], rows))
        # MAE: the hidden layer has no bias; Huber: the output layer has none.
        specs.append(spec(stem + "_mae", "mae", 5, [layer(7, act, alpha, bias=False), layer(3, act, alpha)],
                          4 + (i + 1) % 3))
        specs.append(spec(stem + "_huber", "huber", 5, [layer(7, act, alpha), layer(3, act, alpha, bias=False)],
                          4 + (i + 2) % 3))
        specs.append(spec(stem + "_bce", "bce", 5, [layer(7, act, alpha), layer(3, "Sigmoid")], rows))
        specs.append(spec(stem + "_ce", "ce", 5, [layer(7, act, alpha), layer(3, "Softmax")], rows))
    return specs


def output_specs():
    return [
        spec("softmax_mse", "mse", 5, [layer(7, "Tanh"), layer(3, "Softmax")], 5, one_hot_targets=True),
        spec("softmax_mae", "mae", 5, [layer(7, "Tanh"), layer(4, "Softmax")], 4, one_hot_targets=True),
        spec("softmax_huber", "huber", 5, [layer(7, "Tanh"), layer(3, "Softmax")], 6, target_scale=2.0),
        spec("softmax_ce_soft_targets", "ce", 5, [layer(7, "Tanh"), layer(4, "Softmax")], 5, soft_targets=True),
        spec("softmax_single_layer_ce", "ce", 6, [layer(5, "Softmax")], 6),
        spec("sigmoid_single_output_bce", "bce", 5, [layer(7, "Tanh"), layer(1, "Sigmoid")], 6),
        # Softplus above its threshold 20 (f = z) and far below it (f = e^z, no cancellation): first-layer biases
        # near +20 and -21. Hidden values near 20 make the loss so curved that SGD at 0.1 diverges: SGD uses 0.001.
        spec("softplus_threshold_mse", "mse", 4, [layer(6, "Softplus"), layer(2, "Linear")], 5,
             first_bias_offsets=[20.2, -21.0, 0.0, 19.8, 0.0, 20.5], sgd_learning_rate=0.001),
    ]


def deep_specs():
    return [
        spec("deep_regression_mse", "mse", 9,
             [layer(17, "ReLU"), layer(11, "Tanh"), layer(5, "GELU"), layer(3, "Linear")], 5),
        spec("deep_classifier_ce", "ce", 19,
             [layer(13, "SELU"), layer(9, "ELU", 0.5, bias=False), layer(7, "PReLU", 0.1), layer(5, "Softmax")], 6),
        spec("deep_multilabel_bce", "bce", 6,
             [layer(11, "SiLU"), layer(9, "LeakyReLU", 0.2), layer(4, "Sigmoid")], 4),
        spec("deep_five_layer_huber", "huber", 7,
             [layer(10, "Softplus"), layer(8, "PiecewiseLinear"), layer(6, "Sigmoid"), layer(5, "Tanh"),
              layer(2, "Linear", bias=False)], 5, gain=1.5, target_scale=3.0),
        spec("deep_two_prelu_mae", "mae", 8,
             [layer(12, "PReLU"), layer(12, "PReLU", 0.05, bias=False), layer(3, "ELU")], 4),
        spec("deep_softmax_mse", "mse", 5,
             [layer(16, "GELU"), layer(9, "Sigmoid"), layer(4, "Softmax")], 6, one_hot_targets=True),
    ]


def lecture():
    z = torch.tensor([1.1, 2.2, 0.2, -1.7])
    softmax = torch.softmax(z, dim=0)
    zero = torch.zeros((), requires_grad=True)
    (sigmoid_d,) = torch.autograd.grad(torch.sigmoid(zero), zero)
    zero = torch.zeros((), requires_grad=True)
    (tanh_d,) = torch.autograd.grad(torch.tanh(zero), zero)
    p, q = torch.tensor([0.9, 0.1]), torch.tensor([0.6, 0.4])
    # H(q, p) = -sum q ln p: cross_entropy of logits ln p (whose softmax is p) against the probabilities q.
    ce = F.cross_entropy(torch.log(p).unsqueeze(0), q.unsqueeze(0))
    return {
        "softmax": {"inputs": z.tolist(), "outputs": softmax.tolist()},
        "sigmoid_derivative_at_zero": sigmoid_d.item(),
        "tanh_derivative_at_zero": tanh_d.item(),
        "cross_entropy": {"p": p.tolist(), "q": q.tolist(), "nats": ce.item(),
                          "bits": ce.item() / torch.log(torch.tensor(2.0)).item(),
                          "definition": "H(q, p) = -sum_i q_i ln p_i"},
    }


def dump(value, indent=0):
    """JSON with objects indented and arrays of numbers on one line; floats as repr (round-trip exact)."""
    pad, inner = "  " * indent, "  " * (indent + 1)
    if isinstance(value, dict):
        if not value:
            return "{}"
        items = ['%s%s: %s' % (inner, json.dumps(k), dump(v, indent + 1)) for k, v in value.items()]
        return "{\n" + ",\n".join(items) + "\n" + pad + "}"
    if isinstance(value, list):
        if any(isinstance(v, (dict, list)) for v in value):
            return "[\n" + ",\n".join(inner + dump(v, indent + 1) for v in value) + "\n" + pad + "]"
        return "[" + ", ".join(dump(v) for v in value) + "]"
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError("not finite")
        return repr(value)
    return json.dumps(value)


def header():
    return {"format": "netgen-reference", "version": 1, "generator": "tests/reference/make_reference.py",
            "torch_version": torch.__version__, "dtype": "float64"}


def write(filename, document):
    with open(os.path.join(HERE, filename), "w", encoding="utf-8", newline="\n") as f:
        f.write(dump(document) + "\n")


def main():
    for filename, specs in (("activations.json", activation_specs()), ("outputs.json", output_specs()),
                            ("deep.json", deep_specs())):
        document = header()
        document["cases"] = [build_case(s) for s in specs]
        write(filename, document)
        print("%s: %d cases" % (filename, len(specs)), file=sys.stderr)
    document = header()
    document.update(lecture())
    write("lecture.json", document)


if __name__ == "__main__":
    main()
