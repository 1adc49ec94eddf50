"""Figures of the study sections, made without touching matplotlib's global state.

Every figure is a :class:`matplotlib.figure.Figure` with its own Agg canvas: no
``pyplot``, no ``matplotlib.use``, no rcParams change, no figure registry to close.
The caller's backend (a notebook's inline one, say) and settings stay as they were.
A section builds a grid with :func:`figure_grid`, draws with :func:`show_image`,
:func:`draw_contours` and friends, and writes it with :func:`save_figure`.

matplotlib is imported inside the functions, so importing a section does not import
it.
"""

__all__ = [
    "box",
    "draw_contours",
    "figure_grid",
    "hide_axes",
    "legend_lines",
    "save_figure",
    "show_image",
]

#: Resolution of the report's figures, dots per inch.
DPI = 90
#: Title size of one panel, in points.
TITLE_SIZE = 7


def figure_grid(n_rows, n_cols, *, cell=(2.0, 2.0), margin=(0.0, 0.0), layout="constrained"):
    """A new figure with an ``n_rows`` x ``n_cols`` grid of axes.

    Parameters
    ----------
    n_rows, n_cols : int
        Rows and columns of panels.
    cell : (float, float), optional
        Width and height of one panel, in inches.
    margin : (float, float), optional
        Inches added to the figure's width and height (room for labels, a legend).
    layout : str or None, optional
        matplotlib's layout engine: ``'constrained'`` (default), ``'tight'`` or
        ``None``.

    Returns
    -------
    fig : matplotlib.figure.Figure
        The figure, on its own Agg canvas (not known to ``pyplot``).
    axes : ndarray of Axes, shape (n_rows, n_cols)
        Always 2-D, also for one row or column.

    Examples
    --------
    >>> from ctkidney.study._plotting import figure_grid
    >>> fig, axes = figure_grid(2, 3, cell=(1.5, 1.0))
    >>> axes.shape, [float(inches) for inches in fig.get_size_inches()]
    ((2, 3), [4.5, 2.0])
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    size = (cell[0] * n_cols + margin[0], cell[1] * n_rows + margin[1])
    fig = Figure(figsize=size, layout=layout)
    FigureCanvasAgg(fig)
    return fig, fig.subplots(n_rows, n_cols, squeeze=False)


def save_figure(fig, path, *, dpi=DPI):
    """Write ``fig`` to ``path`` (the format follows the suffix) and release it.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        A figure from :func:`figure_grid`.
    path : str or pathlib.Path
        Output file, e.g. ``ctx.figure_path("name.png")``.
    dpi : int, optional
        Resolution, dots per inch. Default :data:`DPI`.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from ctkidney.study._plotting import figure_grid, save_figure
    >>> fig, axes = figure_grid(1, 1)
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = pathlib.Path(tmp) / "empty.png"
    ...     save_figure(fig, path)
    ...     path.stat().st_size > 0
    True
    """
    fig.savefig(path, dpi=dpi)
    fig.clear()


def show_image(ax, image, title=None, *, vmin=None, vmax=None, cmap="gray",
               interpolation="nearest", fontsize=TITLE_SIZE, axis=False):
    """Draw a 2-D image (or mask) on ``ax``, with a small title and no axis.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Where to draw.
    image : ndarray
        2-D image or mask.
    title : str, optional
        Panel title.
    vmin, vmax : float, optional
        Grey range. Default: the image's range (matplotlib's autoscaling); pass
        ``0, 255`` for 8-bit slices shown on a common scale.
    cmap, interpolation : str, optional
        matplotlib colour map and interpolation (default ``'gray'``, ``'nearest'``).
    fontsize : float, optional
        Title size in points.
    axis : bool, optional
        Keep the axis (ticks and frame). Default False.

    Returns
    -------
    im : matplotlib.image.AxesImage

    Examples
    --------
    >>> import numpy as np
    >>> from ctkidney.study._plotting import figure_grid, show_image
    >>> fig, axes = figure_grid(1, 1)
    >>> im = show_image(axes[0, 0], np.eye(4), "identity")
    >>> axes[0, 0].get_title(), axes[0, 0].axison
    ('identity', False)
    """
    im = ax.imshow(image, cmap=cmap, vmin=vmin, vmax=vmax, interpolation=interpolation)
    if title is not None:
        ax.set_title(title, fontsize=fontsize)
    if not axis:
        ax.set_axis_off()
    return im


def draw_contours(ax, masks, *, linewidth=0.8):
    """Outline masks on ``ax``: each ``(mask, colour)`` pair at the 0.5 level.

    Empty masks are skipped (matplotlib warns on a contour of a constant array).

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Where to draw, usually over :func:`show_image`.
    masks : iterable of (ndarray, colour)
        Boolean masks of the image's shape and their matplotlib colours.
    linewidth : float, optional
        Line width in points.

    Examples
    --------
    >>> import numpy as np
    >>> from ctkidney.study._plotting import draw_contours, figure_grid
    >>> fig, axes = figure_grid(1, 1)
    >>> square = np.zeros((8, 8), bool)
    >>> square[2:6, 2:6] = True
    >>> draw_contours(axes[0, 0], [(square, "red"), (np.zeros((8, 8), bool), "lime")])
    >>> len(axes[0, 0].collections)
    1
    """
    for mask, colour in masks:
        if mask.any():
            ax.contour(mask.astype(float), levels=[0.5], colors=colour, linewidths=linewidth)


def box(ax, rows, cols, *, colour="yellow", linewidth=0.6):
    """Frame the pixels ``rows[0]..rows[1]`` x ``cols[0]..cols[1]`` on ``ax``.

    Examples
    --------
    >>> from ctkidney.study._plotting import box, figure_grid
    >>> fig, axes = figure_grid(1, 1)
    >>> box(axes[0, 0], (2, 5), (1, 4))
    >>> len(axes[0, 0].patches)
    1
    """
    from matplotlib.patches import Rectangle

    ax.add_patch(Rectangle((cols[0], rows[0]), cols[1] - cols[0], rows[1] - rows[0],
                           fill=False, ec=colour, lw=linewidth))


def hide_axes(axes):
    """Turn the axis off on every panel of ``axes`` (unused panels stay blank).

    Examples
    --------
    >>> from ctkidney.study._plotting import figure_grid, hide_axes
    >>> fig, axes = figure_grid(1, 2)
    >>> hide_axes(axes)
    >>> [ax.axison for ax in axes.ravel()]
    [False, False]
    """
    for ax in axes.ravel():
        ax.set_axis_off()


def legend_lines(colours):
    """Legend handles: one line per ``label: colour`` of the dict ``colours``.

    Use with ``fig.legend(handles=legend_lines(...))`` for contours, which have no
    handles of their own.

    Examples
    --------
    >>> from ctkidney.study._plotting import legend_lines
    >>> [h.get_label() for h in legend_lines({"truth": "red", "otsu": "cyan"})]
    ['truth', 'otsu']
    """
    from matplotlib.lines import Line2D

    return [Line2D([], [], color=colour, label=label) for label, colour in colours.items()]
