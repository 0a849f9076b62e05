"""Command line: `python build.py [build|check|serve] [options]`.

Exit codes follow the convention CI relies on: 0 success, 1 content errors, 2 usage errors.
"""

from __future__ import annotations

import argparse
import io
import re
import sys
import threading
import time
from datetime import date
from pathlib import Path
from typing import Any, NoReturn
from urllib.parse import urlsplit

from medborgarlofte.authoring.scaffold import (
    Scaffold,
    ScaffoldError,
    follow_up_file,
    kommun_file,
    promise_file,
    write_new,
)
from medborgarlofte.build.content import build_date, check_content, load_site
from medborgarlofte.build.interrupt import Interrupted, on_stop, stop_at_checkpoints
from medborgarlofte.build.parallel import WorkerError
from medborgarlofte.content.diagnostics import Diagnostics
from medborgarlofte.content.registry import load_registry
from medborgarlofte.swedish import count_noun

# The outputs, the search index, the importer's document readers and the server are imported by the commands that
# use them: `check`, which a communicator runs most and CI on every pull request, starts without them.

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2
KOMMUN_HELP = "kommunens namn eller mapp i kommuner/, till exempel Trollhättan eller trollhattan"
SERVE_NEVER_MAKES_PDFS = "behövs inte: serve gör aldrig PDF:er"
KEPT = "Bygget avbröts; den tidigare webbplatsen är orörd."
INTERRUPTED = "Avbrutet. Webbplatsen i utmappen är hel: antingen den förra eller den nya."
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
    target.add_argument(
        "--content", type=Path, metavar="MAPP", help="mappen med kommuner/ och content/ (standard: .)", **default
    )
    target.add_argument(
        "--theme", type=Path, metavar="MAPP", help="mappen med templates/ och static/ (standard: theme/)", **default
    )
    if build:
        target.add_argument("--out", type=Path, metavar="MAPP", help="mapp att bygga till (standard: _site)", **default)
        target.add_argument(
            "--no-pdf",
            dest="pdf",
            action="store_false",
            help="hoppa över PDF:erna för en snabb förhandsvisning",
            **default,
        )
        target.add_argument(
            "--force",
            action="store_true",
            help="bygg om allt, även om inget har ändrats sedan förra bygget",
            **default,
        )
        target.add_argument(
            "--base-url",
            type=_base_url,
            metavar="ADRESS",
            help="adressen webbplatsen publiceras på (standard: ur site.yaml)",
            **default,
        )


def _add_new_commands(commands: argparse._SubParsersAction) -> None:
    new = commands.add_parser("new", help="skapa en ny fil att fylla i: kommun, löfte eller uppföljning")
    kinds = new.add_subparsers(dest="kind", required=True, metavar="{kommun,löfte,uppföljning}")
    kommun = kinds.add_parser("kommun", help="ny kommun ur registret över Sveriges 290 kommuner")
    kommun.add_argument("name", metavar="namn", help="kommunens namn, till exempel Falun")
    kommun.add_argument(
        "--lokalpolisområde",
        "--lokalpolisomrade",
        dest="police_area",
        metavar="NAMN",
        help="lokalpolisområdets namn (krävs)",
    )
    promise = kinds.add_parser("löfte", aliases=["lofte"], help="nytt medborgarlöfte för en kommun")
    promise.add_argument("kommun", help=KOMMUN_HELP)
    promise.add_argument(
        "period",
        nargs="?",
        help="löftets period, till exempel 2025-2026 eller 2026; utelämna den om dokumentet inte anger någon",
    )
    follow_up = kinds.add_parser("uppföljning", aliases=["uppfoljning"], help="ny uppföljning av ett löfte")
    follow_up.add_argument("kommun", help=KOMMUN_HELP)
    follow_up.add_argument("promise", metavar="löfte", help="löftets mapp, till exempel 2025-2026")
    follow_up.add_argument(
        "--datum",
        type=date.fromisoformat,
        metavar="ÅÅÅÅ-MM-DD",
        help="uppföljningens datum (standard: i dag)",
    )
    for target in (new, kommun, promise, follow_up):
        _add_options(target, build=False, suppress=True)


def _add_import_command(commands: argparse._SubParsersAction) -> None:
    importing = commands.add_parser(
        "importera",
        help="gör ett utkast till löfte av ett dokument: PDF, Word (.docx), OpenDocument (.odt), webbsida (.html) "
        "eller text (.txt)",
    )
    importing.add_argument("file", type=Path, metavar="fil", help="dokumentet att importera")
    importing.add_argument("--kommun", required=True, metavar="KOMMUN", help=KOMMUN_HELP)
    importing.add_argument(
        "--period", metavar="PERIOD", help="löftets period, om dokumentet inte anger den (till exempel 2025-2026)"
    )
    _add_options(importing, build=False, suppress=True)


class SwedishHelp(argparse.HelpFormatter):
    def add_usage(self, usage: str | None, actions: Any, groups: Any, prefix: str | None = None) -> None:
        super().add_usage(usage, actions, groups, "användning: " if prefix is None else prefix)


class SwedishParser(argparse.ArgumentParser):
    """argparse with its own words in Swedish: a communicator who mistypes a command reads the answer. Its messages
    are translated where they are reported, the commonest ones; the sub-commands are made with the same class."""

    ERRORS = (
        (re.compile(r"^argument "), "argumentet "),
        (re.compile(r"invalid choice: (.+) \(choose from (.+)\)"), r"ogiltigt val: \1 (välj bland \2)"),
        (re.compile(r"the following arguments are required: (.+)"), r"de här argumenten saknas: \1"),
        (re.compile(r"unrecognized arguments: (.+)"), r"okända argument: \1"),
        (re.compile(r"expected one argument"), "ett värde saknas"),
        (re.compile(r"invalid \w+ value: (.+)"), r"ogiltigt värde: \1"),
        (re.compile(r"ambiguous option: (\S+) could match (.+)"), r"flaggan \1 kan vara flera: \2"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", SwedishHelp)
        super().__init__(*args, **{**kwargs, "add_help": False})
        self._positionals.title = "argument"
        self._optionals.title = "flaggor"
        self.add_argument("-h", "--help", action="help", help="visa den här hjälpen")

    def error(self, message: str) -> NoReturn:
        for pattern, swedish in self.ERRORS:
            message = pattern.sub(swedish, message)
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: fel: {message}\n")


def parser() -> argparse.ArgumentParser:
    main = SwedishParser(
        prog="build.py", description="Bygger webbplatsen med medborgarlöften från kommuner/, content/ och theme/."
    )
    _add_options(main, build=True, suppress=False)
    main.set_defaults(content=Path("."), theme=None, out=None, base_url=None, pdf=True, force=False)
    commands = main.add_subparsers(dest="command", metavar="{build,check,serve,new,importera}")
    _add_options(commands.add_parser("build", help="bygg webbplatsen (standard)"), build=True, suppress=True)
    check = commands.add_parser("check", help="kontrollera innehållet utan att bygga")
    _add_options(check, build=False, suppress=True)
    check.add_argument(
        "--format",
        choices=("text", "github"),
        default="text",
        help="github: som anteckningar i GitHub Actions, så att felen syns på raderna i pull requesten",
    )
    check.add_argument(
        "--strict",
        action="store_true",
        help="varningar räknas som fel; notiser (om utkast, som inte publiceras) gör det aldrig",
    )
    _add_new_commands(commands)
    _add_import_command(commands)
    serve_parser = commands.add_parser("serve", help="bygg och visa webbplatsen på http://127.0.0.1:8000/")
    _add_options(serve_parser, build=False, suppress=True)
    serve_parser.add_argument("--out", type=Path, metavar="MAPP", default=argparse.SUPPRESS, help="mapp att bygga till")
    serve_parser.add_argument(
        "--port", type=int, metavar="PORT", default=8000, help="porten att visa webbplatsen på (standard: 8000)"
    )
    serve_parser.add_argument(
        "--no-pdf", dest="pdf", action="store_false", default=argparse.SUPPRESS, help=SERVE_NEVER_MAKES_PDFS
    )
    return main


def _report(diagnostics: Diagnostics) -> None:
    for diagnostic in diagnostics.seen_from_here():
        print(diagnostic.format(), file=sys.stderr)
    if diagnostics.items:
        print(f"{summary(diagnostics)}.", file=sys.stderr)


def summary(diagnostics: Diagnostics) -> str:
    """`2 fel, 1 varning, 3 notiser`: only the severities found, each counted in its singular or plural."""
    counts = (
        (len(diagnostics.errors), "fel", "fel"),
        (len(diagnostics.warnings), "varning", "varningar"),
        (len(diagnostics.notices), "notis", "notiser"),
    )
    return ", ".join(count_noun(*count) for count in counts if count[0])


def _theme(args: argparse.Namespace) -> Path:
    if args.theme:
        return args.theme
    local = args.content / "theme"
    return local if local.is_dir() else BUNDLED_THEME


def main(argv: list[str] | None = None) -> int:
    """Ctrl+C and SIGTERM (a CI job cancelled, a container stopped) stop a build at its next safe point: the
    staging folder is removed and the published site stays as it was (interrupt.py)."""
    _utf8_output()
    try:
        with stop_at_checkpoints():
            return _run(parser().parse_args(argv))
    except WorkerError as error:
        print(f"build.py: fel: {error}", file=sys.stderr)
        return EXIT_CONTENT
    except KeyboardInterrupt as stop:
        print(INTERRUPTED, file=sys.stderr)
        return stop.code if isinstance(stop, Interrupted) else 130


def _utf8_output() -> None:
    """Python on Windows writes to a pipe or a file in the system's code page, which lacks characters a diagnostic
    may quote from the content (and then stops with an error), while GitHub reads a job's log as UTF-8: the output
    is UTF-8 wherever it goes."""
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper) and stream.encoding.lower() != "utf-8":
            stream.reconfigure(encoding="utf-8", errors=stream.errors)


def _run(args: argparse.Namespace) -> int:
    if not (args.content / "kommuner").is_dir() and not (args.content / "content").is_dir():
        print(f"build.py: fel: {args.content} innehåller varken kommuner/ eller content/.", file=sys.stderr)
        return EXIT_USAGE
    if args.command == "check":
        return _check(args)
    if args.command == "serve":
        return _serve(args)
    if args.command == "new":
        return _new(args)
    if args.command == "importera":
        return _import(args)
    return _build(args)


def _import(args: argparse.Namespace) -> int:
    """A draft promise from a document; a document that cannot be read is refused and nothing is written."""
    from medborgarlofte.authoring.importer import ImportRefused, import_document

    try:
        imported = import_document(args.file, args.content, args.kommun, args.period, load_registry())
        write_new(imported.scaffold)
    except (ImportRefused, ScaffoldError) as error:
        print(f"build.py: fel: {error}", file=sys.stderr)
        return EXIT_USAGE if isinstance(error, ScaffoldError) else EXIT_CONTENT
    print(f"Skapade utkastet {imported.scaffold.path}.")
    for line in imported.summary:
        print(line)
    print("Jämför utkastet med dokumentet och kontrollera det med: python build.py check")
    return EXIT_OK


def _new(args: argparse.Namespace) -> int:
    try:
        scaffold = _scaffold(args)
        write_new(scaffold)
    except ScaffoldError as error:
        print(f"build.py: fel: {error}", file=sys.stderr)
        return EXIT_USAGE
    print(f"Skapade {scaffold.path}. Fyll i filen och kontrollera den med: python build.py check")
    return EXIT_OK


def _scaffold(args: argparse.Namespace) -> Scaffold:
    if args.kind == "kommun":
        if not args.police_area:
            raise ScaffoldError("Ange lokalpolisområdet med --lokalpolisområde, till exempel --lokalpolisområde Falun.")
        return kommun_file(args.content, args.name, args.police_area, load_registry())
    if args.kind in ("löfte", "lofte"):
        return promise_file(args.content, args.kommun, args.period, load_registry())
    site, diagnostics = load_site(args.content, build_date())
    if site is None:
        _report(diagnostics)
        raise ScaffoldError("Innehållet har fel som måste rättas innan en uppföljning kan skapas.")
    day = args.datum or build_date()
    return follow_up_file(args.content, site, args.kommun, args.promise, day, load_registry())


def _check(args: argparse.Namespace) -> int:
    diagnostics = check_content(args.content, build_date())
    if args.format == "github":
        for diagnostic in diagnostics.seen_from_here():
            print(diagnostic.github())
    else:
        _report(diagnostics)
    failed = bool(diagnostics.errors) or (args.strict and bool(diagnostics.warnings))
    if not failed:
        print("Innehållet är giltigt.")
    elif args.strict and not diagnostics.errors:
        print("Varningarna räknas som fel (--strict).", file=sys.stderr)
    return EXIT_CONTENT if failed else EXIT_OK


def _build(args: argparse.Namespace) -> int:
    from medborgarlofte.build.pipeline import Options, build
    from medborgarlofte.build.write import OutputError
    from medborgarlofte.outputs.pdf import PdfError
    from medborgarlofte.search.index import SearchIndexError

    started = time.perf_counter()
    out = args.out or args.content / "_site"
    options = Options(args.content, _theme(args), out, args.base_url, build_date(), args.pdf, args.content / ".cache")
    try:
        result = build(options, reuse=not args.force)
    except OutputError as error:
        print(f"build.py: fel: {error}", file=sys.stderr)
        return EXIT_USAGE
    except SearchIndexError as error:
        print(f"build.py: fel: sökindexet kunde inte byggas med Pagefind ({error}).", file=sys.stderr)
        print(KEPT, file=sys.stderr)
        return EXIT_CONTENT
    except PdfError as error:
        print(f"build.py: fel: {error}", file=sys.stderr)
        print(KEPT, file=sys.stderr)
        return EXIT_CONTENT
    _report(result.diagnostics)
    if result.unchanged:
        print(
            f"Inget har ändrats sedan förra bygget: {out} är redan aktuell ({result.unchanged.kommuner} kommuner, "
            f"sökindex {result.unchanged.search_pages} sidor). Bygg om ändå med --force."
        )
        return EXIT_OK
    if result.site is None:
        print(KEPT, file=sys.stderr)
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
    from medborgarlofte.build.pipeline import Options
    from medborgarlofte.preview import serve
    from medborgarlofte.preview.live import LiveSite, watch

    if not args.pdf:
        print(f"--no-pdf {SERVE_NEVER_MAKES_PDFS}.", file=sys.stderr)
    out = args.out or args.content / "_site"
    address = f"http://{serve.HOST}:{args.port}/"
    live = LiveSite(
        Options(args.content, _theme(args), out, address, build_date(), False, args.content / ".cache", drafts=True)
    )
    try:
        server = serve.bind(args.port, out, live)
    except OSError:
        print(f"build.py: fel: porten {args.port} används redan. Välj en annan med --port.", file=sys.stderr)
        return EXIT_USAGE
    stop = threading.Event()
    with server:
        live.full_build()
        observer = watch(live, stop)
        # Threaded: the handler runs on the main thread, which serve_forever keeps busy until shutdown returns.
        on_stop(lambda: threading.Thread(target=server.shutdown, daemon=True).start())
        print(f"Webbplatsen visas på {address} och byggs om när du sparar. Avsluta med Ctrl+C.", flush=True)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            stop.set()
            observer.stop()
            observer.join()
            live.close()
    return EXIT_OK
