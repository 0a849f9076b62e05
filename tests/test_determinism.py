"""Reproducible builds, Pagefind's search index included.

Pagefind 1.5.2 alone writes its filter and metadata files in a new order every run (a randomly seeded hash map,
upstream issue 638), and numbers the pages in the order the file system lists them; medborgarlofte/index.py gives it
the pages in sorted order and writes those files again in sorted order. These tests build or index the same site twice
and compare every byte, and check that what index.py rewrites is still what Pagefind's search reads: files named by
the hash of their content, every one of them listed, nothing left over.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import REPO
from pagefind.service import get_executable

from medborgarlofte.addresses import BUNDLE_DIR
from medborgarlofte.cli import BUNDLED_THEME, main
from medborgarlofte.index import SIGNATURE, _cbor, _read, index_site
from medborgarlofte.pipeline import Memory, Options, build, build_date

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


def short_hash(data: bytes, length: int) -> str:
    """Pagefind's name for a file: the SHA-1 of its CBOR in hex, each byte without a leading zero."""
    return "".join(format(byte, "x") for byte in hashlib.sha1(data).digest())[:length]


def test_rewritten_files_are_named_by_their_content_and_all_listed(two_builds: tuple[Path, Path]) -> None:
    bundle = two_builds[0] / BUNDLE_DIR
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert entry["version"] == "1.5.2"
    (language, details), *others = entry["languages"].items()
    assert (language, others) == ("sv", [])
    assert [p.name for p in bundle.glob("*.pf_meta")] == [f"pagefind.{details['hash']}.pf_meta"]
    meta_path = bundle / f"pagefind.{details['hash']}.pf_meta"
    meta = _read(meta_path)
    assert details["hash"] == "sv_" + short_hash(_cbor(meta), 10)
    version, pages, chunks, filters, sorts, *_ = meta
    assert version == "1.5.2"
    assert len(pages) == details["page_count"]

    assert [name for name, _ in filters] == sorted(name for name, _ in filters)
    assert {"kommun", "län", "år", "fokusområde", "ansvar", "status"} <= {name for name, _ in filters}
    assert sorted(p.stem for p in (bundle / "filter").iterdir()) == sorted(hash_ for _, hash_ in filters)
    for name, hash_ in filters:
        filter_name, values = _read(bundle / "filter" / f"{hash_}.pf_filter")
        assert filter_name == name
        assert [value for value, _ in values] == sorted(value for value, _ in values)
        assert all(0 <= page < len(pages) for _, numbers in values for page in numbers)
        assert hash_ == "sv_" + short_hash(_cbor([filter_name, values]), 7)
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


def test_cbor_is_written_exactly_as_pagefind_writes_it(search_documents: Path, tmp_path: Path) -> None:
    """Pagefind's own metadata, filter and index files (its command line over a copy of the search documents), read
    and written again by index.py's CBOR code, give the same bytes: the files index.py rewrites are encoded as
    Pagefind does."""
    site = tmp_path / "webbplats"
    shutil.copytree(search_documents, site)
    pagefind = get_executable()
    assert pagefind is not None
    run = subprocess.run(
        [pagefind, "--site", site, "--output-path", tmp_path / "index"], capture_output=True, text=True, timeout=60
    )
    assert run.returncode == 0, run.stdout + run.stderr
    bundle = tmp_path / "index"
    files = [*bundle.glob("*.pf_meta"), *bundle.glob("filter/*"), *bundle.glob("index/*")]
    assert len(files) > 3
    for path in files:
        data = gzip.decompress(path.read_bytes())
        assert _cbor(_read(path)) == data[len(SIGNATURE) :], path.name


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
