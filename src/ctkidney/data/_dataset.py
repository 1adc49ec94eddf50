"""The :class:`Dataset` container shared by the loaders, the phantom generator, the
splits and the study."""

import warnings
from pathlib import Path

import numpy as np

__all__ = ["CLASSES", "Dataset"]

#: Class names; the index is the Kaggle ``target`` column.
CLASSES = ("Cyst", "Normal", "Stone", "Tumor")


def _check_labels(labels):
    """``labels`` as a 1-D int64 array; floats, bools and strings are refused (a
    float label would be truncated)."""
    array = np.asarray(labels)
    if array.ndim != 1:
        raise ValueError(f"labels must be 1-D, got shape {array.shape}")
    if array.size and (array.dtype.kind not in "iu" or array.dtype == bool):
        raise TypeError(f"labels must be integer class indices, got dtype {array.dtype}")
    if array.size and array.dtype.kind == "u" and array.max() > np.iinfo(np.int64).max:
        raise ValueError("labels must fit in int64")
    return array.astype(np.int64)


class Dataset:
    """A labelled set of CT slices, lazy (file paths) or in memory (arrays).

    Parameters
    ----------
    labels : (N,) array_like of int
        Class index of each slice, into ``class_names``.
    paths : sequence of path-like, optional
        Files to read on demand (lazy dataset). Exactly one of ``paths`` and
        ``images`` is given.
    images : (N, H, W) ndarray or sequence of 2-D ndarrays, optional
        Slices held in memory.
    names : sequence of str, optional
        A name per slice (file name for lazy datasets). Default: ``"<Class>- (i)"``.
    class_names : tuple of str, optional
        Default :data:`CLASSES`.
    kidney_masks, lesion_masks : (N, H, W) bool ndarray, optional
        Ground-truth masks (phantoms, or user annotations).
    hu : (N, H, W) ndarray, optional
        Hounsfield-unit maps behind the 8-bit images (phantoms).
    root : path-like, optional
        Folder the dataset was read from.
    groups : (N,) array_like of int, optional
        The patient (or series) of each slice, for leakage-safe splits. When not
        given, :attr:`groups` is computed on first use by
        :func:`~ctkidney.data.group_near_duplicates`.

    Attributes
    ----------
    labels : (N,) int64 ndarray
    names : tuple of str
    paths : tuple of pathlib.Path or None
    class_names : tuple of str
    kidney_masks, lesion_masks, hu : ndarray or None
    root : pathlib.Path or None
    groups : (N,) int64 ndarray
        Patient of each slice (computed lazily when not given; see above).

    Examples
    --------
    >>> import numpy as np
    >>> from ctkidney.data import Dataset
    >>> ds = Dataset(labels=[0, 1], images=np.zeros((2, 8, 8), np.uint8))
    >>> len(ds), ds.class_counts()
    (2, {'Cyst': 1, 'Normal': 1, 'Stone': 0, 'Tumor': 0})
    >>> ds.images().dtype
    dtype('uint8')
    """

    def __init__(self, labels, *, paths=None, images=None, names=None, class_names=CLASSES,
                 kidney_masks=None, lesion_masks=None, hu=None, root=None, groups=None):
        if (paths is None) == (images is None):
            raise ValueError("give exactly one of paths and images")
        self.labels = _check_labels(labels)
        self.class_names = tuple(class_names)
        n = len(self.labels)
        if n and (self.labels.min() < 0 or self.labels.max() >= len(self.class_names)):
            raise ValueError(
                f"labels must lie in [0, {len(self.class_names) - 1}], "
                f"got {self.labels.min()}..{self.labels.max()}"
            )
        self.paths = None if paths is None else tuple(Path(p) for p in paths)
        self._images = images
        if names is None:
            names = self._default_names() if self.paths is None else [p.name for p in self.paths]
        self.names = tuple(str(x) for x in names)
        for what, value in (("paths", self.paths), ("images", images), ("names", self.names),
                            ("kidney_masks", kidney_masks), ("lesion_masks", lesion_masks),
                            ("hu", hu)):
            if value is not None and len(value) != n:
                raise ValueError(f"{what} must have one entry per label ({n}), got {len(value)}")
        self.kidney_masks = kidney_masks
        self.lesion_masks = lesion_masks
        self.hu = hu
        self.root = None if root is None else Path(root)
        if groups is not None:
            groups = np.asarray(groups)
            if groups.shape != (n,) or (n and groups.dtype.kind not in "iu"):
                raise ValueError(f"groups must be {n} integers, got shape {groups.shape} "
                                 f"and dtype {groups.dtype}")
            groups = groups.astype(np.int64)
        self._groups = groups

    @property
    def groups(self):
        """(N,) int64 ndarray: the patient (or series) of each slice.

        Given by the dataset's maker (phantoms: the synthetic patient), else computed
        once, on first use, by :func:`~ctkidney.data.group_near_duplicates` (which
        reads every slice of a lazy dataset).
        """
        if self._groups is None:
            from ctkidney.data._split import group_near_duplicates

            self._groups = (group_near_duplicates(self).astype(np.int64) if len(self)
                            else np.zeros(0, np.int64))
        return self._groups.copy()

    def _default_names(self):
        counters = {}
        names = []
        for label in self.labels:
            cls = self.class_names[label]
            counters[cls] = counters.get(cls, 0) + 1
            names.append(f"{cls}- ({counters[cls]}).jpg")
        return names

    def __len__(self):
        return len(self.labels)

    def __repr__(self):
        kind = "lazy" if self.is_lazy else "in-memory"
        counts = ", ".join(f"{k}={v}" for k, v in self.class_counts().items())
        return f"<Dataset {kind}, {len(self)} slices: {counts}>"

    @property
    def is_lazy(self):
        """True when slices are read from files on demand."""
        return self.paths is not None

    @property
    def has_masks(self):
        """True when ground-truth kidney and lesion masks are available."""
        return self.kidney_masks is not None and self.lesion_masks is not None

    def class_counts(self):
        """Number of slices per class, as ``{class name: count}``."""
        counts = np.bincount(self.labels, minlength=len(self.class_names))
        return {name: int(c) for name, c in zip(self.class_names, counts)}

    def image(self, index):
        """Return slice ``index`` as a 2-D array (read from disk if lazy)."""
        if isinstance(index, (bool, np.bool_)) or not isinstance(index, (int, np.integer)):
            raise TypeError(f"index must be an integer, got {index!r}")
        if not -len(self) <= index < len(self):
            raise IndexError(f"index {index} is out of range for {len(self)} slices")
        if self.paths is None:
            return np.asarray(self._images[index])
        from ctkidney.data._io import read_image

        return read_image(self.paths[index])

    def images(self, size=None):
        """Return all slices as one ``(N, H, W)`` array.

        Parameters
        ----------
        size : int or (int, int), optional
            Resize every slice to ``(size, size)`` or ``(rows, cols)`` (area
            interpolation when shrinking, linear when enlarging). Needed when the
            slices differ in shape.

        Returns
        -------
        images : (N, H, W) ndarray
            The slices, in the dtype they were stored in (uint8 for JPEGs); 16-bit
            slices among 8-bit ones are scaled to uint8 (divided by 257), with a
            warning.
        """
        if size is None and self.paths is None and isinstance(self._images, np.ndarray):
            return self._images.copy()
        if size is not None:
            from ctkidney._shared.validation import check_memory
            from ctkidney.data._io import _check_shape, resize

            rows, cols = _check_shape(size)
            if len(self) == 0:
                return np.zeros((0, rows, cols), np.uint8)
            # The resized slices and their stack, checked before any other is read.
            first = self.image(0)
            check_memory(2 * len(self) * rows * cols * first.dtype.itemsize, "size", size)
            slices = [resize(first, size)] + [resize(self.image(i), size)
                                              for i in range(1, len(self))]
        else:
            slices = [self.image(i) for i in range(len(self))]
        shapes = {s.shape for s in slices}
        if len(shapes) > 1:
            raise ValueError(
                f"slices differ in shape ({sorted(shapes)[:3]}...); pass size= to resize them"
            )
        dtypes = {s.dtype for s in slices}
        if dtypes == {np.dtype(np.uint8), np.dtype(np.uint16)}:
            # 16-bit files (PNG, TIFF) among 8-bit ones: stacked unscaled, the 8-bit
            # slices would sit at the bottom of the 16-bit range.
            wide = sum(s.dtype == np.uint16 for s in slices)
            warnings.warn(f"{wide} of {len(slices)} slices are 16-bit among 8-bit ones: "
                          "scaled to 8 bits (divided by 257)", UserWarning, stacklevel=2)
            slices = [np.round(s / 257.0).astype(np.uint8) if s.dtype == np.uint16 else s
                      for s in slices]
        return np.stack(slices) if slices else np.zeros((0, 0, 0), np.uint8)

    def subset(self, indices):
        """Return a new Dataset with the slices at ``indices`` (ints or a bool mask)."""
        indices = np.asarray(indices)
        if indices.ndim != 1 or (indices.size and indices.dtype.kind not in "iub"):
            raise TypeError(f"indices must be a 1-D sequence of integers or a bool mask, "
                            f"got {indices!r}")
        if indices.size == 0:
            indices = indices.astype(np.int64)  # np.asarray([]) is float64
        idx = np.arange(len(self))[indices]

        def take(value):
            if value is None:
                return None
            if isinstance(value, np.ndarray):
                return value[idx]
            return [value[i] for i in idx]

        kwargs = dict(names=take(self.names), class_names=self.class_names,
                      kidney_masks=take(self.kidney_masks), lesion_masks=take(self.lesion_masks),
                      hu=take(self.hu), root=self.root,
                      groups=None if self._groups is None else self._groups[idx])
        if self.paths is not None:
            return Dataset(self.labels[idx], paths=take(self.paths), **kwargs)
        return Dataset(self.labels[idx], images=take(self._images), **kwargs)
