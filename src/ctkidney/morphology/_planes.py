"""3-D flat morphology as 2-D morphology of the footprint's planes.

A 3-D footprint is a stack of 2-D footprints, one per slice offset ``dz``. The
erosion of a volume is then, slice by slice, the minimum over ``dz`` of the 2-D
erosion of slice ``z + dz`` by plane ``dz``: every distinct plane costs one 2-D
erosion of each slice (OpenCV's SIMD erode or our chord kernel, whichever the 2-D
code picks) and every plane one elementwise minimum. Slices outside the volume are
ignored, as pixels outside an image are in 2-D.
"""

import numpy as np

__all__ = ["by_planes"]


def _each_slice(volume, plane, op2d):
    out = np.empty_like(volume)
    for z in range(volume.shape[0]):
        out[z] = op2d(volume[z], plane)
    return out


def by_planes(volume, footprint, op2d, reduce, identity):
    """``reduce`` (np.minimum or np.maximum) over the footprint's planes of
    ``op2d(slice, plane)``, with the slice offsets of ``footprint`` (odd-sized,
    centre anchor). ``identity`` fills voxels that no plane reaches."""
    volume = np.ascontiguousarray(volume)
    nz = volume.shape[0]
    cz = footprint.shape[0] // 2
    centre_only = np.zeros(footprint.shape[1:], dtype=bool)
    centre_only[footprint.shape[1] // 2, footprint.shape[2] // 2] = True
    done = {}
    out = None
    for i, plane in enumerate(footprint):
        dz = i - cz
        lo, hi = max(0, -dz), min(nz, nz - dz)
        if not plane.any() or lo >= hi:
            continue
        key = plane.tobytes()
        if key not in done:
            done[key] = volume if np.array_equal(plane, centre_only) else \
                _each_slice(volume, np.ascontiguousarray(plane), op2d)
        source = done[key]
        if out is None:
            out = np.full(volume.shape, identity, dtype=volume.dtype)
        reduce(out[lo:hi], source[lo + dz:hi + dz], out=out[lo:hi])
    if out is None:
        out = np.full(volume.shape, identity, dtype=volume.dtype)
    return out
