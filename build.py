"""Entry point: `python build.py [build|check|serve|new] …` (see README.md)."""

import sys

try:
    from medborgarlofte.cli import main

    sys.exit(main())
except KeyboardInterrupt:  # Ctrl+C before the command line has started: nothing was written yet
    sys.exit(130)
