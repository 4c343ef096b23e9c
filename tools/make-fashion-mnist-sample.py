#!/usr/bin/env python3
"""Regenerates data/fashion-mnist-sample from Debian's dataset-fashion-mnist.

Keeps the first 600 training and the first 100 test images of each class, in file order,
so the sample is balanced and small enough to ship (about 3 MB) while staying real data.
"""
import gzip, struct, sys, os

SOURCE = "/usr/share/datasets/fashion-mnist"
TARGET = os.path.join(os.path.dirname(__file__), "..", "data", "fashion-mnist-sample")

def read(prefix):
    with gzip.open(f"{SOURCE}/{prefix}-images-idx3-ubyte.gz") as f:
        magic, n, rows, cols = struct.unpack(">IIII", f.read(16))
        images = f.read()
    with gzip.open(f"{SOURCE}/{prefix}-labels-idx1-ubyte.gz") as f:
        magic, n2 = struct.unpack(">II", f.read(8))
        labels = f.read()
    assert n == n2
    return images, labels, rows, cols

def write(prefix, per_class):
    images, labels, rows, cols = read(prefix)
    size = rows * cols
    taken, counts = [], [0] * 10
    for i, label in enumerate(labels):
        if counts[label] < per_class:
            counts[label] += 1
            taken.append(i)
    with gzip.GzipFile(f"{TARGET}/{prefix}-images-idx3-ubyte.gz", "wb", mtime=0) as f:
        f.write(struct.pack(">IIII", 2051, len(taken), rows, cols))
        for i in taken:
            f.write(images[i * size:(i + 1) * size])
    with gzip.GzipFile(f"{TARGET}/{prefix}-labels-idx1-ubyte.gz", "wb", mtime=0) as f:
        f.write(struct.pack(">II", 2049, len(taken)))
        f.write(bytes(labels[i] for i in taken))

if __name__ == "__main__":
    os.makedirs(TARGET, exist_ok=True)
    write("train", 600)
    write("t10k", 100)
