#!/usr/bin/python3
"""PyTorch and scikit-learn reference values for NetGen's training features (Trainer.Fit options).

What it writes (training.json next to this file, committed so that CI needs no Python):
  schedules   the learning rate of every epoch under torch.optim.lr_scheduler StepLR, ExponentialLR,
              CosineAnnealingLR (past T_max) and ReduceLROnPlateau (relative and absolute thresholds, cooldown,
              min_lr, min and max modes) fed a fixed metric sequence, stepped once per epoch as usual;
  clipping    a 3 -> 4 tanh -> 2 network under MSE: torch.nn.utils.clip_grad_norm_'s total norm, the clipped
              gradient, and the parameters after each of 3 SGD and 3 Adam steps with clipping between backward and
              step (one batch per step, the same batch every step), plus a case whose norm is below max_norm;
  metrics     sklearn.metrics confusion_matrix, precision_recall_fscore_support (zero_division=0) and accuracy on
              fixed labels (one class never predicted), and mean_squared_error, mean_absolute_error, r2_score
              (uniform average) on fixed two-output regression values;
  weighting   class and sample weights: the weighted mean loss sum(w_i L_i) / sum(w_i) (nn.CrossEntropyLoss(weight=...)
              with reduction='mean', checked against it in the script), its gradient and three SGD steps, for
              CrossEntropy with class weights, with class and sample weights, and MSE with sample weights.

How to run (from the repository root):
  apt-get install -y python3-torch python3-sklearn libopenblas0-pthread
  /usr/bin/python3 tests/reference/make_training_reference.py
Deterministic: a second run rewrites training.json byte for byte. Everything is float64.
"""
import json
import math
import os

import torch
import torch.nn as nn
import sklearn
from sklearn import metrics

HERE = os.path.dirname(os.path.abspath(__file__))
torch.set_num_threads(1)
torch.set_default_dtype(torch.float64)


def rates(make, epochs, metric_values=None):
    p = nn.Parameter(torch.zeros(1))
    opt = torch.optim.SGD([p], lr=0.1)
    sched = make(opt)
    out = []
    for e in range(epochs):
        out.append(opt.param_groups[0]["lr"])
        opt.step()
        if metric_values is None:
            sched.step()
        else:
            sched.step(metric_values[e])
    return out


def schedules():
    S = torch.optim.lr_scheduler
    losses = [1.0, 0.9, 0.95, 0.91, 0.905, 0.8, 0.81, 0.82, 0.83, 0.84, 0.79, 0.7905, 0.7901, 0.7899, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8]
    accuracy = [0.5, 0.6, 0.6, 0.6, 0.61, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7, 0.72, 0.72, 0.72, 0.72, 0.72, 0.72, 0.72, 0.72]
    return [
        {"name": "StepLR", "step_size": 3, "gamma": 0.5, "rates": rates(lambda o: S.StepLR(o, step_size=3, gamma=0.5), 12)},
        {"name": "ExponentialLR", "gamma": 0.9, "rates": rates(lambda o: S.ExponentialLR(o, gamma=0.9), 8)},
        {"name": "CosineAnnealingLR", "t_max": 5, "eta_min": 0.001, "rates": rates(lambda o: S.CosineAnnealingLR(o, T_max=5, eta_min=0.001), 16)},
        {"name": "ReduceLROnPlateau", "mode": "min", "factor": 0.5, "patience": 2, "threshold": 0.01, "threshold_mode": "rel", "cooldown": 1,
         "min_lr": 0.004, "metric": losses,
         "rates": rates(lambda o: S.ReduceLROnPlateau(o, mode="min", factor=0.5, patience=2, threshold=0.01, threshold_mode="rel", cooldown=1, min_lr=0.004), 20, losses)},
        {"name": "ReduceLROnPlateau", "mode": "min", "factor": 0.1, "patience": 10, "threshold": 1e-4, "threshold_mode": "rel", "cooldown": 0,
         "min_lr": 0.0, "metric": losses,
         "rates": rates(lambda o: S.ReduceLROnPlateau(o), 20, losses)},
        {"name": "ReduceLROnPlateau", "mode": "max", "factor": 0.2, "patience": 1, "threshold": 0.005, "threshold_mode": "abs", "cooldown": 0,
         "min_lr": 0.0, "metric": accuracy,
         "rates": rates(lambda o: S.ReduceLROnPlateau(o, mode="max", factor=0.2, patience=1, threshold=0.005, threshold_mode="abs"), 20, accuracy)},
    ]


def flat_parameters(model):
    return [v for p in model.parameters() for v in p.detach().reshape(-1).tolist()]


def clipping_case(name, optimizer, lr, max_norm, target_scale):
    g = torch.Generator().manual_seed(7)
    model = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 2))
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(torch.randn(p.shape, generator=g) * 0.5)
    x = torch.randn(5, 3, generator=g)
    t = torch.randn(5, 2, generator=g) * target_scale
    start = flat_parameters(model)
    opt = torch.optim.SGD(model.parameters(), lr=lr) if optimizer == "Sgd" else torch.optim.Adam(model.parameters(), lr=lr)
    steps = []
    for _ in range(3):
        opt.zero_grad()
        loss = nn.functional.mse_loss(model(x), t)
        loss.backward()
        total = nn.utils.clip_grad_norm_(model.parameters(), max_norm)
        clipped = [v for p in model.parameters() for v in p.grad.reshape(-1).tolist()]
        opt.step()
        steps.append({"loss": loss.item(), "total_norm": total.item(), "clipped_gradient": clipped, "parameters": flat_parameters(model)})
    return {"name": name, "optimizer": optimizer, "learning_rate": lr, "max_norm": max_norm, "parameters": start,
            "inputs": x.reshape(-1).tolist(), "targets": t.reshape(-1).tolist(), "steps": steps}


def weighted_case(name, loss, outputs, class_weights, sample_weights, lr=0.1):
    """Three SGD steps on one batch of 6 rows under a weighted mean loss: sum(w_i * L_i) / sum(w_i), where w_i is the
    class weight of row i's label times its sample weight. With class weights alone and CrossEntropy this is exactly
    nn.CrossEntropyLoss(weight=class_weights) with reduction='mean' (asserted below); MSE divides by the outputs too."""
    g = torch.Generator().manual_seed(11)
    model = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, outputs))
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(torch.randn(p.shape, generator=g) * 0.5)
    x = torch.randn(6, 3, generator=g)
    labels = torch.tensor([0, 1, 2, 1, 0, 2]) if loss == "CrossEntropy" else None
    t = torch.randn(6, outputs, generator=g) if loss == "MeanSquaredError" else None
    start = flat_parameters(model)
    opt = torch.optim.SGD(model.parameters(), lr=lr)
    w = torch.ones(6)
    if class_weights is not None:
        w = w * torch.tensor(class_weights)[labels]
    if sample_weights is not None:
        w = w * torch.tensor(sample_weights)
    steps = []
    for _ in range(3):
        opt.zero_grad()
        y = model(x)
        if loss == "CrossEntropy":
            rows = nn.functional.cross_entropy(y, labels, reduction="none")
            value = (w * rows).sum() / w.sum()
            if sample_weights is None:
                builtin = nn.functional.cross_entropy(y, labels, weight=torch.tensor(class_weights))
                assert abs(builtin.item() - value.item()) <= 1e-15 * abs(value.item()), (builtin.item(), value.item())
        else:
            rows = ((y - t) ** 2).sum(dim=1)
            value = (w * rows).sum() / (w.sum() * outputs)
        value.backward()
        gradient = [v for p in model.parameters() for v in p.grad.reshape(-1).tolist()]
        opt.step()
        steps.append({"loss": value.item(), "gradient": gradient, "parameters": flat_parameters(model)})
    case = {"name": name, "loss": loss, "outputs": outputs, "learning_rate": lr, "parameters": start,
            "inputs": x.reshape(-1).tolist(), "class_weights": class_weights, "sample_weights": sample_weights, "steps": steps}
    if labels is not None:
        case["labels"] = labels.tolist()
    if t is not None:
        case["targets"] = t.reshape(-1).tolist()
    return case


def metric_cases():
    actual = [0, 0, 0, 1, 1, 1, 1, 2, 2, 3, 3, 3]
    predicted = [0, 1, 0, 1, 1, 2, 1, 2, 0, 1, 0, 1]   # class 3 is never predicted
    p, r, f, s = metrics.precision_recall_fscore_support(actual, predicted, labels=[0, 1, 2, 3], zero_division=0)
    y = [[1.0, -2.0], [2.5, 0.0], [3.0, 1.5], [-1.0, 4.0], [0.5, 0.5]]
    t = [[1.5, -1.0], [2.0, 0.5], [3.5, 1.0], [-0.5, 3.0], [0.0, 1.0]]
    return {
        "classification": {
            "classes": 4, "actual": actual, "predicted": predicted,
            "confusion": metrics.confusion_matrix(actual, predicted, labels=[0, 1, 2, 3]).tolist(),
            "precision": p.tolist(), "recall": r.tolist(), "f1": f.tolist(), "support": s.tolist(),
            "accuracy": metrics.accuracy_score(actual, predicted),
            "macro_precision": metrics.precision_score(actual, predicted, average="macro", zero_division=0),
            "macro_recall": metrics.recall_score(actual, predicted, average="macro", zero_division=0),
            "macro_f1": metrics.f1_score(actual, predicted, average="macro", zero_division=0),
        },
        "regression": {
            "outputs": [v for row in y for v in row], "targets": [v for row in t for v in row], "output_size": 2,
            "rmse": math.sqrt(metrics.mean_squared_error(t, y)), "mae": metrics.mean_absolute_error(t, y), "r2": metrics.r2_score(t, y),
        },
    }


def main():
    data = {
        "torch_version": torch.__version__,
        "sklearn_version": sklearn.__version__,
        "schedules": schedules(),
        "clipping": [
            clipping_case("sgd_clipped", "Sgd", 0.1, 0.5, 3.0),
            clipping_case("adam_clipped", "Adam", 0.01, 0.5, 3.0),
            clipping_case("sgd_below_max_norm", "Sgd", 0.1, 100.0, 3.0),
        ],
        "metrics": metric_cases(),
        "weighting": [
            weighted_case("class_weighted_cross_entropy", "CrossEntropy", 3, [1.0, 2.5, 0.5], None),
            weighted_case("class_and_sample_weighted_cross_entropy", "CrossEntropy", 3, [1.0, 2.5, 0.5], [0.5, 1.0, 2.0, 0.0, 1.5, 1.0]),
            weighted_case("sample_weighted_mse", "MeanSquaredError", 2, None, [0.5, 1.0, 2.0, 0.0, 1.5, 1.0]),
        ],
    }
    with open(os.path.join(HERE, "training.json"), "w", encoding="utf-8", newline="\n") as f:
        json.dump(data, f, indent=1, sort_keys=False)
        f.write("\n")


if __name__ == "__main__":
    main()
