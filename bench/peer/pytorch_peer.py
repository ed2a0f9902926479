#!/usr/bin/python3
"""Times PyTorch (CPU) on the network of bench/NetGen.Bench/BenchNetwork.cs, for a peer comparison.

784 -> 256 (ReLU) -> 128 (ReLU) -> 10 (softmax), float32: one row through the forward pass (inference mode),
64 rows per call, and one Adam step on 32 rows with cross-entropy. The timing method matches the bench's --quick
runner: alternating rounds, median per call. Prints JSON.

    apt-get install -y python3-torch libopenblas0-pthread
    /usr/bin/python3 bench/peer/pytorch_peer.py [threads]
"""
import json
import statistics
import sys
import time

import torch

threads = int(sys.argv[1]) if len(sys.argv) > 1 else 1
torch.set_num_threads(threads)
torch.manual_seed(0)
model = torch.nn.Sequential(
    torch.nn.Linear(784, 256), torch.nn.ReLU(),
    torch.nn.Linear(256, 128), torch.nn.ReLU(),
    torch.nn.Linear(128, 10))
model.eval()
one = torch.rand(1, 784)
batch = torch.rand(64, 784)
train_x = torch.rand(32, 784)
train_y = torch.arange(32) % 10
optimizer = torch.optim.Adam(model.parameters(), lr=1e-6)
loss_fn = torch.nn.CrossEntropyLoss()


def predict_one():
    with torch.inference_mode():
        torch.softmax(model(one), dim=1)


def predict_batch():
    with torch.inference_mode():
        torch.softmax(model(batch), dim=1)


def train_step():
    optimizer.zero_grad(set_to_none=True)
    loss = loss_fn(model(train_x), train_y)
    loss.backward()
    optimizer.step()


candidates = [("predict_one_row", predict_one, 200, 1), ("predict_batch_64_rows_per_row", predict_batch, 50, 64),
              ("train_batch_32_rows", train_step, 20, 1)]
for _, call, _, _ in candidates:
    for _ in range(30):
        call()

rounds = 21
times = {name: [] for name, _, _, _ in candidates}
for _ in range(rounds):
    for name, call, calls, rows in candidates:
        start = time.perf_counter()
        for _ in range(calls):
            call()
        times[name].append((time.perf_counter() - start) * 1e9 / calls / rows)

print(json.dumps({
    "torch": torch.__version__, "threads": threads, "network": "784-256-128-10 ReLU/Softmax, float32",
    "results": [{"name": name, "median_ns": round(statistics.median(values), 1)} for name, values in times.items()],
}, indent=2))
