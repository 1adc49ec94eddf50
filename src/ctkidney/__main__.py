"""``python -m ctkidney`` runs the ``ctkidney`` command."""

import sys

from ctkidney.cli import main

if __name__ == "__main__":
    sys.exit(main())
