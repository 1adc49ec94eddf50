"""Quality of the segmentation recipes, and how well a stone can be delineated at all.

Not an asv suite (it defines no ``time_``/``track_`` names): a script that
scores the recipes on seed sets of phantoms at several sizes (the real-data
scores of the user guide come from ``benchmarks/real_data.py``).

    python benchmarks/recipe_quality.py recipes [--sizes 128,256,512] [--sets A,B]
    python benchmarks/recipe_quality.py stones [--n 200]

``recipes`` draws the phantom seed sets of the guide and prints the mean IoU of
``segment_kidney`` (over all four classes) and of ``segment_lesion`` (per kind,
and over the three kinds), from the 8-bit slices, with the kidney the recipe
finds. ``stones`` simulates isolated stones the way ``make_phantom`` draws them
(an anti-aliased ellipse of 300-1500 HU, 1.5-5 mm across, on parenchyma or sinus
fat; a Gaussian PSF of 0.5-1 px, noise of 8-25 HU, the abdominal window, JPEG
quality 75-95) and compares the recipe's rule for a stone's outline with a
least-squares fit of the same forward model (a disc) that is told the true PSF
width and background, or the background only: an estimate of what any method
could reach from the 8-bit slice.
"""

import argparse
import math
from concurrent.futures import ProcessPoolExecutor

import cv2
import numpy as np

#: The guide's seed sets: first seed, slices per class at 128/256 px, at 512 px.
SEED_SETS = {
    "A": (917_000, 20, 10),
    "B": (50_000, 25, 25),
    "C": (70_000, 20, 10),
    "D": (400_000, 25, 15),
    "E": (600_000, 25, 15),
    "F": (800_000, 25, 15),
}
KINDS = ("Normal", "Stone", "Cyst", "Tumor")


def _score(job):
    from ctkidney.data import make_phantom
    from ctkidney.metrics import iou
    from ctkidney.segmentation import segment_kidney, segment_lesion

    kind, size, seed = job
    p = make_phantom(kind, size=size, rng=seed)
    kidney = segment_kidney(p.image)
    lesion = None
    if kind != "Normal":
        lesion = iou(p.lesion_mask, segment_lesion(p.image, kind, kidney_mask=kidney))
    return kind, iou(p.kidney_mask, kidney), lesion


def recipes(sizes, sets, workers):
    """Print one row per size and seed set: kidney, each lesion kind, overall."""
    print("size set kidney  Stone   Cyst  Tumor  overall")
    with ProcessPoolExecutor(workers) as pool:
        for size in sizes:
            for name in sets:
                first, n_small, n_512 = SEED_SETS[name]
                n = n_512 if size >= 512 else n_small
                jobs = [(k, size, s) for k in KINDS for s in range(first, first + n)]
                rows = list(pool.map(_score, jobs, chunksize=4))
                kidney = np.mean([r[1] for r in rows])
                lesion = [np.mean([r[2] for r in rows if r[0] == k]) for k in KINDS[1:]]
                print(f"{size:4d}  {name}  {kidney:.3f}  " + "  ".join(f"{v:.3f}" for v in lesion)
                      + f"  {np.mean(lesion):.3f}")


# --- stones -----------------------------------------------------------------

def _grey(hu):
    return (np.asarray(hu, np.float64) + 160.0) * 255.0 / 400.0


def _coverage(shape, cy, cx, a, b, angle):
    """The phantom's partial-volume coverage of an ellipse (semi-axes in pixels)."""
    rr, cc = np.indices(shape, dtype=np.float64)
    c, s = math.cos(angle), math.sin(angle)
    u, v = c * (cc - cx) + s * (rr - cy), -s * (cc - cx) + c * (rr - cy)
    k0 = np.hypot(u / a, v / b)
    k1 = np.hypot(u / (a * a), v / (b * b))
    return np.clip(0.5 - k0 * (k0 - 1.0) / np.maximum(k1, 1e-9), 0.0, 1.0)


def _stone(rng, size):
    """One simulated stone: its 8-bit patch, true mask, background grey and PSF."""
    spacing = rng.uniform(0.6, 0.9) * 512 / size
    r_min = 0.75  # pixels: the phantom's smallest stone is 1.5 px across
    a = max(rng.uniform(0.75, 2.5) / spacing, r_min)
    b = max(a * rng.uniform(0.7, 1.0), r_min)
    n = 33
    cy, cx = 16 + rng.uniform(-0.5, 0.5), 16 + rng.uniform(-0.5, 0.5)
    cover = _coverage((n, n), cy, cx, a, b, rng.uniform(0, math.pi))
    background = rng.choice([rng.uniform(30, 40), rng.uniform(120, 200), rng.uniform(-110, -70)])
    hu = background * (1 - cover) + rng.uniform(300, 1500) * cover
    sigma = rng.uniform(0.5, 1.0)
    measured = cv2.GaussianBlur(hu.astype(np.float32), (0, 0), sigma,
                                borderType=cv2.BORDER_REFLECT)
    measured += rng.normal(0, rng.uniform(8, 25), (n, n)).astype(np.float32)
    image = np.clip(np.rint(_grey(measured)), 0, 255).astype(np.uint8)
    ok, buf = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, int(rng.integers(75, 96))])
    image = cv2.imdecode(buf, cv2.IMREAD_GRAYSCALE)
    truth = cover > 0.5  # pixel centres inside the ellipse, as the phantom's mask
    return image, truth, float(_grey(background)), sigma


def _fit_disc(image, background, sigma, peak, half):
    """Least-squares fit of a blurred, windowed disc; sigma None: fitted too."""
    from scipy.optimize import least_squares

    r0, c0 = peak
    patch = image[r0 - half:r0 + half + 1, c0 - half:c0 + half + 1].astype(np.float64)
    shape = patch.shape
    rr, cc = np.indices(shape, dtype=np.float64)

    def model(p):
        y, x, r, s_grey, s = p if sigma is None else (*p, sigma)
        cover = np.clip(0.5 - (np.hypot(rr - y, cc - x) - r), 0, 1).astype(np.float32)
        blur = cv2.GaussianBlur(cover, (0, 0), s, borderType=cv2.BORDER_REPLICATE)
        return np.clip(background + (s_grey - background) * blur, 0, 255)

    lo = [half - 1.5, half - 1.5, 0.3, _grey(300)]
    hi = [half + 1.5, half + 1.5, half - 1.0, _grey(1500)]
    if sigma is None:
        lo, hi = lo + [0.45], hi + [1.1]
    best = None
    for r_init in (0.8, 1.6, 3.0):
        p0 = [half, half, min(r_init, hi[2] - 0.1), _grey(800)] + ([0.75] if sigma is None else [])
        fit = least_squares(lambda p: (model(p) - patch).ravel(), p0, bounds=(lo, hi))
        if best is None or fit.cost < best.cost:
            best = fit
    y, x, r = best.x[:3]
    mask = np.zeros(image.shape, bool)
    mask[r0 - half:r0 + half + 1, c0 - half:c0 + half + 1] = np.hypot(rr - y, cc - x) < r
    return mask


def _rule(image, background, peak):
    """The recipe's outline of a stone (see segment_lesion), from its peak."""
    from ctkidney.segmentation import RECIPE_PARAMS
    from ctkidney.segmentation import _recipes as recipes_module

    fine = recipes_module._smooth(image, RECIPE_PARAMS.stone_sigma_px)
    level = recipes_module._stone_level(float(fine[peak]), background)
    return recipes_module._delineate_bright(fine, peak, level, background, None)


def _stone_scores(args):
    size, seed = args
    from ctkidney.metrics import iou

    rng = np.random.default_rng(seed)
    image, truth, background, sigma = _stone(rng, size)
    smooth = cv2.GaussianBlur(image.astype(np.float32), (0, 0), 0.7)
    centre = smooth[12:21, 12:21]
    peak = tuple(int(v) + 12 for v in np.unravel_index(np.argmax(centre), centre.shape))
    half = 7 if size >= 512 else 5
    return (iou(truth, _rule(image, background, peak)),
            iou(truth, _fit_disc(image, background, sigma, peak, half)),
            iou(truth, _fit_disc(image, background, None, peak, half)))


def stones(n, workers):
    """Print the mean IoU of the rule and of the fits on n simulated stones per size."""
    print("size  rule   fit(true PSF, true background)  fit(true background)")
    with ProcessPoolExecutor(workers) as pool:
        for size in (256, 512):
            scores = np.array(list(pool.map(_stone_scores, [(size, s) for s in range(n)],
                                            chunksize=8)))
            rule, oracle, free = scores.mean(axis=0)
            print(f"{size:4d}  {rule:.3f}  {oracle:.3f}                           {free:.3f}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="what", required=True)
    rec = sub.add_parser("recipes", help="mean IoU of the recipes on the guide's seed sets")
    rec.add_argument("--sizes", default="128,256,512")
    rec.add_argument("--sets", default=",".join(SEED_SETS))
    rec.add_argument("--workers", type=int, default=2)
    sto = sub.add_parser("stones", help="how well isolated stones can be delineated")
    sto.add_argument("--n", type=int, default=200)
    sto.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    if args.what == "recipes":
        recipes([int(s) for s in args.sizes.split(",")], args.sets.split(","), args.workers)
    else:
        stones(args.n, args.workers)


if __name__ == "__main__":
    main()
