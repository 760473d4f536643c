"""Markdown from content, rendered safely.

Python-Markdown passes raw HTML through, so its output is cleaned by nh3 (the Ammonia
sanitiser) against an allow-list: no script, style, event handler, image or non-http(s)
link from content can reach a page. Anything not on the list is dropped or escaped.
"""

from __future__ import annotations

from functools import lru_cache

import markdown
import nh3
from markupsafe import Markup

ALLOWED_TAGS = {
    "p", "br", "em", "strong", "b", "i", "code", "a", "ul", "ol", "li", "blockquote",
    "abbr", "sub", "sup", "q", "s",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}}
URL_SCHEMES = {"http", "https", "mailto"}


@lru_cache(maxsize=4096)
def render(text: str) -> Markup:
    """Markdown to sanitised HTML (block level: paragraphs, lists)."""
    html = markdown.markdown(text, extensions=["sane_lists"], output_format="html")
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=None,
        strip_comments=True,
    )
    return Markup(clean)


def render_inline(text: str) -> Markup:
    """Markdown for use inside a sentence or list item: a lone paragraph loses its <p>."""
    html = str(render(text)).strip()
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        html = html[3:-4]
    return Markup(html)
