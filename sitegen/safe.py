"""Markup made without markupsafe's per-call checks, for the pieces pages repeat.

``Markup(text)`` asks every value for ``__html__``: for a plain ``str`` that lookup fails,
and a failed lookup raises and catches an AttributeError, which costs three times what
making the string does. ``Markup + text`` escapes through the same path and makes a
Markup twice more. A fact sheet builds some two thousand small pieces of markup, so the
helpers that build them use these instead: the same values (checked against markupsafe's
own by tests/test_markup.py), made in one step.
"""

from __future__ import annotations

from typing import Any

import markupsafe
from markupsafe import Markup

try:  # the C (or pure Python) escaper behind markupsafe.escape, in markupsafe 2.1 to 3
    from markupsafe import _escape_inner
except ImportError:  # pragma: no cover - another markupsafe: its escape does the work
    def _escape_inner(text: str, /) -> str:
        return str.__str__(markupsafe.escape(text))

_new = str.__new__


def trusted(html: str) -> Markup:
    """``Markup(html)`` for text that is HTML already (built from escaped pieces)."""
    return _new(Markup, html)


def escape(value: Any) -> Markup:
    """``markupsafe.escape(value)``: text escaped, markup given back as it is."""
    kind = type(value)
    if kind is str:
        return _new(Markup, _escape_inner(value))
    if kind is Markup:
        return value
    return markupsafe.escape(value)

