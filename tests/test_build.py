"""The build as a whole: what it writes, that it is atomic and reproducible, and that it works under a sub-path."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree

import jinja2
import pytest
from conftest import REPO

from medborgarlofte.build import pipeline
from medborgarlofte.build.fingerprint import inputs_digest
from medborgarlofte.outputs.render import CompiledTemplates, Renderer, compile_ahead
from medborgarlofte.outputs.urls import SiteUrls


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.urls.extend(value for name, value in attrs if name in ("href", "src") and value)


def links(html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    return parser.urls


def test_build_writes_every_page_of_the_shipped_content(shipped_site: Path) -> None:
    expected = {
        "index.html",
        "404.html",
        "sitemap.xml",
        "robots.txt",
        "static/style.css",
        "om/index.html",
        "tillganglighet/index.html",
        "sa-bedomer-vi/index.html",
        "trollhattan/index.html",
        "trollhattan/2021/index.html",
        "trollhattan/2025-2026/index.html",
        "stromstad/index.html",
        "stromstad/2023-2024/index.html",
        "vaggeryd/index.html",
        "vaggeryd/medborgarlofte/index.html",
        "ostersund/index.html",
        "ostersund/medborgarlofte/index.html",
    }
    assert expected <= set(tree(shipped_site))


def test_start_page_counts_published_kommuner(shipped_site: Path) -> None:
    html = (shipped_site / "index.html").read_text()
    assert "4 av 290 kommuner" in html
    assert html.index(">Strömstad<") < html.index(">Trollhättan<")


def test_failed_build_leaves_the_previous_site_exactly_as_it_was(cli, content: Path) -> None:
    out = content.parent / "_site"
    assert cli("build", "--content", content, "--out", out).code == 0
    before = tree(out)
    (content / "kommuner" / "trollhattan" / "kommun.yaml").write_text("namn: [oavslutad\n", encoding="utf-8")
    result = cli("build", "--content", content, "--out", out)
    assert result.code == 1
    assert "den tidigare webbplatsen är orörd" in result.err
    assert tree(out) == before
    assert sorted(p.name for p in content.parent.iterdir()) == ["_site", "innehall"]


def test_successful_rebuild_replaces_the_site_whole_and_leaves_no_staging_folders(cli, content: Path) -> None:
    out = content.parent / "_site"
    assert cli("build", "--content", content, "--out", out).code == 0
    (out / "stale.html").write_text("gammal", encoding="utf-8")
    promise = content / "kommuner" / "trollhattan" / "2021" / "medborgarlofte.md"
    promise.write_text(promise.read_text().replace("Arbeta mot narkotika.", "Arbeta hårt mot narkotika."))
    assert cli("build", "--content", content, "--out", out).code == 0
    assert not (out / "stale.html").exists()
    assert "Arbeta hårt mot narkotika." in (out / "trollhattan" / "2021" / "index.html").read_text()
    assert not list(content.parent.glob("._site.staging-*"))
    # The replaced site is deleted by a detached process after the build returns (slow disks): it goes soon.
    deadline = time.monotonic() + 30
    while sorted(p.name for p in content.parent.iterdir()) != ["_site", "innehall"]:
        assert time.monotonic() < deadline, sorted(p.name for p in content.parent.iterdir())
        time.sleep(0.05)


def test_a_build_removes_what_an_interrupted_build_left(cli, content: Path) -> None:
    out = content.parent / "_site"
    assert cli("build", "--no-pdf", "--content", content, "--out", out).code == 0
    for leftover in ("._site.staging-abc123", "._site.old-def456"):
        (content.parent / leftover / "site").mkdir(parents=True)
        (content.parent / leftover / "site" / "index.html").write_text("halvfärdig", encoding="utf-8")
    assert cli("build", "--no-pdf", "--content", content, "--out", out).code == 0
    deadline = time.monotonic() + 30
    while sorted(p.name for p in content.parent.iterdir()) != ["_site", "innehall"]:
        assert time.monotonic() < deadline, sorted(p.name for p in content.parent.iterdir())
        time.sleep(0.05)


def test_the_data_files_are_written_before_the_pages_are_made(cli, content: Path, monkeypatch) -> None:
    """While Pagefind indexes, not after the pages: written last, they kept the build waiting on one core."""
    written_before: list[set[str]] = []
    make_pages = pipeline.produce_into

    def produce_into(folder: Path, jobs, workers, meanwhile=None) -> None:
        written_before.append({p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()})
        make_pages(folder, jobs, workers, meanwhile)

    monkeypatch.setattr(pipeline, "produce_into", produce_into)
    out = content.parent / "_site"
    assert cli("build", "--no-pdf", "--content", content, "--out", out).code == 0
    search_documents, pages = written_before
    assert not any(path.endswith((".json", ".csv")) for path in search_documents)
    data = {path for path in tree(out) if path.endswith((".json", ".csv")) and not path.startswith("pagefind/")}
    assert {"data/medborgarloften.json", "trollhattan/2021/medborgarlofte-trollhattan-2021.csv"} <= data
    assert data <= pages
    assert not any(path.endswith("index.html") for path in pages if not path.startswith(pipeline.SEARCH_DOCUMENTS))


def test_two_builds_are_byte_identical(cli, content: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1735732800")
    first, second = content.parent / "a", content.parent / "b"
    assert cli("build", "--content", content, "--out", first).code == 0
    assert cli("build", "--content", content, "--out", second).code == 0
    published, again = tree(first), tree(second)
    assert any(path.startswith("pagefind/filter/") for path in published)
    assert published == again
    assert "uppdaterades 1 januari 2025" in (first / "index.html").read_text()


def test_two_builds_without_a_source_date_are_byte_identical_too(cli, content: Path) -> None:
    """Pagefind then reads the folder itself, in parallel: the same bytes on the same file system."""
    first, second = content.parent / "a", content.parent / "b"
    assert cli("build", "--no-pdf", "--content", content, "--out", first).code == 0
    assert cli("build", "--no-pdf", "--content", content, "--out", second).code == 0
    assert tree(first) == tree(second)


def without_search_index(files: dict[str, bytes]) -> dict[str, bytes]:
    return {path: data for path, data in files.items() if not path.startswith("pagefind/")}


def test_source_date_epoch_decides_the_derived_promise_state(cli, content: Path, monkeypatch) -> None:
    out = content.parent / "_site"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1625097600")  # 2021-07-01: the 2021 promise is in force
    assert cli("build", "--content", content, "--out", out).code == 0
    assert "<dd>Gällande</dd>" in (out / "trollhattan" / "2021" / "index.html").read_text()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1735732800")  # 2025-01-01: it has ended
    assert cli("build", "--content", content, "--out", out).code == 0
    assert "<dd>Avslutat</dd>" in (out / "trollhattan" / "2021" / "index.html").read_text()


def test_build_refuses_to_replace_a_folder_it_did_not_write(cli, content: Path) -> None:
    precious = content.parent / "dokument"
    precious.mkdir()
    (precious / "viktig.txt").write_text("rör inte", encoding="utf-8")
    result = cli("build", "--content", content, "--out", precious)
    assert result.code == 2
    assert "innehåller inte en webbplats byggd med medborgarlofte" in result.err
    assert tree(precious) == {"viktig.txt": "rör inte".encode()}


def test_every_link_and_asset_works_under_a_sub_path(cli, tmp_path: Path) -> None:
    out = tmp_path / "_site"
    base = "https://example.org/medborgarloften/"
    assert cli("build", "--content", REPO, "--out", out, "--base-url", base).code == 0
    checked = 0
    for page in out.rglob("*.html"):
        for url in links(page.read_text()):
            if url.startswith(("http://", "https://", "mailto:", "#")):
                continue
            assert url.startswith("/medborgarloften/"), f"{page}: {url}"
            target = out / url.removeprefix("/medborgarloften/").split("#")[0]
            assert target.is_file() or (target / "index.html").is_file(), f"{page}: {url} leder ingenstans"
            checked += 1
    assert checked > 100
    canonical = re.search(r'rel="canonical" href="([^"]+)"', (out / "stromstad" / "index.html").read_text())
    assert canonical and canonical[1] == base + "stromstad/"


def test_sitemap_and_robots_use_absolute_addresses_under_the_base_url(cli, tmp_path: Path) -> None:
    out = tmp_path / "_site"
    base = "https://example.org/medborgarloften/"
    assert cli("build", "--content", REPO, "--out", out, "--base-url", base).code == 0
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locations = [e.text for e in ElementTree.parse(out / "sitemap.xml").getroot().findall("s:url/s:loc", namespace)]
    assert base in locations
    assert base + "trollhattan/2021/" in locations
    # start, /sverige/ and /data/, content pages, kommuner, promises, the kommuner without content
    assert len(locations) == 1 + 2 + 3 + 4 + 5 + 286
    assert all(loc.startswith(base) for loc in locations)
    assert f"Sitemap: {base}sitemap.xml" in (out / "robots.txt").read_text()


def test_html_in_content_is_inert(cli, content: Path) -> None:
    promise = content / "kommuner" / "trollhattan" / "2021" / "medborgarlofte.md"
    text = promise.read_text()
    text = text.replace("rubrik: Medborgarlöfte i Trollhättan 2021", 'rubrik: "<script>alert(1)</script> Löfte"')
    text = text.replace("Bakgrund till löftet.", '<img src=x onerror="alert(2)">\n\n<script>alert(3)</script>')
    promise.write_text(text)
    out = content.parent / "_site"
    assert cli("build", "--content", content, "--out", out).code == 0
    html = (out / "trollhattan" / "2021" / "index.html").read_text()
    assert "<script" not in html
    assert "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Löfte" in html
    assert "&lt;img src=x onerror=" in html


def test_site_relative_markdown_links_get_the_base_path(cli, content: Path) -> None:
    out = content.parent / "_site"
    assert cli("build", "--content", content, "--out", out, "--base-url", "https://example.org/sub/").code == 0
    assert '<a href="/sub/">länk till start</a>' in (out / "om" / "index.html").read_text()


def test_build_without_content_folders_is_a_usage_error(cli, tmp_path: Path) -> None:
    result = cli("build", "--content", tmp_path)
    assert result.code == 2
    assert "innehåller varken kommuner/ eller content/" in result.err


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    """A copy of the demo content, whose commitments are rated (the minimal fixture's are not)."""
    content = tmp_path / "demo"
    shutil.copytree(REPO / "examples" / "demo", content, ignore=shutil.ignore_patterns(".cache", "_site"))
    return content


PARALLEL_BUILD = """
import sys
from medborgarlofte import cli
from medborgarlofte.build import parallel
from medborgarlofte.build import content
from medborgarlofte.outputs import render
render.PARALLEL_FROM = content.READ_IN_PARALLEL_FROM = 1  # this small site, read and rendered as a big one is
pools = []
original = parallel.multiprocessing.get_context
parallel.multiprocessing.get_context = lambda method: pools.append(method) or original(method)
# Every template is compiled once, by the build process, never by a worker: a worker that compiles one says so.
import os, jinja2
main, compile_template = os.getpid(), jinja2.Environment.compile
compiled = []
def compile_here(environment, source, name=None, *args, **kwargs):
    if os.getpid() != main:
        os.write(2, b"a template was compiled in a worker\\n")
        os._exit(98)
    compiled.append(name)
    return compile_template(environment, source, name, *args, **kwargs)
jinja2.Environment.compile = compile_here
from medborgarlofte.search import index
mapping, finished = [], []
map_work, finish = parallel.Workers.map, index.Indexing.finish
def map_noted(self, *args, **kwargs):
    mapping.append(len(mapping))
    try:
        return map_work(self, *args, **kwargs)
    finally:
        mapping.pop()
def finish_noted(self):
    if self.report is None:
        finished.append(bool(mapping))
    finish(self)
parallel.Workers.map, index.Indexing.finish = map_noted, finish_noted
code = cli.main(sys.argv[1:])
# Compiled while the kommun folders were read, and not again for the site's address once it was known.
if sorted(compiled) != sorted(set(compiled)) or "lofte.html" not in compiled:
    sys.exit(97)
# The search index (in order: the test sets SOURCE_DATE_EPOCH) was finished while the workers made the pages.
if finished != [True]:
    sys.exit(96)
# Reading, rendering the search documents, then the pages and the feeds while the search index is made.
sys.exit(code if pools == ["fork", "fork", "fork"] else 99)
"""


@pytest.mark.posix
def test_a_site_read_and_rendered_in_parallel_is_the_site_made_in_one_process(
    cli, demo: Path, tmp_path: Path, monkeypatch
) -> None:
    """In a process of its own: the workers are forked, which happens only where no other thread runs. Kommuner read
    in workers come back to this process as copies, so this also shows, on the demo's rated commitments, that nothing
    depends on objects being the same ones (a status compared with `is`)."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1735732800")
    serial, parallel = tmp_path / "serial", tmp_path / "parallel"
    assert cli("build", "--no-pdf", "--content", demo, "--out", serial).code == 0
    command = [sys.executable, "-c", PARALLEL_BUILD, "build", "--no-pdf", "--content", str(demo), "--out"]
    result = subprocess.run([*command, str(parallel)], capture_output=True, text=True, cwd=REPO, timeout=120)
    assert result.returncode == 0, (result.returncode, result.stderr)
    assert without_search_index(tree(serial)) == without_search_index(tree(parallel))


def test_templates_compiled_ahead_are_loaded_not_compiled_again(tmp_path: Path, monkeypatch) -> None:
    """A build compiles the theme before it knows the site's address; its Renderer then compiles only a template
    edited since, and a template with an error is left to that Renderer to report."""
    theme = tmp_path / "theme"
    shutil.copytree(REPO / "theme" / "templates", theme)
    (theme / "konstant.html").write_text('{{ "[Om webbplatsen](/om/)"|markdown }}', encoding="utf-8")
    compiled = CompiledTemplates()
    compile_ahead(theme, compiled)
    compiles: list[str] = []
    compile_template = jinja2.Environment.compile

    def counted(environment, source, name=None, *args, **kwargs):
        compiles.append(name)
        return compile_template(environment, source, name, *args, **kwargs)

    monkeypatch.setattr(jinja2.Environment, "compile", counted)
    urls = SiteUrls("https://example.org/medborgarloften/")
    renderer = Renderer(theme, urls, compiled)
    renderer.compile_templates()
    assert compiles == []
    # Compiled for no address in particular, a link in a constant text still gets the site's address.
    assert 'href="/medborgarloften/om/"' in renderer.env.get_template("konstant.html").render()
    (theme / "404.html").write_text((theme / "404.html").read_text() + "{# ändrad #}\n", encoding="utf-8")
    Renderer(theme, urls, compiled).compile_templates()
    assert compiles == ["404.html"]
    (theme / "page.html").write_text("{% if %}", encoding="utf-8")
    compile_ahead(theme, CompiledTemplates())
    with pytest.raises(jinja2.TemplateSyntaxError):
        Renderer(theme, urls, CompiledTemplates()).compile_templates()


def mtimes(root: Path) -> dict[str, int]:
    return {p.relative_to(root).as_posix(): p.stat().st_mtime_ns for p in root.rglob("*") if p.is_file()}


def test_a_build_with_nothing_changed_leaves_the_site_as_it_is_and_repeats_the_warnings(cli, content: Path) -> None:
    out = content.parent / "_site"
    (content / "kommuner" / "trollhattan" / "2021" / "uppfoljningar").mkdir()
    (content / "kommuner" / "trollhattan" / "2021" / "uppfoljningar" / "anteckning.txt").write_text("x")
    first = cli("build", "--no-pdf", "--content", content, "--out", out)
    assert first.code == 0 and "Byggde 1 kommuner" in first.out
    before = mtimes(out)
    again = cli("build", "--no-pdf", "--content", content, "--out", out)
    assert again.code == 0
    assert "Inget har ändrats sedan förra bygget" in again.out and "Byggde" not in again.out
    assert "uppfoljningar/anteckning.txt:1:1: varning: Filen läses inte" in again.err
    assert again.err == first.err
    assert mtimes(out) == before


def _edit_promise(content: Path, out: Path) -> list[str]:
    promise = content / "kommuner" / "trollhattan" / "2021" / "medborgarlofte.md"
    promise.write_text(promise.read_text().replace("Arbeta mot narkotika.", "Arbeta hårt mot narkotika."))
    return []


def _edit_theme(content: Path, out: Path) -> list[str]:
    theme = content / "theme"
    shutil.copytree(REPO / "theme", theme)
    (theme / "static" / "style.css").write_text("body { color: black; }\n")
    return []


def _delete_a_page(content: Path, out: Path) -> list[str]:
    (out / "trollhattan" / "2021" / "index.html").unlink()
    return []


def _another_base_url(content: Path, out: Path) -> list[str]:
    return ["--base-url", "https://example.org/annan/"]


def _force(content: Path, out: Path) -> list[str]:
    return ["--force"]


@pytest.mark.parametrize(
    "change", [_edit_promise, _edit_theme, _delete_a_page, _another_base_url, _force], ids=lambda f: f.__name__[1:]
)
def test_a_build_after_a_change_builds_again(cli, content: Path, change) -> None:
    out = content.parent / "_site"
    assert cli("build", "--no-pdf", "--content", content, "--out", out).code == 0
    extra = change(content, out)
    again = cli("build", "--no-pdf", "--content", content, "--out", out, *extra)
    assert again.code == 0
    assert "Byggde 1 kommuner" in again.out and "Inget har ändrats" not in again.out
    assert (out / "trollhattan" / "2021" / "index.html").is_file()


def test_a_new_build_date_or_another_output_folder_builds_again(cli, content: Path, monkeypatch) -> None:
    out = content.parent / "_site"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1625097600")
    assert cli("build", "--no-pdf", "--content", content, "--out", out).code == 0
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1735732800")
    assert "Byggde" in cli("build", "--no-pdf", "--content", content, "--out", out).out
    assert "Byggde" in cli("build", "--no-pdf", "--content", content, "--out", content.parent / "annan").out
    assert "Inget har ändrats" in cli("build", "--no-pdf", "--content", content, "--out", out).out


WORKER_SIGNALS = """
import signal
from medborgarlofte.build import interrupt
from medborgarlofte.build.parallel import Workers
from medborgarlofte.outputs import render
render.PARALLEL_FROM = 1
jobs = {"a": lambda: repr((signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)))}
with interrupt.stop_at_checkpoints():  # as main() runs a build
    print(render.produce(jobs, Workers())["a"].decode())
"""


@pytest.mark.posix
def test_render_workers_die_on_sigterm_and_leave_ctrl_c_to_the_build() -> None:
    """A worker that inherited the build's SIGTERM handler could swallow the pool's SIGTERM and hang the build."""
    result = subprocess.run(
        [sys.executable, "-c", WORKER_SIGNALS], capture_output=True, text=True, cwd=REPO, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "(<Handlers.SIG_DFL: 0>, <Handlers.SIG_IGN: 1>)"


WORKER_DIES = """
import os, signal, sys
from medborgarlofte import cli
from medborgarlofte.outputs import render
render.PARALLEL_FROM = 1  # the demo's pages, rendered in workers as a big site's are
make = render._make
def dying(job):
    if job[0].endswith("feed.xml"):
        os.kill(os.getpid(), signal.SIGKILL)  # as the kernel ends a process that takes too much memory
    return make(job)
render._make = dying
sys.exit(cli.main(sys.argv[1:]))
"""


@pytest.mark.posix
def test_a_worker_that_dies_fails_the_build_in_swedish_instead_of_hanging(demo: Path, tmp_path: Path) -> None:
    """multiprocessing.Pool waits for ever for the part a killed worker had; the build must end, and say why."""
    out = tmp_path / "_site"
    command = [sys.executable, "-c", WORKER_DIES, "build", "--no-pdf", "--content", str(demo), "--out", str(out)]
    result = subprocess.run(command, capture_output=True, text=True, cwd=REPO, timeout=120)
    assert result.returncode == 1, (result.returncode, result.stderr)
    assert "fel: en arbetsprocess avslutades oväntat" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    assert not out.exists() and sorted(p.name for p in tmp_path.iterdir()) == ["demo"], "something was written"


GROUP_STOPPED = """
import sys, time
from medborgarlofte import cli
from medborgarlofte.outputs import render
render.PARALLEL_FROM = 1
make = render._make
def slow(job):
    time.sleep(0.5)  # long enough for the test to stop the build while the workers render
    return make(job)
render._make = slow
print("start", flush=True)
sys.exit(cli.main(sys.argv[1:]))
"""


@pytest.mark.posix
def test_sigterm_to_the_whole_process_group_stops_a_build_with_workers(demo: Path, tmp_path: Path) -> None:
    """As a CI runner or `kill -TERM -- -pgid` stops a job: the workers get the signal too, and die at once."""
    out = tmp_path / "_site"
    command = [sys.executable, "-c", GROUP_STOPPED, "build", "--no-pdf", "--content", str(demo), "--out", str(out)]
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPO, start_new_session=True
    )
    try:
        assert process.stdout is not None and process.stdout.readline().strip() == "start"
        time.sleep(1.5)  # reading the demo takes a fraction of a second; then each page takes half a second
        os.killpg(process.pid, signal.SIGTERM)
        _, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
    assert process.returncode == 143, (process.returncode, err)
    assert "Traceback" not in err, err
    assert not out.exists() and sorted(p.name for p in tmp_path.iterdir()) == ["demo"], "something was left"


def test_the_inputs_digest_sees_every_kind_of_change_to_the_content_tree(tmp_path: Path) -> None:
    """What decides "nothing changed": a new, renamed or touched file, or a link pointing elsewhere, is a change;
    Python's caches are not."""
    root, theme = tmp_path / "innehall", tmp_path / "tema"
    folder = root / "kommuner" / "by" / "2025"
    folder.mkdir(parents=True)
    theme.mkdir()
    (folder / "medborgarlofte.md").write_text("a")
    (root / "kommuner" / "by" / "bilaga.pdf").symlink_to(folder / "medborgarlofte.md")
    seen = {inputs_digest(root, theme, {})}

    def changed() -> bool:
        digest = inputs_digest(root, theme, {})
        new = digest not in seen
        seen.add(digest)
        return new

    assert not changed()
    (folder / "__pycache__").mkdir()
    (folder / "__pycache__" / "x.pyc").write_text("cache")
    assert not changed()
    (folder / "uppfoljning.md").write_text("b")
    assert changed()
    (folder / "uppfoljning.md").rename(folder / "uppfoljning-2.md")
    assert changed()
    os.utime(folder / "uppfoljning-2.md", ns=(0, 0))
    assert changed()
    (root / "kommuner" / "by" / "bilaga.pdf").unlink()
    (root / "kommuner" / "by" / "bilaga.pdf").symlink_to(folder / "uppfoljning-2.md")
    assert changed()
    (theme / "style.css").write_text("body {}")
    assert changed()
    assert inputs_digest(root, theme, {"base_url": "https://example.org/"}) not in seen


def test_a_kommun_without_organisation_is_named_by_its_official_name(cli, content: Path, tmp_path: Path) -> None:
    """Without `organisation` the pages say who promises with SCB's name ("Åre kommun"), not the bare place name,
    which is also the police area's ("Åre och lokalpolisområde Åre")."""
    are = content / "kommuner" / "are"
    shutil.copytree(content / "kommuner" / "trollhattan" / "2021", are / "2021")
    (are / "kommun.yaml").write_text('namn: Åre\nkommunkod: "2321"\nlokalpolisområde: Åre\n', encoding="utf-8")
    out = tmp_path / "ut"
    assert cli("build", "--no-pdf", "--content", content, "--out", out).code == 0
    kommun = (out / "are" / "index.html").read_text(encoding="utf-8")
    promise = (out / "are" / "2021" / "index.html").read_text(encoding="utf-8")
    feed = (out / "are" / "feed.xml").read_text(encoding="utf-8")
    assert '<p class="byline">Åre kommun och lokalpolisområde Åre · Period: 2021 · Avslutat</p>' in kommun
    assert "<dt>Kommun:</dt> <dd>Åre kommun</dd>" in kommun
    assert "<dt>Län:</dt> <dd>Jämtlands län</dd>" in kommun
    assert '<p class="byline">Åre kommun och lokalpolisområde Åre · Period: 2021 · Avslutat</p>' in promise
    assert "åtaganden från Åre kommun och lokalpolisområde Åre" in feed
    assert "Åre och lokalpolisområde" not in kommun + promise + feed
    trollhattan = (out / "trollhattan" / "index.html").read_text(encoding="utf-8")
    assert '<p class="byline">Trollhättans Stad och lokalpolisområde Östra Fyrbodal · Period: ' in trollhattan
