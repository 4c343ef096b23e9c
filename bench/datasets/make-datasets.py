#!/usr/bin/python3
"""Writes the public datasets of the real-data acceptance bench (bench/datasets/run) into one folder,
in the forms a user would hand to `recipe run`: CSV files with a header row, a folder of PNG images
with one subfolder per class, and plain text files. Sources are the copies Debian ships:
scikit-learn's bundled data (python3-sklearn), the license texts in /usr/share/common-licenses.
Usage: make-datasets.py OUT_DIR"""
import csv
import gzip
import os
import sys

import numpy as np
from PIL import Image
from sklearn import datasets as sk

SKLEARN_DATA = "/usr/lib/python3/dist-packages/sklearn/datasets/data"


def write_csv(path, header, rows):
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(rows)


def bunch_to_csv(out, name, bunch, class_names=True):
    X, y = bunch.data, bunch.target
    header = [str(n).replace(" ", "_") for n in bunch.feature_names] + ["target"]
    names = getattr(bunch, "target_names", None)
    labels = [names[int(v)] for v in y] if class_names and names is not None else y.tolist()
    write_csv(os.path.join(out, f"{name}.csv"), header, [list(x) + [t] for x, t in zip(X.tolist(), labels)])


def boston(out):
    # The CSV's first line holds counts; the second is the header. MEDV (median value, k$) is the target.
    with open(os.path.join(SKLEARN_DATA, "boston_house_prices.csv"), encoding="utf-8") as f:
        lines = f.read().splitlines()[1:]
    rows = list(csv.reader(lines))
    write_csv(os.path.join(out, "boston.csv"), rows[0], rows[1:])


def digit_images(out):
    # 1,797 8x8 grey digits (0-16), scaled to 0-255 and written as PNGs, one folder per class.
    digits = sk.load_digits()
    root = os.path.join(out, "digits-png")
    for i, (image, label) in enumerate(zip(digits.images, digits.target)):
        folder = os.path.join(root, str(label))
        os.makedirs(folder, exist_ok=True)
        Image.fromarray((image * (255 / 16)).round().astype(np.uint8), mode="L").save(os.path.join(folder, f"{i:04d}.png"))


def license_text(out):
    # Real English prose with indentation and long lines: the GPL family and Apache 2.0, one sequence per line.
    parts = ["GPL-2", "GPL-3", "LGPL-2.1", "LGPL-3", "Apache-2.0", "MPL-2.0", "Artistic", "GFDL-1.3"]
    with open(os.path.join(out, "licenses.txt"), "w", encoding="utf-8") as f:
        for part in parts:
            with open(os.path.join("/usr/share/common-licenses", part), encoding="utf-8") as src:
                f.write(src.read())


def wine_alcohol(out):
    # A regression on a column nobody chose for it: wine's alcohol content from the 12 other measurements and the cultivar.
    wine = sk.load_wine()
    columns = list(wine.feature_names)
    alcohol = columns.index("alcohol")
    header = [c for i, c in enumerate(columns) if i != alcohol] + ["cultivar", "alcohol"]
    rows = [[v for i, v in enumerate(x) if i != alcohol] + [f"class_{t}", x[alcohol]] for x, t in zip(wine.data.tolist(), wine.target)]
    write_csv(os.path.join(out, "wine-alcohol.csv"), header, rows)


def digits_three_eight(out):
    # A two-class subset of the 8x8 digits: the two classes a linear model confuses most (3 and 8), 64 pixel columns.
    digits = sk.load_digits()
    keep = [i for i, t in enumerate(digits.target) if t in (3, 8)]
    header = [f"pixel_{i}" for i in range(64)] + ["digit"]
    write_csv(os.path.join(out, "digits-3-8.csv"), header,
              [digits.data[i].astype(int).tolist() + [f"d{digits.target[i]}"] for i in keep])


def fashion_png(out, count=2000):
    # The first 2,000 Fashion-MNIST test images as a folder of PNGs, one subfolder per class name (a user's small image set).
    names = ["t-shirt", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker", "bag", "ankle-boot"]
    source = "/usr/share/datasets/fashion-mnist"
    with gzip.open(os.path.join(source, "t10k-images-idx3-ubyte.gz")) as f:
        images = np.frombuffer(f.read(), dtype=np.uint8, offset=16).reshape(-1, 28, 28)
    with gzip.open(os.path.join(source, "t10k-labels-idx1-ubyte.gz")) as f:
        labels = np.frombuffer(f.read(), dtype=np.uint8, offset=8)
    root = os.path.join(out, "fashion-png")
    for i in range(count):
        folder = os.path.join(root, names[labels[i]])
        os.makedirs(folder, exist_ok=True)
        Image.fromarray(images[i], mode="L").save(os.path.join(folder, f"{i:05d}.png"))


def gpl3_text(out):
    # One license alone (674 lines): a smaller text than licenses.txt, with its own indentation and repeats.
    with open("/usr/share/common-licenses/GPL-3", encoding="utf-8") as src, open(os.path.join(out, "gpl-3.txt"), "w", encoding="utf-8") as f:
        f.write(src.read())


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    bunch_to_csv(out, "iris", sk.load_iris())
    bunch_to_csv(out, "wine", sk.load_wine())
    bunch_to_csv(out, "breast-cancer", sk.load_breast_cancer())
    bunch_to_csv(out, "digits", sk.load_digits(), class_names=False)
    bunch_to_csv(out, "diabetes", sk.load_diabetes(scaled=False), class_names=False)
    boston(out)
    digit_images(out)
    license_text(out)
    wine_alcohol(out)
    digits_three_eight(out)
    fashion_png(out)
    gpl3_text(out)  # written last: bench/datasets/run regenerates the folder when this file is missing
    print(out)


if __name__ == "__main__":
    main()
