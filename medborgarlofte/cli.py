"""Command line: `python build.py [build|check|serve] [options]`.

Exit codes follow the convention CI relies on: 0 success, 1 content errors, 2 usage errors.
"""

from __future__ import annotations

import argparse
import sys
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from . import serve
from .diagnostics import Diagnostics
from .index import SearchIndexError
from .live import LiveSite, watch
from .pdf import PdfError
from .pipeline import Options, build, build_date, load_site
from .write import OutputError

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2
BUNDLED_THEME = Path(__file__).resolve().parent.parent / "theme"


def _base_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise argparse.ArgumentTypeError(
            f"ogiltig bas-url {value!r}: skriv hela adressen, till exempel https://example.org/medborgarloften/"
        )
    return value if value.endswith("/") else value + "/"


def _add_options(target: argparse.ArgumentParser, *, build: bool, suppress: bool) -> None:
    """The options may come before or after the command; on a command they default to "not given" (SUPPRESS) so
    that `--content DIR check` and `check --content DIR` mean the same."""
    default: dict[str, Any] = {"default": argparse.SUPPRESS} if suppress else {}
    target.add_argument("--content", type=Path, help="mappen med kommuner/ och content/ (standard: .)", **default)
    target.add_argument("--theme", type=Path, help="mappen med templates/ och static/ (standard: theme/)", **default)
    if build:
        target.add_argument("--out", type=Path, help="mapp att bygga till (standard: _site)", **default)
        target.add_argument(
            "--no-pdf",
            dest="pdf",
            action="store_false",
            help="hoppa över PDF:erna för en snabb förhandsvisning",
            **default,
        )
        target.add_argument(
            "--base-url", type=_base_url, help="adressen webbplatsen publiceras på (standard: ur site.yaml)", **default
        )


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(
        prog="build.py", description="Bygger webbplatsen med medborgarlöften från kommuner/, content/ och theme/."
    )
    _add_options(main, build=True, suppress=False)
    main.set_defaults(content=Path("."), theme=None, out=None, base_url=None, pdf=True)
    commands = main.add_subparsers(dest="command", metavar="{build,check,serve}")
    _add_options(commands.add_parser("build", help="bygg webbplatsen (standard)"), build=True, suppress=True)
    _add_options(commands.add_parser("check", help="kontrollera innehållet utan att bygga"), build=False, suppress=True)
    serve_parser = commands.add_parser("serve", help="bygg och visa webbplatsen på http://127.0.0.1:8000/")
    _add_options(serve_parser, build=False, suppress=True)
    serve_parser.add_argument("--out", type=Path, default=argparse.SUPPRESS, help="mapp att bygga till")
    serve_parser.add_argument("--port", type=int, default=8000, help="porten att visa webbplatsen på (standard: 8000)")
    return main


def _report(diagnostics: Diagnostics) -> None:
    for diagnostic in diagnostics.sorted():
        print(diagnostic.format(), file=sys.stderr)
    errors, warnings = len(diagnostics.errors), len(diagnostics.warnings)
    if errors or warnings:
        print(f"{errors} fel, {warnings} varningar.", file=sys.stderr)


def _theme(args: argparse.Namespace) -> Path:
    if args.theme:
        return args.theme
    local = args.content / "theme"
    return local if local.is_dir() else BUNDLED_THEME


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if not (args.content / "kommuner").is_dir() and not (args.content / "content").is_dir():
        print(f"build.py: fel: {args.content} innehåller varken kommuner/ eller content/.", file=sys.stderr)
        return EXIT_USAGE
    if args.command == "check":
        return _check(args)
    if args.command == "serve":
        return _serve(args)
    return _build(args, args.base_url, args.pdf)


def _check(args: argparse.Namespace) -> int:
    _, diagnostics = load_site(args.content, build_date())
    _report(diagnostics)
    if not diagnostics.errors:
        print("Innehållet är giltigt.")
    return EXIT_CONTENT if diagnostics.errors else EXIT_OK


def _build(args: argparse.Namespace, base_url: str | None, pdf: bool = True) -> int:
    started = time.perf_counter()
    out = args.out or args.content / "_site"
    options = Options(args.content, _theme(args), out, base_url, build_date(), pdf, args.content / ".cache")
    try:
        result = build(options)
    except OutputError as error:
        print(f"build.py: fel: {error}", file=sys.stderr)
        return EXIT_USAGE
    except SearchIndexError as error:
        print(f"build.py: fel: sökindexet kunde inte byggas med Pagefind ({error}).", file=sys.stderr)
        print("Bygget avbröts; den tidigare webbplatsen är orörd.", file=sys.stderr)
        return EXIT_CONTENT
    except PdfError as error:
        print(f"build.py: fel: {error}", file=sys.stderr)
        print("Bygget avbröts; den tidigare webbplatsen är orörd.", file=sys.stderr)
        return EXIT_CONTENT
    _report(result.diagnostics)
    if result.site is None:
        print("Bygget avbröts; den tidigare webbplatsen är orörd.", file=sys.stderr)
        return EXIT_CONTENT
    search = result.search
    assert search is not None
    pdfs = f"PDF: {result.pdfs.made} nya, {result.pdfs.cached} oförändrade" if result.pdfs else "inga PDF:er"
    print(
        f"Byggde {len(result.site.kommuner)} kommuner till {out} på {time.perf_counter() - started:.1f} s "
        f"(sökindex: {search.pages} sidor, {search.bytes // 1000} kB, {search.seconds:.1f} s; {pdfs})."
    )
    return EXIT_OK


def _serve(args: argparse.Namespace) -> int:
    """Build without PDFs, serve, and rebuild on every change until Ctrl+C; content errors never stop it."""
    out = args.out or args.content / "_site"
    address = f"http://{serve.HOST}:{args.port}/"
    live = LiveSite(Options(args.content, _theme(args), out, address, build_date(), False, args.content / ".cache"))
    try:
        server = serve.bind(args.port, out, live)
    except OSError:
        print(f"build.py: fel: porten {args.port} används redan. Välj en annan med --port.", file=sys.stderr)
        return EXIT_USAGE
    stop = threading.Event()
    with server:
        live.full_build()
        observer = watch(live, stop)
        print(f"Webbplatsen visas på {address} och byggs om när du sparar. Avsluta med Ctrl+C.", flush=True)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            stop.set()
            observer.stop()
            observer.join()
    return EXIT_OK
