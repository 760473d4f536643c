"""Markdown from content, rendered safely.

Python-Markdown passes raw HTML through, so its output is cleaned by nh3 (the Ammonia
sanitiser) against an allow-list: no script, style, event handler, image or non-http(s)
link from content can reach a page. Anything not on the list is dropped or escaped.
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache
from typing import TYPE_CHECKING

import nh3
from markupsafe import Markup

from sitegen.safe import trusted

if TYPE_CHECKING:
    import markdown

ALLOWED_TAGS = {
    "p", "br", "em", "strong", "b", "i", "code", "a", "ul", "ol", "li", "blockquote",
    "abbr", "sub", "sup", "q", "s",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}}
URL_SCHEMES = {"http", "https", "mailto"}


_local = threading.local()


def _converter() -> markdown.Markdown:
    """One converter per thread, reset between texts: building a converter (its parser,
    patterns and extensions) costs more than converting a typical fact's text. The
    extension is given as an object: by its name, Markdown looks it up among every
    installed package's entry points, which takes longer than a small site's pages."""
    converter = getattr(_local, "converter", None)
    if converter is None:
        # Imported here, by the first text that needs the parser: where worker processes
        # render, each imports it alongside the other, not the main process before them.
        import markdown
        from markdown.extensions.sane_lists import SaneListExtension

        converter = _local.converter = markdown.Markdown(
            extensions=[SaneListExtension()], output_format="html")
    return converter


# Text that Markdown and the sanitiser leave exactly as it is, inside one paragraph: one
# line, no leading or trailing space, no other white space than spaces, no character with
# a meaning in Markdown's inline syntax or in HTML (nor the NO-BREAK SPACE the sanitiser
# writes as &nbsp;), and no first character that could start a heading, list, quote or
# rule. Most fact texts are such plain sentences; they skip the parser, which costs more
# than the rest of their page's work. tests/test_markup.py checks that both ways give
# the same HTML for any text.
_INERT = re.compile(r"[^\s\x00-\x1f\x7f\\`*_\[\]<>&#+\-=0-9!|~{}:]"
                    r"(?:[^\s\x00-\x1f\x7f\\`*_\[\]<>&|~{}]| (?! ))*"
                    r"(?<! )")


def is_inert(text: str) -> bool:
    """Whether ``text`` renders as itself in a paragraph (see _INERT)."""
    return _INERT.fullmatch(text) is not None


@lru_cache(maxsize=4096)
def render(text: str) -> Markup:
    """Markdown to sanitised HTML (block level: paragraphs, lists)."""
    if is_inert(text):
        return trusted(f"<p>{text}</p>")
    return convert(text)


def convert(text: str) -> Markup:
    """Markdown to sanitised HTML, by the parser and the sanitiser always."""
    html = _converter().reset().convert(text)
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=None,
        strip_comments=True,
    )
    return trusted(clean)


def render_inline(text: str) -> Markup:
    """Markdown for use inside a sentence or list item: a lone paragraph loses its <p>."""
    if is_inert(text):
        return trusted(text)
    html = str(render(text)).strip()
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        html = html[3:-4]
    return trusted(html)
