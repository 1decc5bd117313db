"""HTML to plain text that keeps an article's shape, with the standard library only.

Retrieval and drafting quote passages, so the text must read like the page:
headings and paragraphs on lines of their own, list items as `- item`, no
markup, scripts or navigation. Help-centre HTML (a Zendesk Guide body, a saved
page) is simple enough that `html.parser` does this without a dependency.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

_BLOCKS = frozenset(
    {"address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "figcaption",
     "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li",
     "main", "ol", "p", "pre", "section", "table", "tbody", "td", "th", "thead", "tr", "ul"}
)  # fmt: skip
_SKIPPED = frozenset({"script", "style", "noscript", "template", "nav", "head", "svg"})
_SPACES = re.compile(r"\s+")


@dataclass
class HtmlPage:
    """What an HTML file says about itself: title, text and `<meta>` values."""

    text: str
    title: str = ""
    first_heading: str = ""
    language: str = ""
    meta: dict[str, str] = field(default_factory=dict)


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = HtmlPage("")
        self.blocks: list[tuple[str, str]] = []  # (kind, text): kind "li" or "block"
        self.words: list[str] = []
        self.list_depth = 0  # open <li>: a paragraph inside one is still a list item
        self.skip_depth = 0
        self.in_title = False
        self.in_h1 = False
        self.title_parts: list[str] = []
        self.h1_parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "html" and values.get("lang"):
            self.page.language = values["lang"]
        elif tag == "meta" and values.get("name") and "content" in values:
            self.page.meta[values["name"].strip().lower()] = values["content"].strip()
        elif tag == "title":
            self.in_title = True
        if tag in _SKIPPED:
            self.skip_depth += 1
        elif tag in _BLOCKS:
            self._flush()
            self.list_depth += tag == "li"
            self.in_h1 = tag == "h1" and not self.page.first_heading

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self.in_title = False
        if tag in _SKIPPED:
            self.skip_depth = max(0, self.skip_depth - 1)
        elif tag in _BLOCKS:
            self._flush()
            if tag == "li":
                self.list_depth = max(0, self.list_depth - 1)
            if tag == "h1" and self.in_h1:
                self.page.first_heading = _squash(" ".join(self.h1_parts))
                self.in_h1 = False

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title_parts.append(data)
            return
        if self.skip_depth:
            return
        self.words.append(data)
        if self.in_h1:
            self.h1_parts.append(data)

    def _flush(self) -> None:
        text = _squash("".join(self.words))
        self.words = []
        if text:
            kind = "li" if self.list_depth else "block"
            self.blocks.append((kind, f"- {text}" if kind == "li" else text))

    def result(self) -> HtmlPage:
        self._flush()
        if self.in_h1 and self.h1_parts:  # an h1 the document never closed
            self.page.first_heading = _squash(" ".join(self.h1_parts))
        self.page.title = _squash(" ".join(self.title_parts))
        lines: list[str] = []
        previous = ""
        for kind, text in self.blocks:
            if lines and not (kind == "li" and previous == "li"):
                lines.append("")  # a blank line between blocks, none inside a list
            lines.append(text)
            previous = kind
        self.page.text = "\n".join(lines)
        return self.page


def _squash(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def read_html(html: str) -> HtmlPage:
    """Parse a whole page or a fragment (a Zendesk article body) into an `HtmlPage`."""
    parser = _Parser()
    parser.feed(html)
    parser.close()
    return parser.result()


def html_to_text(html: str) -> str:
    """Plain text of an HTML fragment, blocks separated by blank lines."""
    return read_html(html).text
