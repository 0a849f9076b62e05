"""Stage 7, index: Pagefind's search index, made into the staged site before it is swapped in.

Pagefind reads a search document per kommun page and promise page (theme/templates/search.html), not the pages: the
words of the page that a search should find, in plain paragraphs, with the page's filters, metadata and sort date.
Pagefind's time grows with the markup and text it parses, of which a page has ten times what it indexes; the test
suite checks that every indexed word is on its page.

The index is reproducible: two builds of the same content give the same bytes, Pagefind's files included; on the
same file system always, and on any file system in a reproducible build (`SOURCE_DATE_EPOCH` set). Pagefind 1.5.2 on
its own is not (upstream issue 638), for two reasons:

1. It numbers the pages in the order it reads them, and it reads a folder in the order the file system lists it
   (hash order on ext4, with a seed of each file system; creation order elsewhere). The numbers are in the index
   chunks, the filters, the sort order and the list of pages. In a reproducible build the pages are therefore given
   to Pagefind one by one, in sorted path order (the `AddFile` request of `pagefind --service`); that costs its
   parallel parsing, so other builds let Pagefind's command line read the folder itself. The service is spoken to
   directly (base64 of JSON, each message followed by a comma; the protocol of its Python package, pinned in
   pyproject.toml), since that package reads one reply every 0.1 s, which would take 145 s for 1,450 pages.
2. It writes the values of each filter, the list of filters and the list of sort orders as a hash map with a random
   seed iterates them: a new order, so new file names, every run. So the filter files and the metadata file are
   written again with everything in sorted order, named as Pagefind names them (a SHA-1 of the content), and
   `pagefind-entry.json` points to the new metadata file. Pagefind's search reads these into hash maps, so the order
   in the files does not matter to it; the browser tests check that search, filters and sorting still work.
"""

from __future__ import annotations

import asyncio
import base64
import gzip
import hashlib
import json
import os
import shutil
import subprocess
import tempfile
import time
import zlib
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pagefind.service import get_executable

from .addresses import BUNDLE_DIR
from .interrupt import checkpoint
from .write import replace

# The Pagefind release whose file formats and service protocol this module is written for (see pyproject.toml).
PAGEFIND_VERSION = "1.5.2"
# Seconds to wait for Pagefind; MEDBORGARLOFTE_PAGEFIND_TIMEOUT overrides it (a very large site on a slow machine).
INDEX_TIMEOUT_S = 60
ATTEMPTS = 2
# Pagefind answers as soon as it has handed its writes to background threads: seconds to wait for them to land.
SETTLE_S = 5
# Pagefind's ready-made interfaces; the site has its own search page (theme/static/sok.js) on Pagefind's JS API.
UNUSED_BUNDLE_FILES = (
    "pagefind-ui.js",
    "pagefind-ui.css",
    "pagefind-modular-ui.js",
    "pagefind-modular-ui.css",
    "pagefind-component-ui.js",
    "pagefind-component-ui.css",
    "pagefind-highlight.js",
)
# What Pagefind puts before the CBOR in each of its gzip files.
SIGNATURE = b"pagefind_dcd"
# Errors of a file that is missing, cut short or not what Pagefind writes.
_UNREADABLE = (OSError, EOFError, zlib.error, ValueError, KeyError, IndexError, TypeError)


class SearchIndexError(Exception):
    """Pagefind could not index the site; the build stops and the published site stays as it was."""


@dataclass(frozen=True)
class IndexReport:
    files_read: int
    pages: int
    seconds: float
    bytes: int


def index_site(documents: Path, bundle: Path, in_order: bool = False) -> IndexReport:
    """Index the search documents in `documents` into the folder `bundle`; a second try if Pagefind's files come
    out incomplete.

    `in_order` numbers the pages in sorted order, so that the index is the same on any file system; it costs
    Pagefind's parallel parsing (twice the time at national scale), so it is for reproducible builds only."""
    with Indexing(documents, bundle, in_order) as indexing:
        pass
    assert indexing.report is not None
    return indexing.report


class Indexing:
    """`index_site` as a block: Pagefind starts on entering, so that it reads the search documents while the build
    writes the site; leaving waits for it and sets `report`, or stops it if the block failed. A reproducible build's
    index is made on leaving, since it is read document by document in order."""

    def __init__(self, documents: Path, bundle: Path, in_order: bool = False) -> None:
        self.documents = documents
        self.bundle = bundle
        self.in_order = in_order
        self.report: IndexReport | None = None
        self._started = 0.0
        self._running: _Command | None = None

    def __enter__(self) -> Indexing:
        self._started = time.perf_counter()
        if not self.in_order:
            self._running = _Command(self.documents, self.bundle)
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, traceback: Any) -> None:
        running, self._running = self._running, None
        if kind is not None:
            if running:
                running.stop()
            return
        self.report = self._finish(running)

    def _finish(self, running: _Command | None) -> IndexReport:
        bundle = self.bundle
        for attempt in range(ATTEMPTS):
            if attempt:  # Pagefind keeps a file it finds already written, whole or not
                shutil.rmtree(bundle, ignore_errors=True)
            files = running.wait() if running and not attempt else _run(self.documents, bundle, self.in_order)
            try:
                indexed = _canonicalise(bundle)
                break
            except _UNREADABLE as error:
                if attempt == ATTEMPTS - 1:
                    raise SearchIndexError(f"Pagefinds filer blev ofullständiga ({error})") from error
        _prune(bundle)
        for unused in UNUSED_BUNDLE_FILES:
            (bundle / unused).unlink(missing_ok=True)
        size = sum(f.stat().st_size for f in bundle.rglob("*") if f.is_file())
        return IndexReport(files, indexed, time.perf_counter() - self._started, size)


def html_files(site: Path) -> list[str]:
    """Every HTML file of the site but Pagefind's own folder, as sorted paths relative to `site`: the order in which
    Pagefind numbers the pages."""
    found = []
    for folder, folders, names in os.walk(site):
        here = Path(folder).relative_to(site)
        if here == Path("."):
            folders[:] = [name for name in folders if name != BUNDLE_DIR]
        found.extend((here / name).as_posix() for name in names if name.endswith(".html"))
    return sorted(found)


def _run(documents: Path, bundle: Path, in_order: bool) -> int:
    if not in_order:
        return _Command(documents, bundle).wait()
    try:
        # In a thread of its own: the service is driven by asyncio, and the caller may already run an event loop.
        with ThreadPoolExecutor(max_workers=1) as executor:
            return executor.submit(asyncio.run, asyncio.wait_for(_index(documents, bundle), _timeout())).result()
    except SearchIndexError:
        raise
    except TimeoutError as error:
        raise SearchIndexError(f"Pagefind svarade inte inom {_timeout():g} s") from error
    except Exception as error:  # Pagefind runs as a subprocess: any failure in it or its pipe ends the build.
        raise SearchIndexError(f"{type(error).__name__}: {error}") from error


class _Command:
    """Pagefind's command line over the whole folder, which it reads in parallel: at national scale a third of a
    second faster than the same work through its service, and done when the process has ended."""

    def __init__(self, documents: Path, bundle: Path) -> None:
        executable = get_executable()  # honours PAGEFIND_BINARY_PATH, like Pagefind's Python package
        if executable is None:
            raise SearchIndexError("Pagefinds program hittades inte (paketet pagefind[bin])")
        command = [str(executable), "--site", ".", "--output-path", str(bundle.resolve()), "--silent"]
        # Run in the site, with no PAGEFIND_ settings of the environment: Pagefind also takes its options from these
        # and from configuration files in the folder it runs in, and the site holds none.
        settings = {name: value for name, value in os.environ.items() if not name.startswith("PAGEFIND_")}
        self.documents = documents
        self.deadline = time.monotonic() + _timeout()
        # A file, not a pipe: nobody reads while the build goes on, and a full pipe would stop Pagefind.
        self.errors = tempfile.TemporaryFile()  # noqa: SIM115 (closed by wait or stop)
        try:
            self.process = subprocess.Popen(
                command,
                cwd=documents,
                env=settings,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=self.errors,
            )
        except OSError as error:
            self.errors.close()
            raise SearchIndexError(f"Pagefind kunde inte startas: {error}") from error

    def wait(self) -> int:
        """Wait for Pagefind to end; returns the number of HTML files."""
        try:
            status = self.process.wait(timeout=max(0.0, self.deadline - time.monotonic()))
        except subprocess.TimeoutExpired as error:
            self.stop()
            raise SearchIndexError(f"Pagefind svarade inte inom {_timeout():g} s") from error
        self.errors.seek(0)
        said = self.errors.read().decode("utf-8", "replace").strip()[-2000:]
        self.errors.close()
        if status:
            # Ctrl+C in a terminal reaches Pagefind too, which then ends with a signal's status on POSIX and with
            # STATUS_CONTROL_C_EXIT on Windows: if a stop was asked for, the build was stopped, Pagefind did not fail.
            checkpoint()
            raise SearchIndexError(f"Pagefind avslutades med status {status}" + (f": {said}" if said else ""))
        return len(html_files(self.documents))

    def stop(self) -> None:
        """Kill Pagefind if it still runs, and wait for it to go."""
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        self.errors.close()


def _timeout() -> float:
    return float(os.environ.get("MEDBORGARLOFTE_PAGEFIND_TIMEOUT") or INDEX_TIMEOUT_S)


async def _index(documents: Path, bundle: Path) -> int:
    """Have Pagefind index every HTML file in order and write its files; returns the number of files."""
    service = await _Service.start()
    try:
        index_id = (await service.ask({"type": "NewIndex", "config": None}, "NewIndex"))["index_id"]
        files = await _add_in_order(service, index_id, documents)
        output = str(bundle.resolve())
        await service.ask({"type": "WriteFiles", "index_id": index_id, "output_path": output}, "WriteFiles")
        await _settled(bundle)
        await service.close()
    finally:
        await service.stop()
    return files


async def _add_in_order(service: _Service, index_id: int, site: Path) -> int:
    """Every HTML file, one by one in sorted order, so that the page numbers do not depend on the file system."""
    files = html_files(site)

    async def send() -> None:
        for path in files:
            content = (site / path).read_bytes().decode("utf-8")
            await service.send(
                {"type": "AddFile", "index_id": index_id, "file_path": path, "url": None, "file_contents": content}
            )

    async def receive() -> None:
        for _ in files:
            await service.reply("IndexedFile")

    # Requests are sent while replies come back: Pagefind handles them one at a time, in the order sent.
    try:
        async with asyncio.TaskGroup() as group:
            group.create_task(send())
            group.create_task(receive())
    except ExceptionGroup as errors:
        raise errors.exceptions[0] from None
    return len(files)


class _Service:
    """`pagefind --service`: it answers each request in turn, with the request's `message_id`."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process
        self.sent = 0
        self.received = 0
        self.errors = bytearray()
        self.reading_errors = asyncio.ensure_future(self._read_errors())

    @classmethod
    async def start(cls) -> _Service:
        executable = get_executable()  # honours PAGEFIND_BINARY_PATH, like Pagefind's Python package
        if executable is None:
            raise SearchIndexError("Pagefinds program hittades inte (paketet pagefind[bin])")
        process = await asyncio.create_subprocess_exec(
            executable,
            "--service",
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            limit=2**20,
        )
        return cls(process)

    async def send(self, payload: dict[str, Any]) -> None:
        assert self.process.stdin is not None
        self.sent += 1
        message = json.dumps({"message_id": self.sent, "payload": payload}, ensure_ascii=False)
        self.process.stdin.write(base64.b64encode(message.encode("utf-8")) + b",")
        try:
            await self.process.stdin.drain()
        except (BrokenPipeError, ConnectionResetError) as error:
            raise SearchIndexError(await self._ended()) from error

    async def reply(self, expected: str) -> dict[str, Any]:
        assert self.process.stdout is not None
        try:
            raw = await self.process.stdout.readuntil(b",")
        except asyncio.IncompleteReadError as error:
            raise SearchIndexError(await self._ended()) from error
        self.received += 1
        message = json.loads(base64.b64decode(raw[:-1]))
        payload = message.get("payload") or {}
        if payload.get("type") == "Error":
            raise SearchIndexError(f"Pagefind: {payload.get('message')}")
        if message.get("message_id") != self.received or payload.get("type") != expected:
            raise SearchIndexError(f"oväntat svar från Pagefind: {str(message)[:200]}")
        return payload

    async def ask(self, payload: dict[str, Any], expected: str) -> dict[str, Any]:
        await self.send(payload)
        return await self.reply(expected)

    async def close(self) -> None:
        """End of input ends the service."""
        assert self.process.stdin is not None
        self.process.stdin.close()
        await self.process.wait()

    async def stop(self) -> None:
        """Kill Pagefind if it still runs (a time limit, a failure here), and wait for it to go."""
        if self.process.returncode is None:
            self.process.kill()
        # Bounded: waiting also waits for its pipes, which a child of a wrapper script around Pagefind may hold.
        await asyncio.wait([asyncio.ensure_future(self.process.wait())], timeout=2)
        self.reading_errors.cancel()
        await asyncio.wait([self.reading_errors])

    async def _read_errors(self) -> None:
        assert self.process.stderr is not None
        while chunk := await self.process.stderr.read(4096):
            self.errors = (self.errors + chunk)[-2000:]

    async def _ended(self) -> str:
        status = await self.process.wait()
        await asyncio.wait([self.reading_errors], timeout=1)
        said = self.errors.decode("utf-8", "replace").strip()
        return f"Pagefind avslutades med status {status}" + (f": {said}" if said else "")


async def _settled(bundle: Path) -> None:
    """Wait, while Pagefind still runs, until every file of its new index reads whole and no file has grown since
    the last look: Pagefind stops when its input ends, whether or not its writers are done."""
    deadline = time.monotonic() + SETTLE_S
    previous = None
    while time.monotonic() < deadline:  # after it, _canonicalise reports what is wrong and index_site tries again
        try:
            # The listing is cheap and reading every file is not, so the files are read once the listing holds still.
            listing = sorted((str(p), p.stat().st_size) for p in bundle.rglob("*") if p.is_file())
            if listing == previous:
                _check(bundle)
                return
            previous = listing
        except _UNREADABLE:
            previous = None
        await asyncio.sleep(0.02)


def _check(bundle: Path) -> None:
    """Raises unless the entry file and every file it leads to (metadata, fragments, index chunks, filters) read."""
    for language in _entry(bundle)["languages"].values():
        meta = _read(bundle / f"pagefind.{language['hash']}.pf_meta")
        pages, chunks, filters = meta[1], meta[2], meta[3]
        for name in [f"fragment/{page[0]}.pf_fragment" for page in pages] + [f"index/{c[2]}.pf_index" for c in chunks]:
            if not gzip.decompress((bundle / name).read_bytes()).startswith(SIGNATURE):
                raise ValueError(f"{name} saknar Pagefinds signatur")
        for _, hash_ in filters:
            _read(bundle / "filter" / f"{hash_}.pf_filter")
    for wasm in bundle.glob("wasm.*.pagefind"):
        gzip.decompress(wasm.read_bytes())  # one cut short raises


def _prune(bundle: Path) -> None:
    """Remove the files of an earlier index that the new one does not use: `serve` indexes its live folder again
    after every save, and Pagefind only ever adds files."""
    used = set()
    for language in _entry(bundle)["languages"].values():
        meta_name = f"pagefind.{language['hash']}.pf_meta"
        pages, chunks, filters = _read(bundle / meta_name)[1:4]
        used |= {meta_name, *(f"fragment/{page[0]}.pf_fragment" for page in pages)}
        used |= {f"index/{chunk[2]}.pf_index" for chunk in chunks} | {f"filter/{f[1]}.pf_filter" for f in filters}
    for old in [*bundle.glob("pagefind.*.pf_meta"), *bundle.glob("*/*.pf_*")]:
        if old.relative_to(bundle).as_posix() not in used:
            old.unlink(missing_ok=True)


def _canonicalise(bundle: Path) -> int:
    """Write the filter and metadata files again in sorted order (see the module's docstring); returns the number of
    pages in the index."""
    entry = _entry(bundle)
    if entry.get("version") != PAGEFIND_VERSION:
        raise SearchIndexError(f"Pagefind {entry.get('version')} i stället för {PAGEFIND_VERSION}, se pyproject.toml")
    _check(bundle)
    # Everything is read before anything is written, so that no new file can take the name of one still to read.
    read = {}
    for code, language in entry["languages"].items():
        meta = _read(bundle / f"pagefind.{language['hash']}.pf_meta")
        read[code] = meta, {name: _read(bundle / "filter" / f"{hash_}.pf_filter") for name, hash_ in meta[3]}
    replaced = {bundle / f"pagefind.{language['hash']}.pf_meta" for language in entry["languages"].values()}
    written: set[Path] = set()
    for code, (meta, contents) in read.items():
        version, pages, chunks, filters, sorts, *rest = meta
        canonical_filters = []
        for name, hash_ in sorted(filters):
            replaced.add(bundle / "filter" / f"{hash_}.pf_filter")
            filter_name, values = contents[name]
            if filter_name != name:
                raise ValueError(f"{hash_}.pf_filter är filtret {filter_name!r}, inte {name!r}")
            new = _write(
                bundle / "filter", code, _hex_length(hash_, code), ".pf_filter", [name, sorted(values)], written
            )
            canonical_filters.append([name, new])
        language = entry["languages"][code]
        meta = [version, pages, chunks, canonical_filters, sorted(sorts), *rest]
        language["hash"] = _write(
            bundle, code, _hex_length(language["hash"], code), ".pf_meta", meta, written, "pagefind."
        )
    entry["languages"] = dict(sorted(entry["languages"].items()))
    _replace(bundle / "pagefind-entry.json", json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode())
    for old in replaced - written:
        old.unlink(missing_ok=True)
    return sum(language["page_count"] for language in entry["languages"].values())


def _entry(bundle: Path) -> dict[str, Any]:
    return json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))


def _hex_length(hash_: str, language: str) -> int:
    """How many hex digits Pagefind gave a name like `sv_1a2b3c4`."""
    if not hash_.startswith(f"{language}_"):
        raise ValueError(f"{hash_} hör inte till språket {language}")
    return len(hash_) - len(language) - 1


def _write(
    folder: Path, language: str, length: int, suffix: str, value: Any, written: set[Path], prefix: str = ""
) -> str:
    """Write `value` as Pagefind does (gzip of its signature and CBOR), named by Pagefind's hash of the CBOR; returns
    the hash part of the name (`sv_1a2b3c4`), longer by a digit while it is taken by another file."""
    data = _cbor(value)
    # Pagefind's hash: the SHA-1's bytes in hex, each without a leading zero.
    digits = "".join(format(byte, "x") for byte in hashlib.sha1(data).digest())
    while (path := folder / f"{prefix}{language}_{digits[:length]}{suffix}") in written:
        length += 1
    written.add(path)
    _replace(path, gzip.compress(SIGNATURE + data, compresslevel=9, mtime=0))
    return f"{language}_{digits[:length]}"


def _replace(path: Path, data: bytes) -> None:
    """Write whole or not at all: a served site (`serve`) may be read meanwhile."""
    partial = path.with_name(f".{path.name}.partial")
    partial.write_bytes(data)
    replace(partial, path)


def _read(path: Path) -> Any:
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(SIGNATURE):
        raise ValueError(f"{path.name} saknar Pagefinds signatur")
    value, end = _decode(data, len(SIGNATURE))
    if end != len(data):
        raise ValueError(f"{path.name} har data efter sitt innehåll")
    return value


# CBOR (RFC 8949) as Pagefind writes its metadata and filter files: arrays of definite length, text strings and
# integers, each with the shortest head. Anything else is refused, so a change of format cannot pass unnoticed.


def _cbor(value: Any) -> bytes:
    return b"".join(_encode(value))


def _encode(value: Any) -> Iterator[bytes]:
    if isinstance(value, bool):
        raise TypeError("CBOR-värdet är en bool")
    if isinstance(value, int):
        yield _head(0, value) if value >= 0 else _head(1, -1 - value)
    elif isinstance(value, str):
        data = value.encode("utf-8")
        yield _head(3, len(data))
        yield data
    elif isinstance(value, list):
        yield _head(4, len(value))
        for item in value:
            yield from _encode(item)
    else:
        raise TypeError(f"CBOR-värdet är av typen {type(value).__name__}")


def _head(major: int, number: int) -> bytes:
    if number < 24:
        return bytes([major << 5 | number])
    for info, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if number < 1 << (8 * size):
            return bytes([major << 5 | info]) + number.to_bytes(size, "big")
    raise ValueError(f"{number} är för stort för CBOR")


def _decode(data: bytes, at: int) -> tuple[Any, int]:
    major, info = data[at] >> 5, data[at] & 31
    at += 1
    if info < 24:
        number = info
    elif info <= 27:
        size = 1 << (info - 24)
        if at + size > len(data):
            raise ValueError("CBOR-talet tar slut för tidigt")
        number = int.from_bytes(data[at : at + size], "big")
        at += size
    else:
        raise ValueError(f"CBOR med obestämd längd eller specialvärde ({data[at - 1]:#04x})")
    if major == 0:
        return number, at
    if major == 1:
        return -1 - number, at
    if major == 3:
        if at + number > len(data):
            raise ValueError("CBOR-texten tar slut för tidigt")
        return data[at : at + number].decode("utf-8"), at + number
    if major == 4:
        items = []
        for _ in range(number):
            item, at = _decode(data, at)
            items.append(item)
        return items, at
    raise ValueError(f"CBOR av huvudtyp {major}")
