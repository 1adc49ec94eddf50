"""Synthetic abdominal CT slices with ground truth: the built-in dataset.

The Kaggle CT kidney data cannot be shipped, so the study runs on phantoms that
mimic it: slices cut from synthetic 3-D patients (:func:`make_patient`), axial or
coronal, through the lesion, then "acquired" (blur, correlated noise, streaks, a
display window drawn per series, JPEG) to give 8-bit images like the Kaggle ones.
Every phantom comes with its HU map and exact kidney and lesion masks.
"""

import numpy as np

from ctkidney._shared.docstrings import fill_doc
from ctkidney._shared.validation import check_memory, check_rng, check_scalar
from ctkidney.data._dataset import CLASSES, Dataset
from ctkidney.data._patient import Phantom, label_index, render_series

__all__ = ["KAGGLE_COUNTS", "Phantom", "make_dataset", "make_phantom"]

#: Slices per class in the Kaggle dataset (Cyst, Normal, Stone, Tumor).
KAGGLE_COUNTS = {"Cyst": 3709, "Normal": 5077, "Stone": 1377, "Tumor": 2283}

#: Default range of slices drawn from one synthetic patient by :func:`make_dataset`.
SLICES_PER_PATIENT = (3, 10)


#: Bytes per output pixel a phantom needs while it is drawn (it is rendered at twice
#: the size, float work maps included).
_PHANTOM_BYTES_PER_PIXEL = 256


def _check_phantom_size(size):
    size = check_scalar(size, "size", low=32, integer=True)
    return check_memory(_PHANTOM_BYTES_PER_PIXEL * size * size, "size", size)


@fill_doc
def make_phantom(label, *, size=256, rng=None):
    """Simulate one abdominal CT slice of class ``label``, with ground truth.

    A synthetic patient is drawn (the anatomy of :func:`make_patient`) and one
    slice is cut from it, axial (two thirds of the time) or coronal (one third, as
    in the Kaggle data), through the lesion (through a kidney for Normal) so that
    the label is visible. The acquisition blurs it (Gaussian PSF), adds correlated
    CT noise (and, on axial slices, streaks), applies a display window whose level
    and width vary from patient to patient, and round-trips the 8-bit slice through
    JPEG, as the Kaggle images were. The user guide (:doc:`/guide/phantoms`) gives
    every range; :data:`PHANTOM_VERSION` names the generator.

    Parameters
    ----------
    label : int or str
        Class index into :data:`CLASSES` or its name (``"Cyst"``, ``"Normal"``,
        ``"Stone"``, ``"Tumor"``).
    size : int, optional
        Side of the square slice in pixels (at least 32). Default 256. Anatomy is
        drawn in millimetres; the pixel size follows from the field of view (1.2-1.7
        times the body's width on axial slices).
    %(rng)s

    Returns
    -------
    phantom : Phantom
        A named tuple ``(image, hu, kidney_mask, lesion_mask, label)``: ``image`` the
        acquired slice (uint8), ``hu`` the noise-free object (float32, HU),
        ``kidney_mask`` the kidneys' parenchyma plus the lesion (bool; the renal
        sinus fat and collecting system are not kidney; a stone in the ureter
        counts as kidney), ``lesion_mask`` the lesion (bool, empty for Normal,
        never empty otherwise, always inside ``kidney_mask``), ``label`` the class
        index (int).

    Raises
    ------
    TypeError
        If ``label`` or ``size`` has the wrong type, or ``rng`` is not a seed or
        Generator.
    ValueError
        If ``label`` is not a class, or ``size`` < 32.

    See Also
    --------
    make_dataset : A labelled set of phantoms, several slices per patient.
    make_patient : The 3-D patient behind the slice.

    Notes
    -----
    Lesion sizes follow clinical ranges in millimetres; at small sizes (below
    ~128 pixels, 3 mm pixels) a 2 mm stone is only a partial-volume blush. Edges
    are anti-aliased over one pixel, so a mask's rim holds a mixture of tissues.

    Examples
    --------
    >>> from ctkidney.data import make_phantom
    >>> p = make_phantom("Stone", size=128, rng=0)
    >>> p.image.shape, p.image.dtype, p.hu.dtype, p.kidney_mask.dtype
    ((128, 128), dtype('uint8'), dtype('float32'), dtype('bool'))
    >>> bool(p.lesion_mask.any()), bool((p.lesion_mask <= p.kidney_mask).all())
    (True, True)
    >>> float(p.hu[p.lesion_mask].max()) > 200
    True
    """
    index = label_index(label)
    size = _check_phantom_size(size)
    rng = check_rng(rng)
    images, hu, kidney, lesion = render_series(index, size, 1, rng)
    return Phantom(images[0], hu[0], kidney[0], lesion[0], index)


def _patient_sizes(count, spp, rng):
    sizes = []
    while count > 0:
        n = min(int(rng.integers(spp[0], spp[1] + 1)), count)
        sizes.append(n)
        count -= n
    return sizes


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
def make_dataset(n_per_class, *, size=256, rng=None, class_counts=None,
                 slices_per_patient=SLICES_PER_PATIENT):
    """Build an in-memory phantom dataset with images, labels, masks, HU maps and
    patient groups.

    Like a real series, each synthetic patient (:func:`make_patient`) gives several
    neighbouring slices (1-3 mm apart, all through its lesion) with one acquisition
    (view, window, noise level): slices of one patient are near-duplicates, and a
    random split leaks them across train and test as it does on the Kaggle data.
    ``groups`` holds the patient of each slice for :func:`split`.

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
    slices_per_patient : (int, int), optional
        Range (inclusive) of the number of slices drawn per patient. Default
        ``(3, 10)``; ``(1, 1)`` gives independent slices. A class's last patient
        takes what is left.

    Returns
    -------
    dataset : Dataset
        Slices grouped by class in :data:`CLASSES` order and named like the Kaggle
        files (``"Cyst- (1).jpg"``), with ``images()`` (uint8),
        ``kidney_masks`` and ``lesion_masks`` (bool), ``hu`` (float32), all
        ``(N, size, size)``, and ``groups`` (int64, the patient of each slice,
        numbered from 0).

    Raises
    ------
    TypeError, ValueError
        For a bad count, size, rng or slices_per_patient.

    See Also
    --------
    make_phantom : One slice, and the model behind it.
    split : A train/test split that keeps each patient on one side.

    Notes
    -----
    Each patient draws from its own child seed (``numpy.random.SeedSequence.spawn``
    of one number drawn from ``rng``): patients are independent, and the same seed
    gives the same dataset.

    Examples
    --------
    >>> from ctkidney.data import make_dataset
    >>> ds = make_dataset(2, size=64, rng=0)
    >>> len(ds), ds.images().shape, ds.names[:2]
    (8, (8, 64, 64), ('Cyst- (1).jpg', 'Cyst- (2).jpg'))
    >>> ds.groups.tolist()
    [0, 0, 1, 1, 2, 2, 3, 3]
    >>> make_dataset(5, size=64, rng=0, class_counts="kaggle").class_counts()
    {'Cyst': 6, 'Normal': 8, 'Stone': 2, 'Tumor': 4}
    """
    counts = _class_counts(n_per_class, class_counts)
    size = _check_phantom_size(size)
    total = sum(counts)
    # The four stacks: uint8 image, float32 HU and two bool masks.
    by_n = class_counts is None or isinstance(class_counts, str)
    check_memory(7 * total * size * size, "n_per_class" if by_n else "class_counts",
                 n_per_class if by_n else class_counts)
    rng = check_rng(rng)
    try:
        spp = tuple(slices_per_patient)
    except TypeError:
        raise TypeError(f"slices_per_patient must be a pair of ints, got "
                        f"{slices_per_patient!r}") from None
    if len(spp) != 2:
        raise ValueError(f"slices_per_patient must be a pair of ints, got {spp!r}")
    lo = check_scalar(spp[0], "slices_per_patient", low=1, integer=True)
    hi = check_scalar(spp[1], "slices_per_patient", low=lo, integer=True)
    seed = int(rng.integers(0, 2**63))
    plan_rng = np.random.default_rng(seed)
    plan = [(label, n) for label, count in enumerate(counts)
            for n in _patient_sizes(count, (lo, hi), plan_rng)]
    seeds = np.random.SeedSequence(seed).spawn(len(plan))
    images = np.empty((total, size, size), np.uint8)
    hu = np.empty((total, size, size), np.float32)
    kidney = np.empty((total, size, size), bool)
    lesion = np.empty((total, size, size), bool)
    labels = np.empty(total, np.int64)
    groups = np.empty(total, np.int64)
    at = 0
    for patient, ((label, n), child) in enumerate(zip(plan, seeds)):
        out = render_series(label, size, n, np.random.default_rng(child))
        for stack, value in zip((images, hu, kidney, lesion), out):
            stack[at:at + n] = value
        labels[at:at + n] = label
        groups[at:at + n] = patient
        at += n
    return Dataset(labels, images=images, kidney_masks=kidney, lesion_masks=lesion, hu=hu,
                   groups=groups)
