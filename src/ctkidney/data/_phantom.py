"""Synthetic abdominal CT slices with ground truth: the built-in dataset.

The Kaggle CT kidney data cannot be shipped, so the study runs on phantoms that
mimic it: an axial slice at the level of the kidneys simulated in Hounsfield units
(anatomy and one lesion), then "acquired" (blur, noise, abdominal window, JPEG) to
give an 8-bit image like the Kaggle ones. Every phantom comes with its HU map and
exact kidney and lesion masks.
"""

import math
from statistics import NormalDist
from typing import NamedTuple

import cv2
import numpy as np

from ctkidney._shared.docstrings import fill_doc
from ctkidney._shared.validation import check_memory, check_rng, check_scalar
from ctkidney.data._dataset import CLASSES, Dataset

__all__ = ["KAGGLE_COUNTS", "Phantom", "make_dataset", "make_phantom"]

#: Slices per class in the Kaggle dataset (Cyst, Normal, Stone, Tumor).
KAGGLE_COUNTS = {"Cyst": 3709, "Normal": 5077, "Stone": 1377, "Tumor": 2283}

#: The abdominal window used to turn HU into 8-bit grey levels (level, width).
ABDOMEN_WINDOW = (40.0, 400.0)

# Reference matrix: pixel spacing is drawn for a 512 x 512 slice, then scaled.
_REFERENCE_SIZE = 512
# Smallest lesion drawn, in output pixels (diameter): below this a lesion would be
# invisible at the study's quick size (128 px, ~3 mm pixels).
_MIN_DIAMETER_PX = {"Stone": 1.5, "Cyst": 4.0, "Tumor": 5.0}


class Phantom(NamedTuple):
    """One synthetic slice and its ground truth (see :func:`make_phantom`)."""

    image: np.ndarray
    """(size, size) uint8: the acquired slice (abdominal window, JPEG)."""
    hu: np.ndarray
    """(size, size) float32: the noise-free object in Hounsfield units."""
    kidney_mask: np.ndarray
    """(size, size) bool: both kidneys (parenchyma) including any lesion in them."""
    lesion_mask: np.ndarray
    """(size, size) bool: the lesion (all stones), empty for Normal."""
    label: int
    """Class index into :data:`CLASSES`."""


class _Canvas:
    """An HU map drawn shape by shape, in millimetres of the patient's frame.

    Shapes are given by signed distances (negative inside) and painted with
    anti-aliased partial-volume coverage, each on its own bounding window so that
    small shapes cost little.
    """

    def __init__(self, size, spacing, center, angle):
        self.size = size
        self.spacing = spacing  # mm per output pixel
        coords = (np.arange(size, dtype=np.float32) + 0.5 - size / 2) * spacing
        x, y = np.meshgrid(coords, coords)
        c, s = math.cos(angle), math.sin(angle)
        # Patient frame: x to the image right (patient's left), y posterior.
        self.x = c * (x - center[0]) + s * (y - center[1])
        self.y = -s * (x - center[0]) + c * (y - center[1])
        self._center = center
        self._angle = angle
        self.hu = np.full((size, size), -1000.0, np.float32)

    def window(self, cx, cy, radius):
        """Pixel slices covering the disc (cx, cy, radius) of the patient frame."""
        c, s = math.cos(self._angle), math.sin(self._angle)
        # Back to image millimetres, then to pixels.
        ix = c * cx - s * cy + self._center[0]
        iy = s * cx + c * cy + self._center[1]
        col = ix / self.spacing + self.size / 2
        row = iy / self.spacing + self.size / 2
        r = radius / self.spacing + 3
        r0, r1 = max(int(row - r), 0), min(int(math.ceil(row + r)) + 1, self.size)
        c0, c1 = max(int(col - r), 0), min(int(math.ceil(col + r)) + 1, self.size)
        return slice(r0, max(r0, r1)), slice(c0, max(c0, c1))

    def full(self):
        return slice(0, self.size), slice(0, self.size)

    def local(self, win, cx, cy, angle=0.0):
        """Coordinates of window ``win`` relative to (cx, cy), rotated by ``angle``."""
        dx = self.x[win] - cx
        dy = self.y[win] - cy
        if angle == 0.0:
            return dx, dy
        c, s = math.cos(angle), math.sin(angle)
        return c * dx + s * dy, -s * dx + c * dy

    def ellipse(self, win, cx, cy, a, b, angle=0.0):
        """Signed distance (pixels) to an ellipse with semi-axes a, b (mm)."""
        u, v = self.local(win, cx, cy, angle)
        return _ellipse_sdf(u, v, a, b) / self.spacing

    def paint(self, win, sdf, value):
        """Blend ``value`` (scalar or array over ``win``) where ``sdf`` < 0."""
        cover = np.clip(0.5 - sdf, 0.0, 1.0)
        region = self.hu[win]
        # (1 - c) * old + c * new: exact at c = 0 and c = 1.
        region *= 1.0 - cover
        region += cover * value


def _ellipse_sdf(u, v, a, b):
    # Inigo Quilez's first-order approximation: exact on the axes, good near the
    # contour (which is all the anti-aliasing needs).
    k0 = np.sqrt((u / a) ** 2 + (v / b) ** 2)
    k1 = np.sqrt((u / (a * a)) ** 2 + (v / (b * b)) ** 2)
    return k0 * (k0 - 1.0) / np.maximum(k1, 1e-6)


def _smooth_noise(rng, shape, sigma_px):
    """Unit-variance Gaussian random field with correlation length ``sigma_px``."""
    field = rng.standard_normal(shape).astype(np.float32)
    field = cv2.GaussianBlur(field, (0, 0), max(sigma_px, 0.3), borderType=cv2.BORDER_REFLECT)
    std = float(field.std())
    return field / std if std > 0 else field


def _label_index(label):
    if isinstance(label, str):
        if label not in CLASSES:
            raise ValueError(f"label must be one of {CLASSES} or 0..3, got {label!r}")
        return CLASSES.index(label)
    if isinstance(label, (bool, np.bool_)) or not isinstance(label, (int, np.integer)):
        raise TypeError(f"label must be a class name or an int, got {label!r}")
    if not 0 <= int(label) < len(CLASSES):
        raise ValueError(f"label must be one of {CLASSES} or 0..3, got {label!r}")
    return int(label)


def _kidney(canvas, side, spine, rng):
    """Geometry of one kidney: centre, semi-axes, long-axis angle, notch direction.

    Most slices cut a kidney at its hilum (a bean with the sinus fat in its notch);
    some cut it nearer a pole (a smaller oval, little or no sinus fat).
    """
    vx, vy, vr = spine
    hilum = rng.random() < 0.75
    shrink = 1.0 if hilum else rng.uniform(0.7, 0.9)
    a = rng.uniform(22.0, 30.0) * shrink   # half the axial width of a kidney
    b = rng.uniform(14.0, 19.0) * shrink   # half its thickness
    cx = side * (vr + rng.uniform(30.0, 42.0) + 0.5 * a)
    cy = vy + rng.uniform(-4.0, 10.0)
    # The hilum faces antero-medially (towards -y and the spine); the long axis is
    # perpendicular to it, so the anterior pole sits laterally.
    notch = math.atan2(-1.0, -side) + rng.uniform(-0.3, 0.3)
    sinus = 1.0 if hilum else (rng.uniform(0.4, 0.7) if rng.random() < 0.5 else 0.0)
    return {"cx": cx, "cy": cy, "a": a, "b": b, "notch": notch,
            "angle": notch - math.pi / 2, "hilum": hilum, "sinus": sinus}


def _bean_sdf(canvas, win, k):
    """Signed distance of a kidney's outline (a bean with a hilar notch, or an oval)."""
    outer = canvas.ellipse(win, k["cx"], k["cy"], k["a"], k["b"], k["angle"])
    if not k["hilum"]:
        return outer
    nx, ny = math.cos(k["notch"]), math.sin(k["notch"])
    notch = canvas.ellipse(win, k["cx"] + nx * 1.05 * k["b"], k["cy"] + ny * 1.05 * k["b"],
                           0.42 * k["a"], 0.55 * k["b"], k["angle"])
    return np.maximum(outer, -notch)


def _sinus_sdf(canvas, win, k):
    """Signed distance of the renal sinus fat (+inf everywhere when there is none)."""
    if k["sinus"] == 0.0:
        return np.full(canvas.x[win].shape, np.inf, np.float32)
    nx, ny = math.cos(k["notch"]), math.sin(k["notch"])
    shift = 0.3 * k["b"] * k["sinus"]
    return canvas.ellipse(win, k["cx"] + nx * shift, k["cy"] + ny * shift,
                          0.5 * k["a"] * k["sinus"], 0.38 * k["b"] * k["sinus"], k["angle"])


def _point_in_kidney(k, rng, depth):
    """A point at relative depth ``depth`` (0 centre, 1 contour) away from the hilum."""
    # Angle in the kidney frame, avoiding the notch side (local +v).
    theta = rng.uniform(-math.pi, 0.0) + rng.uniform(-0.5, 0.5)
    u, v = k["a"] * depth * math.cos(theta), k["b"] * depth * math.sin(theta)
    c, s = math.cos(k["angle"]), math.sin(k["angle"])
    return k["cx"] + c * u - s * v, k["cy"] + s * u + c * v


def _lesion(kind, k, canvas, win, rng, parenchyma):
    """The lesion's signed distance on ``win`` and its HU (a value or a field)."""
    sp = canvas.spacing
    min_d = _MIN_DIAMETER_PX[kind] * sp
    if kind == "Cyst":
        d = max(rng.uniform(5.0, 35.0), min_d)
        r = d / 2
        depth = rng.uniform(0.0, 0.9)
        cx, cy = _point_in_kidney(k, rng, depth)
        # A cyst may bulge past the contour (exophytic): keep its centre inside.
        ecc = rng.uniform(0.75, 1.0)
        ang = rng.uniform(0, math.pi)
        sdf = canvas.ellipse(win, cx, cy, r, r * ecc, ang)
        return sdf, rng.uniform(0.0, 20.0)
    if kind == "Tumor":
        d = max(rng.uniform(15.0, 50.0), min_d)
        r0 = d / 2
        cx, cy = _point_in_kidney(k, rng, rng.uniform(0.3, 0.9))
        u, v = canvas.local(win, cx, cy)
        rho = np.sqrt(u * u + v * v)
        theta = np.arctan2(v, u)
        radius = np.ones_like(rho)
        for order in range(2, 6):  # lobulated, irregular outline
            radius += rng.uniform(0.03, 0.12) * np.cos(order * theta + rng.uniform(0, 2 * np.pi))
        sdf = (rho - r0 * radius) / sp
        # The mean stays 10 HU or more inside 20-70 so that the texture is not
        # clipped away. In the plain phase the mass is denser than the parenchyma
        # (30-40) by 12 HU or more: an isodense mass would show only by its contour.
        mean = rng.uniform(30.0, 60.0) if parenchyma > 75.0 else \
            rng.uniform(parenchyma + 12.0, 60.0)
        texture = _smooth_noise(rng, u.shape, 1.5 / sp)
        coarse = _smooth_noise(rng, u.shape, 4.0 / sp)
        value = mean + 8.0 * texture + 6.0 * coarse
        return sdf, np.clip(value, 20.0, 70.0)
    raise AssertionError(kind)


def _draw_stones(canvas, k, rng):
    """1-3 calcifications in the collecting system or parenchyma."""
    sp = canvas.spacing
    sdf_all = None
    win = canvas.window(k["cx"], k["cy"], k["a"] + 3)
    for _ in range(rng.integers(1, 4)):
        r_min = _MIN_DIAMETER_PX["Stone"] * sp / 2
        r = max(rng.uniform(0.75, 2.5), r_min)
        if rng.random() < 0.6:  # renal pelvis / calyces, near the sinus
            nx, ny = math.cos(k["notch"]), math.sin(k["notch"])
            along = rng.uniform(-0.35, 0.35) * k["a"]
            cx = k["cx"] + nx * 0.3 * k["b"] + along * math.cos(k["angle"])
            cy = k["cy"] + ny * 0.3 * k["b"] + along * math.sin(k["angle"])
        else:
            cx, cy = _point_in_kidney(k, rng, rng.uniform(0.0, 0.7))
        # A radius of at least 0.75 px always covers a pixel centre: never empty.
        minor = max(r * rng.uniform(0.7, 1.0), r_min)
        sdf = canvas.ellipse(win, cx, cy, r, minor, rng.uniform(0, math.pi))
        canvas.paint(win, sdf, rng.uniform(300.0, 1500.0))
        sdf_all = sdf if sdf_all is None else np.minimum(sdf_all, sdf)
    return win, sdf_all


def _draw_anatomy(canvas, rng, contrast):
    """Body, fat, muscles, organs, vessels, bowel and spine. Returns the spine."""
    fov = canvas.size * canvas.spacing
    full = canvas.full()
    a_body = min(rng.uniform(130.0, 180.0), 0.44 * fov)
    b_body = min(a_body * rng.uniform(0.65, 0.8), 0.4 * fov)
    fat = rng.uniform(8.0, 25.0) * (a_body / 155.0)
    y_back = b_body

    # Patient table: a curved cradle under the back, a thin dense shell.
    top = y_back + rng.uniform(1.0, 6.0)
    radius = rng.uniform(250.0, 400.0)
    cradle = canvas.ellipse(full, 0.0, top - radius, 1.2 * radius, radius)
    shell = np.abs(cradle) - 0.5 * rng.uniform(2.0, 4.0) / canvas.spacing
    shell = np.maximum(shell, (np.abs(canvas.x) - 0.4 * fov) / canvas.spacing)
    canvas.paint(full, np.maximum(shell, (top - 4.0 - canvas.y) / canvas.spacing),
                 rng.uniform(100.0, 250.0))

    canvas.paint(full, canvas.ellipse(full, 0, 0, a_body, b_body), rng.uniform(-120.0, -80.0))
    canvas.paint(full, canvas.ellipse(full, 0, 0, a_body - fat, b_body - fat * 0.8),
                 rng.uniform(30.0, 60.0))
    a_in, b_in = a_body - fat, b_body - 0.8 * fat

    # Retroperitoneal fat behind the peritoneum, around kidneys and spine.
    vr = rng.uniform(16.0, 21.0)
    vy = b_in - vr - rng.uniform(32.0, 45.0)
    vy = max(vy, 0.15 * b_in)
    win = canvas.window(0, vy + 5, 0.9 * a_in)
    canvas.paint(win, canvas.ellipse(win, 0, vy + 5, 0.62 * a_in, 0.42 * b_in),
                 rng.uniform(-110.0, -70.0))

    # Visceral fat between the organs, in blobs (a thresholded smooth random field);
    # its amount varies from lean to obese patients.
    full_inner = canvas.ellipse(full, 0, 0, a_in, b_in)
    field = _smooth_noise(rng, (canvas.size, canvas.size), 7.0 / canvas.spacing)
    cut = NormalDist().inv_cdf(1.0 - rng.uniform(0.05, 0.35))
    cover = np.clip((field - cut) * 2.0, 0.0, 1.0) * np.clip(0.5 - full_inner, 0.0, 1.0)
    canvas.paint(full, 0.5 - cover, rng.uniform(-110.0, -70.0))

    tissue = rng.uniform(45.0, 60.0)
    # Paraspinal muscles and psoas.
    for side in (-1, 1):
        cx, cy = side * (vr + 6.0), vy + vr + 22.0
        win = canvas.window(cx, cy, 26)
        canvas.paint(win, canvas.ellipse(win, cx, cy, 22.0, 17.0, side * 0.2), tissue)
        cx, cy = side * (vr + 10.0), vy - 2.0
        win = canvas.window(cx, cy, 16)
        canvas.paint(win, canvas.ellipse(win, cx, cy, 11.0, 14.0, side * 0.4), tissue)

    enhance = (lambda lo, hi, clo, chi: rng.uniform(clo, chi) if contrast else rng.uniform(lo, hi))
    # Liver tip (patient's right = image left) and spleen, sometimes in this slice.
    if rng.random() < 0.6:
        cx, cy = -0.5 * a_in, rng.uniform(-0.35, 0.0) * b_in
        win = canvas.window(cx, cy, 0.5 * a_in)
        canvas.paint(win, canvas.ellipse(win, cx, cy, rng.uniform(0.25, 0.4) * a_in,
                                         rng.uniform(0.3, 0.5) * b_in, rng.uniform(-0.5, 0.5)),
                     enhance(50, 65, 90, 130))
    if rng.random() < 0.3:
        cx, cy = 0.62 * a_in, 0.1 * b_in
        win = canvas.window(cx, cy, 0.35 * a_in)
        canvas.paint(win, canvas.ellipse(win, cx, cy, 0.18 * a_in, 0.3 * b_in, 0.6),
                     enhance(40, 55, 100, 140))

    # Bowel loops in the front of the abdomen: gas or fluid inside a soft-tissue wall.
    n_loops = rng.integers(4, 10)
    placed = 0
    for _ in range(40):
        if placed == n_loops:
            break
        r = rng.uniform(8.0, 18.0)
        cx = rng.uniform(-0.8, 0.8) * a_in
        cy = rng.uniform(-b_in + fat, vy - vr - 25.0)
        if (cx / (a_in - r)) ** 2 + (cy / (b_in - r)) ** 2 > 1:
            continue
        ecc, ang = rng.uniform(0.6, 1.0), rng.uniform(0, math.pi)
        win = canvas.window(cx, cy, r)
        canvas.paint(win, canvas.ellipse(win, cx, cy, r, r * ecc, ang), enhance(30, 50, 60, 100))
        wall = rng.uniform(1.5, 3.0)
        lumen = rng.uniform(-1000.0, -850.0) if rng.random() < 0.5 else rng.uniform(0.0, 25.0)
        canvas.paint(win, canvas.ellipse(win, cx, cy, r - wall, r * ecc - wall, ang), lumen)
        placed += 1

    # Aorta (left of the spine, in front) and inferior vena cava (right).
    r_ao = rng.uniform(8.0, 12.0)
    cx, cy = rng.uniform(3.0, 12.0), vy - vr - r_ao - 3.0
    win = canvas.window(cx, cy, r_ao)
    canvas.paint(win, canvas.ellipse(win, cx, cy, r_ao, r_ao), enhance(35, 50, 150, 300))
    cx, cy = -rng.uniform(20.0, 30.0), vy - vr - 8.0
    win = canvas.window(cx, cy, 14)
    canvas.paint(win, canvas.ellipse(win, cx, cy, 13.0, 8.0, 0.2), enhance(35, 50, 100, 180))

    # Vertebra: cortical shell and marrow of the body, neural arch around the canal,
    # spinous and transverse processes.
    cortex = rng.uniform(700.0, 1000.0)
    shell = rng.uniform(1.5, 3.0)
    canal_r = rng.uniform(6.5, 9.0)
    canal_y = vy + vr + canal_r + 1.0
    win = canvas.window(0, canal_y + 10, vr + 40)
    for side in (-1, 1):  # transverse processes
        canvas.paint(win, canvas.ellipse(win, side * (canal_r + 11), canal_y - 3, 10.0, 3.5,
                                         side * 0.25), cortex)
    canvas.paint(win, canvas.ellipse(win, 0, canal_y + canal_r + 10, 3.5, 12.0), cortex)
    canvas.paint(win, canvas.ellipse(win, 0, canal_y, canal_r + 5.0, canal_r + 4.0), cortex)
    canvas.paint(win, canvas.ellipse(win, 0, canal_y, canal_r, canal_r * 0.9), rng.uniform(0, 15))
    win = canvas.window(0, vy, vr)
    canvas.paint(win, canvas.ellipse(win, 0, vy, vr, vr * 0.9), cortex)
    canvas.paint(win, canvas.ellipse(win, 0, vy, vr - shell, vr * 0.9 - shell),
                 rng.uniform(200.0, 300.0))
    return 0.0, vy, vr


def _acquire(hu, rng):
    """Blur, noise, abdominal window and JPEG round trip: HU -> uint8."""
    size = hu.shape[0]
    sigma = rng.uniform(0.5, 1.0)
    measured = cv2.GaussianBlur(hu, (0, 0), sigma, borderType=cv2.BORDER_REFLECT)
    measured += rng.normal(0.0, rng.uniform(8.0, 25.0), (size, size)).astype(np.float32)
    level, width = ABDOMEN_WINDOW
    scaled = (measured - (level - width / 2)) * (255.0 / width)
    image = np.clip(np.rint(scaled), 0, 255).astype(np.uint8)
    quality = int(rng.integers(75, 96))
    ok, buf = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, quality])
    return cv2.imdecode(buf, cv2.IMREAD_GRAYSCALE)


#: Bytes per pixel a phantom needs while it is drawn (float64 work maps included).
_PHANTOM_BYTES_PER_PIXEL = 64


def _check_phantom_size(size):
    size = check_scalar(size, "size", low=32, integer=True)
    return check_memory(_PHANTOM_BYTES_PER_PIXEL * size * size, "size", size)


@fill_doc
def make_phantom(label, *, size=256, rng=None):
    """Simulate one axial abdominal CT slice of class ``label``, with ground truth.

    The object is drawn in Hounsfield units: a body ellipse of soft tissue with a
    subcutaneous fat rim and air outside, visceral fat, a vertebra (cortical shell,
    marrow, neural arch), paraspinal and psoas muscles, aorta and vena cava,
    sometimes the liver tip and spleen, bowel loops holding gas or fluid, and two
    bean-shaped kidneys in perirenal fat, each with a fatty renal sinus at its hilar
    notch (or, cut nearer a pole, a smaller oval). One kidney
    carries the lesion of the class (1-3 stones, a cyst or a tumour; none for
    Normal). The acquisition then blurs (Gaussian PSF), adds Gaussian noise, applies
    the abdominal window (level 40, width 400) and round-trips the 8-bit slice
    through JPEG, as the Kaggle images were. The user guide (:doc:`/guide/data`)
    gives every range.

    Parameters
    ----------
    label : int or str
        Class index into :data:`CLASSES` or its name (``"Cyst"``, ``"Normal"``,
        ``"Stone"``, ``"Tumor"``).
    size : int, optional
        Side of the square slice in pixels (at least 32). Default 256. Anatomy is
        drawn in millimetres: the pixel spacing is drawn in 0.6-0.9 mm for a
        512-pixel slice and scaled by ``512 / size``.
    %(rng)s

    Returns
    -------
    phantom : Phantom
        A named tuple ``(image, hu, kidney_mask, lesion_mask, label)``: ``image`` the
        acquired slice (uint8), ``hu`` the noise-free object (float32, HU),
        ``kidney_mask`` both kidneys' parenchyma plus any lesion in them (bool; the
        renal sinus fat is not kidney), ``lesion_mask`` the lesion (bool, empty for
        Normal, always inside ``kidney_mask``), ``label`` the class index (int).

    Raises
    ------
    TypeError
        If ``label`` or ``size`` has the wrong type, or ``rng`` is not a seed or
        Generator.
    ValueError
        If ``label`` is not a class, or ``size`` < 32.

    See Also
    --------
    make_dataset : A labelled set of phantoms.

    Notes
    -----
    Lesion sizes follow the clinical ranges in millimetres, but a lesion is never
    drawn smaller than the image can show: diameters are raised to at least 1.5
    pixels for stones, 4 for cysts and 5 for tumours (this only matters below
    ~256 pixels). Lesion edges are anti-aliased (partial volume), so a
    sub-millimetre-thin rim of a mask pixel may hold a mixture of tissues.

    Examples
    --------
    >>> from ctkidney.data import make_phantom
    >>> p = make_phantom("Stone", size=128, rng=0)
    >>> p.image.shape, p.image.dtype, p.hu.dtype, p.kidney_mask.dtype
    ((128, 128), dtype('uint8'), dtype('float32'), dtype('bool'))
    >>> bool(p.lesion_mask.any()), bool((p.lesion_mask <= p.kidney_mask).all())
    (True, True)
    >>> float(p.hu[p.lesion_mask].max()) > 300
    True
    """
    index = _label_index(label)
    size = _check_phantom_size(size)
    rng = check_rng(rng)
    kind = CLASSES[index]

    spacing = rng.uniform(0.6, 0.9) * _REFERENCE_SIZE / size
    fov = size * spacing
    center = (rng.uniform(-0.03, 0.03) * fov, rng.uniform(-0.06, 0.02) * fov)
    canvas = _Canvas(size, spacing, center, rng.uniform(-0.15, 0.15))
    contrast = rng.random() < 0.6

    spine = _draw_anatomy(canvas, rng, contrast)
    kidneys = [_kidney(canvas, side, spine, rng) for side in (-1, 1)]
    sick = int(rng.integers(2))
    parenchyma = rng.uniform(120.0, 200.0) if contrast else rng.uniform(30.0, 40.0)

    kidney_mask = np.zeros((size, size), bool)
    lesion_mask = np.zeros((size, size), bool)
    for i, k in enumerate(kidneys):
        masses = i == sick and kind in ("Cyst", "Tumor")
        # The window holds the kidney, its fat and any mass bulging out of it.
        win = canvas.window(k["cx"], k["cy"], k["a"] + (50.0 if masses else 12.0))
        bean = _bean_sdf(canvas, win, k)
        lesion = None
        if masses:
            lesion = _lesion(kind, k, canvas, win, rng, parenchyma)
            if kind == "Tumor":  # the mass expands the kidney outline
                bean = np.minimum(bean, lesion[0])
        # Perirenal fat around the (possibly distorted) kidney.
        fat_mm = rng.uniform(3.0, 10.0)
        canvas.paint(win, bean - fat_mm / spacing, rng.uniform(-120.0, -80.0))
        texture = (3.0 * rng.standard_normal(bean.shape)).astype(np.float32)
        canvas.paint(win, bean, parenchyma + texture)
        sinus = np.maximum(_sinus_sdf(canvas, win, k), bean)
        canvas.paint(win, sinus, rng.uniform(-110.0, -70.0))
        kidney_mask[win] |= (bean < 0) & ~(sinus < 0)
        if lesion is not None:
            canvas.paint(win, *lesion)
            lesion_mask[win] |= lesion[0] < 0
        if i == sick and kind == "Stone":
            swin, ssdf = _draw_stones(canvas, k, rng)
            lesion_mask[swin] |= ssdf < 0
    kidney_mask |= lesion_mask

    hu = canvas.hu
    image = _acquire(hu.copy(), rng)
    return Phantom(image, hu, kidney_mask, lesion_mask, index)


def _class_counts(n_per_class, class_counts):
    if class_counts is None:
        n = check_scalar(n_per_class, "n_per_class", low=0, integer=True)
        return [n] * len(CLASSES)
    if isinstance(class_counts, str):
        if class_counts != "kaggle":
            raise ValueError(f"class_counts must be 'kaggle', a mapping or 4 ints; "
                             f"got {class_counts!r}")
        n = check_scalar(n_per_class, "n_per_class", low=0, integer=True)
        total = n * len(CLASSES)
        weights = np.array([KAGGLE_COUNTS[c] for c in CLASSES], float)
        exact = weights / weights.sum() * total
        counts = np.floor(exact).astype(int)
        # Largest remainders get the leftover slices, so the total is exact.
        for i in np.argsort(-(exact - counts))[: total - counts.sum()]:
            counts[i] += 1
        return [int(c) for c in counts]
    if hasattr(class_counts, "items"):
        unknown = set(class_counts) - set(CLASSES)
        if unknown:
            raise ValueError(f"class_counts has unknown classes {sorted(unknown)}")
        values = [class_counts.get(c, 0) for c in CLASSES]
    else:
        values = list(class_counts)
        if len(values) != len(CLASSES):
            raise ValueError(f"class_counts must have {len(CLASSES)} entries, got {len(values)}")
    return [check_scalar(v, "class_counts", low=0, integer=True) for v in values]


@fill_doc
def make_dataset(n_per_class, *, size=256, rng=None, class_counts=None):
    """Build an in-memory phantom dataset with images, labels, masks and HU maps.

    Parameters
    ----------
    n_per_class : int
        Slices per class (ignored when ``class_counts`` is a mapping or sequence).
    size : int, optional
        Side of each slice in pixels. Default 256.
    %(rng)s
    class_counts : {'kaggle'} or mapping or sequence of 4 int, optional
        Slices per class instead of ``n_per_class`` for each: ``{"Cyst": 10, ...}``
        or ``(cyst, normal, stone, tumor)``. ``"kaggle"`` keeps the total
        ``4 * n_per_class`` but splits it like the Kaggle data
        (3709/5077/1377/2283, see :data:`KAGGLE_COUNTS`).

    Returns
    -------
    dataset : Dataset
        Slices grouped by class in :data:`CLASSES` order and named like the Kaggle
        files (``"Cyst- (1).jpg"``), with ``images()`` (uint8),
        ``kidney_masks`` and ``lesion_masks`` (bool) and ``hu`` (float32), all
        ``(N, size, size)``.

    Raises
    ------
    TypeError, ValueError
        For a bad count, size or rng.

    See Also
    --------
    make_phantom : One slice, and the model behind it.

    Notes
    -----
    Each slice draws from its own child seed (``numpy.random.SeedSequence.spawn``
    of one number drawn from ``rng``): slices are independent, and the same seed
    gives the same dataset.

    Examples
    --------
    >>> from ctkidney.data import make_dataset
    >>> ds = make_dataset(2, size=64, rng=0)
    >>> len(ds), ds.images().shape, ds.names[:2]
    (8, (8, 64, 64), ('Cyst- (1).jpg', 'Cyst- (2).jpg'))
    >>> make_dataset(5, size=64, rng=0, class_counts="kaggle").class_counts()
    {'Cyst': 6, 'Normal': 8, 'Stone': 2, 'Tumor': 4}
    """
    counts = _class_counts(n_per_class, class_counts)
    size = _check_phantom_size(size)
    rng = check_rng(rng)
    total = sum(counts)
    # The four stacks: uint8 image, float32 HU and two bool masks.
    by_n = class_counts is None or isinstance(class_counts, str)
    check_memory(7 * total * size * size, "n_per_class" if by_n else "class_counts",
                 n_per_class if by_n else class_counts)
    seeds = np.random.SeedSequence(int(rng.integers(0, 2**63))).spawn(total)
    images = np.empty((total, size, size), np.uint8)
    hu = np.empty((total, size, size), np.float32)
    kidney = np.empty((total, size, size), bool)
    lesion = np.empty((total, size, size), bool)
    labels = np.repeat(np.arange(len(CLASSES)), counts)
    for i, (label, seed) in enumerate(zip(labels, seeds)):
        p = make_phantom(int(label), size=size, rng=np.random.default_rng(seed))
        images[i], hu[i], kidney[i], lesion[i] = p.image, p.hu, p.kidney_mask, p.lesion_mask
    return Dataset(labels, images=images, kidney_masks=kidney, lesion_masks=lesion, hu=hu)
