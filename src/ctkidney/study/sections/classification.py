"""Study section ``classification``: every model on a random split and on a grouped
(patient-wise) split, next to a classifier that sees only the grey-level histogram;
balancing variants on the grouped split; Grad-CAM of where the models look."""

import functools
import os
import socket
import sys
import threading
import time
from pathlib import Path

import numpy as np

from ctkidney.study import SectionResult, Table, register_section
from ctkidney.study._plotting import figure_grid, save_figure
from ctkidney.study._registry import group_origin

#: Models in report order (VGG16 and VGG19 run outside quick mode).
MODELS = {"recommended": "Recommended (features, no network)", "small_cnn": "Small CNN",
          "cnn": "CNN", "mobilenet": "MobileNetV2", "vgg19": "VGG19", "vgg16": "VGG16"}
QUICK_MODELS = ("recommended", "small_cnn", "cnn", "mobilenet")
#: Models without a network: no Grad-CAM for them.
_NO_NETWORK = ("recommended",)
#: Models trained at their own defaults (``ctkidney.models.CLASSIFIER_DEFAULTS``, the
#: measured best), not at the seed settings.
_OWN_DEFAULTS = ("recommended", "small_cnn")
_IMAGENET_KINDS = ("vgg16", "vgg19", "mobilenet")

#: Validation accuracy of the seed study (Kaggle data, random split).
SEED_ACCURACY = {
    ("cnn", "none"): 1.000, ("vgg19", "none"): 0.931, ("mobilenet", "none"): 0.970,
    ("cnn", "smote"): 1.000, ("vgg19", "smote"): 0.905, ("mobilenet", "smote"): 0.910,
}
#: Test accuracy in the dataset paper (Islam et al., Sci. Rep. 12, 11440, 2022).
PAPER_ACCURACY = {"Swin Transformer": 0.9930, "VGG16": 0.9820}

BALANCING = {"none": "none", "smote": "SMOTE (pixels)", "class_weight": "class weights",
             "smote_embeddings": "SMOTE (embeddings)"}


def _balancing(kind, balancing):
    """The label of a balancing variant: the recommended model's SMOTE is on its
    slice features, not on pixels."""
    if kind in _NO_NETWORK and balancing == "smote":
        return "SMOTE (features)"
    return BALANCING[balancing]

#: Training settings of the seed models per mode: input side (pixels), epochs, batch
#: size (the recommended model and the small CNN train at their own defaults,
#: ``ctkidney.models.CLASSIFIER_DEFAULTS``, the small CNN with the same batch size). Slices wider
#: than ``max_side_px`` are shrunk first.
QUICK_SETTINGS = {"size_px": 64, "seed_epochs": 20, "batch_size": 16, "max_side_px": 128}
FULL_SETTINGS = {"size_px": 96, "seed_epochs": 10, "batch_size": 32, "max_side_px": 256}
TEST_FRACTION = 0.25

_IMAGENET_FILES = {
    "vgg16": "vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5",
    "vgg19": "vgg19_weights_tf_dim_ordering_tf_kernels_notop.h5",
}
_MOBILENET_SIZES = (96, 128, 160, 192, 224)


def _imagenet_file(kind, size):
    if kind in _IMAGENET_FILES:
        return _IMAGENET_FILES[kind]
    rows = size if size in _MOBILENET_SIZES else 224
    return f"mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.0_{rows}_no_top.h5"


def _keras_cache():
    home = os.environ.get("KERAS_HOME", os.path.join(os.path.expanduser("~"), ".keras"))
    return [Path(home) / "models", Path("/tmp/.keras/models")]


@functools.lru_cache(maxsize=None)
def _reachable(host="storage.googleapis.com", port=443, timeout=3.0):
    """Whether the weights server answers within ``timeout`` seconds (name lookup
    included, which socket timeouts do not bound: it runs in a daemon thread).
    Asked once per process."""
    answer = []

    def probe():
        try:
            socket.create_connection((host, port), timeout=timeout).close()
            answer.append(True)
        except OSError:
            answer.append(False)

    thread = threading.Thread(target=probe, daemon=True)
    thread.start()
    thread.join(timeout)
    return bool(answer and answer[0])


def imagenet_available(kind, size):
    """Whether ImageNet weights for ``kind`` can be had quickly: already in the
    Keras cache, or the download server answers."""
    name = _imagenet_file(kind, size)
    return any((folder / name).is_file() for folder in _keras_cache()) or _reachable()


def _build(kind, shape, weights, rng, n_classes=4):
    from ctkidney import models

    builder = {"cnn": models.build_cnn, "vgg16": models.build_vgg16,
               "vgg19": models.build_vgg19, "mobilenet": models.build_mobilenet}[kind]
    if kind == "cnn":
        return builder(shape, n_classes=n_classes, rng=rng)
    return builder(shape, n_classes=n_classes, weights=weights, rng=rng)


def backbone_weights(kinds, size, requested, notes):
    """``{kind: weights}``: 'imagenet' where it can be had, else None, with one
    note (printed at once, and kept for the report) naming what fell back."""
    backbones = [kind for kind in kinds if kind in _IMAGENET_KINDS]
    if requested in (None, "none"):
        return {kind: None for kind in backbones}
    out, failed = {}, []
    for kind in backbones:
        reason = None
        if not imagenet_available(kind, size):
            reason = "not in the Keras cache and the download server is unreachable"
        else:
            try:
                _build(kind, (size, size, 3), "imagenet", 0)
            except Exception as exc:  # download or file error: fall back, do not fail
                reason = f"{type(exc).__name__}: {exc}"
        out[kind] = "imagenet" if reason is None else None
        if reason is not None:
            failed.append(f"{MODELS[kind]} ({reason})")
    if failed:
        note = (f"ImageNet weights could not be had for {'; '.join(failed)}: using random "
                "weights (as with --weights none) instead.")
        print(note, file=sys.stderr)
        notes.append(note)
    return out


def _kaggle_proportions(labels, groups, rng):
    """Training indices subsampled to the Kaggle class proportions (phantoms are
    balanced; the real data are not, and that is what balancing is for)."""
    from ctkidney.data import CLASSES, KAGGLE_COUNTS

    counts = np.bincount(labels, minlength=len(CLASSES))
    ratio = np.array([KAGGLE_COUNTS[c] for c in CLASSES], float)
    ratio /= ratio.max()
    keep = []
    for k in range(len(counts)):
        members = np.flatnonzero(labels == k)
        # Whole groups, so that near-duplicates stay together.
        target = max(2, int(round(ratio[k] * counts.max())))
        order = rng.permutation(np.unique(groups[members]))
        chosen = []
        for g in order:
            if len(chosen) >= target:
                break
            chosen.extend(members[groups[members] == g].tolist())
        keep.extend(chosen)
    return np.sort(np.asarray(keep, dtype=np.int64))


def _figure(n_rows, n_cols, cell=2.2):
    return figure_grid(n_rows, n_cols, cell=(cell, cell), margin=(0.6, 0.4))


def _plot_confusions(runs, class_names, path):
    kinds = list(dict.fromkeys(k for k, _ in runs))
    variants = list(dict.fromkeys(b for _, b in runs))
    fig, axes = _figure(len(kinds), len(variants))
    short = [c[:2] for c in class_names]
    for (kind, balancing), run in runs.items():
        ax = axes[kinds.index(kind), variants.index(balancing)]
        cm = np.asarray(run["summary"].confusion_matrix)
        ax.imshow(cm, cmap="Blues", vmin=0)
        for (i, j), v in np.ndenumerate(cm):
            ax.text(j, i, str(v), ha="center", va="center", fontsize=7,
                    color="white" if v > cm.max() / 2 else "black")
        ax.set_xticks(range(len(short)), short, fontsize=6)
        ax.set_yticks(range(len(short)), short, fontsize=6)
        ax.set_title(f"{MODELS[kind]}, {_balancing(kind, balancing)}\n"
                     f"acc {run['summary'].accuracy:.2f}", fontsize=7)
    for ax in axes.ravel():
        if not ax.images:
            ax.set_axis_off()
    fig.supxlabel("predicted", fontsize=8)
    fig.supylabel("true", fontsize=8)
    save_figure(fig, path)


def _plot_curves(runs, path):
    kinds = list(dict.fromkeys(k for k, _ in runs))
    fig, axes = _figure(2, len(kinds), cell=2.6)
    for (kind, balancing), run in runs.items():
        col = kinds.index(kind)
        hist = run["history"]
        for row, key in enumerate(("loss", "accuracy")):
            ax = axes[row, col]
            epochs = np.arange(1, len(hist[key]) + 1)
            line, = ax.plot(epochs, hist[key], marker="o", ms=3,
                            label=_balancing(kind, balancing))
            if f"val_{key}" in hist:
                ax.plot(epochs, hist[f"val_{key}"], ls="--", color=line.get_color())
            ax.set_title(f"{MODELS[kind]}: {key}", fontsize=8)
            ax.set_xlabel("epoch", fontsize=7)
            ax.tick_params(labelsize=6)
    widest = max(axes[0], key=lambda ax: len(ax.lines))
    widest.legend(fontsize=6)
    save_figure(fig, path)


def _grad_cam_picks(labels, n_classes):
    return [int(np.flatnonzero(labels == k)[0]) for k in range(n_classes)
            if np.any(labels == k)]


def _grad_cams(clf, images, labels):
    """``[(index, heat map)]`` for one test slice per class, in the slice's frame."""
    return [(i, clf.grad_cam(images[i])) for i in _grad_cam_picks(labels, labels.max() + 1)]


def _plot_grad_cam(trained, images, labels, class_names, path):
    n_cols = max(len(maps) for maps in trained.values())
    fig, axes = _figure(len(trained), n_cols, cell=1.9)
    for row, (kind, maps) in enumerate(trained.items()):
        for col, (i, heat) in enumerate(maps):
            ax = axes[row, col]
            ax.imshow(images[i], cmap="gray", vmin=0, vmax=255)
            ax.imshow(heat, cmap="jet", alpha=0.4, vmin=0, vmax=1)
            ax.set_title(f"{MODELS[kind]}: {class_names[labels[i]]}", fontsize=7)
    for ax in axes.ravel():
        ax.set_axis_off()
    save_figure(fig, path)


def _images(ds, max_side):
    """The slices as one uint8 stack, shrunk to ``max_side`` when larger."""
    from ctkidney.data import resize

    if ds.is_lazy:
        first = ds.image(0)
        side = min(max_side, max(first.shape))
        return ds.images(size=(side, side))
    images = ds.images()
    if max(images.shape[1:]) > max_side:
        images = np.stack([resize(im, (max_side, max_side)) for im in images])
    return images


def _groups(ds):
    """The dataset's groups, and what they are: patients where its maker gave them
    (phantoms, CT volumes, a user's ids), else near-duplicate groups (a Kaggle
    folder's: computed on first use, or carried over from the whole folder when
    the study drew some of its slices)."""
    patients = group_origin(ds) in ("volumes", "maker")
    return np.asarray(ds.groups), "patients" if patients else "near-duplicate groups"


def _plan(kinds, quick, balanced):
    """``[(kind, split, balancing)]``: each model on both splits, then balancing
    variants on the grouped split (the recommended model only in quick mode)."""
    plan = [(kind, split, "none") for kind in kinds for split in ("random", "grouped")]
    for kind in (kinds[:1] if quick else kinds):
        variants = ["class_weight", "smote"]
        if kind in _IMAGENET_KINDS and not quick:
            variants.append("smote_embeddings")
        plan += [(kind, "grouped", b) for b in variants]
    if balanced and not quick:
        plan += [(kind, "kaggle", "none") for kind in kinds]
    return plan


def _fit(kind, balancing, images, labels, train, test, settings, weights, seed, names):
    from ctkidney.metrics import classification_summary
    from ctkidney.models import SliceClassifier

    start = time.perf_counter()
    own = kind in _OWN_DEFAULTS
    clf = SliceClassifier(kind, size=None if own else settings["size_px"],
                          epochs=None if own else settings["seed_epochs"],
                          batch_size=settings["batch_size"],
                          balance=None if balancing == "none" else balancing,
                          weights=weights.get(kind), rng=seed)
    clf.fit(images[train], labels[train])
    predicted = clf.predict(images[test])
    summary = classification_summary(labels[test], predicted, class_names=names)
    return {"summary": summary, "history": clf.history_, "clf": clf,
            "predicted": predicted,
            "seconds": time.perf_counter() - start, "n_train": int(len(train))}


def _kaggle_split(labels, groups, grouped, rng, notes):
    """The grouped training set subsampled to the Kaggle proportions when the
    classes are balanced (phantoms), so that balancing has something to do."""
    train, test = grouped
    counts = np.bincount(labels[train])
    if counts.max() > 1.2 * counts.min():
        return None
    notes.append("The classes here are balanced; the 'kaggle' rows train on the grouped "
                 "training set subsampled to the Kaggle proportions (Cyst 3709, Normal "
                 "5077, Stone 1377, Tumor 2283), the test set stays as it is.")
    return train[_kaggle_proportions(labels[train], groups[train], rng)], test


def _gap_words(kind, random_acc, grouped_acc, shortcut_acc, chance=None, interval=None):
    """One sentence on what a model's accuracies mean.

    ``chance`` is the accuracy of always answering the grouped test set's commonest
    class; ``interval`` the grouped accuracy's ``(low, high, n_groups)``
    (:func:`ctkidney.metrics.accuracy_interval` over the test groups).
    """
    gap = random_acc - grouped_acc
    text = (f"{MODELS[kind]}: {random_acc:.2f} on a random split, {grouped_acc:.2f} on "
            f"unseen groups")
    if interval is not None:
        text += f" (95 % interval {interval[0]:.2f}-{interval[1]:.2f} over {interval[2]} groups)"
    if gap > 0.05:
        text += f"; {gap:.2f} of the random-split accuracy is memory of the series"
    at_chance = chance is not None and abs(shortcut_acc - chance) <= 0.05
    if at_chance:
        # No shortcut to measure against: the window tells nothing here.
        versus = grouped_acc - chance
        text += (f"; the histogram-only shortcut is at chance ({shortcut_acc:.2f}, chance "
                 f"{chance:.2f}), so the window gives nothing away, and the model is ")
        text += (f"{versus:.2f} above chance" if versus > 0.05 else
                 "below chance" if versus < -0.05 else "at chance")
    else:
        versus = grouped_acc - shortcut_acc
        if versus > 0.05:
            text += f"; {versus:.2f} above the histogram-only shortcut ({shortcut_acc:.2f})"
        elif versus < -0.05:
            text += (f"; below the histogram-only shortcut ({shortcut_acc:.2f}): it learnt "
                     "less than the window alone gives away")
        else:
            text += (f"; no better than the histogram-only shortcut ({shortcut_acc:.2f}), "
                     "so what it learnt may be the window, not the anatomy")
    if interval is not None and chance is not None and interval[0] <= chance:
        text += (f". Its interval reaches chance ({chance:.2f}): this test set cannot tell "
                 "it from guessing")
    elif (interval is not None and not at_chance and abs(versus) > 0.05
          and interval[0] <= shortcut_acc <= interval[1]):
        # The words above name a difference that the test groups cannot confirm.
        text += (f". Its interval holds the shortcut's {shortcut_acc:.2f}: this test set "
                 "cannot tell the two apart")
    return text + "."


def _chance(labels):
    """The accuracy of always answering the commonest class of ``labels``."""
    return float(np.bincount(np.asarray(labels)).max() / len(labels))


def _tables(runs, shortcut, kinds, names):
    from ctkidney.metrics import accuracy_interval

    # The models' intervals and the shortcut's use accuracy_interval's default.
    resamples = accuracy_interval.__kwdefaults__["resamples"]
    main, balance, per_class = [], [], []
    for kind in kinds:
        r, g = runs[kind, "random", "none"]["summary"], runs[kind, "grouped", "none"]["summary"]
        seed_acc = SEED_ACCURACY.get((kind, "none"))
        low, high, n_groups = runs[kind, "grouped", "none"]["interval"]
        main.append([MODELS[kind], r.accuracy, g.accuracy,
                     f"{low:.2f}-{high:.2f} ({n_groups} groups)", g.balanced_accuracy,
                     f"{shortcut.accuracy:.3f} ({shortcut.interval[0]:.2f}-"
                     f"{shortcut.interval[1]:.2f}; folds {shortcut.accuracy_mean:.2f} ± "
                     f"{shortcut.accuracy_sd:.2f})", r.accuracy - g.accuracy,
                     "-" if seed_acc is None else f"{seed_acc:.1%}"])
    for (kind, split, balancing), run in runs.items():
        s = run["summary"]
        if split == "random":
            continue
        balance.append([MODELS[kind], split, _balancing(kind, balancing), run["n_train"],
                        s.accuracy, s.balanced_accuracy, float(np.mean(s.recall)),
                        float(np.mean(s.specificity)), len(run["history"]["loss"])])
        per_class += [[MODELS[kind], split, _balancing(kind, balancing), name, s.recall[c],
                       s.specificity[c]] for c, name in enumerate(names)]
    return [
        Table("Accuracy: random split, grouped split and the histogram-only shortcut",
              ["model", "random split", "grouped split", "grouped 95% interval",
               "grouped balanced acc.", "shortcut (grouped CV)", "gap (random - grouped)",
               "seed (val. acc.)"], main,
              note="Grouped: whole patients (or near-duplicate groups) are held out. "
                   "Interval: the 2.5th-97.5th percentiles of the grouped accuracy over "
                   f"{resamples} resamples of the test groups (whole groups drawn "
                   "with replacement: the slices of one series are not independent). "
                   "Shortcut: a gradient-boosting classifier on the 32-bin grey-level "
                   "histogram alone (ctkidney.models.shortcut_baseline) under grouped "
                   "5-fold cross-validation: accuracy of the out-of-fold predictions pooled, "
                   "its 95% interval over all the groups, and the mean ± sd of the fold "
                   "accuracies. Seed: the classic study's "
                   "validation accuracy on a random split of the Kaggle data."),
        Table("Balancing on the grouped split",
              ["model", "split", "balancing", "training slices", "accuracy",
               "balanced acc.", "mean sensitivity", "mean specificity", "epochs"], balance),
        Table("Per-class sensitivity and specificity (grouped split)",
              ["model", "split", "balancing", "class", "sensitivity", "specificity"],
              per_class),
        Table("Published numbers (Kaggle data, random splits)",
              ["source", "model", "balancing", "accuracy"],
              [["seed study", MODELS[k], BALANCING[b], f"{v:.1%}"]
               for (k, b), v in SEED_ACCURACY.items()]
              + [["dataset paper (Islam et al. 2022)", m, "none", f"{v:.2%}"]
                 for m, v in PAPER_ACCURACY.items()]),
    ]


def _figures(ctx, runs, images, labels, test, names):
    grouped = {(k, b): run for (k, split, b), run in runs.items() if split == "grouped"}
    paths = [ctx.figure_path(f"classification_{name}.png")
             for name in ("confusion", "curves", "grad_cam")]
    _plot_confusions(grouped, names, paths[0])
    _plot_curves(grouped, paths[1])
    # Grad-CAM needs a network: the models without one are left out of the montage.
    cams = {kind: _grad_cams(run["clf"], images[test], labels[test])
            for (kind, b), run in grouped.items() if b == "none" and kind not in _NO_NETWORK}
    _plot_grad_cam(cams, images[test], labels[test], names, paths[2])
    captions = ["Confusion matrices on the grouped split (rows: true class)",
                "Training curves on the grouped split (loss and training accuracy)",
                ("Grad-CAM of each network on one held-out slice per class (the small CNN "
                 "sees only the kidney crop; zero outside it; the recommended model has no "
                 "network and no Grad-CAM)")]
    return [(c, p.relative_to(ctx.out_dir)) for c, p in zip(captions, paths)]


def _notes(runs, shortcut, kinds, weights, setup, chance):
    words = [_gap_words(kind, runs[kind, "random", "none"]["summary"].accuracy,
                        runs[kind, "grouped", "none"]["summary"].accuracy, shortcut.accuracy,
                        chance, runs[kind, "grouped", "none"]["interval"])
             for kind in kinds]
    notes = [setup, "**What the accuracies mean.** " + " ".join(words),
             ("Random train/test splits of CT slices leak: neighbouring slices of one "
             "patient's series are near-duplicates, so a random split tests on slices the "
             "model has all but seen; the published 90-100% accuracies on the Kaggle data "
             "are such numbers. Only the grouped split measures new patients. In the "
             "Kaggle data the window and contrast phase also differ by class (Normal and "
             "Tumor enhanced, Cyst and Stone plain): the shortcut column is how far that "
             "alone goes. SMOTE on pixels blends two slices' anatomy; SMOTE on backbone "
             "embeddings or class weights are the sounder ways to balance.")]
    if any(k in weights and not weights[k] for k in kinds):
        notes.append("Without ImageNet weights the frozen VGG/MobileNet backbones are "
                     "random feature extractors and only the head learns: their accuracy "
                     "here says little about transfer learning.")
    return notes


def _data(runs, shortcut, settings, weights, start):
    return {
        "settings": {**settings, "weights": {k: w or "none" for k, w in weights.items()}},
        "shortcut": shortcut.to_dict(),
        "runs": {f"{k}/{split}/{b}": {"summary": run["summary"].to_dict(),
                                      "history": run["history"], "n_train": run["n_train"],
                                      "seconds": round(run["seconds"], 3),
                                      **({} if "interval" not in run else {
                                          "interval_95": list(run["interval"][:2]),
                                          "test_groups": run["interval"][2]})}
                 for (k, split, b), run in runs.items()},
        "seed_accuracy": {f"{k}/{b}": v for (k, b), v in SEED_ACCURACY.items()},
        "paper_accuracy": PAPER_ACCURACY,
        "seconds": round(time.perf_counter() - start, 3),
    }


@register_section("classification", title="Classification", order=60)
def run(ctx):
    """Each model on a random and a grouped split, next to the histogram shortcut."""
    from ctkidney.data import split
    from ctkidney.metrics import accuracy_interval
    from ctkidney.models import shortcut_baseline

    start = time.perf_counter()
    ds, rng, notes = ctx.dataset, ctx.rng("classification"), []
    seed = int(rng.integers(0, 2**31 - 1))
    settings = dict(QUICK_SETTINGS if ctx.quick else FULL_SETTINGS)
    kinds = QUICK_MODELS if ctx.quick else tuple(MODELS)
    images, labels, names = _images(ds, settings["max_side_px"]), ds.labels, list(ds.class_names)
    groups, group_kind = _groups(ds)
    splits = {"random": split(labels, test_size=TEST_FRACTION, rng=seed),
              "grouped": split(labels, test_size=TEST_FRACTION, rng=seed, groups=groups)}
    kaggle = None if ctx.quick else _kaggle_split(labels, groups, splits["grouped"], rng, notes)
    if kaggle is not None:
        splits["kaggle"] = kaggle
    shortcut = shortcut_baseline(images, labels, groups=groups, rng=seed, class_names=names)
    weights = backbone_weights(kinds, settings["size_px"], ctx.options.get("weights", "imagenet"),
                               notes)
    runs = {}
    for kind, part, balancing in ctx.progress(_plan(kinds, ctx.quick, kaggle is not None),
                                              desc="training classifiers"):
        train, test = splits[part]
        runs[kind, part, balancing] = _fit(kind, balancing, images, labels, train, test,
                                           settings, weights, seed, names)
        if part != "random":
            interval = accuracy_interval(labels[test], runs[kind, part, balancing]["predicted"],
                                         groups=groups[test], rng=seed)
            runs[kind, part, balancing]["interval"] = interval[1:]
    test = splits["grouped"][1]
    figures = _figures(ctx, runs, images, labels, test, names)
    for run_ in runs.values():
        run_.pop("clf")
        run_.pop("predicted")
    setup = (f"{len(labels)} slices, {len(np.unique(groups))} {group_kind}; "
             f"{len(test)} test slices ({TEST_FRACTION:.0%}) on each split; the recommended "
             "model and the small CNN at their defaults, the seed models at "
             f"{settings['size_px']}x{settings['size_px']} for {settings['seed_epochs']} epochs; "
             "backbone weights: " + (", ".join(f"{MODELS[k]} {'ImageNet' if w else 'random'}"
                                               for k, w in weights.items()) or "-") + ".")
    return SectionResult(tables=_tables(runs, shortcut, kinds, names), figures=figures,
                         notes=notes + _notes(runs, shortcut, kinds, weights, setup,
                                              _chance(labels[test])),
                         data=_data(runs, shortcut, settings, weights, start))
