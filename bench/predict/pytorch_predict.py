"""PyTorch's side of bench/predict: the same run's small CNN (model.pt), the same 10,000 test images, the same
normalization and input size (model.json) and batch size, timed the way `recipe predict` times its batches (normalize + forward,
eval mode, no gradients), in PyTorch's default layout (NCHW) and in channels-last (the layout Recipe's SmallCnn uses). Prints one JSON line: images per second and the largest difference from Recipe's
probabilities (predictions.csv), which says both ran the same model.
Usage: pytorch_predict.py RUN_DIR IDX_IMAGES_FILE RECIPE_PREDICTIONS_CSV THREADS BATCH"""
import csv
import gzip
import json
import sys
import time

import numpy as np
import torch
from torch import nn

run, images_file, predictions, threads, batch = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
torch.set_num_threads(threads)
card = json.load(open(f"{run}/model.json"))
assert card["architecture"] == "cnn", "this bench builds Recipe's small CNN only"
channels, height, width = card["example_shape"]
filters, classes = card["width"], len(card["class_names"])
normalization = card["input"]
# stage 4's smaller input: the model was built for, and trained on, the normalized image averaged over f×f blocks
# (cards written before the field existed mean 1, the stored size)
downsample = normalization.get("downsample", 1)
model_height, model_width = height // downsample, width // downsample


class SmallCnn(nn.Module):
    """The textbook conv → ReLU → max-pool stack Recipe's SmallCnn computes (its layer names, so model.pt loads as is)."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(channels, filters, 3, padding=1)
        self.conv2 = nn.Conv2d(filters, 2 * filters, 3, padding=1)
        self.hidden = nn.Linear(2 * filters * (model_height // 4) * (model_width // 4), 8 * filters)
        self.output = nn.Linear(8 * filters, classes)

    def forward(self, x):
        x = torch.relu(torch.max_pool2d(self.conv1(x), 2))
        x = torch.relu(torch.max_pool2d(self.conv2(x), 2))
        return self.output(torch.relu(self.hidden(x.flatten(1))))


model = SmallCnn()
model.load_state_dict(torch.load(f"{run}/model.pt"))
model.eval()
opener = gzip.open if images_file.endswith(".gz") else open
with opener(images_file, "rb") as f:
    raw = f.read()
count = int.from_bytes(raw[4:8], "big")
stored = torch.from_numpy(np.frombuffer(raw, dtype=np.uint8, offset=16).reshape(count, channels, height, width).copy())
mean = torch.tensor(normalization["mean"], dtype=torch.float32).view(1, -1, 1, 1)
std = torch.tensor(normalization["std"], dtype=torch.float32).view(1, -1, 1, 1)
scale = normalization["scale"] / 255.0



def timed(channels_last):
    """Seconds for every batch and the outputs; channels_last: the layout Recipe's SmallCnn computes in (PyTorch's opt-in)."""
    net = model.to(memory_format=torch.channels_last) if channels_last else model
    outputs = []
    start = time.perf_counter()
    with torch.no_grad():
        for first in range(0, count, batch):
            x = (stored[first:first + batch].float() * scale - mean) / std
            if downsample > 1:
                x = torch.nn.functional.avg_pool2d(x, downsample)
            if channels_last:
                x = x.contiguous(memory_format=torch.channels_last)
            outputs.append(net(x))
    return time.perf_counter() - start, torch.cat(outputs)


seconds, logits = timed(False)
seconds_last, logits_last = timed(True)
probabilities = logits.softmax(1).double().numpy()

with open(predictions) as f:
    rows = list(csv.reader(f))
columns = [i for i, name in enumerate(rows[0]) if name.startswith("p(")]
recipe = np.array([[float(row[i]) for i in columns] for row in rows[1:]])
print(json.dumps({"images": count, "seconds": round(seconds, 3), "images_per_second": round(count / seconds, 1),
                  "channels_last_images_per_second": round(count / seconds_last, 1),
                  "max_probability_difference": float(np.abs(recipe - probabilities).max()),
                  "channels_last_max_probability_difference": float(np.abs(recipe - logits_last.softmax(1).double().numpy()).max())}))
