"""Entry point: `python build.py [build|check] …` (see README.md)."""

import sys

from medborgarlofte.cli import main

if __name__ == "__main__":
    sys.exit(main())
