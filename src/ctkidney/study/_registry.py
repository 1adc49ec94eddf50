"""How study sections register themselves, and what they hand back.

A section is a function ``run(ctx: StudyContext) -> SectionResult`` in a module of
:mod:`ctkidney.study.sections`, decorated with :func:`register_section`. The runner
imports every module of that package, so adding a section is adding one file.
"""

import importlib
import pkgutil
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

__all__ = ["SectionResult", "StudyContext", "Table", "available_sections", "register_section"]

_SECTIONS = {}


@dataclass(frozen=True)
class Section:
    name: str
    title: str
    order: int
    run: object
    description: str = ""


def register_section(name, *, title, order=100):
    """Decorator that registers ``run(ctx) -> SectionResult`` as study section ``name``.

    Parameters
    ----------
    name : str
        The name used by ``ctkidney study --sections``.
    title : str
        Heading of the section in the report.
    order : int, optional
        Sections run and print in increasing ``order``.

    Returns
    -------
    decorate : callable
        The decorator; it returns the function unchanged.

    Examples
    --------
    A section module in :mod:`ctkidney.study.sections` looks like this:

    >>> from ctkidney.study import SectionResult, Table, register_section
    >>> @register_section("class_sizes", title="Class sizes", order=90)
    ... def run(ctx):
    ...     '''Slices per class.'''
    ...     counts = ctx.dataset.class_counts()
    ...     return SectionResult(tables=[Table("Slices", ["class", "n"],
    ...                                        [[k, v] for k, v in counts.items()])])
    >>> from ctkidney.study import _registry
    >>> _registry._SECTIONS.pop("class_sizes").title
    'Class sizes'
    """

    def decorate(func):
        doc = (func.__doc__ or "").strip().splitlines()
        _SECTIONS[name] = Section(name, title, order, func, doc[0] if doc else "")
        return func

    return decorate


def available_sections():
    """All registered sections, in running order.

    Imports every module of :mod:`ctkidney.study.sections`, so that each one
    registers itself.

    Returns
    -------
    sections : list of Section
        Named tuples-like records with ``name``, ``title``, ``order``, ``run`` and
        ``description``.

    Examples
    --------
    >>> from ctkidney.study import available_sections
    >>> [s.name for s in available_sections()][:2]
    ['dataset', 'enhancement']
    """
    from ctkidney.study import sections

    for info in pkgutil.iter_modules(sections.__path__):
        importlib.import_module(f"{sections.__name__}.{info.name}")
    return sorted(_SECTIONS.values(), key=lambda s: (s.order, s.name))


@dataclass
class Table:
    """A result table: printed to the terminal, written to report.md and results.json.

    ``rows`` hold plain values (str, int, float); floats are formatted with
    ``float_format`` when printed.

    Examples
    --------
    >>> from ctkidney.study import Table
    >>> print(Table("PSNR", ["filter", "dB"], [["median", 31.25]]).to_markdown())
    **PSNR**
    <BLANKLINE>
    | filter | dB |
    |---|---|
    | median | 31.2500 |
    """

    title: str
    columns: list
    rows: list
    note: str = ""
    float_format: str = "{:.4f}"

    def _cells(self):
        def fmt(v):
            if isinstance(v, (float, np.floating)):
                return self.float_format.format(v)
            return str(v)

        return [[fmt(v) for v in row] for row in self.rows]

    def to_markdown(self):
        cells = self._cells()
        lines = [f"**{self.title}**", "", "| " + " | ".join(map(str, self.columns)) + " |",
                 "|" + "|".join("---" for _ in self.columns) + "|"]
        lines += ["| " + " | ".join(row) + " |" for row in cells]
        if self.note:
            lines += ["", self.note]
        return "\n".join(lines)

    def to_text(self):
        cells = [list(map(str, self.columns))] + self._cells()
        widths = [max(len(row[i]) for row in cells) for i in range(len(self.columns))]
        line = "  ".join("-" * w for w in widths)
        out = [self.title, line]
        for k, row in enumerate(cells):
            out.append("  ".join(c.ljust(w) for c, w in zip(row, widths)))
            if k == 0:
                out.append(line)
        if self.note:
            out.append(self.note)
        return "\n".join(out)

    def to_json(self):
        def plain(v):
            if isinstance(v, np.generic):
                return v.item()
            return v

        return {"title": self.title, "columns": list(self.columns),
                "rows": [[plain(v) for v in row] for row in self.rows], "note": self.note}


@dataclass
class SectionResult:
    """What a section returns: tables, figures (caption, path relative to the output
    folder), free-text notes (markdown) and JSON-able data for results.json.

    Examples
    --------
    >>> from ctkidney.study import SectionResult, Table
    >>> res = SectionResult(tables=[Table("t", ["a"], [[1]])], notes=["done"])
    >>> len(res.tables), res.figures
    (1, [])
    """

    tables: list = field(default_factory=list)
    figures: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    data: dict = field(default_factory=dict)


@dataclass
class StudyContext:
    """Everything a section needs.

    Attributes
    ----------
    dataset : ctkidney.data.Dataset
        The study's slices (phantoms by default; masks where available).
    out_dir : pathlib.Path
        Folder for report.md, results.json and figures.
    seed : int
        The study's seed; use :meth:`rng` for a per-section Generator.
    quick : bool
        Run small: the whole quick study must fit in 2 minutes on 2 cores.
    options : dict
        Extra command-line options (e.g. ``weights``).

    Examples
    --------
    >>> import pathlib, tempfile
    >>> import numpy as np
    >>> from ctkidney.data import Dataset
    >>> from ctkidney.study import StudyContext
    >>> ds = Dataset([0, 1], images=np.zeros((2, 4, 4), np.uint8))
    >>> ctx = StudyContext(dataset=ds, out_dir=pathlib.Path(tempfile.mkdtemp()), seed=1)
    >>> int(ctx.rng("demo").integers(100)) == int(ctx.rng("demo").integers(100))
    True
    >>> ctx.figure_path("demo.png").name
    'demo.png'
    """

    dataset: object
    out_dir: Path
    seed: int = 0
    quick: bool = False
    options: dict = field(default_factory=dict)
    progress_enabled: bool = True

    def rng(self, section):
        """A Generator seeded from the study seed and the section name."""
        return np.random.default_rng([self.seed, zlib.crc32(section.encode())])

    def progress(self, iterable, *, desc, total=None):
        """Wrap ``iterable`` in a progress bar (tqdm on stderr)."""
        from tqdm.auto import tqdm

        return tqdm(iterable, desc=desc, total=total, disable=not self.progress_enabled,
                    leave=False)

    def figure_path(self, name):
        """Path for a figure file ``name`` (e.g. ``"montage.png"``) in ``out_dir``."""
        path = self.out_dir / "figures" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        return path


def group_origin(ds):
    """Where the groups of the dataset ``ds`` come from, without computing them:
    ``"volumes"`` (one group per CT volume), ``"maker"`` (given with the slices:
    the phantoms' patients, a user's ids), ``"folder"`` (a Kaggle folder's
    near-duplicate groups, carried over to the slices the study drew from it) or
    None (none yet: ``ds.groups`` finds near-duplicate groups on first use)."""
    if getattr(ds, "volumes", None) is not None:
        return "volumes"
    if ds._groups is None:
        return None
    return "maker" if ds.root is None else "folder"
