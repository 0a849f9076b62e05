"""Pagefind's index made reproducible: everything that depends on Pagefind's internal file formats and its service.

Two builds of the same content give the same bytes, Pagefind's files included: on the same file system always, and on
any file system in a reproducible build (`SOURCE_DATE_EPOCH` set). Pagefind on its own is not reproducible (upstream
issue 638), for two reasons:

1. It numbers the pages in the order it reads them, and it reads a folder in the order the file system lists it
   (hash order on ext4, with a seed of each file system; creation order elsewhere). The numbers are in the index
   chunks, the filters, the sort order and the list of pages. `index_in_order` therefore gives Pagefind the pages one
   by one in sorted path order through `pagefind --service` (`AddFile`), and takes the finished files back as data
   (`GetFiles`), so that nothing is read from disk while Pagefind may still be writing it. The service is spoken to
   directly (base64 of JSON, each message followed by a comma), since Pagefind's Python package reads one reply every
   0.1 s, which is minutes for a site of a thousand pages.
2. It writes the values of each filter, the list of filters and the list of sort orders in the order of a hash map
   with a random seed: a new order, so new file names, every run. `canonical` writes the filter and metadata files
   again with everything in sorted order, named as Pagefind names them (a SHA-1 of the content), and points
   `pagefind-entry.json` to the new metadata file. Pagefind's search reads these into hash maps, so the order in the
   files does not matter to it; the browser tests check that search, filters and sorting still work.

The files are gzip of Pagefind's signature followed by CBOR, read and written with `cbor2`. Every value read is
checked against the shape Pagefind 1.5.2 writes, and must encode back to exactly the bytes read; anything else stops
the build with `SearchIndexError` naming the file, since a file written again in another encoding would be named
differently from what Pagefind itself would name it. Upgrading Pagefind is a change of `PAGEFIND_VERSION` and of the
pin in pyproject.toml (`tests/test_determinism.py` checks they agree and that a real index reads and encodes back).
"""

from __future__ import annotations

import asyncio
import base64
import gzip
import hashlib
import json
import zlib
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path, PurePosixPath
from typing import Any

import cbor2
from pydantic import BaseModel, StrictInt, StrictStr, TypeAdapter, ValidationError

# The Pagefind release whose file formats and service protocol this module is written for (see pyproject.toml).
PAGEFIND_VERSION = "1.5.2"
# What Pagefind puts before the CBOR in each of its gzip files.
SIGNATURE = b"pagefind_dcd"
ENTRY = "pagefind-entry.json"
# A reply of the service holds the whole index as base64 in one message.
REPLY_LIMIT = 2**30
# What to do when Pagefind's files are not as this module expects, said after each such error.
WHAT_TO_DO = (
    f"installera pagefind[bin]=={PAGEFIND_VERSION} enligt requirements.lock, "
    "eller anpassa medborgarlofte/search/reproducible.py"
)

# The shapes of Pagefind 1.5.2's metadata file (version, pages, index chunks, filters, sort orders, then the names of
# the metadata fields) and filter file (name, then each value with its page numbers).
_Str, _Int = StrictStr, StrictInt
_META = TypeAdapter(
    tuple[
        _Str,
        list[tuple[_Str, _Int]],
        list[tuple[_Str, _Str, _Str]],
        list[tuple[_Str, _Str]],
        list[tuple[_Str, list[_Int]]],
        list[_Str],
    ]
)
_FILTER = TypeAdapter(tuple[_Str, list[tuple[_Str, list[_Int]]]])


class _Language(BaseModel, strict=True):
    hash: str
    page_count: int


class _Entry(BaseModel, strict=True):
    """What is read of `pagefind-entry.json`; the rest of it is kept as it is."""

    version: str
    languages: dict[str, _Language]


Files = dict[str, bytes]


class SearchIndexError(Exception):
    """Pagefind could not index the site; the build stops and the published site stays as it was."""


def canonical(files: Mapping[str, bytes]) -> Files:
    """Pagefind's files (path relative to its folder → bytes) as this site publishes them: the filter and metadata
    files in sorted order (see the module's docstring), and only the files the index uses, so that an earlier index
    in the same folder leaves nothing behind."""
    entry = _entry(files)
    result = {name: data for name, data in files.items() if "/" not in name and not name.endswith(".pf_meta")}
    for code in sorted(entry["languages"]):
        language = entry["languages"][code]
        meta_name = f"pagefind.{language.get('hash')}.pf_meta"
        version, pages, chunks, filters, sorts, fields = _META_OF(files, meta_name, ENTRY)
        if version != PAGEFIND_VERSION:
            raise SearchIndexError(f"{meta_name}: Pagefind {version} i stället för {PAGEFIND_VERSION}; {WHAT_TO_DO}")
        for name in [f"fragment/{page}.pf_fragment" for page, _ in pages] + [f"index/{c[2]}.pf_index" for c in chunks]:
            _check_signature(name, _file(files, name, meta_name))
            result[name] = files[name]
        new_filters = []
        for name, hash_ in sorted(filters):
            filter_name, values = _FILTER_OF(files, f"filter/{hash_}.pf_filter", meta_name)
            if filter_name != name:
                raise SearchIndexError(f"filter/{hash_}.pf_filter: filtret {filter_name!r}, väntade {name!r}")
            value = [name, sorted(values)]
            new_filters.append([name, _add(result, "filter/", code, _length(hash_, code), ".pf_filter", value)])
        value = [version, pages, chunks, new_filters, sorted(sorts), fields]
        language["hash"] = _add(result, "pagefind.", code, _length(language["hash"], code), ".pf_meta", value)
    entry["languages"] = dict(sorted(entry["languages"].items()))
    result[ENTRY] = json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return result


def page_count(files: Mapping[str, bytes]) -> int:
    """The number of pages in the index, from its entry file."""
    return sum(language["page_count"] for language in _entry(files)["languages"].values())


def encode(value: Any) -> bytes:
    """A value as Pagefind writes it: gzip of its signature and the CBOR (no time in the gzip header)."""
    return _gzip(cbor2.dumps(value))


def _gzip(body: bytes) -> bytes:
    return gzip.compress(SIGNATURE + body, compresslevel=9, mtime=0)


def decode(name: str, data: bytes) -> Any:
    """The CBOR value in one of Pagefind's files; raises unless it has the signature and encodes back to the same
    bytes, so that a file written again is encoded (and named) as Pagefind would."""
    body = _check_signature(name, data)
    try:
        value = cbor2.loads(body)
    except (cbor2.CBORDecodeError, ValueError) as error:
        raise SearchIndexError(
            f"{name}: inte CBOR som Pagefind {PAGEFIND_VERSION} skriver ({error}); {WHAT_TO_DO}"
        ) from error
    if cbor2.dumps(value) != body:
        raise SearchIndexError(f"{name}: CBOR-kodningen skiljer sig från Pagefind {PAGEFIND_VERSION}s; {WHAT_TO_DO}")
    return value


def index_in_order(executable: Path, site: Path, pages: list[str], timeout: float) -> Files:
    """Pagefind's files for `pages` (paths relative to `site`), numbered in the order given; see the docstring."""
    try:
        # In a thread of its own: the service is driven by asyncio, and the caller may already run an event loop.
        with ThreadPoolExecutor(max_workers=1) as executor:
            work = asyncio.wait_for(_index(executable, site, pages), timeout)
            return executor.submit(asyncio.run, work).result()
    except SearchIndexError:
        raise
    except TimeoutError as error:
        raise SearchIndexError(f"Pagefind svarade inte inom {timeout:g} s") from error
    except Exception as error:  # Pagefind runs as a subprocess: any failure in it or its pipe ends the build.
        raise SearchIndexError(f"{type(error).__name__}: {error}") from error


def _entry(files: Mapping[str, bytes]) -> dict[str, Any]:
    if ENTRY not in files:
        raise SearchIndexError(f"{ENTRY} saknas: Pagefind skrev inget index")
    try:
        _Entry.model_validate_json(files[ENTRY])
    except ValidationError as error:
        raise SearchIndexError(f"{ENTRY}: inte som Pagefind {PAGEFIND_VERSION} skriver den; {WHAT_TO_DO}") from error
    entry = json.loads(files[ENTRY])
    if entry["version"] != PAGEFIND_VERSION:
        raise SearchIndexError(f"{ENTRY}: Pagefind {entry['version']} i stället för {PAGEFIND_VERSION}; {WHAT_TO_DO}")
    return entry


def _file(files: Mapping[str, bytes], name: str, listed_in: str) -> bytes:
    if name not in files:
        raise SearchIndexError(f"{name} saknas, fast {listed_in} anger den")
    return files[name]


def _check_signature(name: str, data: bytes) -> bytes:
    """The content of a gzip file of Pagefind's after its signature."""
    try:
        content = gzip.decompress(data)
    except (OSError, EOFError, zlib.error) as error:
        raise SearchIndexError(f"{name}: inte en hel gzip-fil ({error})") from error
    if not content.startswith(SIGNATURE):
        raise SearchIndexError(f"{name}: saknar Pagefinds signatur {SIGNATURE.decode()}")
    return content[len(SIGNATURE) :]


def _shaped(adapter: TypeAdapter[Any], shape: str) -> Any:
    """A reader of one kind of Pagefind file, which checks the value's shape."""

    def read(files: Mapping[str, bytes], name: str, listed_in: str) -> Any:
        """The file `name`, which the file `listed_in` lists."""
        value = decode(name, _file(files, name, listed_in))
        try:
            return adapter.validate_python(value)
        except ValidationError as error:
            message = error.errors()[0]["msg"]
            raise SearchIndexError(f"{name}: väntade {shape} ({message}); {WHAT_TO_DO}") from error

    return read


_META_OF = _shaped(_META, "[version, sidor, indexdelar, filter, sorteringar, metadatafält]")
_FILTER_OF = _shaped(_FILTER, "[filternamn, [[värde, [sidnummer]]]]")


def _length(hash_: str, language: str) -> int:
    """How many hex digits Pagefind gave a name like `sv_1a2b3c4`."""
    if not hash_.startswith(f"{language}_"):
        raise SearchIndexError(f"{hash_}: hör inte till språket {language} i {ENTRY}")
    return len(hash_) - len(language) - 1


def _add(files: Files, prefix: str, language: str, length: int, suffix: str, value: Any) -> str:
    """Add `value` as a file named as Pagefind names it (its hash of the CBOR); returns the hash part of the name
    (`sv_1a2b3c4`), longer by a digit while another new file has it."""
    body = cbor2.dumps(value)
    data = _gzip(body)
    # Pagefind's hash: the SHA-1 of the CBOR, its bytes in hex, each without a leading zero.
    digits = "".join(format(byte, "x") for byte in hashlib.sha1(body).digest())
    while (name := f"{prefix}{language}_{digits[:length]}{suffix}") in files and files[name] != data:
        length += 1
    files[name] = data
    return f"{language}_{digits[:length]}"


async def _index(executable: Path, site: Path, pages: list[str]) -> Files:
    service = await _Service.start(executable)
    try:
        index_id = (await service.ask({"type": "NewIndex", "config": None}, "NewIndex"))["index_id"]
        await _add_in_order(service, index_id, site, pages)
        reply = await service.ask({"type": "GetFiles", "index_id": index_id}, "GetFiles")
        await service.close()
    finally:
        await service.stop()
    return {_relative(file["path"]): base64.b64decode(file["content"]) for file in reply["files"]}


def _relative(path: str) -> str:
    """A path the service names, as a relative POSIX path that stays inside Pagefind's folder."""
    relative = PurePosixPath(path.replace("\\", "/"))
    if relative.is_absolute() or ".." in relative.parts or not relative.parts:
        raise SearchIndexError(f"Pagefind angav en fil utanför sin mapp: {path!r}")
    return relative.as_posix()


async def _add_in_order(service: _Service, index_id: int, site: Path, pages: list[str]) -> None:
    async def send() -> None:
        for path in pages:
            content = (site / path).read_bytes().decode("utf-8")
            await service.send(
                {"type": "AddFile", "index_id": index_id, "file_path": path, "url": None, "file_contents": content}
            )

    async def receive() -> None:
        for _ in pages:
            await service.reply("IndexedFile")

    # Requests are sent while replies come back: Pagefind handles them one at a time, in the order sent.
    try:
        async with asyncio.TaskGroup() as group:
            group.create_task(send())
            group.create_task(receive())
    except ExceptionGroup as errors:
        raise errors.exceptions[0] from None


class _Service:
    """`pagefind --service`: it answers each request in turn, with the request's `message_id`."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process
        self.sent = 0
        self.received = 0
        self.errors = bytearray()
        self.reading_errors = asyncio.ensure_future(self._read_errors())

    @classmethod
    async def start(cls, executable: Path) -> _Service:
        process = await asyncio.create_subprocess_exec(
            executable,
            "--service",
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            limit=REPLY_LIMIT,
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
