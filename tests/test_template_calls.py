"""Calls and attribute reads from templates: sitegen's shorter paths (its context class
and code generator) give exactly what Jinja's own code gives."""

from __future__ import annotations

import functools
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import jinja2
import jinja2.compiler
import pytest
from conftest import REPO, generated_site, run_cli, tree_digest

from sitegen import template_code
from sitegen.pagination import Pager
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


def _render(tmp_path: Path, source: str, jinja_context: bool = False,
            jinja_code: bool = False, **values: Any) -> str:
    """``source`` rendered by the site's environment, or with Jinja's own context class
    or code generator (the reference) where ``jinja_context`` or ``jinja_code`` is set."""
    (tmp_path / "templates").mkdir(exist_ok=True)
    (tmp_path / "templates" / "page.html").write_text(source, encoding="utf-8")
    (tmp_path / "templates" / "macros.html").write_text(
        "{% macro box(title, n=1) %}<b>{{ title }}{{ n }}{{ caller() if caller is defined }}</b>"
        "{% endmacro %}", encoding="utf-8")
    env = make_environment(tmp_path)
    if jinja_context:
        env.context_class = jinja2.runtime.Context
    if jinja_code:
        env.code_generator_class = jinja2.compiler.CodeGenerator
        env.bytecode_cache = None  # not the code compiled by sitegen's generator
    helpers = _Helpers()
    env.globals.update(
        plain=helpers.plain, with_context=helpers.with_context,
        function_with_context=function_with_context,
        function_with_environment=function_with_environment,
        partial=functools.partial(helpers.plain, "bound"),
        builtin=len, lambda_=lambda v: f"lambda {v}",
    )
    return env.get_template("page.html").render(name="Hue", **values)


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


class _Item:
    """An object with attributes and items, as content and helpers are."""

    title = "Hue"
    empty = None

    @property
    def me(self) -> _Item:
        return self

    def __getitem__(self, key: str) -> str:
        if key == "only_item":
            return "an item"
        raise KeyError(key)

    def method(self, *args: Any, **kwargs: Any) -> str:
        return f"method {args} {sorted(kwargs.items())}"

    def stops(self) -> str:
        raise StopIteration


# Each line one construct the compiled code treats differently from Jinja's.
CONSTRUCTS = [
    "{{ item.title }}|{{ item.empty }}|{{ item.only_item }}|{{ data.key }}|{{ data.items }}",
    "{{ item.method(1, 2, k=3) }}|{{ item.method(*[1], **{'k': 2}) }}|{{ item.method() }}",
    "{{ plain(plain(1, a=plain(2)), b=item.method(item.title)) }}",
    "{{ (item.method)(1) }}|{{ maker()(3) }}|{{ pager.links() }}|{{ pager.next }}",
    "{% import 'macros.html' as m %}{{ m.box('t', n=2) }}|{% call m.box('c') %}in"
    "{% endcall %}|{% set f = m.box %}{{ f('x') }}",
    "{% for x in [1, 2] %}{% set name = x %}{{ with_context(x) }}{{ loop.cycle('a', 'b') }}"
    "{{ plain(x) }}{% endfor %}",
    "{{ range(3)|list }}|{{ dict(a=1) }}|{{ builtin('ab') }}|{{ partial() }}|{{ lambda_(1) }}",
    # long chains: past MAX_READS reads Jinja's code is kept; deep nesting still compiles
    "{{ item" + ".me" * 20 + ".title }}|{{ item" + ".me" * 30 + ".title }}|{{ "
    + "plain(" * 40 + "1" + ")" * 40 + " }}",
    "{% set ns = namespace(a=1) %}{% set ns.a = item.title %}{{ ns.a }}",
]


@pytest.mark.parametrize("source", CONSTRUCTS)
def test_compiled_code_gives_what_jinjas_gives(tmp_path: Path, source: str) -> None:
    values = {"item": _Item(), "data": {"key": "value"}, "pager": Pager(2, 5, 40),
              "maker": lambda: (lambda n: f"made {n}")}
    html = _render(tmp_path, source, **values)
    assert html == _render(tmp_path, source, jinja_code=True, **values)


@pytest.mark.parametrize("source", [
    "{{ item.missing }}", "{{ item.missing.deeper }}", "{{ nothing.title }}",
    "{{ nothing(1) }}", "{{ item.title(1) }}", "{{ item.stops() }}",
    "{{ plain(1, 2, 3, 4, x=1, y=2)(5) }}",
])
def test_errors_are_jinjas(tmp_path: Path, source: str) -> None:
    def error(**kwargs: Any) -> tuple[type, str]:
        with pytest.raises(Exception) as caught:
            _render(tmp_path, source, item=_Item(), **kwargs)
        return type(caught.value), str(caught.value)
    assert error() == error(jinja_code=True)


def test_only_unmarked_callables_are_called_directly() -> None:
    method, marked = _Item().method, _Helpers().with_context
    globals_ = {"plain": method, "marked": marked, "function": function_with_context,
                "environment": function_with_environment, "builtin": len, "type": range,
                "text": "not callable"}
    direct = template_code.namespace(globals_, [sys.modules[Pager.__module__]])["_sg_direct"]
    assert {id(method), id(len), id(Pager.links)} <= set(direct)
    for refused in (marked, function_with_context, function_with_environment, range):
        assert id(refused) not in direct
    assert all(direct[key] is obj for key, obj in ((id(method), method), (id(len), len)))


def test_sites_build_byte_identical_with_jinjas_code(tmp_path: Path) -> None:
    """The shipped site and a generated one (every listing, chart and field kind) give
    the same bytes when their templates are compiled by Jinja's own code generator and
    run with Jinja's own context."""
    reference = ("import sys, jinja2.compiler, jinja2.runtime, sitegen.render as render, "
                 "sitegen.template_code as code; "
                 "code.SiteCodeGenerator = jinja2.compiler.CodeGenerator; "
                 "render._Context = jinja2.runtime.Context; "
                 "from sitegen.cli import main; sys.argv[0] = 'sitegen'; main()")
    generated = generated_site(tmp_path / "generated", 12, page_size=5)
    for name, site in (("shipped", REPO), ("generated", generated)):
        ours = run_cli("build", "--site", site, "--out", tmp_path / f"{name}-ours")
        assert ours.code == 0, ours.err
        env = {**os.environ, "PYTHONHASHSEED": "0", "NO_COLOR": "1",
               "SITEGEN_CACHE_DIR": str(tmp_path / "jinja-cache")}
        jinjas = subprocess.run(
            [sys.executable, "-c", reference, "build", "--site", str(site),
             "--out", str(tmp_path / f"{name}-jinja")],
            capture_output=True, text=True, env=env, timeout=120)
        assert jinjas.returncode == 0, jinjas.stderr
        built = tree_digest(tmp_path / f"{name}-ours")
        assert len(built) > 30
        assert built == tree_digest(tmp_path / f"{name}-jinja"), name
