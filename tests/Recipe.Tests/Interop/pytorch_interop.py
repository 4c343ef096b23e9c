"""The PyTorch side of Recipe's checkpoint interop tests (run with Debian's /usr/bin/python3, torch and torchvision).

  torchvision-out DIR  build torchvision's resnet18 with a fixed seed, give its batch norms running statistics, and save
                       its state_dict (DIR/torchvision-resnet18.pt), an input and PyTorch's eval-mode outputs (DIR/io.pt)
  check-recipe DIR     load Recipe's DIR/recipe.pt and DIR/recipe.safetensors into torchvision's resnet18 (10 classes,
                       strict names and shapes), run it on the input in DIR/recipe-io.pt and print the largest difference
                       from Recipe's outputs there, for each file
"""
import json
import struct
import sys

import numpy as np
import torch
import torchvision

SAFETENSORS_DTYPES = {"F32": np.float32, "F64": np.float64, "I64": np.int64, "I32": np.int32, "U8": np.uint8}


def read_safetensors(path):
    # The format is an 8-byte little-endian header length, a JSON index, then raw little-endian tensor bytes.
    with open(path, "rb") as f:
        raw = f.read()
    (length,) = struct.unpack("<Q", raw[:8])
    index = json.loads(raw[8:8 + length])
    body = raw[8 + length:]
    tensors = {}
    for name, entry in index.items():
        if name == "__metadata__":
            continue
        start, end = entry["data_offsets"]
        array = np.frombuffer(body[start:end], dtype=SAFETENSORS_DTYPES[entry["dtype"]]).reshape(entry["shape"])
        tensors[name] = torch.from_numpy(array.copy())
    return tensors


def torchvision_out(folder):
    torch.manual_seed(0)
    model = torchvision.models.resnet18(num_classes=1000)
    model.train()
    with torch.no_grad():  # batch norms collect running statistics that differ from their 0/1 start
        for _ in range(3):
            model(torch.randn(4, 3, 64, 64) * 2 + 0.5)
    model.eval()
    torch.manual_seed(1)
    x = torch.randn(2, 3, 224, 224)
    with torch.no_grad():
        y = model(x)
    torch.save(model.state_dict(), f"{folder}/torchvision-resnet18.pt")
    torch.save({"x": x, "y": y}, f"{folder}/io.pt")


def check_recipe(folder):
    io = torch.load(f"{folder}/recipe-io.pt")
    for file, state in [("recipe.pt", torch.load(f"{folder}/recipe.pt")), ("recipe.safetensors", read_safetensors(f"{folder}/recipe.safetensors"))]:
        model = torchvision.models.resnet18(num_classes=10)
        model.load_state_dict(state, strict=True)
        model.eval()
        with torch.no_grad():
            y = model(io["x"])
        print(f"{file} {(y - io['y']).abs().max().item():.3e}")


if __name__ == "__main__":
    {"torchvision-out": torchvision_out, "check-recipe": check_recipe}[sys.argv[1]](sys.argv[2])
