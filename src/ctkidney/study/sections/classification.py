"""Study section ``classification``: the seed's CNN, VGG19 and MobileNetV2, without
and with balancing, on a leakage-safe split."""

import functools
import os
import socket
import sys
import threading
import time
from pathlib import Path

import numpy as np

from ctkidney.study import SectionResult, Table, register_section

#: Models of the seed study, in report order (VGG16 runs outside quick mode).
MODELS = {"cnn": "CNN", "vgg19": "VGG19", "mobilenet": "MobileNetV2", "vgg16": "VGG16"}
QUICK_MODELS = ("cnn", "vgg19", "mobilenet")

#: Validation accuracy of the seed study (Kaggle data, random split).
SEED_ACCURACY = {
    ("cnn", "none"): 1.000, ("vgg19", "none"): 0.931, ("mobilenet", "none"): 0.970,
    ("cnn", "smote"): 1.000, ("vgg19", "smote"): 0.905, ("mobilenet", "smote"): 0.910,
}
#: Test accuracy in the dataset paper (Islam et al., Sci. Rep. 12, 11440, 2022).
PAPER_ACCURACY = {"Swin Transformer": 0.9930, "VGG16": 0.9820}

BALANCING = {"none": "none", "smote": "SMOTE (pixels)", "weights": "class weights",
             "embedding": "SMOTE (embeddings)"}

# (input size, epochs, batch size, patience) per mode.
QUICK_SETTINGS = (48, 2, 16, 2)
FULL_SETTINGS = (96, 10, 16, 3)

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
    backbones = [kind for kind in kinds if kind != "cnn"]
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
    for k, n in enumerate(counts):
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


class _Trainer:
    """One model per kind, built and compiled once; each balancing starts from the
    same initial weights and optimizer state. Keras then traces its training and
    prediction functions once per model instead of once per run, which is most
    of the time on small data."""

    def __init__(self, kind, data, settings, weights, seed, class_names):
        from ctkidney.models._build import compile_model

        self.kind, self.data, self.settings, self.seed = kind, data, settings, seed
        self.class_names = class_names
        size = settings[0]
        self.model = _build(kind, (size, size, 3), weights, seed, len(class_names))
        compile_model(self.model, 1e-3)
        self.model.optimizer.build(self.model.trainable_variables)
        self.initial = (self.model.get_weights(),
                        [v.numpy() for v in self.model.optimizer.variables])

    def _reset(self):
        self.model.set_weights(self.initial[0])
        for variable, value in zip(self.model.optimizer.variables, self.initial[1]):
            variable.assign(value)

    def _options(self, validation):
        _, epochs, batch, patience = self.settings
        return dict(epochs=epochs, batch_size=batch, patience=patience, rng=self.seed,
                    validation=validation)

    def run(self, balancing):
        """Train with one balancing; returns (summary, history, model or None)."""
        from ctkidney import balancing as bal
        from ctkidney import models

        x_tr, y_tr, x_val, y_val, x_te, y_te, k = self.data
        if balancing == "embedding":
            return self._run_embedding()
        self._reset()
        if balancing == "smote":
            x_tr, y_tr = bal.oversample(x_tr, y_tr, method="smote" if k else "random",
                                        k_neighbors=max(k, 1), rng=self.seed)
        history = models.train(
            self.model, x_tr, y_tr, class_weight="balanced" if balancing == "weights" else None,
            **self._options(None if x_val is None else (x_val, y_val)))
        summary = models.evaluate(self.model, x_te, y_te, class_names=self.class_names)
        return summary, history, self.model

    def _run_embedding(self):
        # SMOTE on the frozen backbone's features, then the seed's head alone.
        from ctkidney import balancing as bal
        from ctkidney import models

        x_tr, y_tr, x_val, y_val, x_te, y_te, k = self.data
        self._reset()
        parts = [x_tr, x_te] + ([] if x_val is None else [x_val])
        features = models.embed(self.model, np.concatenate(parts))
        f_tr, f_te, f_val = np.split(features, np.cumsum([len(x_tr), len(x_te)]))
        f_bal, y_bal = bal.smote(f_tr, y_tr, method="smote" if k else "random",
                                 k_neighbors=max(k, 1), rng=self.seed)
        head = models.build_head(f_tr.shape[1], n_classes=len(self.class_names), rng=self.seed)
        history = models.train(head, f_bal, y_bal,
                               **self._options(None if x_val is None else (f_val, y_val)))
        summary = models.evaluate(head, f_te, y_te, class_names=self.class_names)
        return summary, history, None


def _figure(plt, n_rows, n_cols, cell=2.2):
    return plt.subplots(n_rows, n_cols, figsize=(cell * n_cols + 0.6, cell * n_rows + 0.4),
                        squeeze=False, layout="constrained")


def _plot_confusions(runs, class_names, path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    kinds = list(dict.fromkeys(k for k, _ in runs))
    variants = list(dict.fromkeys(b for _, b in runs))
    fig, axes = _figure(plt, len(kinds), len(variants))
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
        ax.set_title(f"{MODELS[kind]}, {BALANCING[balancing]}\n"
                     f"acc {run['summary'].accuracy:.2f}", fontsize=7)
    for ax in axes.ravel():
        if not ax.images:
            ax.set_axis_off()
    fig.supxlabel("predicted", fontsize=8)
    fig.supylabel("true", fontsize=8)
    fig.savefig(path, dpi=90)
    plt.close(fig)


def _plot_curves(runs, path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    kinds = list(dict.fromkeys(k for k, _ in runs))
    fig, axes = _figure(plt, 2, len(kinds), cell=2.6)
    for (kind, balancing), run in runs.items():
        col = kinds.index(kind)
        hist = run["history"]
        for row, key in enumerate(("loss", "accuracy")):
            ax = axes[row, col]
            epochs = np.arange(1, len(hist[key]) + 1)
            line, = ax.plot(epochs, hist[key], marker="o", ms=3,
                            label=f"{BALANCING[balancing]}")
            if f"val_{key}" in hist:
                ax.plot(epochs, hist[f"val_{key}"], ls="--", color=line.get_color())
            ax.set_title(f"{MODELS[kind]}: {key}", fontsize=8)
            ax.set_xlabel("epoch", fontsize=7)
            ax.tick_params(labelsize=6)
    widest = max(axes[0], key=lambda ax: len(ax.lines))
    widest.legend(fontsize=6)
    fig.savefig(path, dpi=90)
    plt.close(fig)


def _grad_cam_picks(labels, n_classes):
    return [int(np.flatnonzero(labels == k)[0]) for k in range(n_classes)
            if np.any(labels == k)]


def _grad_cams(model, images, labels):
    """``[(index, heat map)]`` for one test slice per class."""
    from ctkidney.models import grad_cam

    return [(i, grad_cam(model, images[i])) for i in _grad_cam_picks(labels, labels.max() + 1)]


def _plot_grad_cam(trained, images, labels, class_names, path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    n_cols = max(len(maps) for maps in trained.values())
    fig, axes = _figure(plt, len(trained), n_cols, cell=1.9)
    for row, (kind, maps) in enumerate(trained.items()):
        for col, (i, heat) in enumerate(maps):
            ax = axes[row, col]
            ax.imshow(images[i], cmap="gray", vmin=0, vmax=255)
            ax.imshow(heat, cmap="jet", alpha=0.4, vmin=0, vmax=1)
            ax.set_title(f"{MODELS[kind]}: {class_names[labels[i]]}", fontsize=7)
    for ax in axes.ravel():
        ax.set_axis_off()
    fig.savefig(path, dpi=90)
    plt.close(fig)


def _leakage_safe_split(ds, images, rng):
    from ctkidney.data import group_near_duplicates, split

    groups = group_near_duplicates(images)
    train, test = split(ds.labels, test_size=0.25, rng=rng, groups=groups)
    return groups, train, test


@register_section("classification", title="Classification", order=60)
def run(ctx):
    """CNN, VGG19 and MobileNetV2 with and without SMOTE or class weights."""
    from ctkidney import models  # noqa: F401  (ImportError without TensorFlow)

    start = time.perf_counter()
    ds = ctx.dataset
    rng = ctx.rng("classification")
    seed = int(rng.integers(0, 2**31 - 1))
    settings = QUICK_SETTINGS if ctx.quick else FULL_SETTINGS
    size = settings[0]
    kinds = QUICK_MODELS if ctx.quick else tuple(MODELS)
    notes = []

    images = ds.images(size=(size, size)) if ds.is_lazy else ds.images()
    if images.shape[1:] != (size, size):
        from ctkidney.data import resize

        images = np.stack([resize(im, (size, size)) for im in images])
    labels = ds.labels
    groups, train_idx, test_idx = _leakage_safe_split(ds, images, rng)
    counts = np.bincount(labels[train_idx], minlength=len(ds.class_names))
    if counts.max() <= 1.2 * counts.min():
        train_idx = train_idx[_kaggle_proportions(labels[train_idx], groups[train_idx], rng)]
        notes.append("The phantom classes are balanced; the training set was subsampled to "
                     "the Kaggle proportions (Cyst 3709, Normal 5077, Stone 1377, Tumor "
                     "2283) so that balancing has something to do. The test set keeps "
                     "every class in equal numbers.")
    val = None
    if not ctx.quick:
        from ctkidney.data import split

        sub_train, sub_val = split(labels[train_idx], test_size=0.2, rng=rng,
                                   groups=groups[train_idx])
        val = train_idx[sub_val]
        train_idx = train_idx[sub_train]
    y_tr = labels[train_idx]
    smallest = int(np.bincount(y_tr)[np.bincount(y_tr) > 0].min())
    k = max(1, min(5, smallest - 1))
    if smallest < 2:
        k = 0  # SMOTE needs two slices of a class: random oversampling stands in
        notes.append("A class has a single training slice: SMOTE cannot interpolate, so "
                     "the SMOTE rows use random oversampling.")
    data = (images[train_idx], y_tr,
            None if val is None else images[val], None if val is None else labels[val],
            images[test_idx], labels[test_idx], k)

    weights = backbone_weights(kinds, size, ctx.options.get("weights", "imagenet"), notes)
    plan = [(kind, b) for kind in kinds for b in ("none", "smote", "weights")]
    plan += [(kind, "embedding") for kind in kinds if kind != "cnn"]
    plan.sort(key=lambda item: kinds.index(item[0]))
    runs, trained, trainers = {}, {}, {}
    for kind, balancing in ctx.progress(plan, desc="training classifiers"):
        t0 = time.perf_counter()
        if kind not in trainers:
            trainers = {kind: _Trainer(kind, data, settings, weights.get(kind), seed,
                                       ds.class_names)}
        summary, history, model = trainers[kind].run(balancing)
        runs[kind, balancing] = {"summary": summary, "history": dict(history.history),
                                 "seconds": time.perf_counter() - t0}
        if balancing == "none":
            # Grad-CAM needs the unbalanced model: draw it before the next run resets it.
            trained[kind] = _grad_cams(model, images[test_idx], labels[test_idx])

    names = list(ds.class_names)
    rows, per_class = [], []
    for (kind, balancing), run in runs.items():
        s = run["summary"]
        seed_acc = SEED_ACCURACY.get((kind, balancing))
        rows.append([MODELS[kind], BALANCING[balancing], s.accuracy, s.balanced_accuracy,
                     float(np.mean(s.recall)), float(np.mean(s.specificity)),
                     "-" if seed_acc is None else f"{seed_acc:.1%}",
                     len(run["history"]["loss"])])
        for c, name in enumerate(names):
            per_class.append([MODELS[kind], BALANCING[balancing], name, s.recall[c],
                              s.specificity[c]])
    fig_cm = ctx.figure_path("classification_confusion.png")
    fig_curves = ctx.figure_path("classification_curves.png")
    fig_cam = ctx.figure_path("classification_grad_cam.png")
    _plot_confusions(runs, names, fig_cm)
    _plot_curves(runs, fig_curves)
    _plot_grad_cam(trained, images[test_idx], labels[test_idx], names, fig_cam)

    weight_text = ", ".join(f"{MODELS[k]} {'ImageNet' if w else 'random'}"
                            for k, w in weights.items()) or "-"
    setup = (f"{len(train_idx)} training, {0 if val is None else len(val)} validation and "
             f"{len(test_idx)} test slices at {size}x{size}, split by near-duplicate group "
             f"({len(np.unique(groups))} groups); up to {settings[1]} epochs; backbone "
             f"weights: {weight_text}; "
             + (f"SMOTE k_neighbors={k}." if k else "random oversampling instead of SMOTE."))
    notes.append(setup)
    notes.append(
        "Random train/test splits of the Kaggle CT kidney data leak: neighbouring slices "
        "of one patient's series are near-duplicates, so a random split tests on slices "
        "the model has all but seen, and the published 90-100% accuracies are optimistic. "
        "Here whole near-duplicate groups (ctkidney.data.group_near_duplicates) go to one "
        "side. SMOTE on pixels blends two slices' anatomy; SMOTE on backbone embeddings "
        "or class weights are the sounder ways to balance.")
    if not any(weights.values()):
        notes.append("Without ImageNet weights the frozen VGG/MobileNet backbones are "
                     "random feature extractors and only the head learns: their accuracy "
                     "here says little about transfer learning.")
    tables = [
        Table("Test accuracy per model and balancing",
              ["model", "balancing", "accuracy", "balanced acc.", "mean sensitivity",
               "mean specificity", "seed (val. acc.)", "epochs"], rows,
              note="Seed: the classic study's validation accuracy on a random split of "
                   "the Kaggle data (not comparable: leaky split, other data)."),
        Table("Per-class sensitivity and specificity",
              ["model", "balancing", "class", "sensitivity", "specificity"], per_class),
        Table("Published numbers (Kaggle data, random splits)",
              ["source", "model", "balancing", "accuracy"],
              [["seed study", MODELS[k], BALANCING[b], f"{v:.1%}"]
               for (k, b), v in SEED_ACCURACY.items()]
              + [["dataset paper (Islam et al. 2022)", m, "none", f"{v:.2%}"]
                 for m, v in PAPER_ACCURACY.items()]),
    ]
    figures = [("Confusion matrices (rows: true class) per model and balancing",
                fig_cm.relative_to(ctx.out_dir)),
               ("Training curves (solid: training, dashed: validation)",
                fig_curves.relative_to(ctx.out_dir)),
               ("Grad-CAM of each model (no balancing) on one test slice per class",
                fig_cam.relative_to(ctx.out_dir))]
    data_out = {
        "settings": {"size": size, "epochs": settings[1], "batch_size": settings[2],
                     "k_neighbors": k, "weights": {k_: w or "none" for k_, w in weights.items()},
                     "n_train": int(len(train_idx)), "n_test": int(len(test_idx)),
                     "n_val": 0 if val is None else int(len(val))},
        "runs": {f"{kind}/{balancing}": {"summary": run["summary"].to_dict(),
                                         "history": run["history"],
                                         "seconds": round(run["seconds"], 3)}
                 for (kind, balancing), run in runs.items()},
        "seed_accuracy": {f"{k}/{b}": v for (k, b), v in SEED_ACCURACY.items()},
        "paper_accuracy": PAPER_ACCURACY,
        "seconds": round(time.perf_counter() - start, 3),
    }
    return SectionResult(tables=tables, figures=figures, notes=notes, data=data_out)
