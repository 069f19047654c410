#!/usr/bin/env python3
"""Reference perceptual hashes for crates/hallmark-perceptual/tests/oracle.rs.

    oracle.py [--binding-luma] FILE...

prints one line per file:

    <pdq hex> <quality> <8 dihedral pdq hexes> <imagehash phash hex>

PDQ comes from the `pdqhash` package (0.2.8), which compiles Meta's reference C++
(ThreatExchange/pdq/cpp) and calls pdqHash256FromFloatLuma / pdqDihedralHash256esFromFloatLuma on
the full-resolution image; pHash from `imagehash.phash`. Install: scripts/setup.sh test (into
$HALLMARK_TOOLS/perceptual-venv).

Hex format: Meta's Hash256::format() prints the 16 16-bit words w[15] .. w[0], 4 hex digits each,
where bit k lives in word k >> 4 at bit k & 15. pdqhash's hash_to_vector(w) lists bit k for
k = 0..255 and then reverses the list, so element 0 is bit 255: reading the vector as one
big-endian 256-bit number gives exactly Meta's hex.

Luma: Meta's C++ (fillFloatLumaFromRGB) computes 0.299f*R + 0.587f*G + 0.114f*B in float32.
pdqhash's Python binding instead evaluates `image[:,:,0]*0.299 + ...` in numpy, which for a uint8
array is float64 arithmetic rounded to float32 at the end: a different last bit now and then, which
matters for flat images (whose DCT is all rounding noise). By default this script hands the binding
an array whose channel slices are float32 (numpy >= 2 treats the Python float coefficients as weak
scalars, so every operation is float32, in the C++ order), which reproduces the C++ luma exactly;
--binding-luma keeps the binding's own float64 luma.

Images are loaded with PIL; an alpha channel is composited over white with integer arithmetic
(c*a + 255*(255-a) + 127) // 255, the same as the Rust crate, before anything is hashed.
"""

import sys

import imagehash
import numpy as np
import pdqhash
from PIL import Image


def bits_to_meta_hex(vector) -> str:
    bits = [int(b) for b in vector]
    assert len(bits) == 256
    value = 0
    for b in bits:
        value = (value << 1) | b
    return f"{value:064x}"


class _Float32Channels(np.ndarray):
    """uint8 pixels whose slices come out as float32 (see the module docstring)."""

    def __getitem__(self, key):
        return np.asarray(super().__getitem__(key)).astype(np.float32)


def load_rgb(path: str) -> Image.Image:
    image = Image.open(path)
    image.load()
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = np.asarray(image.convert("RGBA")).astype(np.uint32)
        alpha = rgba[:, :, 3:4]
        rgb = (rgba[:, :, :3] * alpha + 255 * (255 - alpha) + 127) // 255
        return Image.fromarray(rgb.astype(np.uint8), "RGB")
    return image.convert("RGB")


def main() -> int:
    args = sys.argv[1:]
    binding_luma = "--binding-luma" in args
    args = [a for a in args if a != "--binding-luma"]
    assert int(np.__version__.split(".")[0]) >= 2, "numpy >= 2 needed for float32 luma"
    for path in args:
        image = load_rgb(path)
        pixels = np.ascontiguousarray(np.asarray(image, dtype=np.uint8))
        if not binding_luma:
            pixels = pixels.view(_Float32Channels)
        vector, quality = pdqhash.compute(pixels)
        dihedral, dquality = pdqhash.compute_dihedral(pixels)
        assert quality == dquality
        fields = [bits_to_meta_hex(vector), str(quality)]
        fields += [bits_to_meta_hex(v) for v in dihedral]
        fields.append(str(imagehash.phash(image)))
        print(" ".join(fields), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
