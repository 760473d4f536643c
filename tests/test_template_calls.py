"""Calls from templates: the short path for plain callables behaves as Jinja's own."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import jinja2

from sitegen.render import make_environment


class _Helpers:
    """Methods of every kind a site's helpers may be: plain, and marked for Jinja."""

    def plain(self, value: Any, **kwargs: Any) -> str:
        return f"plain {value} {sorted(kwargs)}"

    @jinja2.pass_context
    def with_context(self, context: jinja2.runtime.Context, value: Any) -> str:
        return f"context {value} {context['name']}"


@jinja2.pass_context
def function_with_context(context: jinja2.runtime.Context, value: Any) -> str:
    return f"function {value} {context['name']}"


@jinja2.pass_environment
def function_with_environment(environment: jinja2.Environment, value: Any) -> str:
    return f"environment {value} {type(environment).__name__}"


def _render(tmp_path: Path, source: str, jinja_context: bool = False) -> str:
    """``source`` rendered by the site's environment, or with Jinja's own context class
    (the reference) where ``jinja_context`` is set."""
    (tmp_path / "templates").mkdir(exist_ok=True)
    (tmp_path / "templates" / "page.html").write_text(source, encoding="utf-8")
    env = make_environment(tmp_path)
    if jinja_context:
        env.context_class = jinja2.runtime.Context
    helpers = _Helpers()
    env.globals.update(
        plain=helpers.plain, with_context=helpers.with_context,
        function_with_context=function_with_context,
        function_with_environment=function_with_environment,
        partial=functools.partial(helpers.plain, "bound"),
        builtin=len, lambda_=lambda v: f"lambda {v}",
    )
    return env.get_template("page.html").render(name="Hue")


def test_marked_callables_get_their_context_and_plain_ones_only_their_arguments(
        tmp_path: Path) -> None:
    # Inside a loop Jinja passes the variables set there along (as _loop_vars); a plain
    # callable must not see them, a context-taking one must see them in its context.
    source = ("{% block b %}{% for x in [1] %}{% set name = 'Binh Duong' %}"
              "{{ plain(1) }}|{{ with_context(2) }}|{{ function_with_context(3) }}|"
              "{{ function_with_environment(4) }}|{{ partial() }}|{{ builtin('abc') }}|"
              "{{ lambda_(6) }}|{{ cycler('a', 'b').next() }}"
              "{% endfor %}{% endblock %}")
    html = _render(tmp_path, source)
    assert html.split("|") == [
        "plain 1 []", "context 2 Binh Duong", "function 3 Binh Duong",
        "environment 4 Environment", "plain bound []", "3", "lambda 6", "a"]
    assert html == _render(tmp_path, source, jinja_context=True)
