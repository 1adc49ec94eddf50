"""The ``ctkidney`` console script.

Each subcommand lives beside the code it drives, in a module with ``HELP``,
``add_arguments(parser)`` and ``run(args) -> int``; this file only lists them, so
``ctkidney --help`` stays fast.
"""

import argparse
import importlib
import sys

import ctkidney

__all__ = ["main"]

#: subcommand -> module implementing it
SUBCOMMANDS = {
    "study": "ctkidney.study._cli",
    "preprocess": "ctkidney.parallel._cli",
}


def build_parser():
    parser = argparse.ArgumentParser(
        prog="ctkidney",
        description="CT kidney image analysis: stone, cyst, tumor or normal.",
    )
    parser.add_argument("--version", action="version",
                        version=f"ctkidney {ctkidney.__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for name, module_name in SUBCOMMANDS.items():
        module = importlib.import_module(module_name)
        p = sub.add_parser(name, help=module.HELP, description=module.HELP)
        module.add_arguments(p)
        p.set_defaults(_run=module.run)
    return parser


def main(argv=None):
    """Run the ``ctkidney`` command with ``argv`` (default: ``sys.argv[1:]``)."""
    args = build_parser().parse_args(argv)
    try:
        return args._run(args)
    except (ValueError, TypeError, OSError, ImportError) as exc:
        # OSError: an --out that is a file, a folder that cannot be made, ...
        print(f"ctkidney {args.command}: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
