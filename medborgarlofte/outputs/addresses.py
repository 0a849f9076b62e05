"""Every address the site has, declared once: the outputs at the site's top, and what each kommun folder and each
promise folder holds. The sitemap, "Alla sidor" on the search page, the names a kommun or page may not take, and
what a change in `serve` makes again are all read from here, so a new output is added in this module and in the
stage that makes it.
"""

from __future__ import annotations

from dataclasses import dataclass

OVERVIEW_PATH = "sverige/"
DATA_DIR = "data/"
SEARCH_PATH = "sok/"
FINDER_FILE = "hitta-kommun.json"
STATIC_DIR = "static"
BUNDLE_DIR = "pagefind"


@dataclass(frozen=True)
class TopOutput:
    """A file or folder at the site's top."""

    path: str  # within the site; a folder ends with "/"
    template: str | None = None  # the theme's template a page is rendered with; None for a file made otherwise
    title: str | None = None  # its name in "Alla sidor" and the sitemap; None for what is not a page of its own
    every_kommun: bool = False  # it shows every kommun, so a change to any of them makes it again (`serve`)

    @property
    def address(self) -> str:
        return self.path.removesuffix("index.html")


TOP_OUTPUTS = (
    TopOutput("index.html", "index.html", "Startsidan", every_kommun=True),
    TopOutput(OVERVIEW_PATH + "index.html", "sverige.html", "Alla kommuner, län för län och på karta", True),
    TopOutput(DATA_DIR + "index.html", "data.html", "Öppna data", every_kommun=True),
    TopOutput(SEARCH_PATH + "index.html", "sok.html", every_kommun=True),
    TopOutput("404.html", "404.html", every_kommun=True),
    TopOutput("feed.xml", every_kommun=True),
    TopOutput(DATA_DIR),
    TopOutput("sitemap.xml"),
    TopOutput("robots.txt"),
    TopOutput(FINDER_FILE),
    TopOutput(STATIC_DIR + "/"),
    TopOutput(BUNDLE_DIR + "/"),
)
LISTED_PAGES = tuple(output for output in TOP_OUTPUTS if output.title)
EVERY_KOMMUN = frozenset(output.path for output in TOP_OUTPUTS if output.every_kommun)
# A kommun folder or a content page may not take a name the site's top already uses, with or without ".html".
_TOP_NAMES = {output.path.split("/")[0] for output in TOP_OUTPUTS}
RESERVED_SLUGS = frozenset(_TOP_NAMES | {name.removesuffix(".html") for name in _TOP_NAMES})

# What each kommun folder holds besides its promises' folders.
KOMMUN_PAGE = "index.html"
KOMMUN_FEED = "feed.xml"
# The promise files the build makes in a promise's folder beside its page, by extension, with their formats.
GENERATED_FORMATS = {"pdf": "PDF", "json": "JSON", "csv": "CSV"}


def download_name(kommun_slug: str, promise_slug: str, extension: str) -> str:
    """A name that still says what the file is once saved: `medborgarlofte-stromstad-2023-2024.pdf`."""
    return f"medborgarlofte-{kommun_slug}-{promise_slug}.{extension}"


def promise_outputs(kommun_slug: str, promise_slug: str) -> set[str]:
    """Names in a promise's folder of the site that the build writes itself; an attachment may not take one."""
    return {"index.html", *(download_name(kommun_slug, promise_slug, ext) for ext in GENERATED_FORMATS)}
