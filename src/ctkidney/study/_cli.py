"""``ctkidney study``: arguments and entry point."""

import argparse

__all__ = ["add_arguments", "run"]

HELP = "reproduce the Kaggle CT kidney study (phantom data unless --data is given)"


def add_arguments(parser):
    parser.add_argument("--data", metavar="ROOT",
                        help="root of the Kaggle dataset, or CT volumes: a NIfTI file, a "
                             "DICOM series folder or a folder of them (default: built-in "
                             "phantoms)")
    parser.add_argument("--out", metavar="DIR", default="ctkidney-report",
                        help="output folder (default: ./ctkidney-report)")
    parser.add_argument("--sections", nargs="+", metavar="NAME",
                        help="sections to run (default: all; see --list-sections)")
    parser.add_argument("--list-sections", action="store_true",
                        help="list the available sections and exit")
    parser.add_argument("--quick", action="store_true",
                        help="small data and short training (under 2 minutes)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default: 0)")
    parser.add_argument("--n-per-class", type=_positive_int, metavar="N",
                        help="phantom slices per class; with a --data Kaggle folder, at most "
                             "this many per class, drawn at random (default: all; 30 with "
                             "--quick)")
    parser.add_argument("--size", type=_positive_int, metavar="PX",
                        help="phantom image size in pixels")
    parser.add_argument("--weights", choices=("imagenet", "none"), default="imagenet",
                        help="backbone weights for the classification section; falls back "
                             "to none, with a note, where ImageNet weights cannot be had")
    parser.add_argument("--no-progress", action="store_true", help="hide progress bars")


def _positive_int(text):
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a positive integer, got {text}")
    return value


def run(args):
    from ctkidney.study import available_sections, run_study

    if args.list_sections:
        for section in available_sections():
            print(f"{section.name:16s} {section.title}")
        return 0
    results = run_study(data=args.data, out=args.out, sections=args.sections,
                        quick=args.quick, seed=args.seed, n_per_class=args.n_per_class,
                        size=args.size, options={"weights": args.weights},
                        progress=not args.no_progress)
    failed = [k for k, v in results["sections"].items() if v["status"] != "ok"]
    return 1 if failed else 0
