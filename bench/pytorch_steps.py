#!/usr/bin/env python3
"""The PyTorch side of Recipe.Bench's `train` benchmark.

Runs the same training steps as the bare TorchSharp loop (bench/Recipe.Bench/BareLoopVariant.cs) on
the same data: Fashion-MNIST's 60,000 training images held in memory as uint8, a seeded shuffled
order, batches of 128 gathered with index_select, uint8 -> float normalized with the training mean
and std, forward, cross-entropy, zero_grad (zeros, as TorchSharp's Adam does), backward, Adam 3e-4.
Warm-up steps run untimed, then the timed steps; prints steps per second (wall clock; the server
also answers steps per second of process CPU time) as JSON.

One-shot:  pytorch_steps.py --model mlp --threads 1 --repeats 3
Serving:   pytorch_steps.py --serve --threads 1
           reads one JSON request per line ({"model": "cnn", "warmup": 5, "steps": 60, "seed": 0})
           and answers one JSON line each, so that the benchmark can interleave PyTorch with the
           TorchSharp variants without paying Python's start-up every time.
"""
import argparse
import gzip
import json
import os
import struct
import sys
import time

BATCH_SIZE = 128
LEARNING_RATE = 3e-4


def read_idx(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        content = f.read()
    ndim = content[3]
    dims = struct.unpack(">" + "I" * ndim, content[4:4 + 4 * ndim])
    return torch.frombuffer(bytearray(content[4 + 4 * ndim:]), dtype=torch.uint8).reshape(dims)


def find(folder, name):
    for ext in ("", ".gz"):
        path = os.path.join(folder, name + ext)
        if os.path.exists(path):
            return path
    raise FileNotFoundError(f"{name}[.gz] in {folder}")


def load(folder):
    images = read_idx(find(folder, "train-images-idx3-ubyte")).reshape(-1, 1, 28, 28)  # (N, 1, 28, 28) uint8
    labels = read_idx(find(folder, "train-labels-idx1-ubyte")).to(torch.int64)         # (N)
    x = images.float().div_(255)
    mean = x.mean(dim=(0, 2, 3), keepdim=True)                                         # (1, 1, 1, 1)
    std = x.std(dim=(0, 2, 3), keepdim=True).clamp_min(1e-6)
    return images, labels, mean, std


def make_model(name):
    if name == "mlp":  # Recipe's Mlp(784, [128], 10)
        return nn.Sequential(nn.Flatten(), nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10))
    if name == "cnn":
        # The function Recipe's SmallCnn(1, 28, 28, 10, filters: 16) computes, written the usual way. SmallCnn
        # pools before the ReLU on channels-last activations (same outputs and gradients, less time); that is
        # Recipe's own doing, so the reference stays the plain stack a PyTorch user would write.
        return nn.Sequential(
            nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Flatten(), nn.Linear(32 * 7 * 7, 128), nn.ReLU(), nn.Linear(128, 10))
    raise ValueError(f"unknown model {name!r} (mlp, cnn)")


def steps_per_second(data, model_name, warmup, steps, seed):
    images, labels, mean, std = data
    if (warmup + steps) * BATCH_SIZE > images.shape[0]:
        raise ValueError("warm-up plus timed steps must fit in one epoch")
    torch.manual_seed(seed)
    model = make_model(model_name)
    optimizer = torch.optim.Adam(model.parameters(), lr=LEARNING_RATE)
    order = torch.randperm(images.shape[0], generator=torch.Generator().manual_seed(seed))
    model.train()
    start, start_cpu = time.perf_counter(), time.process_time()
    for step in range(warmup + steps):
        if step == warmup:
            start, start_cpu = time.perf_counter(), time.process_time()
        index = order[step * BATCH_SIZE:(step + 1) * BATCH_SIZE]
        x = images.index_select(0, index).float().div_(255).sub_(mean).div_(std)  # (B, 1, 28, 28)
        y = labels.index_select(0, index)                                         # (B)
        loss = F.cross_entropy(model(x), y)
        optimizer.zero_grad(set_to_none=False)
        loss.backward()
        optimizer.step()
    # per wall second, and per second of this process's CPU time (the steadier number on a busy machine)
    return steps / (time.perf_counter() - start), steps / (time.process_time() - start_cpu)


def serve(data):
    print(json.dumps({"ready": True, "torch": torch.__version__, "threads": torch.get_num_threads(), "blas": blas_library()}), flush=True)
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            request = json.loads(line)
            wall, cpu = steps_per_second(data, request["model"], request["warmup"], request["steps"], request.get("seed", 0))
            print(json.dumps({"steps_per_second": wall, "steps_per_cpu_second": cpu}), flush=True)
        except Exception as e:  # answer with the error; the benchmark shows it
            print(json.dumps({"error": f"{type(e).__name__}: {e}"}), flush=True)


def blas_library():
    """The BLAS shared library this process mapped (Debian picks it with update-alternatives)."""
    with open("/proc/self/maps") as maps:
        paths = {line.split()[-1] for line in maps if "blas" in os.path.basename(line.split()[-1])}
    return ", ".join(sorted(os.path.realpath(p) for p in paths)) or "none mapped"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    parser.add_argument("--threads", type=int, default=1, help="torch intra-op threads (set explicitly)")
    parser.add_argument("--model", choices=["mlp", "cnn"], default="mlp")
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--steps", type=int, default=400)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--serve", action="store_true", help="answer JSON requests on stdin")
    args = parser.parse_args()

    # BLAS and OpenMP read their thread counts when the library loads, i.e. at `import torch`:
    # pin them first, so that PyTorch uses exactly --threads like the TorchSharp side.
    for variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[variable] = str(args.threads)
    global torch, F, nn
    import torch
    import torch.nn.functional as F
    from torch import nn
    torch.set_num_threads(args.threads)
    data = load(args.data)
    if args.serve:
        serve(data)
        return
    values = [steps_per_second(data, args.model, args.warmup, args.steps, seed)[0] for seed in range(args.repeats)]
    print(json.dumps({"torch": torch.__version__, "threads": torch.get_num_threads(), "blas": blas_library(), "model": args.model,
                      "steps_per_second": values, "median": sorted(values)[len(values) // 2]}))


if __name__ == "__main__":
    main()
