"""How well SliceClassifier carries over to new patients, on the real Kaggle slices.

Prints, for a model (default: ``SliceClassifier()``, the recommended model at its
defaults) and the histogram-only shortcut:
balanced accuracy under grouped cross-validation (``StratifiedGroupKFold`` over
:func:`ctkidney.data.group_near_duplicates` groups; out-of-fold predictions pooled
over the folds, one number per repeat, and the accuracy of each fold), the same
after a random window change of every test slice (:func:`ctkidney.models.random_window`),
the confusion matrix, and the time to fit; first, the slices and groups of each
class (a class held in few groups cannot be measured). Skips with a message when the real
data is absent (see ``benchmarks/_realdata.py``).

    python benchmarks/classifier_quality.py              # 5 folds x 1 repeat
    python benchmarks/classifier_quality.py --repeats 2 --folds 5 --model small_cnn
    python benchmarks/classifier_quality.py --model cnn --folds 2 --size 32 --epochs 1

Slow: one fit per fold (under a minute each on 2 cores at the defaults of
``recommended`` and ``small_cnn``, minutes for the seed models).
"""

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

from _realdata import require  # noqa: E402


def _pooled(fit_predict, images, labels, groups, jittered, folds, repeats):
    from sklearn.metrics import balanced_accuracy_score, confusion_matrix
    from sklearn.model_selection import StratifiedGroupKFold

    clean, shifted, per_fold, matrices = [], [], [], []
    for repeat in range(repeats):
        cv = StratifiedGroupKFold(n_splits=folds, shuffle=True, random_state=repeat)
        p_clean = np.zeros(len(labels), labels.dtype)
        p_shift = np.zeros(len(labels), labels.dtype)
        for train, test in cv.split(images, labels, groups):
            p_clean[test], p_shift[test] = fit_predict(images[train], labels[train],
                                                       images[test], jittered[test])
            per_fold.append(float(np.mean(p_clean[test] == labels[test])))
        clean.append(balanced_accuracy_score(labels, p_clean))
        shifted.append(balanced_accuracy_score(labels, p_shift))
        matrices.append(confusion_matrix(labels, p_clean))
    return np.array(clean), np.array(shifted), np.array(per_fold), matrices[-1]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--model", default="recommended",
                        help="a SliceClassifier model: recommended (the default), small_cnn, "
                             "cnn, vgg16, vgg19 or mobilenet")
    parser.add_argument("--size", type=int, default=None, help="input side (default: the model's)")
    parser.add_argument("--epochs", type=int, default=None, help="(default: the model's)")
    args = parser.parse_args(argv)
    root = require("kaggle")

    from sklearn.ensemble import HistGradientBoostingClassifier

    from ctkidney.data import group_near_duplicates, load_dataset
    from ctkidney.models import SliceClassifier, histogram_features, random_window

    ds = load_dataset(root)
    images, labels = ds.images(), ds.labels
    groups = group_near_duplicates(images)
    jittered = random_window(images, rng=123)
    print(f"{len(labels)} slices, {len(np.unique(groups))} near-duplicate groups; "
          f"StratifiedGroupKFold({args.folds}) x {args.repeats}")
    # A class held in few groups cannot be measured: a fold that holds out its
    # largest group trains on the rest only.
    for index in np.unique(labels):
        sizes = np.unique(groups[labels == index], return_counts=True)[1]
        print(f"  {ds.class_names[index]}: {sizes.sum()} slices in {sizes.size} groups "
              f"(largest {sizes.max()})")
    seconds = []

    def model(x_tr, y_tr, x_te, x_jit):
        start = time.perf_counter()
        clf = SliceClassifier(args.model, size=args.size, epochs=args.epochs, rng=0)
        clf.fit(x_tr, y_tr)
        seconds.append((time.perf_counter() - start, len(y_tr)))
        return clf.predict(x_te), clf.predict(x_jit)

    def shortcut(x_tr, y_tr, x_te, x_jit):
        gb = HistGradientBoostingClassifier(max_iter=150, class_weight="balanced",
                                            random_state=0)
        gb.fit(histogram_features(x_tr), y_tr)
        return gb.predict(histogram_features(x_te)), gb.predict(histogram_features(x_jit))

    for name, func in (("histogram shortcut", shortcut), (f"SliceClassifier({args.model!r})",
                                                          model)):
        clean, shifted, folds, matrix = _pooled(func, images, labels, groups, jittered,
                                                args.folds, args.repeats)
        print(f"\n{name}")
        print(f"  balanced accuracy, grouped CV:        {np.round(clean, 3).tolist()}")
        print(f"  balanced accuracy, + random window:   {np.round(shifted, 3).tolist()}")
        print(f"  accuracy per fold: mean {folds.mean():.3f}, sd {folds.std():.3f}, "
              f"min {folds.min():.3f}, max {folds.max():.3f}")
        print("  confusion matrix (rows true Cyst, Normal, Stone, Tumor):")
        for row in matrix:
            print("   ", " ".join(f"{v:4d}" for v in row))
    per_slice = [s / n for s, n in seconds]
    print(f"\nfit time: {np.mean(per_slice) * 700:.0f} s per 700 slices "
          f"(mean over {len(seconds)} fits on {os.cpu_count()} CPUs)")


if __name__ == "__main__":
    main()
