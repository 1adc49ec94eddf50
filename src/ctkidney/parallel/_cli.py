"""``ctkidney preprocess``: arguments and entry point."""

import argparse
import sys
import textwrap

__all__ = ["HELP", "add_arguments", "run"]

HELP = ("apply preprocessing steps (median, clahe, ...) to every image of a folder tree "
        "or the Kaggle layout, in parallel on Dask, writing the same layout under OUT")

EPILOG = """\
steps are separated by commas, parameters follow the step name:
  --steps median,clahe                      (the default)
  --steps median:size=5,clahe:clip_limit=3,tile_grid=8x8
  --steps window:level=40:width=400
see --list-steps for the names. Exit status: 0 when every image was written, 1 when
some failed (they are listed), 2 on a usage error."""


def add_arguments(parser):
    # Raw formatting keeps the epilog's examples on their lines; wrap the rest here.
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.description = textwrap.fill(HELP[0].upper() + HELP[1:] + ".", 79)
    parser.epilog = EPILOG
    parser.add_argument("input", metavar="IN", nargs="?",
                        help="input folder: a folder tree of images or the Kaggle layout "
                             "(never written to)")
    parser.add_argument("output", metavar="OUT", nargs="?",
                        help="output folder (must lie outside IN)")
    parser.add_argument("--steps", default="median,clahe", metavar="SPEC",
                        help="steps to apply, in order (default: median,clahe)")
    parser.add_argument("--scheduler", metavar="ADDR", default=None,
                        help="'threads' (default), 'processes', 'sync', or the address of "
                             "a Dask scheduler such as tcp://host:8786")
    parser.add_argument("--workers", type=int, metavar="N",
                        help="local threads or processes (default: all CPUs)")
    parser.add_argument("--batch-size", type=int, metavar="N",
                        help="images per Dask task (default: automatic)")
    parser.add_argument("--jpeg-quality", type=int, default=95, metavar="Q",
                        help="quality of rewritten JPEG files, 0-100 (default: 95)")
    parser.add_argument("--overwrite", action="store_true",
                        help="write into a non-empty OUT, replacing files")
    parser.add_argument("--list-steps", action="store_true",
                        help="list the step names and exit")
    parser.add_argument("--no-progress", action="store_true", help="hide the progress bar")


def run(args):
    from ctkidney.parallel import STEPS, preprocess

    if args.list_steps:
        for name, dotted in STEPS.items():
            print(f"{name:22s} {dotted}")
        return 0
    if args.input is None or args.output is None:
        raise ValueError("IN and OUT are required (or --list-steps)")
    try:
        summary = preprocess(args.input, args.output, args.steps, scheduler=args.scheduler,
                             num_workers=args.workers, batch_size=args.batch_size,
                             overwrite=args.overwrite, progress=not args.no_progress,
                             jpeg_quality=args.jpeg_quality)
    except OSError as exc:  # an existing OUT, an unreachable scheduler
        print(f"ctkidney preprocess: error: {exc}", file=sys.stderr)
        return 2
    print(summary)
    return 1 if summary.errors else 0
