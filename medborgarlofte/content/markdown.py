"""Markdown for communicator-written text: CommonMark with raw HTML off and only safe link targets.

Content comes from many hands (and possibly a compromised account), so HTML in Markdown is shown as text, links may
only go to web, e-mail or telephone addresses or within the site, and images must be files of the site itself (an
image from another host would be a request to that host).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import OptionsDict

# Every CommonMark link or image has one of these: `](`, a reference definition `]:`, or an autolink `<…>`.
_LINK_SYNTAX = re.compile(r"\]\(|\]:|<")
SAFE_LINK_SCHEMES = frozenset({"http", "https", "mailto", "tel"})


def is_safe_link(url: str) -> bool:
    """A web, e-mail or telephone address, or a link within the site; never `javascript:`, `data:` and the like."""
    try:
        scheme = urlsplit(url.strip()).scheme.lower()
    except ValueError:
        return False
    return scheme in SAFE_LINK_SCHEMES or scheme == ""


def is_local_image(url: str) -> bool:
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return False
    return not parts.scheme and not parts.netloc


@dataclass(frozen=True)
class LinkProblem:
    line: int
    message: str
    hint: str


def _parser(validate: bool) -> MarkdownIt:
    parser = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    parser.validateLink = is_safe_link if validate else (lambda url: True)
    return parser


_DETECTOR = _parser(validate=False)


def find_link_problems(text: str) -> list[LinkProblem]:
    """Unsafe links and external images, with the line (1-based, within `text`) of the block they are in."""
    if not _LINK_SYNTAX.search(text):  # most texts have no link at all: skip parsing them
        return []
    problems = []
    for block in _DETECTOR.parse(text):
        line = block.map[0] + 1 if block.map else 1
        for token in block.children or []:
            problems.extend(_token_problems(token, line))
            if token.type in ("softbreak", "hardbreak"):
                line += 1
    return problems


def _token_problems(token: Token, line: int) -> list[LinkProblem]:
    if token.type == "link_open" and not is_safe_link(str(token.attrGet("href") or "")):
        return [
            LinkProblem(
                line,
                f"Länken `{token.attrGet('href')}` är inte tillåten.",
                "Länka bara till webbadresser (https://…), e-postadresser (mailto:…) eller sidor på webbplatsen.",
            )
        ]
    if token.type == "image" and not is_local_image(str(token.attrGet("src") or "")):
        return [
            LinkProblem(
                line,
                f"Bilden `{token.attrGet('src')}` ligger på en annan webbplats.",
                "Lägg bildfilen i innehållsmappen och länka till den; webbplatsen hämtar inget från andra värdar.",
            )
        ]
    return []


class MarkdownRenderer:
    """Renders Markdown to HTML, prefixing site-relative links with the base path the site is published under."""

    def __init__(self, base_path: str) -> None:
        self.parser = _parser(validate=True)
        self.rendered: dict[tuple[str, int], str] = {}
        self.parser.add_render_rule("link_open", _prefixed_link(base_path))
        self.parser.add_render_rule("heading_open", _shifted_heading)
        self.parser.add_render_rule("heading_close", _shifted_heading)

    def render(self, text: str, shift: int = 0) -> str:
        """Render `text`, moving its headings `shift` levels down (## becomes h3 with shift 1).

        Remembered: the same comment or summary appears on a promise page, its kommun page and in two feeds."""
        key = (text, shift)
        if key not in self.rendered:
            self.rendered[key] = self.parser.render(text, {"shift": shift})
        return self.rendered[key]


def _prefixed_link(base_path: str) -> Callable[..., str]:
    def rule(renderer: RendererHTML, tokens: list[Token], index: int, options: OptionsDict, env: dict) -> str:
        href = str(tokens[index].attrGet("href") or "")
        if href.startswith("/") and not href.startswith("//"):
            tokens[index].attrSet("href", base_path + href.lstrip("/"))
        return renderer.renderToken(tokens, index, options, env)

    return rule


def _shifted_heading(renderer: RendererHTML, tokens: list[Token], index: int, options: OptionsDict, env: dict) -> str:
    """Keep the page's heading order: the page owns the only h1, and text inside a section starts below it."""
    level = int(tokens[index].tag[1])
    tokens[index].tag = f"h{min(6, max(level, 2) + env['shift'])}"
    return renderer.renderToken(tokens, index, options, env)
