"""Stage 5, export: each promise as an accessible PDF (PDF/UA-1), made by WeasyPrint from the model through its own
print template, not from a screenshot of the page.

PDFs are the slow part of a build, so a PDF is made only when its HTML, the print stylesheet or WeasyPrint changed (a
content-hash cache outside the site, in `.cache/pdf/`), and the rest are made in parallel on every core.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from importlib.metadata import version
from multiprocessing import get_context
from pathlib import Path

from medborgarlofte.build.interrupt import checkpoint
from medborgarlofte.content.model import Site
from medborgarlofte.outputs.progress import Progress
from medborgarlofte.outputs.render import Renderer


class PdfError(Exception):
    """WeasyPrint failed on one promise; the message names it."""


@dataclass(frozen=True)
class PdfJob:
    name: str  # the promise, as a reader of the error message knows it: "trollhattan/2021"
    path: str  # where the PDF goes in the site
    html: str


@dataclass(frozen=True)
class PdfReport:
    made: int
    cached: int


def _render(html: str, stylesheet: str) -> bytes:
    """In a worker process: WeasyPrint is imported only where PDFs are actually made (it takes a second)."""
    from weasyprint import CSS, HTML

    return HTML(string=html).write_pdf(stylesheets=[CSS(string=stylesheet)], pdf_variant="pdf/ua-1")


def _key(job: PdfJob, stylesheet: str) -> str:
    digest = hashlib.sha256()
    for part in (version("weasyprint"), stylesheet, job.html):
        digest.update(part.encode("utf-8"))
        digest.update(b"\0")
    return digest.hexdigest()


def _store(cache: Path, key: str, data: bytes) -> None:
    cache.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=cache, delete=False, suffix=".tmp") as handle:
        handle.write(data)
    os.replace(handle.name, cache / f"{key}.pdf")


def make_pdfs(jobs: list[PdfJob], stylesheet: str, cache: Path) -> tuple[dict[str, bytes], PdfReport]:
    """Every job's PDF by site path, from the cache where possible."""
    keys = {job.path: _key(job, stylesheet) for job in jobs}
    pdfs = {
        job.path: (cache / f"{keys[job.path]}.pdf").read_bytes()
        for job in jobs
        if (cache / f"{keys[job.path]}.pdf").is_file()
    }
    todo = [job for job in jobs if job.path not in pdfs]
    if todo:
        progress = Progress("PDF", len(todo))
        try:
            # Fresh worker processes: forking a process that runs other threads (a test's browser, a server) is unsafe.
            with ProcessPoolExecutor(
                max_workers=min(len(todo), os.cpu_count() or 1), mp_context=get_context("spawn")
            ) as pool:
                futures = {pool.submit(_render, job.html, stylesheet): job for job in todo}
                for future in as_completed(futures):
                    job = futures[future]
                    try:
                        pdfs[job.path] = future.result()
                    except Exception as error:
                        checkpoint()  # Ctrl+C in a terminal reaches the workers too: not a PDF that failed
                        raise PdfError(
                            f"PDF:en för {job.name} kunde inte skapas ({type(error).__name__}: {error})."
                        ) from error
                    _store(cache, keys[job.path], pdfs[job.path])
                    progress.advance()
                    checkpoint()
        finally:
            progress.close()
    return pdfs, PdfReport(made=len(todo), cached=len(jobs) - len(todo))


def pdf_jobs(site: Site, renderer: Renderer) -> list[PdfJob]:
    """The print template rendered for every promise; the HTML is also what the cache key is made of."""
    return [
        PdfJob(
            promise.path.rstrip("/"),
            promise.download_path("pdf"),
            renderer.render("pdf.html", promise.path, site=site, kommun=kommun, promise=promise),
        )
        for kommun in site.kommuner
        for promise in kommun.promises
    ]
