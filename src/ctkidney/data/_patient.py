"""Synthetic 3-D patients (:func:`make_patient`) and the acquisition that turns HU
into Kaggle-like 8-bit slices (window, blur, correlated noise, streaks, JPEG)."""

import math
import numbers
from dataclasses import dataclass
from typing import NamedTuple

import cv2
import numpy as np

from ctkidney._shared.docstrings import fill_doc
from ctkidney._shared.validation import check_memory, check_rng, check_scalar
from ctkidney._shared.volume import check_spacing
from ctkidney.data._anatomy import PHASES, Grid, child, draw_anatomy, render
from ctkidney.data._dataset import CLASSES

__all__ = ["ACQUISITION_TUNABLES", "PHANTOM_VERSION", "Patient", "Phantom", "make_patient"]

#: Version of the phantom generator. Numbers measured on phantoms (test floors, guide
#: tables) name the version that produced them; it changes whenever the same seed
#: gives different images.
PHANTOM_VERSION = "2.0"

#: The abdominal window used by default to turn HU into 8-bit grey levels (level, width).
ABDOMEN_WINDOW = (40.0, 400.0)

#: Random ranges of the acquisition and of the view (units in the names); see
#: :data:`~ctkidney.data.PHANTOM_TUNABLES` for the anatomy.
ACQUISITION_TUNABLES = {
    "coronal_probability": 1 / 3,
    "axial_body_fraction": (0.65, 0.9),     # body width / field of view
    "coronal_margin": (1.15, 1.8),           # field of view / body width
    "coronal_height_ratio": (1.2, 1.9),     # head-feet extent / left-right extent
    "window_level_hu": (35.0, 90.0),
    "window_width_hu": (320.0, 600.0),
    "psf_sigma_px": (0.15, 0.4),
    "edge_enhancement": (0.15, 0.6),        # unsharp-mask gain of the kernel
    "edge_enhancement_px": (1.0, 3.0),      # its radius, at twice the size
    "noise_sd_hu": (6.0, 20.0),
    "noise_grain_px": (0.5, 1.0),       # at twice the size
    "noise_correlation_px": (2.0, 4.0),
    "streak_count": (0, 4),
    "streak_hu": (8.0, 40.0),
    "jpeg_quality": (75, 95),
    "slice_spacing_mm": (1.0, 5.0),
    "series_step_mm": (0.8, 3.0),
}
A = ACQUISITION_TUNABLES


class Phantom(NamedTuple):
    """One synthetic slice and its ground truth (see :func:`make_phantom`)."""

    image: np.ndarray
    """(H, W) uint8: the acquired slice (windowed, blurred, noisy, JPEG)."""
    hu: np.ndarray
    """(H, W) float32: the noise-free object in Hounsfield units."""
    kidney_mask: np.ndarray
    """(H, W) bool: the kidneys (parenchyma) including any lesion in them."""
    lesion_mask: np.ndarray
    """(H, W) bool: the lesion (all stones), empty for Normal."""
    label: int
    """Class index into :data:`CLASSES`."""


def _window(hu, window):
    level, width = window
    scale = np.float32(255.0 / width)
    scaled = (hu - np.float32(level - width / 2.0)) * scale
    return np.clip(np.rint(scaled), 0, 255).astype(np.uint8)


@dataclass(frozen=True, eq=False)
class Patient:
    """A synthetic 3-D abdomen in Hounsfield units (see :func:`make_patient`).

    Attributes
    ----------
    hu : (Z, H, W) float32 ndarray
        The noise-free object in HU; ``hu[z]`` is an axial slice (image rows run
        front to back, columns from the patient's right to left), ``hu[:, y]`` a
        coronal one (rows head to feet).
    spacing : tuple of float
        Voxel size ``(dz, dy, dx)`` in millimetres.
    kidney_mask, lesion_mask : (Z, H, W) bool ndarray
        Kidney parenchyma (with the lesion) and the lesion (every stone).
    label : int
        Class index into :data:`CLASSES`.
    phase : str
        Contrast phase, one of ``"unenhanced"``, ``"corticomedullary"``,
        ``"nephrographic"``, ``"excretory"``.
    """

    hu: np.ndarray
    spacing: tuple
    kidney_mask: np.ndarray
    lesion_mask: np.ndarray
    label: int
    phase: str

    def _cut(self, hu, kidney, lesion, window):
        image = _window(hu, ABDOMEN_WINDOW if window is None else window)
        return Phantom(image, hu.copy(), kidney.copy(), lesion.copy(), self.label)

    def axial(self, index, *, window=None):
        """Axial slice ``index`` as a :class:`Phantom`: ``image`` is the noise-free HU
        under ``window`` ``(level, width)`` (default 40/400) as uint8, ``hu`` float32,
        masks bool, all ``(H, W)``."""
        index = check_scalar(index, "index", low=-len(self.hu), high=len(self.hu) - 1,
                             integer=True)
        return self._cut(self.hu[index], self.kidney_mask[index], self.lesion_mask[index],
                         window)

    def coronal(self, index, *, window=None):
        """Coronal slice at row ``index`` as a :class:`Phantom` of ``(Z, W)`` arrays
        (rows head to feet; pixels are ``spacing[0]`` by ``spacing[2]`` mm)."""
        n = self.hu.shape[1]
        index = check_scalar(index, "index", low=-n, high=n - 1, integer=True)
        return self._cut(self.hu[:, index], self.kidney_mask[:, index],
                         self.lesion_mask[:, index], window)

    def lesion_index(self, axis="axial"):
        """Index of the axial (or coronal) slice holding the most lesion voxels
        (the middle slice for Normal)."""
        if axis not in ("axial", "coronal"):
            raise ValueError(f"axis must be 'axial' or 'coronal', got {axis!r}")
        counts = self.lesion_mask.sum(axis=(1, 2) if axis == "axial" else (0, 2))
        if not counts.any():
            counts = self.kidney_mask.sum(axis=(1, 2) if axis == "axial" else (0, 2))
        if not counts.any():
            return len(counts) // 2
        return int(np.argmax(counts))


def label_index(label):
    """Class index of ``label`` (a class name or an int), validated."""
    if isinstance(label, str):
        if label not in CLASSES:
            raise ValueError(f"label must be one of {CLASSES} or 0..3, got {label!r}")
        return CLASSES.index(label)
    if isinstance(label, (bool, np.bool_)) or not isinstance(label, (int, np.integer)):
        raise TypeError(f"label must be a class name or an int, got {label!r}")
    if not 0 <= int(label) < len(CLASSES):
        raise ValueError(f"label must be one of {CLASSES} or 0..3, got {label!r}")
    return int(label)


def _check_phase(phase):
    if phase is None:
        return None
    if not isinstance(phase, str):
        raise TypeError(f"phase must be None or one of {PHASES}, got {phase!r}")
    if phase not in PHASES:
        raise ValueError(f"phase must be None or one of {PHASES}, got {phase!r}")
    return phase


def _target(anat, rng):
    """A point the view passes through: the lesion, or somewhere in a kidney (the
    same draws either way, so that the label does not change the view's stream)."""
    pick = int(rng.integers(len(anat["kidneys"])))
    along = rng.uniform(-0.55, 0.55)
    les = anat["lesion"]
    if les is not None:
        return np.asarray(les["target"], float)
    k = anat["kidneys"][pick]
    return k["center"] + along * k["abc"][0] * k["axes"][0]


def _view(anat, size, orientation, rng):
    """Axis coordinates of an axial or coronal plane through the target; returns
    (zs, ys, xs, normal axis, soft_mm, target)."""
    target = _target(anat, rng)
    a = anat["a"]
    if orientation == "axial":
        fov = 2 * a / rng.uniform(*A["axial_body_fraction"])
        px = fov / size
        cy = rng.uniform(0.08, 0.22) * fov
        cx = rng.uniform(-0.03, 0.03) * fov
        coords = (np.arange(size) + 0.5 - size / 2) * px
        return (None, _snap(coords + cy, target[1]), _snap(coords + cx, target[2]), 0, px,
                target)
    width = 2 * a * rng.uniform(*A["coronal_margin"])
    height = width * rng.uniform(*A["coronal_height_ratio"])
    pz, px = height / size, width / size
    # The kidneys sit in the upper half; the pelvis shows below them.
    cz = target[0] + rng.uniform(0.15, 0.3) * height
    zs = (np.arange(size) + 0.5 - size / 2) * pz + cz
    xs = (np.arange(size) + 0.5 - size / 2) * px
    return (_snap(zs, target[0]), None, _snap(xs, target[2]), 1, max(pz, px), target)


def _snap(coords, point):
    """Shift the pixel centres ``coords`` so that one of them falls on ``point``
    (when it is in the field of view): a lesion's centre is always a mask pixel."""
    k = int(np.argmin(np.abs(coords - point)))
    if abs(coords[k] - point) > coords[1] - coords[0]:
        return coords
    return coords + (point - coords[k])


def _acquisition(rng, orientation):
    """Per-series acquisition settings."""
    n_streaks = int(rng.integers(A["streak_count"][0], A["streak_count"][1] + 1))
    return {
        "window": (rng.uniform(*A["window_level_hu"]), rng.uniform(*A["window_width_hu"])),
        "psf": rng.uniform(*A["psf_sigma_px"]), "noise": rng.uniform(*A["noise_sd_hu"]),
        "sharpen": rng.uniform(*A["edge_enhancement"]),
        "sharpen_px": rng.uniform(*A["edge_enhancement_px"]),
        "grain": rng.uniform(*A["noise_grain_px"]),
        "corr": rng.uniform(*A["noise_correlation_px"]),
        "streaks": [(rng.uniform(0, math.pi), rng.uniform(-0.1, 0.1),
                     rng.uniform(*A["streak_hu"]) * rng.choice((-1, 1)),
                     rng.uniform(0.7, 1.6)) for _ in range(n_streaks)]
        if orientation == "axial" else [],
        "quality": int(rng.integers(A["jpeg_quality"][0], A["jpeg_quality"][1] + 1)),
        "quality2": int(rng.integers(A["jpeg_quality"][0], A["jpeg_quality"][1] + 1)),
    }


def _acquire(hu, acq, rng):
    """HU -> uint8 as the Kaggle slices were made: the scanner's image at twice the
    size (blur, edge-enhancing kernel, correlated noise, streaks, window, JPEG), then
    shrunk by area averaging and saved as JPEG again."""
    h, w = hu.shape
    if acq["streaks"]:  # smooth bands: drawn at the slice's own size
        yy = (np.arange(h, dtype=np.float32) / h - 0.5)[:, None]
        xx = (np.arange(w, dtype=np.float32) / w - 0.5)[None, :]
        streak = np.zeros((h, w), np.float32)
        for angle, offset, amp, width in acq["streaks"]:
            d = np.abs(xx * math.sin(angle) - yy * math.cos(angle) - offset) * w
            streak += amp * np.exp(-(d / width) ** 2)
        hu = hu + streak * (hu > -500.0)
    big = cv2.resize(hu, (2 * w, 2 * h), interpolation=cv2.INTER_LINEAR)
    measured = cv2.GaussianBlur(big, (0, 0), 2 * acq["psf"], borderType=cv2.BORDER_REFLECT)
    # The reconstruction kernel enhances edges a little (unsharp masking).
    halo = cv2.GaussianBlur(measured, (0, 0), acq["sharpen_px"], borderType=cv2.BORDER_REFLECT)
    measured += acq["sharpen"] * (measured - halo)
    # Uniform white noise is cheaper to draw; filtered, it is Gaussian all the same.
    white = rng.random((2 * h, 2 * w), dtype=np.float32)
    fine = cv2.GaussianBlur(white, (0, 0), acq["grain"])
    # Its low frequencies removed (the CT noise spectrum vanishes at zero); the wide
    # blur is done at a quarter of the size, where it is cheap.
    small = cv2.resize(fine, (w // 2, h // 2), interpolation=cv2.INTER_AREA)
    low = cv2.resize(cv2.GaussianBlur(small, (0, 0), acq["corr"] / 2), (2 * w, 2 * h),
                     interpolation=cv2.INTER_LINEAR)
    noise = fine - low
    measured += noise * np.float32(acq["noise"] / max(float(noise[::4, ::4].std()), 1e-6))
    image = _window(measured, acq["window"])
    ok, buf = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, acq["quality"]])
    image = cv2.resize(cv2.imdecode(buf, cv2.IMREAD_GRAYSCALE), (w, h),
                       interpolation=cv2.INTER_AREA)
    ok, buf = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, acq["quality2"]])
    return cv2.imdecode(buf, cv2.IMREAD_GRAYSCALE)


def render_series(label, size, n, rng, *, orientation=None, phase=None):
    """``n`` neighbouring slices of one synthetic patient, through its lesion.

    Returns ``(images, hu, kidney, lesion)`` stacks of ``(n, size, size)``.
    """
    anat = draw_anatomy(label, rng, phase)
    # The view and the acquisition draw from their own generator: the same seed
    # gives the same orientation, window and noise level whatever the label.
    view_rng, texture_rng = child(rng), child(rng)
    if orientation is None:
        orientation = "coronal" if view_rng.random() < A["coronal_probability"] else "axial"
    acq = _acquisition(view_rng, orientation)
    zs, ys, xs, axis, soft, target = _view(anat, size, orientation, view_rng)
    step = view_rng.uniform(*A["series_step_mm"])
    les = anat["lesion"]
    if les is not None and n > 1:  # every slice cuts the lesion near its centre
        step = min(step, 0.4 * les["extent_mm"] / (n - 1))
    offsets = (np.arange(n) - (n - 1) / 2) * step + rng.uniform(-0.1, 0.1) * (
        les["extent_mm"] if les is not None else 4.0)
    planes = target[axis] + offsets
    if axis == 0:
        grid = Grid(planes, ys, xs, soft)
    else:
        grid = Grid(zs, planes, xs, soft)
    hu, kidney, lesion = render(anat, grid, texture_rng)
    if axis == 1:
        hu, kidney, lesion = (np.moveaxis(v, 1, 0) for v in (hu, kidney, lesion))
    hu = np.ascontiguousarray(hu)
    images = np.stack([_acquire(hu[i], acq, view_rng) for i in range(n)])
    return images, hu, np.ascontiguousarray(kidney), np.ascontiguousarray(lesion)


#: Bytes per voxel that make_patient's rendering needs at least (bounds its sizes).
_BYTES_PER_VOXEL = 64


@fill_doc
def make_patient(label, *, size=256, n_slices=64, spacing=None, phase=None, rng=None):
    """Simulate a 3-D abdomen of class ``label`` in Hounsfield units, with masks.

    The anatomy (drawn from :data:`~ctkidney.data.PHANTOM_TUNABLES`): a body whose
    width changes along the z axis (waist, hips), skin, subcutaneous fat with texture
    and strands, the abdominal wall, mesenteric fat, lung bases above the diaphragm,
    bowel (a thresholded random field holding gas, fluid, faeces or oral contrast),
    liver with vessels, gallbladder, spleen, aorta and iliac arteries, inferior vena
    cava, renal veins, psoas, paraspinal and quadratus muscles, vertebrae with discs
    and posterior elements, ribs sloping down to their costal cartilage, iliac wings,
    femoral heads and the CT table. Each kidney is an ellipsoid tilted and rotated
    at random, with a hilar notch, cortex and medullary pyramids (whose contrast
    depends on ``phase``), sinus fat, calyces, renal pelvis and ureter (dense in the
    excretory phase); one kidney may be missing. One kidney carries the lesion: a
    tumour (exophytic or endophytic, lobulated, hypo/iso/hyperdense, heterogeneous,
    sometimes necrotic), a cyst (simple, hyperdense or septated) or 1-4 stones
    (calyces, pelvis or proximal ureter). Phase and anatomy are drawn independently
    of the label.

    Parameters
    ----------
    label : int or str
        Class index into :data:`CLASSES` or its name.
    size : int, optional
        Rows and columns of each axial slice (at least 32). Default 256.
    n_slices : int, optional
        Number of axial slices (at least 1). Default 64.
    spacing : (float, float, float), optional
        Voxel size ``(dz, dy, dx)`` in mm. Default: ``dz`` drawn in 1-5 mm and the
        in-plane size from a field of view 1.2-1.7 times the body's width.
    phase : str, optional
        ``"unenhanced"``, ``"corticomedullary"``, ``"nephrographic"`` or
        ``"excretory"``; drawn at random (35/20/30/15 %%) when None.
    %(rng)s

    Returns
    -------
    patient : Patient
        ``hu`` float32 and ``kidney_mask``, ``lesion_mask`` bool, all
        ``(n_slices, size, size)``, the ``spacing``, ``label`` and ``phase``. The
        volume is centred (in z) on the lesion, or on a kidney for Normal. The HU
        are noise-free; :func:`make_phantom` adds the acquisition.

    Raises
    ------
    TypeError, ValueError
        For a bad label, size, n_slices, spacing, phase or rng, or a ``size`` and
        ``n_slices`` whose volume would not fit in memory (about 64 bytes a voxel).

    See Also
    --------
    make_phantom : One acquired slice of such a patient.

    Examples
    --------
    >>> from ctkidney.data import make_patient
    >>> p = make_patient("Cyst", size=64, n_slices=16, rng=0)
    >>> p.hu.shape, p.hu.dtype, p.lesion_mask.dtype
    ((16, 64, 64), dtype('float32'), dtype('bool'))
    >>> bool(p.lesion_mask.any()), bool((p.lesion_mask <= p.kidney_mask).all())
    (True, True)
    >>> s = p.axial(p.lesion_index())
    >>> s.image.dtype, bool(s.lesion_mask.any())
    (dtype('uint8'), True)
    """
    index = label_index(label)
    size = check_scalar(size, "size", low=32, integer=True)
    n_slices = check_scalar(n_slices, "n_slices", low=1, integer=True)
    phase = _check_phase(phase)
    # The rendering holds a few float fields per voxel (about 100 bytes a voxel
    # at its peak): refuse sizes that cannot fit before drawing anything.
    check_memory(size * size * _BYTES_PER_VOXEL, "size", size)
    check_memory(n_slices * size * size * _BYTES_PER_VOXEL, "n_slices", n_slices)
    if spacing is not None:
        if isinstance(spacing, (numbers.Real, str, bytes)):
            raise TypeError(f"spacing must be None or 3 numbers, got {spacing!r}")
        spacing = check_spacing(spacing, 3)
    rng = check_rng(rng)
    anat = draw_anatomy(index, rng, phase)
    target = _target(anat, rng)
    if spacing is None:
        fov = 2 * anat["a"] / rng.uniform(*A["axial_body_fraction"])
        spacing = (rng.uniform(*A["slice_spacing_mm"]), fov / size, fov / size)
    dz, dy, dx = spacing
    zs = (np.arange(n_slices) - n_slices // 2) * dz + target[0]
    ys = _snap((np.arange(size) + 0.5 - size / 2) * dy + 0.15 * size * dy, target[1])
    xs = _snap((np.arange(size) + 0.5 - size / 2) * dx, target[2])
    grid = Grid(zs, ys, xs, max(dy, dx))
    hu, kidney, lesion = render(anat, grid, rng)
    return Patient(hu, spacing, kidney, lesion, index, anat["phase"])
