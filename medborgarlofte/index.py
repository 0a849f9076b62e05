"""Stage 7, index: Pagefind's search index over the staged site, before it is swapped in.

One `add_directory` over the whole output: Pagefind reads the pages as a visitor's browser gets them, so what is
searchable is exactly what is published. Which parts of a page are indexed, and the filters and metadata of each
page, are marked in the templates (`data-pagefind-body`, `-filter`, `-meta`, `-sort`).
"""

from __future__ import annotations

import asyncio
import json
import os
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from pagefind.index import IndexConfig, PagefindIndex

BUNDLE_DIR = "pagefind"
# Seconds to wait for Pagefind; MEDBORGARLOFTE_PAGEFIND_TIMEOUT overrides it (a very large site on a slow machine).
INDEX_TIMEOUT_S = 60
ATTEMPTS = 2
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


class SearchIndexError(Exception):
    """Pagefind could not index the site; the build stops and the published site stays as it was."""


@dataclass(frozen=True)
class IndexReport:
    files_read: int
    pages: int
    seconds: float
    bytes: int


async def _index(site: Path) -> int:
    config = IndexConfig(output_path=str(site / BUNDLE_DIR))
    async with PagefindIndex(config=config) as index:  # writes the files as it closes
        response = await index.add_directory(str(site))
        if response.get("errors"):
            raise SearchIndexError("; ".join(str(e) for e in response["errors"]))
    return int(response["page_count"])


def index_site(site: Path) -> IndexReport:
    """Index `site`; a second try if Pagefind's files come out incomplete, which its service can leave behind
    when it is shut down right after it has answered (seen now and then on a loaded machine)."""
    started = time.perf_counter()
    for attempt in range(ATTEMPTS):
        pages = _run(site)
        try:
            indexed = _indexed_pages(site)
            break
        except (OSError, ValueError, KeyError, TypeError) as error:
            if attempt == ATTEMPTS - 1:
                raise SearchIndexError(f"Pagefinds filer blev ofullständiga ({error})") from error
    for unused in UNUSED_BUNDLE_FILES:
        (site / BUNDLE_DIR / unused).unlink(missing_ok=True)
    size = sum(f.stat().st_size for f in (site / BUNDLE_DIR).rglob("*") if f.is_file())
    return IndexReport(pages, indexed, time.perf_counter() - started, size)


def _run(site: Path) -> int:
    try:
        # In a thread of its own: Pagefind's API is asynchronous, and the caller may already run an event loop.
        with ThreadPoolExecutor(max_workers=1) as executor:
            # With a time limit: Pagefind's Python service waits forever for a reply from a binary that has died.
            return executor.submit(asyncio.run, asyncio.wait_for(_index(site), _timeout())).result()
    except SearchIndexError:
        raise
    except TimeoutError as error:
        raise SearchIndexError(f"Pagefind svarade inte inom {_timeout():g} s") from error
    except Exception as error:  # Pagefind runs as a subprocess: any failure in it or its pipe ends the build.
        raise SearchIndexError(f"{type(error).__name__}: {error}") from error


def _timeout() -> float:
    return float(os.environ.get("MEDBORGARLOFTE_PAGEFIND_TIMEOUT") or INDEX_TIMEOUT_S)


def _indexed_pages(site: Path) -> int:
    """Pages in the index: those marked `data-pagefind-body`, out of every HTML file Pagefind read."""
    entry = json.loads((site / BUNDLE_DIR / "pagefind-entry.json").read_text(encoding="utf-8"))
    return sum(language["page_count"] for language in entry["languages"].values())
