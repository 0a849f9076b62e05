"""Reproducible builds, Pagefind's search index included.

Pagefind 1.5.2 alone writes its filter and metadata files in a new order every run (a randomly seeded hash map, upstream
issue 638), and numbers the pages in the order the file system lists them; medborgarlofte/search/reproducible.py gives
it the pages in sorted order and writes those files again in sorted order. These tests build or index the same site
twice and compare every byte, and check that what search/reproducible.py rewrites is still what Pagefind's search reads:
files named by the hash of their content, every one of them listed, nothing left over. They also fail when Pagefind or
cbor2 changes how the files look, and check that search/reproducible.py then stops the build with the file named.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import shutil
import subprocess
import tomllib
from importlib import metadata
from pathlib import Path

import cbor2
import pytest
from conftest import REPO
from pagefind.service import get_executable

from medborgarlofte.build.content import build_date
from medborgarlofte.build.pipeline import Memory, Options, build
from medborgarlofte.cli import BUNDLED_THEME, main
from medborgarlofte.outputs.addresses import BUNDLE_DIR
from medborgarlofte.search.index import SearchIndexError, index_site
from medborgarlofte.search.reproducible import PAGEFIND_VERSION, SIGNATURE, canonical, decode, encode

EPOCH = "1700000000"


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def differences(first: dict[str, bytes], second: dict[str, bytes]) -> list[str]:
    return sorted(path for path in first.keys() | second.keys() if first.get(path) != second.get(path))


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The shipped content built twice (without PDFs: test_downloads checks theirs), dated by SOURCE_DATE_EPOCH."""
    root = tmp_path_factory.mktemp("reproducerbart")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        for name in ("a", "b"):
            assert main(["build", "--no-pdf", "--content", str(REPO), "--out", str(root / name)]) == 0
    return root / "a", root / "b"


@pytest.fixture(scope="module")
def search_documents(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The search documents of the shipped content, kept where `serve` keeps them."""
    root = tmp_path_factory.mktemp("sokdokument")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        options = Options(REPO, BUNDLED_THEME, root / "_site", None, build_date(), False, root / "cache")
        memory = Memory(options)
        memory.documents = root / "dokument"
        assert build(options, memory=memory).site is not None
    return memory.documents


def test_two_builds_of_the_shipped_content_are_byte_identical_search_index_included(
    two_builds: tuple[Path, Path],
) -> None:
    """Every file, Pagefind's included (its filter and metadata files were in a new order every run)."""
    first, second = (tree(site) for site in two_builds)
    assert any(path.startswith("pagefind/filter/") for path in first), "the search index has no filters"
    assert differences(first, second) == []


def test_the_index_does_not_depend_on_the_order_the_file_system_lists_the_pages_in(
    two_builds: tuple[Path, Path], search_documents: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The search documents indexed as their file system lists them and as a file system listing every folder the
    other way round would (ext4 lists in a hash order with a seed of each file system, tmpfs in order of creation):
    the same bytes, and the same as the build's own index."""
    site = two_builds[0]
    copy = tmp_path / "kopia"
    shutil.copytree(search_documents, copy)
    index_site(copy, copy / BUNDLE_DIR, in_order=True)
    as_listed = tree(copy / BUNDLE_DIR)
    walk = os.walk

    def reversed_walk(top: object, *args: object, **kwargs: object):
        for folder, folders, names in walk(top, *args, **kwargs):
            folders.reverse()
            yield folder, folders, list(reversed(names))

    monkeypatch.setattr(os, "walk", reversed_walk)
    shutil.rmtree(copy / BUNDLE_DIR)
    index_site(copy, copy / BUNDLE_DIR, in_order=True)
    assert differences(as_listed, tree(copy / BUNDLE_DIR)) == []
    assert differences(as_listed, tree(site / BUNDLE_DIR)) == []


def _read(path: Path) -> object:
    return decode(path.name, path.read_bytes())


def short_hash(data: bytes, length: int) -> str:
    """Pagefind's name for a file: the SHA-1 of its CBOR in hex, each byte without a leading zero."""
    return "".join(format(byte, "x") for byte in hashlib.sha1(data).digest())[:length]


def test_rewritten_files_are_named_by_their_content_and_all_listed(two_builds: tuple[Path, Path]) -> None:
    bundle = two_builds[0] / BUNDLE_DIR
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert entry["version"] == PAGEFIND_VERSION
    (language, details), *others = entry["languages"].items()
    assert (language, others) == ("sv", [])
    assert [p.name for p in bundle.glob("*.pf_meta")] == [f"pagefind.{details['hash']}.pf_meta"]
    meta_path = bundle / f"pagefind.{details['hash']}.pf_meta"
    meta = _read(meta_path)
    assert details["hash"] == "sv_" + short_hash(cbor2.dumps(meta), 10)
    version, pages, chunks, filters, sorts, *_ = meta
    assert version == PAGEFIND_VERSION
    assert len(pages) == details["page_count"]

    assert [name for name, _ in filters] == sorted(name for name, _ in filters)
    assert {"kommun", "län", "år", "fokusområde", "ansvar", "status"} <= {name for name, _ in filters}
    assert sorted(p.stem for p in (bundle / "filter").iterdir()) == sorted(hash_ for _, hash_ in filters)
    for name, hash_ in filters:
        filter_name, values = _read(bundle / "filter" / f"{hash_}.pf_filter")
        assert filter_name == name
        assert [value for value, _ in values] == sorted(value for value, _ in values)
        assert all(0 <= page < len(pages) for _, numbers in values for page in numbers)
        assert hash_ == "sv_" + short_hash(cbor2.dumps([filter_name, values]), 7)
    assert [name for name, _ in sorts] == sorted(name for name, _ in sorts) == ["datum"]
    assert sorted(p.stem for p in (bundle / "index").iterdir()) == sorted(chunk[2] for chunk in chunks)


def test_pages_are_numbered_in_the_sorted_order_of_their_paths(two_builds: tuple[Path, Path]) -> None:
    bundle = two_builds[0] / BUNDLE_DIR
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    pages = _read(bundle / f"pagefind.{entry['languages']['sv']['hash']}.pf_meta")[1]
    urls = [json.loads(_fragment(bundle / "fragment" / f"{hash_}.pf_fragment"))["url"] for hash_, _ in pages]
    paths = [url.removeprefix("/") + "index.html" for url in urls]
    assert paths == sorted(paths)
    assert "trollhattan/2021/index.html" in paths


def _fragment(path: Path) -> bytes:
    data = gzip.decompress(path.read_bytes())
    assert data.startswith(SIGNATURE)
    return data[len(SIGNATURE) :]


@pytest.fixture(scope="module")
def pagefinds_own(search_documents: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """The files of Pagefind's own index of the search documents (its command line over a copy), as Pagefind wrote
    them."""
    root = tmp_path_factory.mktemp("pagefind-eget")
    site = root / "webbplats"
    shutil.copytree(search_documents, site)
    pagefind = get_executable()
    assert pagefind is not None
    run = subprocess.run(
        [pagefind, "--site", site, "--output-path", root / "index"], capture_output=True, text=True, timeout=60
    )
    assert run.returncode == 0, run.stdout + run.stderr
    return tree(root / "index")


def test_cbor2_reads_and_writes_every_file_exactly_as_pagefind_writes_it(pagefinds_own: dict[str, bytes]) -> None:
    """Every metadata, filter and index file of a real index, decoded by cbor2 and encoded again, gives Pagefind's
    bytes, and every one starts with Pagefind's signature: the files search/reproducible.py writes again are encoded and
    named as Pagefind would. Fails when Pagefind or cbor2 changes how the files look."""
    cbor_files = [name for name in pagefinds_own if name.endswith((".pf_meta", ".pf_filter", ".pf_index"))]
    assert {name.rsplit(".", 1)[1] for name in cbor_files} == {"pf_meta", "pf_filter", "pf_index"}
    for name in cbor_files:
        data = gzip.decompress(pagefinds_own[name])
        assert data.startswith(SIGNATURE), name
        body = data[len(SIGNATURE) :]
        assert cbor2.dumps(cbor2.loads(body)) == body, name
        assert encode(decode(name, pagefinds_own[name])) == gzip.compress(data, compresslevel=9, mtime=0), name
    fragments = [data for name, data in pagefinds_own.items() if name.endswith(".pf_fragment")]
    assert fragments and all(gzip.decompress(data).startswith(SIGNATURE) for data in fragments)


def test_pagefind_is_pinned_to_the_version_the_reproducible_index_is_written_for(
    pagefinds_own: dict[str, bytes],
) -> None:
    """Upgrading Pagefind is one line in pyproject.toml and PAGEFIND_VERSION: the two, the installed package and the
    index its program writes must agree."""
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    pins = [dependency for dependency in pyproject["project"]["dependencies"] if dependency.startswith("pagefind")]
    assert pins == [f"pagefind[bin]=={PAGEFIND_VERSION}"]
    assert metadata.version("pagefind") == PAGEFIND_VERSION
    assert json.loads(pagefinds_own["pagefind-entry.json"])["version"] == PAGEFIND_VERSION


def _meta_name(files: dict[str, bytes]) -> str:
    return next(name for name in files if name.endswith(".pf_meta"))


def _filter_name(files: dict[str, bytes]) -> str:
    return next(name for name in files if name.startswith("filter/"))


def _without_signature(files: dict[str, bytes]) -> tuple[str, dict[str, bytes]]:
    name = _filter_name(files)
    body = gzip.decompress(files[name]).replace(SIGNATURE, b"pagefind_xyz", 1)
    return name, files | {name: gzip.compress(body)}


def _filter_of_another_shape(files: dict[str, bytes]) -> tuple[str, dict[str, bytes]]:
    name = _filter_name(files)
    return name, files | {name: encode({"kommun": ["Strömstad"]})}


def _longer_number(files: dict[str, bytes]) -> tuple[str, dict[str, bytes]]:
    """The meta file with its first small page number written in two bytes (CBOR allows it; Pagefind does not)."""
    name = _meta_name(files)
    body = gzip.decompress(files[name])
    at = body.index(b"\x18", len(SIGNATURE))  # an integer 24..255 in its one-byte form
    longer = body[:at] + b"\x19\x00" + body[at + 1 :]
    return name, files | {name: gzip.compress(longer)}


def _another_version(files: dict[str, bytes]) -> tuple[str, dict[str, bytes]]:
    entry = json.loads(files["pagefind-entry.json"])
    entry["version"] = "9.9.9"
    return "pagefind-entry.json", files | {"pagefind-entry.json": json.dumps(entry).encode()}


def _missing_fragment(files: dict[str, bytes]) -> tuple[str, dict[str, bytes]]:
    name = next(name for name in files if name.startswith("fragment/"))
    return name, {key: data for key, data in files.items() if key != name}


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (_without_signature, "signatur"),
        (_filter_of_another_shape, "väntade"),
        (_longer_number, "CBOR-kodningen"),
        (_another_version, "9.9.9"),
        (_missing_fragment, "saknas"),
    ],
)
def test_a_format_pagefind_does_not_write_stops_the_build_naming_the_file(
    pagefinds_own: dict[str, bytes], change, expected: str
) -> None:
    assert canonical(pagefinds_own)  # as Pagefind writes them, the files are taken
    name, changed = change(pagefinds_own)
    with pytest.raises(SearchIndexError) as raised:
        canonical(changed)
    assert name in str(raised.value) and expected in str(raised.value)


def test_a_missing_file_names_the_file_that_lists_it(pagefinds_own: dict[str, bytes]) -> None:
    """A filter file is listed in the metadata file, and the metadata file in pagefind-entry.json."""
    meta, filter_ = _meta_name(pagefinds_own), _filter_name(pagefinds_own)
    for missing, listed_in in ((filter_, meta), (meta, "pagefind-entry.json")):
        with pytest.raises(SearchIndexError) as raised:
            canonical({name: data for name, data in pagefinds_own.items() if name != missing})
        assert str(raised.value) == f"{missing} saknas, fast {listed_in} anger den"


def test_indexing_a_folder_again_leaves_only_the_new_index(search_documents: Path, tmp_path: Path) -> None:
    """serve indexes its live folder after every save: the files of the earlier index must go, and what is left is
    exactly what a fresh index of the changed site has."""
    live, fresh = tmp_path / "live", tmp_path / "fresh"
    shutil.copytree(search_documents, live)
    index_site(live, live / BUNDLE_DIR, in_order=True)
    page = live / "trollhattan" / "2021" / "index.html"
    page.write_text(page.read_text(encoding="utf-8").replace("<h1>", "<h1>Ändrad "), encoding="utf-8")
    stale = {p.relative_to(live).as_posix() for p in (live / BUNDLE_DIR).rglob("*") if p.is_file()}
    index_site(live, live / BUNDLE_DIR, in_order=True)
    shutil.copytree(live, fresh, ignore=shutil.ignore_patterns(BUNDLE_DIR))
    index_site(fresh, fresh / BUNDLE_DIR, in_order=True)
    assert tree(live / BUNDLE_DIR) == tree(fresh / BUNDLE_DIR)
    assert stale - {p.relative_to(live).as_posix() for p in (live / BUNDLE_DIR).rglob("*") if p.is_file()}
