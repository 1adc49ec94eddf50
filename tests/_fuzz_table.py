"""Baseline calls for the fuzz suite (``tests/test_fuzz.py``), one row per public function.

Adding a public function is a one-line change: add a row to :data:`TABLE`::

    "subpackage.name": row(image=IMG, sigma=1.0),

The keyword arguments of :func:`row` are a *valid* call, by parameter name (pass
``_args=(...)`` for ``*args``). Values are literals or the recipes below (``IMG``,
``HU``, ``MASK``, ...); every call gets fresh copies, so a function that writes into
its input is caught. The fuzz suite mutates one argument at a time (see
``tests/_fuzz.py``) and checks the outcome. Options, all optional:

``_keep=("arg", ...)``
    Arguments not mutated (a model object, a callback).
``_names={"arg": ("alias", ...)}``
    Words an error message may use for ``arg`` instead of its name.
``_subprocess=True``
    Crash-prone (compiled kernels that index by data values): run the mutations in
    a child process so that a segfault fails the test instead of killing the run.
``_cheap=True``
    Slow function (a model, a study): only the mutations that validation must
    refuse are tried, and layout mutations are skipped.
``_only=("label", ...)``
    Only these mutations (see ``tests/_fuzz.py``), for the slowest rows.
``_finite=False``
    The function may legitimately return inf/NaN (none today).
``_tf=True``
    Needs TensorFlow; skipped, saying so, only when TensorFlow is absent.

A function with a second code path (the 3-D branch of a function that takes
volumes) gets a second row under ``"subpackage.name[variant]"``; see
:data:`VOLUME_TABLE`.
"""

import numpy as np

__all__ = ["NOT_FUNCTIONS", "TABLE", "VOLUME_TABLE", "Recipe", "row"]


class Recipe:
    """A value built afresh for every call (``Recipe(make, kind)``).

    ``kind`` tells the mutator what the value is: ``"image"``, ``"mask"``,
    ``"labels"``, ``"stack"``, ``"array"``, ``"volume"`` (a ``Volume`` whose ``hu`` is
    mutated as an array), ``"path"``, ``"model"`` or ``"object"``.
    """

    def __init__(self, make, kind, label=""):
        self.make, self.kind, self.label = make, kind, label

    def __call__(self):
        return self.make()

    def __repr__(self):
        return f"<{self.label or self.kind}>"


def _image(dtype=np.uint8, shape=(32, 32), seed=0):
    rng = np.random.default_rng(seed)
    rr, cc = np.mgrid[: shape[0], : shape[1]]
    base = 100 + 80 * np.exp(-((rr - shape[0] / 2) ** 2 + (cc - shape[1] / 2) ** 2) / 60.0)
    image = base + rng.normal(0, 8, shape)
    if np.dtype(dtype).kind in "ui":
        return np.clip(np.rint(image), 0, 255).astype(dtype)
    return image.astype(dtype)


def _hu(shape=(64, 64)):
    from ctkidney.data import make_phantom
    return make_phantom(3, size=shape[0], rng=0).hu


def _mask(shape=(32, 32)):
    mask = np.zeros(shape, bool)
    mask[8:20, 10:24] = True
    mask[24:28, 4:8] = True
    return mask


def _labels2d(shape=(32, 32)):
    out = np.zeros(shape, np.int32)
    out[8:20, 10:24] = 1
    out[24:28, 4:8] = 2
    return out


def _stack(n=8, size=32):
    return np.stack([_image(np.uint8, (size, size), seed=i) for i in range(n)])


def _class_labels(n=8):
    return np.arange(n) % 4


IMG = Recipe(_image, "image", "uint8 32x32")
IMG_F = Recipe(lambda: _image(np.float64), "image", "float64 32x32")
IMG_F32 = Recipe(lambda: _image(np.float32), "image", "float32 32x32")
IMG_I16 = Recipe(lambda: _image(np.int16) - 1000, "image", "int16 32x32")
IMG_U16 = Recipe(lambda: _image(np.uint16), "image", "uint16 32x32")
IMG_REF = Recipe(lambda: _image(np.uint8, seed=1), "image", "uint8 32x32 (other)")
HU = Recipe(_hu, "image", "HU phantom 64x64")
MASK = Recipe(_mask, "mask", "bool 32x32")
MASK2 = Recipe(lambda: np.roll(_mask(), 2, axis=1), "mask", "bool 32x32 (shifted)")
LABELS2D = Recipe(_labels2d, "labels", "int32 label image")
STACK = Recipe(_stack, "stack", "uint8 8x32x32")
STACK_F = Recipe(lambda: _stack().astype(np.float32) / 255, "stack", "float32 8x32x32")
CLASS_LABELS = Recipe(_class_labels, "array", "class labels (8,)")
FEATURES = Recipe(lambda: np.random.default_rng(0).normal(size=(12, 3)), "array",
                  "features (12, 3)")
FEATURE_LABELS = Recipe(lambda: np.array([0] * 8 + [1] * 4), "array", "labels (12,)")
KERNEL = Recipe(lambda: np.array([[1.0, 2, 1], [0, 0, 0], [-1, -2, -1]]), "array", "3x3 kernel")
PSF = Recipe(lambda: np.full((5, 5), 1 / 25), "array", "5x5 psf")
FOOTPRINT = Recipe(lambda: np.ones((3, 3), bool), "mask", "3x3 footprint")
HIT = Recipe(lambda: np.array([[0, 0, 0], [0, 1, 1], [0, 0, 0]], bool), "mask", "hit")
MISS = Recipe(lambda: np.array([[0, 0, 0], [1, 0, 0], [0, 0, 0]], bool), "mask", "miss")
SEEDS = Recipe(lambda: [(16, 16)], "object", "seed list")


def _seed_image():
    seed = _image(np.uint8) // 2
    seed[1:-1, 1:-1] = 0
    return seed


# --- volumes (Z, Y, X): small, with a spacing ---------------------------------------
SPACING3 = (3.0, 0.8, 0.8)


def _mask3(shift=0):
    mask = np.zeros((8, 16, 16), bool)
    mask[2:6, 4:11, 3 + shift:10 + shift] = True
    mask[5:7, 12:14, 12:14] = True
    return mask


def _volume():
    from ctkidney.data import Volume
    hu = (np.stack([_image(np.int16, (16, 16), seed=k) for k in range(8)]) - 100) * 4
    return Volume(hu, SPACING3, (-10.0, 5.0, -20.0))


MASK3 = Recipe(_mask3, "mask", "bool 8x16x16")
MASK3B = Recipe(lambda: _mask3(2), "mask", "bool 8x16x16 (shifted)")
VOLUME = Recipe(_volume, "volume", "Volume int16 8x16x16")
VOL_I16 = Recipe(lambda: _volume().hu, "image", "int16 8x16x16")
VOL_F32 = Recipe(lambda: _volume().hu.astype(np.float32), "image", "float32 8x16x16")
VOL_F = Recipe(lambda: _volume().hu.astype(np.float64) / 7, "image", "float64 8x16x16")
LABELS3 = Recipe(lambda: _mask3().astype(np.int32) + 2 * _mask3(5)[:, ::-1].astype(np.int32),
                 "labels", "int32 8x16x16 labels")
BALL1 = Recipe(lambda: _ball1(), "mask", "3x3x3 ball")


def _ball1():
    z, y, x = np.ogrid[-1:2, -1:2, -1:2]
    return z ** 2 + y ** 2 + x ** 2 <= 1


def _recon3(kind):
    vol = (_volume().hu // 4).astype(np.float32)
    if kind == "seed":
        vol[1:-1, 1:-1, 1:-1] = vol.min()
    return vol


VOL_U8 = Recipe(lambda: np.stack([_image(np.uint8, (16, 16), seed=k) for k in range(8)]),
                "image", "uint8 8x16x16")

RECON_SEED = Recipe(_seed_image, "image", "reconstruction seed")
RECON_MASK = Recipe(lambda: _image(np.uint8) // 2, "image", "reconstruction mask")


# --- files, made once per process in a temporary folder --------------------------------
_FILES = {}


def _files():
    if not _FILES:
        import tempfile
        from pathlib import Path

        import pydicom
        from pydicom.data import get_testdata_file

        from ctkidney.data import make_dataset, save_dataset

        root = Path(tempfile.mkdtemp(prefix="ctkidney-fuzz-"))
        png = root / "slice.png"
        import cv2
        cv2.imwrite(str(png), _image(np.uint8))
        dcm = root / "slice.dcm"
        pydicom.dcmread(get_testdata_file("CT_small.dcm")).save_as(dcm)
        ds_root = root / "dataset"
        save_dataset(make_dataset(2, size=32, rng=0), ds_root)
        from ctkidney.data import write_nifti
        nii = root / "volume.nii.gz"
        write_nifti(_volume(), nii)
        # A series of three slices 2 mm apart, written out of order.
        series = root / "series"
        series.mkdir()
        ds = pydicom.dcmread(get_testdata_file("CT_small.dcm"))
        for k in range(3):
            ds.ImagePositionPatient = [0, 0, -2.0 * k]
            ds.SOPInstanceUID = pydicom.uid.generate_uid()
            ds.save_as(series / f"s{k}.dcm")
        _FILES.update(root=root, png=png, dcm=dcm, dataset=ds_root, nifti=nii, series=series)
    return _FILES


def _fresh_dir(name):
    def make():
        import tempfile
        from pathlib import Path
        return Path(tempfile.mkdtemp(prefix=f"ctkidney-fuzz-{name}-", dir=_files()["root"]))
    return make


PNG = Recipe(lambda: _files()["png"], "path", "png file")
DCM = Recipe(lambda: _files()["dcm"], "path", "dicom file")
DATASET_DIR = Recipe(lambda: _files()["dataset"], "path", "saved dataset")
NIFTI = Recipe(lambda: _files()["nifti"], "path", "nifti file")
SERIES_DIR = Recipe(lambda: _files()["series"], "path", "dicom series folder")
NIFTI_OUT = Recipe(lambda: _fresh_dir("nifti")() / "out.nii.gz", "path", "new nifti path")
OUT_DIR = Recipe(lambda: _fresh_dir("out")() / "new", "path", "new folder")


def _dataset():
    from ctkidney.data import make_dataset
    return make_dataset(2, size=32, rng=0)


DATASET = Recipe(_dataset, "object", "Dataset")

# --- models (TensorFlow) ------------------------------------------------------------
_MODELS = {}


def _model():
    if "cnn" not in _MODELS:
        from ctkidney.models import build_cnn
        _MODELS["cnn"] = build_cnn((32, 32, 3), n_classes=4, rng=0)
    return _MODELS["cnn"]


def _model_file():
    if "file" not in _MODELS:
        from ctkidney.models import save_model
        path = _files()["root"] / "model.keras"
        save_model(_model(), path)
        _MODELS["file"] = path
    return _MODELS["file"]


def _transfer_model():
    if "mobilenet" not in _MODELS:
        from ctkidney.models import build_mobilenet
        _MODELS["mobilenet"] = build_mobilenet((32, 32, 3), n_classes=4, rng=0)
    return _MODELS["mobilenet"]


MODEL = Recipe(_model, "model", "cnn model")
MODEL_TL = Recipe(_transfer_model, "model", "mobilenet model")
MODEL_FILE = Recipe(_model_file, "path", "saved model")
MODEL_PATH = Recipe(lambda: _fresh_dir("model")() / "m.keras", "path", "model path")
PREPARED = Recipe(lambda: np.repeat(_stack(4)[..., None], 3, axis=-1).astype(np.float32) / 255,
                  "stack", "prepared (4, 32, 32, 3)")
PREP_LABELS = Recipe(lambda: np.arange(4) % 4, "array", "labels (4,)")


def row(**spec):
    """One table row: a valid call by parameter name, plus the ``_`` options."""
    return spec


#: Public names that are not functions (constants, classes); the coverage test
#: checks that every other public callable has a row.
NOT_FUNCTIONS = {
    "balancing.OVERSAMPLING_METHODS", "data.ACQUISITION_TUNABLES", "data.CLASSES",
    "data.CSV_NAME", "data.DATASET_DIR",
    "data.DUPLICATE_THRESHOLD", "data.DUPLICATE_TOLERANCE_MM", "data.GAP_TOLERANCE_FRACTION",
    "data.KAGGLE_COUNTS", "data.OBLIQUE_TOLERANCE_DEG", "data.ORIENTATIONS",
    "data.PHANTOM_TUNABLES", "data.PHANTOM_VERSION", "data.PHASES", "data.Dataset",
    "data.Patient", "data.Phantom", "data.Volume", "enhancement.WINDOWS",
    "metrics.AccuracyInterval", "metrics.ClassificationSummary", "metrics.ObjectDetection",
    "models.AUGMENTATION",
    "models.CLASSIFIER_DEFAULTS", "models.FEATURE_MODEL", "models.KIDNEY_REGION",
    "models.SHORTCUT_BINS", "models.SLICE_FEATURES", "models.ShortcutSummary",
    "models.SliceClassifier", "models.WINDOW_JITTER", "models.KINDS", "parallel.STEPS",
    "parallel.ImageError", "parallel.ImageErrorWarning",
    "parallel.Pipeline", "parallel.PreprocessSummary", "restoration.DEFAULT_NOISE_LEVELS",
    "restoration.NOISE_KINDS", "segmentation.LESION_KINDS",
    "segmentation.RECIPE_PARAMS", "segmentation.RecipeParams", "segmentation.SEGMENT_METHODS",
    "study.SectionResult", "study.StudyContext", "study.Table",
}

# A TensorFlow model takes seconds to build: its rows try the mutations that
# validation must refuse before anything is built.
_TF = dict(_tf=True, _cheap=True, _only=("str", "huge", "huge-int", "negative", "nan",
                                         "huge-element", "huge-int-element", "int"))

TABLE = {
    # balancing
    "balancing.class_weights": row(labels=CLASS_LABELS),
    "balancing.oversample": row(images=STACK, labels=CLASS_LABELS, k_neighbors=1, rng=0,
                                method="smote", sampling_strategy="auto"),
    "balancing.smote": row(X=FEATURES, y=FEATURE_LABELS, k_neighbors=2, rng=0, method="smote",
                           sampling_strategy="auto", _names={"X": ("X",), "y": ("y",)}),
    # data
    "data.body_mask": row(image=HU),
    "data.group_near_duplicates": row(images=STACK, threshold=0.18, size=16),
    "data.load_dataset": row(root=DATASET_DIR, strict=False, verify="header", _cheap=True),
    "data.make_dataset": row(n_per_class=1, size=32, rng=0, _cheap=True),
    "data.make_patient": row(label=1, size=32, n_slices=2, spacing=(3.0, 1.5, 1.5),
                             phase="nephrographic", rng=0, _cheap=True),
    "data.make_phantom": row(label=1, size=32, rng=0),
    "data.orientation": row(image=IMG),
    "data.read_dicom": row(path=DCM),
    "data.read_image": row(path=PNG),
    "data.read_nifti": row(path=NIFTI),
    "data.read_series": row(folder=SERIES_DIR, series=None, duplicates="raise", gaps="warn"),
    "data.resize": row(image=IMG_I16, size=(16, 24)),
    "data.save_dataset": row(dataset=DATASET, root=OUT_DIR, quality=95, _cheap=True),
    "data.split": row(dataset_or_labels=Recipe(lambda: np.arange(40) % 4, "array", "labels (40,)"),
                      test_size=0.25, rng=0, _names={"dataset_or_labels": ("labels",)}),
    "data.thumbnails": row(images=STACK, size=16),
    "data.write_nifti": row(volume=VOLUME, path=NIFTI_OUT),
    # enhancement
    "enhancement.clahe": row(image=IMG, clip_limit=2.0, tile_grid=(4, 4), nbins=256,
                             _subprocess=True),
    "enhancement.convolve": row(image=IMG, kernel=KERNEL, mode="reflect", cval=0.0),
    "enhancement.correlate": row(image=IMG_F32, kernel=KERNEL, mode="constant", cval=0.0),
    "enhancement.equalize_hist": row(image=IMG_U16, nbins=256, mask=MASK),
    "enhancement.gamma_correct": row(image=IMG_U16, gamma=0.8, gain=1.0),
    "enhancement.gaussian_filter": row(image=IMG_F32, sigma=1.5, mode="reflect", cval=0.0,
                                       truncate=4.0),
    "enhancement.highpass": row(image=IMG_F, cutoff=0.1, kind="butterworth", order=2.0),
    "enhancement.laplacian": row(image=IMG_I16, mode="constant", cval=0.0),
    "enhancement.log_transform": row(image=IMG_F32),
    "enhancement.lowpass": row(image=IMG_F32, cutoff=0.1, kind="gaussian", order=2),
    "enhancement.match_hist": row(image=IMG, reference=IMG_REF),
    "enhancement.mean_filter": row(image=IMG_F32, size=3, mode="constant", cval=0.0),
    "enhancement.sharpen_laplacian": row(image=IMG, alpha=1.0, mode="reflect", cval=0.0),
    "enhancement.stretch_contrast": row(image=IMG, in_range=(2, 98), out_range=(0, 200),
                                        percentiles=True),
    "enhancement.unsharp_mask": row(image=IMG_U16, sigma=1.0, amount=1.0, mode="reflect", cval=0.0),
    "enhancement.window": row(image=HU, level=40, width=400, out_dtype=np.uint8),
    # metrics
    "metrics.accuracy_interval": row(y_true=CLASS_LABELS,
                                     y_pred=Recipe(lambda: np.roll(_class_labels(), 1),
                                                   "array", "predictions (8,)"),
                                     groups=Recipe(lambda: np.arange(8) // 2, "array",
                                                   "groups (8,)"),
                                     level=0.95, resamples=50, rng=0),
    "metrics.classification_summary": row(y_true=CLASS_LABELS,
                                          y_pred=Recipe(lambda: np.roll(_class_labels(), 1),
                                                        "array", "predictions (8,)"),
                                          class_names=["a", "b", "c", "d"]),
    "metrics.contrast_to_noise": row(image=IMG, roi=MASK, background=Recipe(
        lambda: ~_mask(), "mask", "background")),
    "metrics.dice": row(truth=MASK, pred=MASK2),
    "metrics.entropy": row(image=IMG_I16, bins=None),
    "metrics.hausdorff": row(truth=MASK3, pred=MASK3B, percentile=95, spacing=SPACING3),
    "metrics.iou": row(truth=MASK, pred=MASK2),
    "metrics.mean_iou": row(truth_labels=LABELS2D,
                            pred_labels=Recipe(lambda: np.roll(_labels2d(), 1, 1), "labels",
                                               "labels (shifted)"), labels=None),
    "metrics.object_detection": row(truth=MASK, pred=MASK2, tolerance=2),
    "metrics.mse": row(reference=IMG, image=IMG_REF),
    "metrics.psnr": row(reference=IMG, image=IMG_REF, data_range=255.0),
    "metrics.ssim": row(reference=IMG_F, image=Recipe(lambda: _image(np.float64, seed=1), "image",
                                                       "float64 (other)"),
                        data_range=255.0, win_size=7, gaussian_weights=False, sigma=1.5),
    "metrics.surface_dice": row(truth=MASK3, pred=MASK3B, tolerance=1.0, spacing=SPACING3),
    "metrics.volume_ml": row(mask=MASK3, spacing=SPACING3),
    # models (TensorFlow)
    "models.histogram_features": row(images=STACK, bins=32),
    "models.kidney_region": row(image=IMG),
    "models.random_window": row(images=STACK, rng=0, level_frac=0.15, width_factor=(0.8, 1.25),
                                gamma=(0.8, 1.25)),
    "models.shortcut_baseline": row(images=Recipe(lambda: _stack(16), "stack", "uint8 16x32x32"),
                                    labels=Recipe(lambda: np.arange(16) % 4, "array",
                                                  "labels (16,)"),
                                    groups=Recipe(lambda: np.arange(16) // 2, "array",
                                                  "groups (16,)"),
                                    rng=0, cv=2, test_size=0.25, _cheap=True),
    "models.slice_features": row(images=STACK),
    "models.standardize_slice": row(image=IMG),
    "models.build_cnn": row(input_shape=(32, 32, 3), n_classes=4, rng=0, **_TF),
    "models.build_head": row(n_features=8, n_classes=4, rng=0, **_TF),
    "models.build_mobilenet": row(input_shape=(32, 32, 3), n_classes=4, weights=None,
                                  freeze=True, pooling="max", rng=0, **_TF),
    "models.build_vgg16": row(input_shape=(32, 32, 3), n_classes=4, weights=None, freeze=True,
                              pooling="max", rng=0, **_TF),
    "models.build_vgg19": row(input_shape=(32, 32, 3), n_classes=4, weights=None, freeze=True,
                              pooling="max", rng=0, **_TF),
    "models.embed": row(model=MODEL, images=PREPARED, batch_size=2, **_TF),
    "models.evaluate": row(model=MODEL, images=PREPARED, labels=PREP_LABELS, batch_size=2, **_TF),
    "models.grad_cam": row(model=MODEL, image=Recipe(lambda: PREPARED()[0], "array",
                                                     "prepared image"), class_index=1, **_TF),
    "models.load_model": row(path=MODEL_FILE, compile=False, **_TF),
    "models.predict": row(model=MODEL, images=PREPARED, batch_size=2, **_TF),
    "models.prepare": row(images=STACK, size=(32, 32), model="cnn", _tf=True),
    "models.save_model": row(model=MODEL, path=MODEL_PATH, **_TF),
    "models.train": row(model=MODEL, images=PREPARED, labels=PREP_LABELS, epochs=1, batch_size=2,
                        validation=0.0, augment=False, rng=0, **_TF),
    "models.unfreeze": row(model=MODEL_TL, n_layers=1, learning_rate=1e-5, **_TF),
    # morphology
    "morphology.ball": row(radius=2),
    "morphology.black_tophat": row(image=IMG, footprint=FOOTPRINT),
    "morphology.boundary": row(mask=MASK, footprint=FOOTPRINT),
    "morphology.closing": row(image=IMG_I16, footprint=FOOTPRINT),
    "morphology.cross": row(width=3),
    "morphology.cube": row(width=3),
    "morphology.diamond": row(radius=2),
    "morphology.dilation": row(image=MASK, footprint=FOOTPRINT),
    "morphology.disk": row(radius=2),
    "morphology.ellipsoid": row(radii_mm=(6.0, 4.0, 4.0), spacing=(3.0, 1.0, 1.0)),
    "morphology.erosion": row(image=IMG_F, footprint=FOOTPRINT),
    "morphology.fill_holes": row(mask=MASK),
    "morphology.gradient": row(image=IMG_U16, footprint=FOOTPRINT),
    "morphology.hit_or_miss": row(mask=MASK, hit=HIT, miss=MISS),
    "morphology.keep_largest": row(mask=MASK, connectivity=1),
    "morphology.label": row(mask=MASK, connectivity=2),
    "morphology.opening": row(image=IMG, footprint=FOOTPRINT),
    "morphology.rectangle": row(rows=3, cols=5),
    "morphology.reconstruction": row(seed=RECON_SEED, mask=RECON_MASK, method="dilation",
                                     footprint=FOOTPRINT, _subprocess=True),
    "morphology.remove_small_objects": row(mask=MASK, min_size=20, connectivity=1),
    "morphology.skeletonize": row(mask=MASK),
    "morphology.square": row(width=3),
    "morphology.white_tophat": row(image=IMG_F32, footprint=FOOTPRINT),
    # parallel
    "parallel.compose": row(_args=(Recipe(lambda: _func("restoration", "median_filter"), "object"),
                                   Recipe(lambda: _func("enhancement", "clahe"), "object")),
                            _cheap=True),
    "parallel.map_images": row(func=Recipe(lambda: _neg, "object", "function"), images=STACK,
                               batch_size=4, scheduler="sync", progress=False,
                               _keep=("func",)),
    "parallel.map_slices": row(func=Recipe(lambda: _neg, "object", "function"), volume=VOL_U8,
                               axis=0, batch_size=4, scheduler="sync", progress=False,
                               _keep=("func",)),
    "parallel.parse_steps": row(spec="median:size=3,clahe:clip_limit=2.0",
                                _names={"spec": ("steps",)}),
    "parallel.preprocess": row(src=DATASET_DIR, dst=OUT_DIR, steps="median",
                               scheduler="sync", progress=False, _cheap=True),
    # restoration
    "restoration.adaptive_local_filter": row(image=IMG, size=3, noise_var=10.0, mode="reflect",
                                             cval=0.0),
    "restoration.adaptive_median": row(image=IMG_I16, max_size=5, mode="reflect", cval=0.0),
    "restoration.add_exponential_noise": row(image=IMG, scale=5.0, rng=0),
    "restoration.add_gamma_noise": row(image=IMG, shape=2.0, scale=3.0, rng=0),
    "restoration.add_gaussian_noise": row(image=IMG_F, sigma=5.0, mean=0.0, rng=0),
    "restoration.add_impulse_noise": row(image=IMG_I16, amount=0.05, salt_ratio=0.5, rng=0),
    "restoration.add_noise": row(image=IMG, kind="gaussian", rng=0, sigma=5.0),
    "restoration.add_periodic_noise": row(image=IMG, amplitude=10.0,
                                          frequencies=[(0.1, 0.2)], phase=0.0, rng=0),
    "restoration.add_poisson_noise": row(image=IMG_U16, scale=1.0, rng=0),
    "restoration.add_rayleigh_noise": row(image=IMG, scale=5.0, rng=0),
    "restoration.add_uniform_noise": row(image=IMG, low=-5.0, high=5.0, rng=0),
    "restoration.alpha_trimmed_mean": row(image=IMG_F32, size=3, d=2, mode="reflect", cval=0.0),
    "restoration.arithmetic_mean": row(image=IMG_I16, size=3, mode="constant", cval=0.0),
    "restoration.band_reject": row(image=IMG_F, radius=0.2, width=0.05, kind="butterworth",
                                   order=2.0),
    "restoration.cls_deconvolve": row(image=IMG_F, psf=PSF, gamma=0.01),
    "restoration.contraharmonic_mean": row(image=IMG_F32, size=3, q=1.5, mode="reflect", cval=0.0),
    "restoration.denoise": row(image=IMG_I16, noise="gaussian", sigma=5.0),
    "restoration.estimate_noise_sigma": row(image=IMG_F32),
    "restoration.find_periodic_peaks": row(image=IMG, threshold=1.2, min_frequency=0.04),
    "restoration.geometric_mean": row(image=IMG_U16, size=3, mode="reflect", cval=0.0),
    "restoration.harmonic_mean": row(image=IMG_F, size=3, mode="reflect", cval=0.0),
    "restoration.identify_noise": row(image=IMG_I16),
    "restoration.max_filter": row(image=IMG_U16, size=3, mode="reflect", cval=0.0),
    "restoration.median_filter": row(image=IMG_I16, size=3, mode="constant", cval=0.0,
                                     _subprocess=True),
    "restoration.midpoint_filter": row(image=IMG_F32, size=3, mode="reflect", cval=0.0),
    "restoration.min_filter": row(image=IMG, size=3, mode="reflect", cval=0.0),
    "restoration.notch_reject": row(image=IMG_F, centers=[(0.1, 0.2)], radius=0.02,
                                    kind="butterworth", order=2),
    "restoration.remove_periodic_noise": row(image=IMG, method="notch", peaks=[(0.1, 0.2)],
                                             threshold=1.2, min_frequency=0.04, radius=0.02,
                                             kind="gaussian"),
    "restoration.wiener_deconvolve": row(image=IMG_F, psf=PSF, k=0.01),
    # segmentation
    "segmentation.canny": row(image=IMG_I16, sigma=1.0, low=10.0, high=20.0, mode="constant",
                              cval=0.0),
    "segmentation.distance_transform": row(mask=MASK, sampling=(1.0, 2.0)),
    "segmentation.edge_segment": row(image=IMG, sigma=2.0, closing=2, min_size=16),
    "segmentation.kmeans": row(image=IMG_I16, k=3, rng=0, max_iter=50, n_init=2, tol=0.0,
                               method="exact", _subprocess=True),
    "segmentation.prewitt": row(image=IMG_I16, axis=0, mode="reflect", cval=0.0),
    "segmentation.region_grow": row(image=IMG_I16, seeds=SEEDS, tolerance=30.0, connectivity=1,
                                    method="fixed"),
    "segmentation.segment": row(image=IMG, method="otsu"),
    "segmentation.segment_kidney": row(image=HU),
    "segmentation.segment_lesion": row(image=HU, kind="Tumor"),
    "segmentation.sobel": row(image=IMG_F, axis=None, mode="reflect", cval=0.0),
    "segmentation.threshold": row(image=IMG_I16, value=120.0),
    "segmentation.threshold_local": row(image=IMG, block_size=7, offset=0.0, method="gaussian",
                                        mode="reflect", cval=0.0),
    "segmentation.threshold_multiotsu": row(image=IMG_U16, classes=3, nbins=64),
    "segmentation.threshold_otsu": row(image=IMG_F32, nbins=256),
    "segmentation.watershed": row(image=IMG, markers=LABELS2D, mask=None, connectivity=1,
                                  _subprocess=True),
    "segmentation.watershed_markers": row(mask=MASK, min_distance=3, sampling=None),
    # study
    "study.available_sections": row(),
    "study.register_section": row(name="fuzz_section", title="Fuzz", order=100, _cheap=True),
    "study.run_study": row(out=OUT_DIR, sections=["dataset"], quick=True, seed=0, n_per_class=1,
                           size=32, progress=False,
                           echo=Recipe(lambda: _quiet, "object", "quiet echo"), _cheap=True,
                           # sections=None or [] is valid: every section, minutes long.
                           _keep=("echo", "sections")),
}

#: The 3-D branches of the functions that take volumes: the same function, a
#: volume baseline (so that every mutation also runs through the 3-D kernels).
VOLUME_TABLE = {
    "enhancement.gaussian_filter[3d]": row(image=VOL_F32, sigma=1.0, mode="reflect", cval=0.0,
                                           truncate=4.0, spacing=SPACING3),
    "enhancement.window[3d]": row(image=VOL_I16, level=40, width=400, out_dtype=np.uint8),
    "metrics.dice[3d]": row(truth=MASK3, pred=MASK3B),
    "metrics.iou[3d]": row(truth=MASK3, pred=MASK3B),
    "morphology.black_tophat[3d]": row(image=VOL_I16, footprint=BALL1),
    "morphology.boundary[3d]": row(mask=MASK3, footprint=BALL1),
    "morphology.closing[3d]": row(image=VOL_F32, footprint=BALL1),
    "morphology.dilation[3d]": row(image=MASK3, footprint=BALL1),
    "morphology.erosion[3d]": row(image=VOL_F, footprint=BALL1),
    "morphology.fill_holes[3d]": row(mask=MASK3),
    "morphology.gradient[3d]": row(image=VOL_I16, footprint=None),
    "morphology.keep_largest[3d]": row(mask=MASK3, connectivity=1),
    "morphology.label[3d]": row(mask=MASK3, connectivity=3),
    "morphology.opening[3d]": row(image=VOL_I16, footprint=BALL1),
    "morphology.reconstruction[3d]": row(
        seed=Recipe(lambda: _recon3("seed"), "image", "3-D seed"),
        mask=Recipe(lambda: _recon3("mask"), "image", "3-D mask"), method="dilation",
        footprint=BALL1, _subprocess=True),
    "morphology.remove_small_objects[3d]": row(mask=MASK3, min_size=10, connectivity=1),
    "morphology.white_tophat[3d]": row(image=VOL_F, footprint=BALL1),
    "restoration.median_filter[3d]": row(image=VOL_I16, size=3, mode="reflect", cval=0.0,
                                         _subprocess=True),
    "segmentation.distance_transform[3d]": row(mask=MASK3, sampling=SPACING3),
    "segmentation.watershed[3d]": row(image=VOL_I16, markers=LABELS3, mask=None, connectivity=1,
                                      _subprocess=True),
}
TABLE.update(VOLUME_TABLE)


def _func(sub, name):
    import importlib
    return getattr(importlib.import_module(f"ctkidney.{sub}"), name)


def _neg(image):
    return 255 - image


def _quiet(*args, **kwargs):
    return None
