"""A synthetic abdomen in 3-D: the random anatomy of one patient and its rendering in
Hounsfield units on any axis-aligned grid (a volume, a stack of slices, one slice).

The patient frame is in millimetres: ``z`` runs from head to feet, ``y`` from front to
back, ``x`` from the patient's right to left (the image's left to right), so an axial
slice is ``hu[z]`` and a coronal one ``hu[:, y]``. The kidneys' hila lie near z = 0.

Everything random is drawn in :func:`draw_anatomy` from the ranges in
:data:`PHANTOM_TUNABLES` (units in the names); :func:`render` turns an anatomy into HU,
kidney and lesion masks on a grid, drawing only textures (smooth random fields) from
its own generator. Shapes are signed distances (mm, negative inside) painted with a
partial-volume ramp one pixel wide, each on its own bounding box.
"""

import math

import cv2
import numpy as np

from ctkidney._shared.jit import jit
from ctkidney.data._dataset import CLASSES

__all__ = ["PHANTOM_TUNABLES", "PHASES", "draw_anatomy", "render"]

#: Contrast phases, in the order of :data:`PHANTOM_TUNABLES` ``"phase_probabilities"``.
PHASES = ("unenhanced", "corticomedullary", "nephrographic", "excretory")

#: Every random range of the phantom generator, with units in the names: ``(low, high)``
#: for uniform draws, a probability for a coin, a tuple of probabilities for a choice.
#: HU values per phase are ``{phase: (low, high)}``. None of them depends on the label
#: except the ``tumor_*``, ``cyst_*`` and ``stone_*`` entries.
PHANTOM_TUNABLES = {
    # Body
    "body_half_width_mm": (125.0, 185.0),
    "body_depth_ratio": (0.62, 0.85),
    "skin_mm": (1.5, 3.0),
    "subcutaneous_fat_mm": (4.0, 35.0),
    "abdominal_wall_mm": (6.0, 14.0),
    "fat_hu": (-115.0, -85.0),
    "fat_texture_hu": (3.0, 12.0),
    "organ_texture_hu": (6.0, 20.0),
    "fat_strands_fraction": (0.04, 0.2),
    "muscle_hu": (42.0, 60.0),
    "table_gap_mm": (0.0, 40.0),
    "table_hu": (250.0, 700.0),
    # Organs
    "liver_half_width_mm": (60.0, 95.0),
    "liver_bottom_mm": (-40.0, 60.0),
    "spleen_size_mm": (40.0, 70.0),
    "bowel_fill_fraction": (0.45, 0.8),
    "bowel_gas_fraction": (0.03, 0.3),
    "oral_contrast_probability": 0.3,
    "oral_contrast_hu": (200.0, 600.0),
    "diaphragm_mm": (-170.0, -110.0),
    # Vessels and bones
    "aorta_radius_mm": (8.0, 13.0),
    "vertebra_half_width_mm": (16.0, 22.0),
    "vertebra_height_mm": (24.0, 30.0),
    "disc_mm": (6.0, 10.0),
    "bone_cortex_hu": (500.0, 1100.0),
    "bone_marrow_hu": (110.0, 250.0),
    "rib_radius_mm": (3.5, 6.0),
    "rib_spacing_mm": (22.0, 32.0),
    "lowest_rib_mm": (-60.0, 20.0),
    "cartilage_hu": (90.0, 250.0),
    "iliac_crest_mm": (70.0, 120.0),
    # Kidneys
    "kidney_half_length_mm": (45.0, 65.0),
    "kidney_half_width_mm": (23.0, 32.0),
    "kidney_half_thickness_mm": (17.0, 25.0),
    "kidney_offset_mm": (35.0, 60.0),
    "kidney_tilt_deg": (5.0, 25.0),
    "kidney_rotation_deg": (-25.0, 25.0),
    "right_kidney_lower_mm": (0.0, 25.0),
    "single_kidney_probability": 0.05,
    "cortex_mm": (4.0, 8.0),
    "perirenal_fat_mm": (4.0, 15.0),
    "phase_probabilities": (0.35, 0.2, 0.3, 0.15),
    "cortex_hu": {"unenhanced": (28.0, 40.0), "corticomedullary": (140.0, 220.0),
                  "nephrographic": (140.0, 200.0), "excretory": (110.0, 160.0)},
    "medulla_hu": {"unenhanced": (24.0, 36.0), "corticomedullary": (50.0, 95.0),
                   "nephrographic": (130.0, 190.0), "excretory": (110.0, 160.0)},
    "urine_hu": {"unenhanced": (0.0, 15.0), "corticomedullary": (0.0, 15.0),
                 "nephrographic": (5.0, 40.0), "excretory": (300.0, 1100.0)},
    "liver_hu": {"unenhanced": (50.0, 68.0), "corticomedullary": (65.0, 95.0),
                 "nephrographic": (95.0, 130.0), "excretory": (85.0, 115.0)},
    "spleen_hu": {"unenhanced": (40.0, 55.0), "corticomedullary": (95.0, 150.0),
                  "nephrographic": (105.0, 135.0), "excretory": (90.0, 120.0)},
    "aorta_hu": {"unenhanced": (35.0, 50.0), "corticomedullary": (220.0, 380.0),
                 "nephrographic": (130.0, 200.0), "excretory": (95.0, 140.0)},
    "vein_hu": {"unenhanced": (35.0, 50.0), "corticomedullary": (60.0, 120.0),
                "nephrographic": (130.0, 190.0), "excretory": (95.0, 135.0)},
    "bowel_wall_hu": {"unenhanced": (30.0, 50.0), "corticomedullary": (70.0, 120.0),
                      "nephrographic": (70.0, 110.0), "excretory": (55.0, 90.0)},
    # Lesions (the only label-dependent draws)
    "tumor_diameter_mm": (15.0, 70.0),
    "tumor_exophytic_probability": 0.55,
    "tumor_density_probabilities": (0.5, 0.25, 0.25),  # hypo, iso, hyper
    "tumor_texture_hu": (5.0, 25.0),
    "tumor_necrosis_probability": 0.35,
    "cyst_diameter_mm": (8.0, 60.0),
    "cyst_kind_probabilities": (0.65, 0.15, 0.2),  # simple, hyperdense, septated
    "cyst_simple_hu": (0.0, 18.0),
    "cyst_hyperdense_hu": (50.0, 90.0),
    "stone_count": (1, 4),
    "stone_diameter_mm": (2.0, 12.0),
    "stone_hu": (250.0, 1600.0),
    "stone_site_probabilities": (0.55, 0.3, 0.15),  # calyx, pelvis, ureter
}

T = PHANTOM_TUNABLES


def child(rng):
    """An independent generator seeded from one draw of ``rng``."""
    return np.random.default_rng(int(rng.integers(0, 2**63)))


def _u(rng, key, scale=1.0):
    lo, hi = T[key]
    return float(rng.uniform(lo, hi)) * scale


def _loguniform(rng, key):
    lo, hi = T[key]
    return float(math.exp(rng.uniform(math.log(lo), math.log(hi))))


def _hu(rng, key, phase):
    lo, hi = T[key][phase]
    return float(rng.uniform(lo, hi))


# --------------------------------------------------------------------------- drawing


def _kidney(side, spine_y, rng, phase):
    """One kidney: centre (z, y, x), semi-axes, local axes (rows u, v, w), HU."""
    a = _u(rng, "kidney_half_length_mm")
    b = _u(rng, "kidney_half_width_mm")
    c = _u(rng, "kidney_half_thickness_mm")
    x = side * (_u(rng, "kidney_offset_mm") + b)
    z = rng.uniform(-12.0, 12.0) + (_u(rng, "right_kidney_lower_mm") if side < 0 else 0.0)
    y = spine_y + rng.uniform(-15.0, 5.0)
    tilt = math.radians(_u(rng, "kidney_tilt_deg"))
    lean = math.radians(_u(rng, "kidney_tilt_deg"))
    # Long axis: the lower pole lies lateral and anterior of the upper one.
    u = np.array([1.0, -math.tan(lean) * 0.6, side * math.tan(tilt)])
    u /= np.linalg.norm(u)
    # The hilum faces antero-medially.
    turn = math.radians(_u(rng, "kidney_rotation_deg"))
    ang = math.atan2(-1.0, -side) + turn
    v = np.array([0.0, math.sin(ang), math.cos(ang)])
    v -= u * (u @ v)
    v /= np.linalg.norm(v)
    w = np.cross(u, v)
    cortex = _hu(rng, "cortex_hu", phase)
    medulla = _hu(rng, "medulla_hu", phase)
    # Pyramids around the sinus, in the (u, w) plane of the kidney.
    n_pyr = int(rng.integers(6, 10))
    phis = np.linspace(0, 2 * math.pi, n_pyr, endpoint=False) + rng.uniform(0, 1)
    pyramids = [(0.6 * math.cos(p) * a, rng.uniform(-0.25, 0.05) * b, 0.6 * math.sin(p) * c)
                for p in phis]
    calyces = [(0.42 * math.cos(p) * a, 0.15 * b, 0.4 * math.sin(p) * c) for p in phis[::2]]
    return {
        "side": side, "center": np.array([z, y, x]), "axes": np.stack([u, v, w]),
        "abc": (a, b, c), "cortex_hu": cortex, "medulla_hu": medulla,
        "cortex_mm": _u(rng, "cortex_mm"), "perirenal_mm": _u(rng, "perirenal_fat_mm"),
        "pyramids": pyramids, "calyces": calyces, "calyx_mm": rng.uniform(2.5, 4.5),
        "pelvis_scale": rng.uniform(0.7, 1.3), "ureter_mm": rng.uniform(1.8, 3.0),
        "ureter_drift": rng.uniform(-0.15, 0.05),
    }


def _to_world(k, local):
    return k["center"] + np.asarray(local, float) @ k["axes"]


def _random_direction(rng, avoid_hilum=True):
    for _ in range(100):
        d = rng.standard_normal(3)
        d /= np.linalg.norm(d)
        if not avoid_hilum or d[1] < 0.2:
            return d
    return np.array([1.0, -1.0, 0.0]) / math.sqrt(2.0)


def _lesion(kind, k, rng, phase):
    """A lesion in kidney ``k``: a dict with its kind, parts and HU."""
    a, b, c = k["abc"]
    if kind == "Stone":
        stones = []
        count = int(rng.integers(T["stone_count"][0], T["stone_count"][1] + 1))
        count = max(1, min(count, 1 + int(rng.geometric(0.55)) - 1))
        for _ in range(count):
            d = _loguniform(rng, "stone_diameter_mm")
            site = rng.choice(3, p=T["stone_site_probabilities"])
            if site == 0:
                cal = k["calyces"][int(rng.integers(len(k["calyces"])))]
                pos = _to_world(k, cal)
                d = min(d, 2.4 * k["calyx_mm"] + 2.0)
            elif site == 1:
                pos = _to_world(k, (rng.uniform(-0.15, 0.15) * a, 0.45 * b, 0.0))
            else:
                pos = _ureter_point(k, rng.uniform(20.0, 80.0))
                d = min(d, 7.0)
            r = d / 2
            semi = (r, r * rng.uniform(0.65, 1.0), r * rng.uniform(0.65, 1.0))
            stones.append({"center": pos, "semi": semi, "rot": _rotation(rng),
                           "hu": _u(rng, "stone_hu")})
        return {"kind": kind, "stones": stones, "target": stones[0]["center"],
                "extent_mm": 2 * min(stones[0]["semi"])}
    if kind == "Cyst":
        d = _loguniform(rng, "cyst_diameter_mm")
        depth = rng.uniform(0.55, 1.1)
        ndir = _random_direction(rng)
        local = ndir * np.array([a, b, c]) * depth
        r = d / 2
        sub = rng.choice(3, p=T["cyst_kind_probabilities"])
        hu = _u(rng, "cyst_hyperdense_hu") if sub == 1 else _u(rng, "cyst_simple_hu")
        septa = []
        if sub == 2:
            for _ in range(int(rng.integers(1, 4))):
                n = rng.standard_normal(3)
                septa.append((n / np.linalg.norm(n), rng.uniform(-0.5, 0.5) * r))
        septum_hu = rng.uniform(40.0, 80.0) + (0.0 if phase == "unenhanced" else 40.0)
        return {"kind": kind, "center": _to_world(k, local),
                "semi": (r, r * rng.uniform(0.8, 1.0), r * rng.uniform(0.8, 1.0)),
                "rot": _rotation(rng), "hu": hu, "septa": septa, "septum_hu": septum_hu,
                "septum_mm": rng.uniform(0.8, 1.6), "subtype": ("simple", "hyperdense",
                                                               "septated")[sub],
                "target": _to_world(k, local), "extent_mm": d}
    if kind == "Tumor":
        d = _loguniform(rng, "tumor_diameter_mm")
        exo = rng.random() < T["tumor_exophytic_probability"]
        ndir = _random_direction(rng)
        if exo:
            depth = rng.uniform(0.8, 1.1)
        else:
            d = min(d, 1.6 * b)
            depth = rng.uniform(0.2, 0.55)
        center = _to_world(k, ndir * np.array([a, b, c]) * depth)
        r = d / 2
        lobes = [(center, r)]
        for _ in range(int(rng.integers(1, 4))):
            off = rng.standard_normal(3)
            off *= rng.uniform(0.2, 0.45) * r / np.linalg.norm(off)
            lobes.append((center + off, r * rng.uniform(0.5, 0.8)))
        density = rng.choice(3, p=T["tumor_density_probabilities"])
        base = k["cortex_hu"]
        if phase == "unenhanced":
            mean = (rng.uniform(15.0, 28.0), rng.uniform(30.0, 40.0),
                    rng.uniform(42.0, 58.0))[density]
        else:
            gain = (rng.uniform(0.25, 0.6), rng.uniform(0.85, 1.0),
                    rng.uniform(1.1, 1.3))[density]
            mean = 35.0 + gain * (base - 35.0)
        return {"kind": kind, "lobes": lobes, "center": center, "radius": r, "hu": mean,
                "texture_hu": _u(rng, "tumor_texture_hu"),
                "necrosis": rng.random() < T["tumor_necrosis_probability"],
                "necrosis_hu": rng.uniform(8.0, 25.0), "exophytic": exo,
                "density": ("hypo", "iso", "hyper")[density], "target": center,
                "extent_mm": d}
    raise AssertionError(kind)


def _rotation(rng):
    q = rng.standard_normal(4)
    q /= np.linalg.norm(q)
    w, x, y, z = q
    return np.array([[1 - 2 * (y * y + z * z), 2 * (x * y - z * w), 2 * (x * z + y * w)],
                     [2 * (x * y + z * w), 1 - 2 * (x * x + z * z), 2 * (y * z - x * w)],
                     [2 * (x * z - y * w), 2 * (y * z + x * w), 1 - 2 * (x * x + y * y)]])


def _ureter_exit(k):
    a, b, c = k["abc"]
    return _to_world(k, (0.1 * a, 1.05 * b, 0.0))


def _ureter_point(k, below_mm):
    """The ureter's centre ``below_mm`` under the pelvis exit (runs down and medial)."""
    start = _ureter_exit(k)
    return start + np.array([below_mm, 0.1 * below_mm, -k["side"] * k["ureter_drift"] * below_mm])


def draw_anatomy(label, rng, phase=None):
    """Draw one patient: a dict of every shape, HU and the lesion (see module doc).

    The anatomy, phase included, and the lesion draw from two independent child
    generators of ``rng``: for one seed, patients of all four classes share the
    same body, organs and phase and differ only by their lesion.
    """
    kind = CLASSES[label]
    lesion_rng = child(rng)
    if phase is None:
        phase = PHASES[int(rng.choice(4, p=T["phase_probabilities"]))]
    a = _u(rng, "body_half_width_mm")
    b = a * _u(rng, "body_depth_ratio")
    anat = {"phase": phase, "label": label, "a": a, "b": b,
            "skin": _u(rng, "skin_mm"), "sc_fat": _u(rng, "subcutaneous_fat_mm") * a / 155,
            "wall": _u(rng, "abdominal_wall_mm"), "fat_hu": _u(rng, "fat_hu"),
            "fat_texture": _u(rng, "fat_texture_hu"),
            "organ_texture": _u(rng, "organ_texture_hu"),
            "strands": _u(rng, "fat_strands_fraction"), "muscle_hu": _u(rng, "muscle_hu"),
            "table_gap": _u(rng, "table_gap_mm"), "table_hu": _u(rng, "table_hu"),
            "table_sag": rng.uniform(15.0, 45.0), "table_mm": rng.uniform(1.0, 2.2),
            "table_depth": rng.uniform(15.0, 35.0),
            "width_wave": (rng.uniform(0.0, 0.06), rng.uniform(150.0, 300.0),
                           rng.uniform(0, 2 * math.pi)),
            "hip_flare": rng.uniform(0.03, 0.12)}
    inner_b = b - anat["sc_fat"] * 0.7 - anat["wall"]
    rv = _u(rng, "vertebra_half_width_mm")
    spine_y = b - anat["sc_fat"] * 0.6 - rng.uniform(55.0, 75.0) - rv
    anat.update({
        "rv": rv, "spine_y": spine_y, "vert_h": _u(rng, "vertebra_height_mm"),
        "disc": _u(rng, "disc_mm"), "vert_phase": rng.uniform(0.0, 40.0),
        "cortex_hu": _u(rng, "bone_cortex_hu"), "marrow_hu": _u(rng, "bone_marrow_hu"),
        "disc_hu": rng.uniform(70.0, 110.0), "canal_hu": rng.uniform(5.0, 25.0),
        "rib_r": _u(rng, "rib_radius_mm"), "rib_step": _u(rng, "rib_spacing_mm"),
        "rib_phase": rng.uniform(0.0, 30.0), "lowest_rib": _u(rng, "lowest_rib_mm"),
        "rib_slope": rng.uniform(35.0, 70.0), "cartilage_hu": _u(rng, "cartilage_hu"),
        "iliac": _u(rng, "iliac_crest_mm"), "diaphragm": _u(rng, "diaphragm_mm"),
        "aorta_r": _u(rng, "aorta_radius_mm"), "aorta_x": rng.uniform(3.0, 14.0),
        "aorta_hu": _hu(rng, "aorta_hu", phase), "vein_hu": _hu(rng, "vein_hu", phase),
        "ivc_x": -rng.uniform(18.0, 30.0), "ivc_ab": (rng.uniform(9.0, 15.0),
                                                        rng.uniform(6.0, 10.0)),
        "bifurcation": rng.uniform(60.0, 110.0),
        "liver_hu": _hu(rng, "liver_hu", phase), "spleen_hu": _hu(rng, "spleen_hu", phase),
        "liver_a": _u(rng, "liver_half_width_mm"), "liver_bottom": _u(rng, "liver_bottom_mm"),
        "spleen": _u(rng, "spleen_size_mm"), "gallbladder": rng.random() < 0.5,
        "bowel_fill": _u(rng, "bowel_fill_fraction"), "bowel_gas": _u(rng, "bowel_gas_fraction"),
        "oral": rng.random() < T["oral_contrast_probability"],
        "oral_hu": _u(rng, "oral_contrast_hu"),
        "bowel_wall_hu": _hu(rng, "bowel_wall_hu", phase),
        "urine_hu": _hu(rng, "urine_hu", phase), "inner_b": inner_b,
        "vessel_hu": 0.5 * (_hu(rng, "aorta_hu", phase) + _hu(rng, "vein_hu", phase)),
        "psoas": rng.uniform(0.8, 1.2), "paraspinal": rng.uniform(0.8, 1.2),
    })
    kidneys = [_kidney(side, spine_y, rng, phase) for side in (-1, 1)]
    if rng.random() < T["single_kidney_probability"]:
        kidneys.pop(int(rng.integers(2)))
    anat["kidneys"] = kidneys
    sick = int(lesion_rng.integers(len(kidneys)))
    anat["lesion"] = (None if kind == "Normal"
                      else _lesion(kind, kidneys[sick], lesion_rng, phase))
    anat["lesion_kidney"] = sick
    return anat


# --------------------------------------------------------------------------- rendering


class Grid:
    """An axis-aligned grid of sample points (1-D coordinates per axis, in mm)."""

    def __init__(self, zs, ys, xs, soft_mm):
        self.axes = [np.asarray(v, np.float32) for v in (zs, ys, xs)]
        self.shape = tuple(len(v) for v in self.axes)
        self.soft = float(soft_mm)
        self.hu = np.full(self.shape, -1000.0, np.float32)

    def window(self, lo, hi):
        """Index slices of the box ``lo..hi`` (z, y, x mm), or None when it is empty."""
        win = []
        for ax, l, h in zip(self.axes, lo, hi):
            i0 = int(np.searchsorted(ax, l, "left"))
            i1 = int(np.searchsorted(ax, h, "right"))
            if i1 <= i0:
                return None
            win.append(slice(i0, i1))
        return tuple(win)

    def box(self, center, radius):
        c = np.asarray(center, float)
        r = np.broadcast_to(np.asarray(radius, float), (3,))
        return self.window(c - r, c + r)

    def coords(self, win):
        z, y, x = (ax[s] for ax, s in zip(self.axes, win))
        return z[:, None, None], y[None, :, None], x[None, None, :]

    def paint(self, win, sdf, value):
        """Blend ``value`` (a number or an array broadcasting to ``sdf``) into the HU
        where ``sdf`` < 0, with a partial-volume ramp one pixel wide."""
        region = self.hu[win]
        sdf = np.asarray(sdf, np.float32)
        if sdf.shape != region.shape:
            sdf = np.broadcast_to(sdf, region.shape)
        # A number is broadcast as well (a read-only view, no copy): one kernel.
        value = np.broadcast_to(np.asarray(value, np.float32), region.shape)
        _paint_kernel(region, sdf, value, np.float32(1.0 / self.soft))


@jit
def _paint_kernel(region, sdf, value, inv_soft):
    nz, ny, nx = region.shape
    for i in range(nz):
        for j in range(ny):
            for k in range(nx):
                c = 0.5 - sdf[i, j, k] * inv_soft
                if c > 0.0:
                    if c > 1.0:
                        c = 1.0
                    region[i, j, k] += c * (value[i, j, k] - region[i, j, k])


def _ellipsoid_sdf(grid, win, center, semi, rot=None):
    z, y, x = grid.coords(win)
    dz, dy, dx = z - center[0], y - center[1], x - center[2]
    if rot is None:
        u, v, w = dz, dy, dx
    else:
        u = rot[0, 0] * dz + rot[0, 1] * dy + rot[0, 2] * dx
        v = rot[1, 0] * dz + rot[1, 1] * dy + rot[1, 2] * dx
        w = rot[2, 0] * dz + rot[2, 1] * dy + rot[2, 2] * dx
    a, b, c = semi
    k0 = np.sqrt((u / a) ** 2 + (v / b) ** 2 + (w / c) ** 2)
    k1 = np.sqrt((u / (a * a)) ** 2 + (v / (b * b)) ** 2 + (w / (c * c)) ** 2)
    # At the very centre the ratio is 0/0: the depth there is the smallest semi-axis.
    sdf = np.where(k1 > 1e-9, k0 * (k0 - 1.0) / np.maximum(k1, 1e-9), -min(a, b, c))
    return sdf.astype(np.float32)


def _ellipse_sdf(y, x, cy, cx, ay, ax):
    """Signed distance (mm) to an ellipse in the axial plane (broadcasts over z)."""
    u, v = (y - cy) / ay, (x - cx) / ax
    k0 = np.sqrt(u * u + v * v)
    k1 = np.sqrt((u / ay) ** 2 + (v / ax) ** 2)
    return np.where(k1 > 1e-9, k0 * (k0 - 1.0) / np.maximum(k1, 1e-9), -np.minimum(ay, ax))


def _field(grid, win, corr_mm, rng):
    """A unit-variance smooth random field over ``win`` with correlation ``corr_mm``.

    White noise on a coarse lattice (cell = ``corr_mm``), smoothed, then interpolated
    linearly to the grid's points (plane by plane along the grid's shortest axis,
    with ``cv2.warpAffine``): cheap on a volume and on a single slice alike.
    """
    cell = float(corr_mm)
    axes = [ax[s] for ax, s in zip(grid.axes, win)]
    loop = int(np.argmin([len(a) for a in axes]))
    # Two cells of margin in the plane (the smoothing's reach), none needed across it.
    margin = [0.0 if k == loop else 2.0 for k in range(3)]
    lo = [float(a[0]) - m * cell for a, m in zip(axes, margin)]
    n = [int((float(a[-1]) - float(a[0])) / cell) + 2 + int(2 * m) for a, m in zip(axes, margin)]
    # Uniform noise (cheaper to draw) becomes Gaussian-like once smoothed.
    lattice = np.moveaxis(rng.random(n, dtype=np.float32) - np.float32(0.5), loop, 0)
    for k in range(lattice.shape[0]):  # smooth across the two long axes
        lattice[k] = cv2.GaussianBlur(lattice[k], (0, 0), 0.9, borderType=cv2.BORDER_REFLECT)
    lattice = np.moveaxis(lattice, 0, loop)
    lattice /= max(float(lattice.std()), 1e-6)
    # Linear interpolation along the loop axis first (the lattice is small).
    p = (axes[loop] - lo[loop]) / cell
    i0 = np.clip(np.floor(p).astype(np.intp), 0, n[loop] - 2)
    t = (p - i0).astype(np.float32)
    shape = [1, 1, 1]
    shape[loop] = -1
    t = t.reshape(shape)
    part = np.take(lattice, i0, axis=loop) * (1 - t) + np.take(lattice, i0 + 1, axis=loop) * t
    part = np.moveaxis(part, loop, 0)
    r_ax, c_ax = [a for k, a in enumerate(axes) if k != loop]
    r_lo, c_lo = [v for k, v in enumerate(lo) if k != loop]
    dr = float(r_ax[1] - r_ax[0]) if len(r_ax) > 1 else 0.0
    dc = float(c_ax[1] - c_ax[0]) if len(c_ax) > 1 else 0.0
    m = np.array([[dc / cell, 0.0, (float(c_ax[0]) - c_lo) / cell],
                  [0.0, dr / cell, (float(r_ax[0]) - r_lo) / cell]], np.float64)
    out = np.empty((len(axes[loop]), len(r_ax), len(c_ax)), np.float32)
    for k in range(out.shape[0]):
        out[k] = cv2.warpAffine(np.ascontiguousarray(part[k]), m, (len(c_ax), len(r_ax)),
                                flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP,
                                borderMode=cv2.BORDER_REPLICATE)
    return np.moveaxis(out, 0, loop)


def _pad(grid, win, values, fill):
    """``values`` computed on ``win``, placed in a full-grid array filled with ``fill``."""
    if win is None:
        return np.full(grid.shape, fill, np.float32)
    out = np.full(grid.shape, fill, np.float32)
    out[win] = values
    return out


def _body_sdfs(anat, grid, win):
    """Signed distances of the skin surface, the fat-muscle and the muscle-cavity
    boundaries (mm), z-dependent (waist wave, hips)."""
    z, y, x = grid.coords(win)
    amp, period, ph = anat["width_wave"]
    hips = anat["hip_flare"] / (1.0 + np.exp(-(z - anat["iliac"] - 30.0) / 25.0))
    scale = 1.0 + amp * np.sin(z / period * 2 * math.pi + ph) + hips
    a = anat["a"] * scale
    b = anat["b"] * (1.0 + 0.5 * (scale - 1.0))
    back = 0.9 * b
    skin = np.maximum(_ellipse_sdf(y, x, 0.0, 0.0, b, a), y - back)
    # Below the pelvis the body parts into the two thighs.
    crotch = anat["iliac"] + 170.0
    if float(np.max(z)) > crotch:
        gap = np.clip((z - crotch) * 0.4, 0.0, 0.35 * anat["a"])
        skin = np.maximum(skin, gap - np.abs(x))
    f = anat["sc_fat"]
    fat_in = np.maximum(_ellipse_sdf(y, x, -0.15 * f, 0.0, b - f, a - f), y - back + 0.6 * f)
    w = anat["wall"]
    cavity = _ellipse_sdf(y, x, -0.15 * f - 0.3 * w, 0.0, b - 0.8 * f - 1.3 * w, a - f - w)
    return skin, fat_in, cavity


def render(anat, grid, rng):
    """Paint ``anat`` on ``grid``; returns (hu, kidney_mask, lesion_mask)."""
    shape = grid.shape
    kidney = np.zeros(shape, bool)
    lesion = np.zeros(shape, bool)
    a, b = anat["a"], anat["b"]
    full = tuple(slice(0, n) for n in shape)
    z, y, x = grid.coords(full)
    phase = anat["phase"]

    # The table: a cradle under the back (flat in the middle, its sides rising
    # steeply), drawn as two thin dense lines.
    top = 0.9 * b * (1 + anat["hip_flare"]) + anat["table_gap"] + 2.0
    win = grid.window((-1e4, 0.2 * b, -1e4), (1e4, top + 80.0, 1e4))
    if win is not None:
        zw, yw, xw = grid.coords(win)
        reach = 0.9 * a
        sag = anat["table_sag"]
        u = np.abs(xw) / reach
        curve = top + sag * (1.0 - u ** 4) + 0.0 * zw
        slope = 4.0 * sag * u ** 3 / reach
        norm = np.sqrt(1.0 + slope * slope)
        for off, thick in ((0.0, anat["table_mm"]), (anat["table_depth"], 0.7 * anat["table_mm"])):
            sdf = np.abs(yw - curve - off) / norm - thick
            grid.paint(win, sdf, anat["table_hu"])

    amp = 1.0 + anat["width_wave"][0] + anat["hip_flare"]
    bw = grid.window((-1e4, -1.05 * b * amp, -1.05 * a * amp), (1e4, 1.05 * b * amp,
                                                                 1.05 * a * amp))
    if bw is None:
        bw = full
    skin, fat_in, cavity = (_pad(grid, bw, v, 1e3) for v in _body_sdfs(anat, grid, bw))
    grid.paint(full, skin, anat["muscle_hu"])
    fat_tex = _pad(grid, bw, _field(grid, bw, 3.0, rng), 0.0)
    strand = _pad(grid, bw, _field(grid, bw, 6.0, rng), 0.0)
    tissue = _pad(grid, bw, _field(grid, bw, 3.0, rng), 0.0) * anat["organ_texture"]
    fat = anat["fat_hu"] + anat["fat_texture"] * fat_tex
    strands = np.clip(1.0 - np.abs(strand) / anat["strands"], 0.0, 1.0)
    fat = fat + strands * (rng.uniform(40.0, 100.0))
    grid.paint(full, skin + anat["skin"], fat)
    grid.paint(full, fat_in, anat["muscle_hu"] + tissue)
    grid.paint(full, cavity, fat)
    # Small mesenteric and retroperitoneal vessels: dots and short tubes in the fat.
    dots = _pad(grid, bw, _field(grid, bw, 2.5, rng), 0.0)
    grid.paint(full, np.maximum(cavity, (2.0 - dots) * 4.0), anat["vessel_hu"])

    # Lungs above the diaphragm domes (inside the cavity, not in the middle front).
    dome = anat["diaphragm"] + 45.0 * ((np.abs(x) / (0.45 * a) - 1.0) ** 2) + 0.2 * y
    lung_sdf = np.maximum(cavity + 4.0, z - dome)
    lung_sdf = np.maximum(lung_sdf, -np.maximum(np.abs(x) - 0.2 * a, y - 0.3 * b))
    if (lung_sdf < grid.soft).any():
        grid.paint(full, lung_sdf, -860.0 + 800.0 * np.clip(strand - 1.2, 0.0, 1.0))

    # Bowel: a thresholded random field in the front of the cavity and the flanks.
    bowel_field = _pad(grid, bw, _field(grid, bw, rng.uniform(4.0, 7.0), rng), 0.0)
    content = _pad(grid, bw, _field(grid, bw, 25.0, rng), 0.0)
    from statistics import NormalDist
    cut = NormalDist().inv_cdf(1.0 - anat["bowel_fill"])
    front = anat["spine_y"] - anat["rv"] - 15.0
    kx = max(abs(float(k["center"][2])) for k in anat["kidneys"]) + 30.0
    # > 0 where bowel is not allowed.
    allowed = np.minimum(y - front - 12.0 * content, kx - np.abs(x))
    allowed = np.maximum(allowed, anat["diaphragm"] + 60.0 - z)
    region = np.maximum(np.maximum(cavity + 3.0, allowed), (cut - bowel_field) * 6.0)
    gas_cut = NormalDist().inv_cdf(anat["bowel_gas"])
    lumen_val = np.where(content < gas_cut, np.float32(-950.0),
                         np.float32(rng.uniform(5.0, 30.0)))
    if anat["oral"]:
        lumen_val = np.where(content > 0.8, np.float32(anat["oral_hu"]), lumen_val)
    feces = (content > gas_cut) & (content < gas_cut + 0.5)
    # Fields are reused where the tissues they texture never overlap (fat vessels
    # and faecal gas bubbles; fat and organ textures; fat strands and liver veins).
    bubbles = dots
    lumen_val = np.where(feces, np.where(bubbles > 1.0, -900.0, -30.0 + 45.0 * bubbles),
                         lumen_val).astype(np.float32)
    grid.paint(full, region, anat["bowel_wall_hu"] + tissue)
    grid.paint(full, region + rng.uniform(1.5, 3.0), lumen_val)
    del lumen_val, feces, region, allowed

    # Liver (patient's right = image left), gallbladder, spleen (left, behind).
    d = anat["diaphragm"]
    la = anat["liver_a"]
    lcen = (0.5 * (d + anat["liver_bottom"]) + 10.0, -0.05 * b, -0.95 * a + la + 15.0)
    lsemi = (0.5 * (anat["liver_bottom"] - d) + 25.0, 0.7 * b, la)
    win = grid.box(lcen, lsemi)
    if win is not None:
        sdf = np.maximum(_ellipsoid_sdf(grid, win, lcen, lsemi), cavity[win] + 2.0)
        tex = fat_tex[win]
        ves = np.clip(1.0 - np.abs(strand[win]) / 0.06, 0, 1)
        vessel_hu = anat["vein_hu"] - anat["liver_hu"] if phase != "unenhanced" else -15.0
        grid.paint(win, sdf, anat["liver_hu"] + 4.0 * tex + tissue[win] + ves * vessel_hu)
        if anat["gallbladder"]:
            gc = (anat["liver_bottom"] - 20.0, -0.45 * b, lcen[2] + 0.4 * la)
            gwin = grid.box(gc, (40.0, 20.0, 20.0))
            if gwin is not None:
                grid.paint(gwin, _ellipsoid_sdf(grid, gwin, gc, (35.0, 15.0, 15.0)),
                           rng.uniform(0.0, 20.0))
    s = anat["spleen"]
    scen = (d + s + 15.0, 0.35 * b, 0.95 * a - 0.7 * s - anat["sc_fat"] - anat["wall"])
    win = grid.box(scen, (s * 1.3, s, s))
    if win is not None:
        sdf = np.maximum(_ellipsoid_sdf(grid, win, scen, (s * 1.2, 0.8 * s, 0.5 * s)),
                         cavity[win] + 2.0)
        grid.paint(win, sdf, anat["spleen_hu"] + 3.0 * fat_tex[win] + tissue[win])

    # Kidneys, perirenal fat, collecting system, ureters; the lesion.
    les = anat["lesion"]
    late = None
    for i, k in enumerate(anat["kidneys"]):
        ka, kb, kc = k["abc"]
        rot = k["axes"]
        pad = k["perirenal_mm"] + 3.0
        win = grid.box(k["center"], ka + pad + (les["extent_mm"] if les and i ==
                                                  anat["lesion_kidney"] else 0.0))
        if les is not None and i == anat["lesion_kidney"] and les["kind"] == "Stone":
            late = (None, k, None)  # stones may lie in the ureter, out of this box
        if win is None:
            continue
        outer = _ellipsoid_sdf(grid, win, k["center"], (ka, kb, kc), rot)
        notch_c = _to_world(k, (0.0, 1.05 * kb, 0.0))
        notch = _ellipsoid_sdf(grid, win, notch_c, (0.4 * ka, 0.5 * kb, 0.45 * kc), rot)
        bean = np.maximum(outer, -notch)
        tumor_sdf = None
        if les is not None and i == anat["lesion_kidney"] and les["kind"] == "Tumor":
            tumor_sdf = np.min([_sphere_sdf(grid, win, c, r) for c, r in les["lobes"]], axis=0)
            bean = np.minimum(bean, tumor_sdf)
        grid.paint(win, bean - k["perirenal_mm"], fat[win] if fat.shape == shape else fat)
        grid.paint(win, bean, k["cortex_hu"] + 0.6 * tissue[win])
        for p in k["pyramids"]:
            pc = _to_world(k, p)
            pw = grid.box(pc, 0.3 * ka)
            if pw is None:
                continue
            pyr = _ellipsoid_sdf(grid, pw, pc, (0.16 * ka, 0.35 * kb, 0.2 * kc), rot)
            grid.paint(pw, np.maximum(pyr, outer_at(outer, win, pw) + k["cortex_mm"]),
                       k["medulla_hu"])
        sinus_c = _to_world(k, (0.0, 0.3 * kb, 0.0))
        sinus = np.maximum(_ellipsoid_sdf(grid, win, sinus_c, (0.58 * ka, 0.42 * kb, 0.42 * kc),
                                          rot), bean)
        grid.paint(win, sinus, fat[win] if fat.shape == shape else fat)
        sinus_all = np.minimum(sinus, notch)
        kidney[win] |= (bean < 0) & ~(sinus < 0)
        # Renal pelvis and calyces (urine, or contrast in the excretory phase).
        urine = anat["urine_hu"]
        pel_c = _to_world(k, (0.05 * ka, 0.55 * kb, 0.0))
        ps = k["pelvis_scale"]
        pelvis = _ellipsoid_sdf(grid, win, pel_c, (0.25 * ka * ps, 0.28 * kb * ps,
                                                   0.25 * kc * ps), rot)
        for cal in k["calyces"]:
            cc = _to_world(k, cal)
            cw = grid.box(cc, k["calyx_mm"] + 2.0)
            if cw is not None:
                grid.paint(cw, _ellipsoid_sdf(grid, cw, cc, (k["calyx_mm"],) * 3), urine)
        grid.paint(win, pelvis, urine)
        # Renal vein to the IVC or across the aorta (tube in the axial plane).
        hil = _to_world(k, (0.0, 1.1 * kb, 0.0))
        _tube(grid, hil, (hil[0], anat["spine_y"] - anat["rv"] - 12.0,
                          anat["ivc_x"] if k["side"] < 0 else anat["aorta_x"]),
              rng.uniform(3.5, 5.5), anat["vein_hu"])
        if les is not None and i == anat["lesion_kidney"]:
            late = (win, k, tumor_sdf)
        del sinus_all

    # Muscles: psoas (growing downwards), paraspinal and quadratus lumborum.
    sy, rv = anat["spine_y"], anat["rv"]
    zr = z
    for side in (-1, 1):
        grow = np.clip((zr + 60.0) / 200.0, 0.0, 1.0) * anat["psoas"]
        win = grid.window((-60.0, sy - 60, -200), (1e4, sy + 40, 200))
        if win is not None:
            zw, yw, xw = grid.coords(win)
            g = np.clip((zw + 60.0) / 200.0, 0.05, 1.0) * anat["psoas"]
            cx = side * (rv + 4.0 + 16.0 * g + 0.15 * np.maximum(zw, 0))
            sdf = _ellipse_sdf(yw, xw, sy - 4.0 + 10 * g, cx, 6.0 + 14.0 * g, 5.0 + 16.0 * g)
            grid.paint(win, sdf, anat["muscle_hu"] + tissue[win])
        del grow
        win = grid.window((-1e4, sy - 10, -200), (1e4, b + 10, 200))
        if win is not None:
            zw, yw, xw = grid.coords(win)
            ps = anat["paraspinal"]
            sdf = _ellipse_sdf(yw, xw, sy + rv + 28.0, side * (rv + 10.0), 20.0 * ps, 24.0 * ps)
            grid.paint(win, np.maximum(sdf, skin[win] + anat["sc_fat"] * 0.6),
                       anat["muscle_hu"] + tissue[win])
            sdf = _ellipse_sdf(yw, xw, sy + rv + 10.0, side * (rv + 50.0), 9.0, 16.0)
            grid.paint(win, np.maximum(sdf, cavity[win] - 20.0), anat["muscle_hu"] + tissue[win])

    # Aorta (bifurcating into the iliacs) and inferior vena cava.
    ar = anat["aorta_r"]
    ay = sy - rv - ar - 3.0
    win = grid.window((-1e4, ay - 60, -150), (1e4, ay + 60, 150))
    if win is not None:
        zw, yw, xw = grid.coords(win)
        split_t = np.maximum(zw - anat["bifurcation"], 0.0)
        r_a = np.where(split_t > 0, 0.7 * ar, ar)
        cx_a = anat["aorta_x"] * (1 - np.clip(split_t / 40.0, 0, 1))
        sdfs = [np.sqrt((yw - ay) ** 2 + (xw - cx_a - s * 0.45 * split_t) ** 2) - r_a
                for s in (-1, 1)]
        grid.paint(win, np.minimum(*sdfs), anat["aorta_hu"] + 0.0 * zw)
        ia, ib = anat["ivc_ab"]
        cx_v = anat["ivc_x"] - 0.3 * split_t
        sdf = _ellipse_sdf(yw, xw, ay + 4.0, cx_v, ib, ia)
        grid.paint(win, np.maximum(sdf, anat["diaphragm"] - 20.0 - zw), anat["vein_hu"])

    _draw_bones(anat, grid, skin, fat_in, dots, rng)
    # Last, so that nothing hides them: the ureters and the lesion.
    for k in anat["kidneys"]:
        _draw_ureter(grid, k, anat["urine_hu"])
    if late is not None and (late[0] is not None or les["kind"] == "Stone"):
        _draw_lesion(grid, late[0], les, late[1], late[2], lesion, rng, anat)

    kidney |= lesion
    return grid.hu, kidney, lesion


def outer_at(outer, win, sub):
    """The part of an array computed on ``win`` that covers the sub-window ``sub``."""
    idx = tuple(slice(s.start - w.start, s.stop - w.start) for s, w in zip(sub, win))
    part = outer[idx]
    return part


def _sphere_sdf(grid, win, center, r):
    z, y, x = grid.coords(win)
    return (np.sqrt((z - center[0]) ** 2 + (y - center[1]) ** 2 + (x - center[2]) ** 2)
            - r).astype(np.float32)


def _tube(grid, p0, p1, r, value):
    """A straight tube (capsule) from p0 to p1 (z, y, x mm) of radius r."""
    p0, p1 = np.asarray(p0, float), np.asarray(p1, float)
    lo, hi = np.minimum(p0, p1) - r - 2, np.maximum(p0, p1) + r + 2
    win = grid.window(lo, hi)
    if win is None:
        return
    z, y, x = grid.coords(win)
    d = p1 - p0
    L2 = float(d @ d) or 1e-6
    t = np.clip(((z - p0[0]) * d[0] + (y - p0[1]) * d[1] + (x - p0[2]) * d[2]) / L2, 0, 1)
    dist = np.sqrt((z - p0[0] - t * d[0]) ** 2 + (y - p0[1] - t * d[1]) ** 2
                   + (x - p0[2] - t * d[2]) ** 2)
    grid.paint(win, dist - r, value)


def _draw_ureter(grid, k, urine):
    """The ureter: a tube from the pelvis exit down to the bottom of the grid."""
    start = _ureter_exit(k)
    zmax = float(grid.axes[0][-1])
    if zmax > start[0]:
        uwin = grid.window((start[0], start[1] - 40, start[2] - 80),
                           (zmax + 1, start[1] + 40, start[2] + 80))
        if uwin is not None:
            zu, yu, xu = grid.coords(uwin)
            t = np.maximum(zu - start[0], 0.0)
            cy = start[1] + 0.1 * t
            cx = start[2] - k["side"] * k["ureter_drift"] * t
            grid.paint(uwin, np.sqrt((yu - cy) ** 2 + (xu - cx) ** 2) - k["ureter_mm"],
                       urine)


def _draw_lesion(grid, win, les, k, tumor_sdf, lesion, rng, anat):
    kind = les["kind"]
    if kind == "Tumor":
        tex = _field(grid, win, rng.uniform(3.0, 6.0), rng)
        value = les["hu"] + les["texture_hu"] * tex
        if les["necrosis"]:
            core = _sphere_sdf(grid, win, les["center"], 0.5 * les["radius"])
            core = core - 4.0 * _field(grid, win, 5.0, rng)
            value = np.where(core < 0, les["necrosis_hu"] + 5.0 * tex, value)
        grid.paint(win, tumor_sdf, np.clip(value, -20.0, 400.0))
        lesion[win] |= tumor_sdf < 0
    elif kind == "Cyst":
        sdf = _ellipsoid_sdf(grid, win, les["center"], les["semi"], les["rot"])
        grid.paint(win, sdf, les["hu"])
        z, y, x = grid.coords(win)
        for n, off in les["septa"]:
            c = les["center"]
            plane = np.abs((z - c[0]) * n[0] + (y - c[1]) * n[1] + (x - c[2]) * n[2] - off)
            grid.paint(win, np.maximum(plane - les["septum_mm"] / 2, sdf), les["septum_hu"])
        lesion[win] |= sdf < 0
    else:
        for s in les["stones"]:
            sw = grid.box(s["center"], max(s["semi"]) + 2.0)
            if sw is None:
                continue
            sdf = _ellipsoid_sdf(grid, sw, s["center"], s["semi"], s["rot"])
            grid.paint(sw, sdf, s["hu"])
            lesion[sw] |= sdf < 0


def _draw_bones(anat, grid, skin, fat_in, texture, rng):
    """Vertebrae and discs, posterior elements, ribs, costal cartilage, pelvis."""
    sy, rv = anat["spine_y"], anat["rv"]
    period = anat["vert_h"] + anat["disc"]
    # The lumbar spine ends at the sacrum, just below the iliac crests.
    win = grid.window((-1e4, sy - rv - 5, -rv - 60), (anat["iliac"] + 30.0, sy + rv + 70,
                                                       rv + 60))
    if win is not None:
        z, y, x = grid.coords(win)
        zm = np.mod(z - anat["vert_phase"], period)
        in_disc = zm < anat["disc"]
        body = _ellipse_sdf(y, x, sy, 0.0, 0.85 * rv, rv)
        marrow = anat["marrow_hu"] + 40.0 * texture[win]
        grid.paint(win, body, np.where(in_disc, anat["disc_hu"], anat["cortex_hu"]))
        grid.paint(win, np.maximum(body + 2.0, np.where(in_disc, 1e3, -1e3)),
                   np.where(in_disc, anat["disc_hu"], marrow))
        # Posterior elements (in the vertebra's band, shifted back a little).
        zp = np.mod(z - anat["vert_phase"] - 0.3 * period, period)
        band = (zp > anat["disc"]) | np.zeros_like(y, bool) | np.zeros_like(x, bool)
        canal_r = 8.0
        cy = sy + 0.85 * rv + canal_r + 1.0
        ring = _ellipse_sdf(y, x, cy, 0.0, canal_r + 5.0, canal_r + 6.0)
        spin = _ellipse_sdf(y, x, cy + canal_r + 18.0, 0.0, 16.0, 3.5)
        trans = np.minimum(_ellipse_sdf(y, x, cy - 4.0, -(canal_r + 16.0), 4.0, 14.0),
                           _ellipse_sdf(y, x, cy - 4.0, canal_r + 16.0, 4.0, 14.0))
        arch = np.minimum(np.minimum(ring, spin), trans)
        arch = np.where(band, arch, 1e3)
        grid.paint(win, arch, anat["cortex_hu"] * 0.8)
        grid.paint(win, _ellipse_sdf(y, x, cy, 0.0, canal_r, canal_r + 1.0)
                   + np.zeros_like(z), anat["canal_hu"])

    # Ribs: tubes around the cavity, sloping down to the front; cartilage in front.
    lowest = anat["lowest_rib"]
    zmin = float(grid.axes[0][0])
    if zmin < lowest + 20.0:
        win = grid.window((-1e4, -1e4, -1e4), (lowest + 20.0, 1e4, 1e4))
        if win is not None:
            z, y, x = grid.coords(win)
            f = anat["sc_fat"]
            ra, rb = anat["a"] - f - 0.5 * anat["wall"], anat["b"] - f - 0.5 * anat["wall"]
            yc = y + 0.15 * f
            rho = np.sqrt((yc / rb) ** 2 + (x / ra) ** 2)
            theta = np.arctan2(-yc / rb, np.abs(x) / ra)  # 0 lateral, +pi/2 front
            local_r = np.sqrt(yc ** 2 + x ** 2) / np.maximum(rho, 1e-3)
            radial = (rho - 1.0) * local_r
            zrel = z - anat["rib_phase"] + anat["rib_slope"] * (theta + 0.6)
            idx = np.round(zrel / anat["rib_step"])
            dz = zrel - idx * anat["rib_step"]
            zc = z - dz
            # Distance across the sloping rib: dz shrinks by the rib's obliquity.
            slant = dz / np.sqrt(1.0 + (anat["rib_slope"] / np.maximum(local_r, 1.0)) ** 2)
            sdf = np.sqrt(radial ** 2 + slant ** 2) - anat["rib_r"]
            sdf = np.where((theta > -0.9) & (zc < lowest + 30.0 * (theta + 0.9)), sdf, 1e3)
            cart = theta > 0.7
            grid.paint(win, sdf, np.where(cart, anat["cartilage_hu"], anat["cortex_hu"]))
            grid.paint(win, np.where(cart, 1e3, sdf + 1.2), anat["marrow_hu"])

    # Iliac wings (plates slanting out towards the crest), sacrum, femoral heads.
    il = anat["iliac"]
    if float(grid.axes[0][-1]) > il:
        a, b = anat["a"], anat["b"]
        for side in (-1, 1):
            c = (il + 55.0, 0.25 * b, side * 0.5 * a)
            ang = side * 0.45
            rot = np.array([[math.cos(ang), 0.0, -math.sin(ang)], [0.0, 1.0, 0.0],
                            [math.sin(ang), 0.0, math.cos(ang)]])
            w = grid.box(c, 80.0)
            if w is not None:
                sdf = _ellipsoid_sdf(grid, w, c, (60.0, 0.45 * b, 0.12 * a), rot)
                grid.paint(w, sdf, anat["cortex_hu"])
                grid.paint(w, sdf + 2.5, anat["marrow_hu"])
            c = (il + 140.0, 0.0, side * 0.42 * a)
            w = grid.box(c, 30.0)
            if w is not None:
                sdf = _sphere_sdf(grid, w, c, 23.0)
                grid.paint(w, sdf, anat["cortex_hu"])
                grid.paint(w, sdf + 3.0, anat["marrow_hu"])
            for radius, hu in ((13.0, anat["cortex_hu"]), (8.0, anat["marrow_hu"] * 0.5)):
                _tube(grid, (il + 150.0, 0.0, side * 0.48 * a),
                      (il + 400.0, 0.0, side * 0.62 * a), radius, hu)
        c = (il + 70.0, anat["spine_y"] + 10.0, 0.0)
        w = grid.box(c, 60.0)
        if w is not None:
            sdf = _ellipsoid_sdf(grid, w, c, (45.0, 15.0, 28.0))
            grid.paint(w, sdf, anat["cortex_hu"])
            grid.paint(w, sdf + 2.0, anat["marrow_hu"] * 0.8)
