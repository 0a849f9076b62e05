"""Entry point: `python build.py [build|check|serve|new] …` (see README.md)."""

import sys

if __name__ == "__main__":  # PDF workers start fresh interpreters that import this file: they must not build
    try:
        from medborgarlofte.cli import main

        sys.exit(main())
    except KeyboardInterrupt:  # Ctrl+C before the command line has started: nothing was written yet
        sys.exit(130)
