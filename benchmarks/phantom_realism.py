"""How far the phantoms are from real CT slices, and whether their labels leak.

Not an asv suite (it defines no ``time_``/``track_`` names): a script that
reproduces the numbers of the user guide's "Phantoms" page.

    python benchmarks/phantom_realism.py [--real FOLDER] [--n 709] [--size 256]
        [--figure phantom_realism.png] [--gallery phantoms.png] [--cnn EPOCHS]

1. Realism (needs real slices: ``../shared/realdata/kaggle`` by default, or
   ``--real`` pointing at any folder of 8-bit slices, searched recursively; skips
   with a message when none is there). Every slice, real or phantom (``make_phantom``
   with random labels), is resized to ``--size`` and described by its intensity
   histogram (32 bins), its gradient-magnitude histogram (32 bins) and its radial
   power spectrum (24 bins of log power). The script prints per-statistic
   distances (1-D Wasserstein distances of simple summaries, in grey levels or
   their units) and the cross-validated accuracy of two real-vs-phantom
   discriminators on those 88 features: logistic regression and gradient boosting.
   Real slices of one series are near-duplicates, so the folds are grouped
   (``StratifiedGroupKFold``; real groups from ``group_near_duplicates``, each
   phantom its own group). ``--figure`` saves real and phantom slices side by side
   (keep it out of the repository: it holds real images).
2. Leakage (phantoms only): on a ``make_dataset`` the script prints how well
   ``group_near_duplicates`` recovers the synthetic patients (purity: the share of
   slices whose group holds only their patient; completeness: the share of
   patients found in a single group), and the accuracy of a histogram-only
   classifier (32-bin intensity histogram, gradient boosting, 5-fold
   ``StratifiedGroupKFold`` by patient) against chance: the label must not be
   readable from the histogram.
3. ``--cnn EPOCHS`` (needs TensorFlow) trains the seed CNN twice on each of a
   random and a patient-grouped 70/30 split of the same ``make_dataset`` (64 px
   slices, 32 px input) and prints both test accuracies: the leak shows as a gap.
``--gallery`` saves a phantom-only gallery.
"""

import argparse
import sys
import time
from pathlib import Path

import cv2
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

N_BINS = 32
N_RADIAL = 24


def features(image, size=256):
    """Intensity histogram, gradient-magnitude histogram, radial power spectrum."""
    img = cv2.resize(image, (size, size), interpolation=cv2.INTER_AREA).astype(np.float32)
    hist = np.histogram(img, bins=N_BINS, range=(0, 256))[0] / img.size
    gx = cv2.Sobel(img, cv2.CV_32F, 1, 0, ksize=3)
    gy = cv2.Sobel(img, cv2.CV_32F, 0, 1, ksize=3)
    mag = np.sqrt(gx * gx + gy * gy)
    ghist = np.histogram(np.clip(mag, 0, 1023), bins=N_BINS, range=(0, 1024))[0] / img.size
    power = np.abs(np.fft.fftshift(np.fft.fft2(img - img.mean()))) ** 2
    yy, xx = np.indices(power.shape)
    r = np.hypot(yy - size / 2, xx - size / 2) / (size / 2)
    idx = np.minimum((r * N_RADIAL).astype(int), N_RADIAL)
    radial = np.bincount(idx.ravel(), power.ravel(), N_RADIAL + 1)[:N_RADIAL]
    counts = np.bincount(idx.ravel(), minlength=N_RADIAL + 1)[:N_RADIAL]
    radial = np.log10(radial / np.maximum(counts, 1) + 1e-3)
    radial -= radial.max()
    return np.concatenate([hist, ghist, radial]).astype(np.float32)


def summaries(image):
    """Simple per-slice statistics compared one by one."""
    img = image.astype(np.float32)
    body = img > 20
    gx = cv2.Sobel(img, cv2.CV_32F, 1, 0, ksize=3)
    gy = cv2.Sobel(img, cv2.CV_32F, 0, 1, ksize=3)
    mag = np.sqrt(gx * gx + gy * gy)
    lap = cv2.Laplacian(img, cv2.CV_32F)
    inner = cv2.erode(body.astype(np.uint8), np.ones((9, 9), np.uint8)) > 0
    local = cv2.GaussianBlur(img, (0, 0), 2.0)
    resid = (img - local)[inner] if inner.any() else np.zeros(1)
    return {
        "mean grey level": float(img.mean()),
        "grey-level SD": float(img.std()),
        "body fraction": float(body.mean()),
        "saturated fraction (255)": float((image == 255).mean()),
        "body mean grey level": float(img[body].mean()) if body.any() else 0.0,
        "mean gradient": float(mag.mean()),
        "body gradient": float(mag[body].mean()) if body.any() else 0.0,
        "fine texture SD (body)": float(resid.std()),
        "Laplacian SD": float(lap.std()),
    }


def _wasserstein(a, b):
    from scipy.stats import wasserstein_distance

    return float(wasserstein_distance(a, b))


def real_slices(folder, size):
    paths = sorted(p for p in Path(folder).rglob("*")
                   if p.suffix.lower() in (".jpg", ".jpeg", ".png"))
    images = []
    for p in paths:
        img = cv2.imread(str(p), cv2.IMREAD_GRAYSCALE)
        if img is not None:
            images.append(cv2.resize(img, (size, size), interpolation=cv2.INTER_AREA))
    return images


def realism(real, n, size, seed, figure):
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedGroupKFold, cross_val_score
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    from ctkidney.data import PHANTOM_VERSION, group_near_duplicates, make_phantom

    rng = np.random.default_rng(seed)
    t0 = time.perf_counter()
    phantoms = [make_phantom(int(rng.integers(4)), size=size, rng=rng).image for _ in range(n)]
    print(f"phantom generator {PHANTOM_VERSION}: {n} slices at {size} px in "
          f"{time.perf_counter() - t0:.1f} s")
    print(f"real slices: {len(real)}")
    sr = [summaries(i) for i in real]
    sp = [summaries(i) for i in phantoms]
    print(f"\n{'statistic':28s} {'real median':>12s} {'phantom median':>15s} "
          f"{'Wasserstein':>12s} {'/ real IQR':>10s}")
    for key in sr[0]:
        a = np.array([s[key] for s in sr])
        b = np.array([s[key] for s in sp])
        iqr = np.subtract(*np.percentile(a, [75, 25])) or 1e-9
        w = _wasserstein(a, b)
        print(f"{key:28s} {np.median(a):12.3f} {np.median(b):15.3f} {w:12.3f} {w / iqr:10.2f}")
    x = np.stack([features(i, size) for i in real] + [features(i, size) for i in phantoms])
    y = np.r_[np.ones(len(real)), np.zeros(len(phantoms))].astype(int)
    real_groups = group_near_duplicates(np.stack(real))
    groups = np.r_[real_groups, real_groups.max() + 1 + np.arange(len(phantoms))]
    cv = StratifiedGroupKFold(n_splits=5, shuffle=True, random_state=0)
    models = {
        "logistic regression": make_pipeline(StandardScaler(),
                                             LogisticRegression(C=1.0, max_iter=2000)),
        "gradient boosting": HistGradientBoostingClassifier(max_iter=200, random_state=0),
    }
    print(f"\nreal-vs-phantom discriminators ({len(set(real_groups))} real groups, grouped "
          f"5-fold CV, chance {max(y.mean(), 1 - y.mean()):.1%}):")
    for name, model in models.items():
        acc = cross_val_score(model, x, y, cv=cv, groups=groups, scoring="accuracy")
        folds = ", ".join(f"{a:.0%}" for a in acc)
        print(f"  {name:22s} accuracy {acc.mean():.1%} (folds {folds})")
    if figure:
        pick_r = rng.choice(len(real), 6, replace=False)
        top = np.hstack([real[i] for i in pick_r])
        bottom = np.hstack(phantoms[:6])
        sheet = np.vstack([top, np.zeros((8, top.shape[1]), np.uint8), bottom])
        cv2.imwrite(str(figure), sheet)
        print(f"\nsaved {figure} (top: real, bottom: phantoms; holds real images, do not commit)")


def leakage(n_per_class, size, seed):
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.model_selection import StratifiedGroupKFold, cross_val_score

    from ctkidney.data import group_near_duplicates, make_dataset

    ds = make_dataset(n_per_class, size=size, rng=seed)
    images, labels, patients = ds.images(), ds.labels, ds.groups
    found = group_near_duplicates(images)
    pure = np.array([len(set(patients[found == found[i]])) == 1 for i in range(len(ds))])
    complete = np.mean([len(set(found[patients == p])) == 1 for p in np.unique(patients)])
    print(f"\nmake_dataset({n_per_class}, size={size}): {len(ds)} slices of "
          f"{len(np.unique(patients))} patients; group_near_duplicates finds "
          f"{len(np.unique(found))} groups")
    print(f"  purity (slice's group holds one patient only): {pure.mean():.1%}")
    print(f"  patients found whole (one group each):          {complete:.1%}")
    hist = np.stack([np.histogram(i, bins=N_BINS, range=(0, 256))[0] / i.size for i in images])
    acc = cross_val_score(HistGradientBoostingClassifier(max_iter=200, random_state=0),
                          hist, labels, groups=patients,
                          cv=StratifiedGroupKFold(n_splits=5, shuffle=True, random_state=0))
    print(f"  histogram-only classifier (32 bins, gradient boosting, 5-fold CV grouped by "
          f"patient): accuracy {acc.mean():.1%} (folds "
          f"{', '.join(f'{a:.0%}' for a in acc)}), chance 25.0%")


def cnn_leak(n_per_class, size, seed, epochs):
    """The seed CNN on a make_dataset: a random split against a split by patient."""
    from ctkidney.data import make_dataset, split
    from ctkidney.models import build_cnn, evaluate, train

    ds = make_dataset(n_per_class, size=size, rng=seed)
    images, labels = ds.images(), ds.labels
    print(f"\nseed CNN on make_dataset({n_per_class}, size={size}): {len(ds)} slices of "
          f"{len(np.unique(ds.groups))} patients, 32x32 input, {epochs} epochs")
    for name, groups in (("random split", None), ("split by patient", ds.groups)):
        accs = []
        for rep in range(2):
            train_idx, test_idx = split(labels, test_size=0.3, rng=seed + rep, groups=groups)
            model = build_cnn((32, 32, 3), n_classes=4, rng=rep)
            train(model, images[train_idx], labels[train_idx], epochs=epochs, batch_size=16,
                  validation=None, augment=False, patience=epochs, rng=rep)
            accs.append(evaluate(model, images[test_idx], labels[test_idx]).accuracy)
        print(f"  {name:17s} test accuracy {np.mean(accs):.1%} "
              f"({', '.join(f'{a:.0%}' for a in accs)})")


def gallery(path, size=256, seed=7):
    from ctkidney.data import CLASSES, make_phantom

    rng = np.random.default_rng(seed)
    rows = []
    for label in range(4):
        tiles = []
        for _ in range(5):
            p = make_phantom(label, size=size, rng=rng)
            tile = cv2.cvtColor(p.image, cv2.COLOR_GRAY2BGR)
            cs, _ = cv2.findContours(p.lesion_mask.astype(np.uint8), cv2.RETR_EXTERNAL,
                                     cv2.CHAIN_APPROX_NONE)
            cv2.drawContours(tile, cs, -1, (0, 0, 255), 1)
            cv2.putText(tile, CLASSES[label], (4, 14), cv2.FONT_HERSHEY_SIMPLEX, 0.45,
                        (255, 255, 255), 1, cv2.LINE_AA)
            tiles.append(tile)
        rows.append(np.hstack(tiles))
    cv2.imwrite(str(path), np.vstack(rows))
    print(f"saved {path}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--real", help="folder of real 8-bit slices (default: the Kaggle dev set)")
    parser.add_argument("--n", type=int, default=709, help="phantom slices (default 709)")
    parser.add_argument("--size", type=int, default=256)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--figure", help="save real and phantom slices side by side here")
    parser.add_argument("--gallery", help="save a phantom-only gallery here")
    parser.add_argument("--leakage-n", type=int, default=100,
                        help="slices per class of the leakage check (default 100)")
    parser.add_argument("--no-realism", action="store_true",
                        help="run the leakage checks only")
    parser.add_argument("--cnn", type=int, default=0, metavar="EPOCHS",
                        help="also train the seed CNN (needs TensorFlow) for EPOCHS epochs "
                             "on a random and on a grouped split")
    args = parser.parse_args(argv)
    if args.gallery:
        gallery(args.gallery, args.size)
    leakage(args.leakage_n, args.size, args.seed)
    if args.cnn:
        cnn_leak(args.leakage_n, 64, args.seed, args.cnn)
    if args.no_realism:
        return
    if args.real:
        folder = Path(args.real)
        if not folder.exists():
            print(f"skipped realism: {folder} not found")
            return
    else:
        from _realdata import realdata_root

        folder = realdata_root() / "kaggle"
        if not folder.exists():
            print(f"skipped realism: real data not found at {folder} "
                  "(set CTKIDNEY_REALDATA to a copy of shared/realdata, or pass --real)")
            return
    real = real_slices(folder, args.size)
    if not real:
        print(f"skipped realism: no images under {folder}")
        return
    realism(real, args.n, args.size, args.seed, args.figure)


if __name__ == "__main__":
    main()
