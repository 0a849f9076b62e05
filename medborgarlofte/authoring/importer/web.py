"""A saved web page as lines of text, with html5lib, the HTML parser the project already trusts.

A web page has no line breaks of its own: each block (paragraph, heading, list item, table row) becomes a line, a
blank line ends each paragraph and heading, and list items start with a bullet, so that the page reads like the
text of a printed document. Scripts, styles, menus and footers are not text of the promise.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import html5lib

SKIPPED = {"script", "style", "noscript", "template", "nav", "header", "footer", "svg", "form", "button", "head"}
PARAGRAPHS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "table", "blockquote", "pre", "section", "article"}
BLOCKS = PARAGRAPHS | {"div", "li", "tr", "dt", "dd", "br", "main", "body"}
CELLS = {"td", "th"}


class _Lines:
    def __init__(self) -> None:
        self.lines: list[str] = []
        self.current = ""

    def flush(self, blank: bool = False) -> None:
        text = re.sub(r"[ \t\r\n\f]+", " ", self.current).strip()
        if text:
            self.lines.append(text)
        if blank and self.lines and self.lines[-1]:
            self.lines.append("")
        self.current = ""

    def walk(self, element: ET.Element) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag in SKIPPED:
            self.current += " "
            return
        if tag in BLOCKS:
            self.flush()
        if tag == "li":
            self.current = "• "
        if tag in CELLS and self.current.strip():
            self.current += "    "  # the cells of a row side by side, as columns
        self.current += element.text or ""
        for child in element:
            self.walk(child)
            self.current += child.tail or ""
        if tag in BLOCKS:
            self.flush(blank=tag in PARAGRAPHS)


def html_lines(markup: str) -> tuple[str | None, list[str]]:
    """The page's title and its text as lines, from its `<main>` (or `<article>`) where it has one."""
    tree = html5lib.parse(markup, namespaceHTMLElements=False)
    title = tree.find(".//title")
    found = (tree.find(f".//{tag}") for tag in ("main", "article", "body"))
    body = next((element for element in found if element is not None), tree)
    lines = _Lines()
    lines.walk(body)
    lines.flush()
    return (title.text.strip() if title is not None and title.text else None), lines.lines
