#!/usr/bin/env python3
"""Writes the Fashion-MNIST subset embedded in the jar: the first 5,000 training and first 1,000
test examples of the real set (Debian package dataset-fashion-mnist), as gzip IDX files with a
fixed mtime so that the output is byte-for-byte reproducible.

usage: tools/make-embedded-fashion-mnist.py [SOURCE_DIR]
"""
import gzip, struct, sys, pathlib

src = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "/usr/share/datasets/fashion-mnist")
dst = pathlib.Path(__file__).resolve().parent.parent / \
    "tensorflow-ops/src/main/resources/dev/dropwise/data/fashion-mnist-small"
dst.mkdir(parents=True, exist_ok=True)

def subset(name, n):
    data = gzip.open(src / (name + ".gz")).read()
    magic, count = struct.unpack(">II", data[:8])
    dims = struct.unpack(">" + "I" * (magic & 0xff), data[4:4 + 4 * (magic & 0xff)])
    per_item = 1
    for d in dims[1:]:
        per_item *= d
    header = struct.pack(">I", magic) + struct.pack(">I", n) + data[8:4 + 4 * len(dims)]
    body_start = 4 + 4 * len(dims)
    out = header + data[body_start:body_start + n * per_item]
    with open(dst / (name + ".gz"), "wb") as f:
        with gzip.GzipFile(fileobj=f, mode="wb", mtime=0, filename="") as g:
            g.write(out)

subset("train-images-idx3-ubyte", 5000)
subset("train-labels-idx1-ubyte", 5000)
subset("t10k-images-idx3-ubyte", 1000)
subset("t10k-labels-idx1-ubyte", 1000)
