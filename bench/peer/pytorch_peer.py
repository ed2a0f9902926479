#!/usr/bin/python3
"""PyTorch side of the bench: the networks, their shared weights, and PyTorch's own timings.

The bench compares NetGen, ONNX Runtime, TensorPrimitives and scalar loops on the same weights. This script makes
those weights and times PyTorch as its users run it (CPU, one thread, OpenBLAS):

    apt-get install -y python3-torch libopenblas0-pthread python3-threadpoolctl
    /usr/bin/python3 bench/peer/pytorch_peer.py --export bench/peer/models   # weights + ONNX, committed
    OPENBLAS_NUM_THREADS=1 /usr/bin/python3 bench/peer/pytorch_peer.py     # timings, JSON on stdout

For timings the script keeps OpenBLAS's own kernel unless OpenBLAS fell back to a generic one on a CPU it does not
know; then it sets OPENBLAS_CORETYPE from the CPU's flags and says so in its output (see GENERIC_KERNELS).

Networks (torch.manual_seed(0) before each, PyTorch's default initialisation):
  mnist  784 -> 256 ReLU -> 128 ReLU -> 10 softmax      (cross-entropy, Adam)
  tab13  13 -> 32 tanh -> 16 tanh -> 3 softmax          (cross-entropy, Adam; also trained on minibatches of 32)
  sc4    4 -> 32 tanh -> 16 tanh -> 4 linear            (mean squared error, Adam; SimpleChains' README shape)

Each is written as <name>.safetensors (state_dict names 0.weight, 0.bias, 2.weight ..., float32, the layout
NetGen's WeightImport reads) and <name>.onnx (the inference graph, softmax included where the network has one).

Timing method, the same as the C# quick runner: every candidate is warmed up, then candidates run in alternating
rounds, each round timing a fixed number of calls; the median and the range (min-max) of the round times per call
are printed. The epoch trains on Fashion-MNIST's 60,000 training images (pixels / 255) when Debian's
dataset-fashion-mnist is installed, else on synthetic data of that shape (60,000 rows of 784 floats, 10 random
classes: a network that stops learning, whose optimizer state then decays into subnormal numbers), shuffled with
torch.randperm each epoch and sliced into batches of 64, which is how a careful PyTorch user feeds in-memory
tensors (a DataLoader would add its own per-batch overhead).
"""
import gzip
import json
import os
import re
import statistics
import struct
import sys
import time

import torch

NETWORKS = {
    "mnist": ([784, 256, 128, 10], torch.nn.ReLU, True),
    "tab13": ([13, 32, 16, 3], torch.nn.Tanh, True),
    "sc4": ([4, 32, 16, 4], torch.nn.Tanh, False),
}


def build(name):
    sizes, activation, softmax = NETWORKS[name]
    torch.manual_seed(0)
    layers = []
    for k in range(len(sizes) - 1):
        layers.append(torch.nn.Linear(sizes[k], sizes[k + 1]))
        if k < len(sizes) - 2:
            layers.append(activation())
    return torch.nn.Sequential(*layers), softmax


def write_safetensors(path, state):
    """safetensors by hand (no Debian package): u64 header length, JSON header, raw little-endian data."""
    header, blobs, offset = {}, [], 0
    for key, tensor in state.items():
        data = tensor.detach().contiguous().to(torch.float32).numpy().tobytes()
        header[key] = {"dtype": "F32", "shape": list(tensor.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for blob in blobs:
            f.write(blob)


def export(folder):
    os.makedirs(folder, exist_ok=True)
    for name in NETWORKS:
        model, softmax = build(name)
        model.eval()
        write_safetensors(os.path.join(folder, name + ".safetensors"), model.state_dict())
        graph = torch.nn.Sequential(model, torch.nn.Softmax(dim=1)) if softmax else model
        inputs = NETWORKS[name][0][0]
        torch.onnx.export(graph, torch.zeros(1, inputs), os.path.join(folder, name + ".onnx"),
                          input_names=["x"], output_names=["y"], dynamic_axes={"x": {0: "rows"}, "y": {0: "rows"}},
                          opset_version=13)
        # A probe the C# bench checks its loaded weights against: outputs for a fixed input.
        probe = torch.arange(inputs, dtype=torch.float32).reshape(1, inputs) / inputs - 0.5
        with torch.no_grad():
            out = graph(probe)
        with open(os.path.join(folder, name + ".probe.json"), "w") as f:
            json.dump({"input": probe[0].tolist(), "output": out[0].tolist()}, f)
    print("exported", ", ".join(NETWORKS), "to", folder)


# OpenBLAS picks its kernel from the CPU's family and model. Debian 12's OpenBLAS 0.3.21 predates some CPUs and then
# falls back to a generic SSE kernel: on this project's Intel Xeon (family 6 model 207, Emerald Rapids, AVX-512) it
# reports "Prescott", and a 64 x 784 x 256 sgemm ran 3.8x slower than with its AVX-512 kernel (SkylakeX). Timing
# that would compare NetGen with a PyTorch no careful user runs, so when OPENBLAS_CORETYPE is unset and OpenBLAS
# chose one of these, the script runs itself again with the best kernel the CPU's flags allow (what such a user
# sets) and records both names. A CPU OpenBLAS knows (Zen, Haswell, SkylakeX, ...) keeps OpenBLAS's own choice.
GENERIC_KERNELS = {"Prescott", "Core2", "Penryn", "Dunnington", "Nehalem", "Atom", "Katmai", "Coppermine",
                   "Northwood", "Banias", "Barcelona", "Opteron", "Opteron_SSE3", "Athlon"}


def openblas_kernel():
    try:
        import threadpoolctl
    except ImportError:
        return None
    for pool in threadpoolctl.threadpool_info():
        if pool.get("internal_api") == "openblas":
            return pool.get("architecture")
    return None


def kernel_for_cpu_flags():
    try:
        with open("/proc/cpuinfo") as f:
            flags = next((line.split(":", 1)[1].split() for line in f if line.startswith("flags")), [])
    except OSError:
        return None
    if {"avx512f", "avx512bw", "avx512vl", "avx512dq"} <= set(flags):
        return "SkylakeX"
    if {"avx2", "fma"} <= set(flags):
        return "Haswell"
    return None


def rerun_with_a_known_kernel():
    """Runs this script again with OPENBLAS_CORETYPE set when OpenBLAS fell back to a generic kernel (see above)."""
    if "OPENBLAS_CORETYPE" in os.environ:
        return
    chosen = openblas_kernel()
    better = kernel_for_cpu_flags()
    if chosen in GENERIC_KERNELS and better is not None:
        env = dict(os.environ, OPENBLAS_CORETYPE=better, NETGEN_OPENBLAS_OWN_CHOICE=chosen)
        sys.stdout.flush()
        os.execve(sys.executable, [sys.executable] + sys.argv, env)


FASHION_MNIST = "/usr/share/datasets/fashion-mnist"  # Debian's dataset-fashion-mnist


def fashion_mnist_training_set():
    """The 60,000 training images (pixels / 255, as NetGen's Idx.LoadDataset gives them) and their labels."""
    with gzip.open(os.path.join(FASHION_MNIST, "train-images-idx3-ubyte.gz")) as f:
        images = f.read()
    with gzip.open(os.path.join(FASHION_MNIST, "train-labels-idx1-ubyte.gz")) as f:
        labels = f.read()
    count, rows, cols = struct.unpack(">III", images[4:16])
    x = torch.frombuffer(bytearray(images[16:16 + count * rows * cols]), dtype=torch.uint8).reshape(count, rows * cols)
    y = torch.frombuffer(bytearray(labels[8:8 + count]), dtype=torch.uint8).long()
    return x.float() / 255, y


def blas_info():
    info = {"openblas_num_threads": os.environ.get("OPENBLAS_NUM_THREADS"),
            "openblas_coretype": os.environ.get("OPENBLAS_CORETYPE"),
            "openblas_own_choice": os.environ.get("NETGEN_OPENBLAS_OWN_CHOICE")}
    try:
        import threadpoolctl
        info["threadpools"] = [{k: p.get(k) for k in ("internal_api", "version", "architecture", "num_threads", "filepath")}
                               for p in threadpoolctl.threadpool_info()]
    except ImportError:
        info["threadpools"] = "threadpoolctl not installed"
    config = torch.__config__.show()
    info["torch_build"] = re.findall(r"\b(?:BLAS_INFO|LAPACK_INFO|USE_MKLDNN|USE_OPENMP)=[^,\s]*", config)
    return info


def time_all():
    threads = int(os.environ.get("TORCH_THREADS", "1"))
    torch.set_num_threads(threads)
    mnist, _ = build("mnist")
    tab13, _ = build("tab13")
    sc4, _ = build("sc4")
    g = torch.Generator().manual_seed(1)
    one = torch.rand(1, 784, generator=g)
    batch = torch.rand(64, 784, generator=g)
    train_x = torch.rand(32, 784, generator=g)
    train_y = torch.arange(32) % 10
    epoch_x = torch.rand(60000, 784, generator=g)
    epoch_y = torch.randint(0, 10, (60000,), generator=g)
    epoch_data = "synthetic rows with random labels"
    if os.path.exists(os.path.join(FASHION_MNIST, "train-labels-idx1-ubyte.gz")):
        epoch_x, epoch_y = fashion_mnist_training_set()
        epoch_data = "Fashion-MNIST's training set (" + FASHION_MNIST + ")"
    tab_one = torch.rand(1, 13, generator=g)
    sc_x = torch.rand(10000, 4, generator=g) * 2 - 1
    sc_y = torch.rand(10000, 4, generator=g) * 2 - 1
    tab_x = torch.rand(32, 13, generator=g)
    tab_y = torch.arange(32) % 3

    mnist_train, _ = build("mnist")
    opt = torch.optim.Adam(mnist_train.parameters(), lr=1e-6)
    ce = torch.nn.CrossEntropyLoss()
    epoch_model, _ = build("mnist")
    epoch_opt = torch.optim.Adam(epoch_model.parameters(), lr=1e-3)
    sc_opt = torch.optim.Adam(sc4.parameters(), lr=1e-3)
    tab_train, _ = build("tab13")
    tab_opt = torch.optim.Adam(tab_train.parameters(), lr=1e-6)
    mse = torch.nn.MSELoss()
    for m in (mnist, tab13):
        m.eval()

    def predict_one():
        with torch.inference_mode():
            torch.softmax(mnist(one), dim=1)

    def predict_batch():
        with torch.inference_mode():
            torch.softmax(mnist(batch), dim=1)

    def train_step():
        opt.zero_grad(set_to_none=True)
        ce(mnist_train(train_x), train_y).backward()
        opt.step()

    def epoch():
        order = torch.randperm(60000)
        for start in range(0, 60000, 64):
            index = order[start:start + 64]
            epoch_opt.zero_grad(set_to_none=True)
            ce(epoch_model(epoch_x[index]), epoch_y[index]).backward()
            epoch_opt.step()

    def sc_step():
        sc_opt.zero_grad(set_to_none=True)
        mse(sc4(sc_x), sc_y).backward()
        sc_opt.step()

    def tab_train_step():
        tab_opt.zero_grad(set_to_none=True)
        ce(tab_train(tab_x), tab_y).backward()
        tab_opt.step()

    def tab_one_row():
        with torch.inference_mode():
            torch.softmax(tab13(tab_one), dim=1)

    # name, call, calls per round, rows per call (times are per row for batch inference, per call otherwise)
    candidates = [("mnist_predict_1", predict_one, 200, 1), ("mnist_predict_batch_64_per_row", predict_batch, 50, 64),
                  ("mnist_train_batch_32_adam", train_step, 20, 1), ("sc4_adam_step_10000_rows", sc_step, 10, 1),
                  ("tab13_predict_1", tab_one_row, 500, 1), ("tab13_train_batch_32_adam", tab_train_step, 200, 1)]
    for _, call, _, _ in candidates:
        for _ in range(30):
            call()
    rounds = 15
    times = {c[0]: [] for c in candidates}
    for _ in range(rounds):
        for name, call, calls, rows in candidates:
            start = time.perf_counter()
            for _ in range(calls):
                call()
            times[name].append((time.perf_counter() - start) * 1e9 / calls / rows)
    epoch()  # warm-up epoch
    epochs = []
    for _ in range(3):
        start = time.perf_counter()
        epoch()
        epochs.append((time.perf_counter() - start) * 1e9)
    times["mnist_epoch_60000_batch_64_adam"] = epochs

    return {
        "torch": torch.__version__, "threads": torch.get_num_threads(), "blas": blas_info(), "epoch_data": epoch_data,
        "results": [{"name": k, "median_ns": round(statistics.median(v), 1), "min_ns": round(min(v), 1),
                     "max_ns": round(max(v), 1)} for k, v in times.items()],
    }


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--export":
        export(sys.argv[2])
    else:
        rerun_with_a_known_kernel()
        print(json.dumps(time_all(), indent=2))
