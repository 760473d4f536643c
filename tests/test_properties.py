"""Properties of any fact file (Hypothesis): a valid one builds into well-formed pages that
show each plain text escaped; a randomly broken one builds or is reported line by line.

The command line runs in this process (``click.testing.CliRunner`` on ``sitegen.cli.main``,
the code the ``sitegen`` command runs), on one copy of the base test site per test whose
fact file is rewritten for each example. Examples are derandomized, so every run (and CI)
tries the same ones.
"""

from __future__ import annotations

import contextlib
import copy
import re
import shutil
import signal
import traceback
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import strategies as gen
import yaml
from click.testing import CliRunner, Result
from conftest import copy_site
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from markupsafe import escape

from sitegen.cli import main

SETTINGS = {
    "deadline": None,
    "derandomize": True,
    "database": None,
    "suppress_health_check": [HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                              HealthCheck.data_too_large],
}
ERROR_LINE = re.compile(r"^[^:\n]+:\d+:\d+: .+$")
FAILED_LINE = re.compile(r"^\d+ error\(s\); nothing was written, the previous site is "
                         r"unchanged\.$")
# Seconds a build of the one-community site may take before it counts as a hang: far
# above the fraction of a second one takes, so a slow machine never trips it.
TIME_LIMIT = 60.0


# Running the command line in this process ---------------------------------------------

class TookTooLong(BaseException):
    """Raised by the alarm; a BaseException, so no ``except Exception`` swallows it."""


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    def alarm(signum: int, frame: Any) -> None:
        raise TookTooLong(f"the command took more than {seconds} s")

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def sitegen(*args: str | Path) -> Result:
    """``sitegen ARGS`` in this process, within the time limit; never a traceback."""
    with time_limit(TIME_LIMIT):
        result = CliRunner().invoke(main, [str(arg) for arg in args], catch_exceptions=True)
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        "".join(traceback.format_exception(result.exception)))
    assert "Traceback" not in result.output
    assert "internal error" not in result.output, result.output
    return result


class Site:
    """One copy of the base site whose only fact file is replaced for each example."""

    def __init__(self, folder: Path) -> None:
        self.root = copy_site(folder / "site")
        self.communities = self.root / "content" / "communities"
        self.builds = folder / "builds"
        self.count = 0
        self.originals: dict[str, bytes] = {}  # site files as they were, by name

    def write(self, slug: str, data: bytes) -> Path:
        for old in self.communities.iterdir():
            old.unlink()
        path = self.communities / f"{slug}.yaml"
        path.write_bytes(data)
        return path

    def build(self) -> tuple[Result, Path]:
        """Build into a fresh folder (one process: ``--jobs 1``)."""
        self.count += 1
        out = self.builds / f"{self.count}" / "dist"
        return sitegen("build", "--site", self.root, "--out", out, "--jobs", "1"), out

    def clean(self) -> None:
        shutil.rmtree(self.builds, ignore_errors=True)


@pytest.fixture
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """One site per test function, shared by its examples."""
    shared = Site(tmp_path_factory.mktemp("properties"))
    yield shared
    shared.clean()


# Well-formed HTML ----------------------------------------------------------------------

def _tags(names: str) -> frozenset[str]:
    return frozenset(names.split())


# https://html.spec.whatwg.org/multipage/syntax.html#void-elements
VOID = _tags("area base br col embed hr img input link meta source track wbr")
# Start tags that close an open <p> ("close a p element" in the tree builder)
CLOSES_P = _tags(
    "address article aside blockquote center details dialog dir div dl fieldset figcaption "
    "figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr li dd dt main menu nav ol p pre "
    "search section summary table ul")
# Elements that end the "button scope" a <p> is looked for in
P_SCOPE = _tags("applet caption html table td th marquee object template button "
                "foreignobject desc title svg math")
# The "special" category: an <li>, <dd> or <dt> looks for an open one up to these
SPECIAL = _tags(
    "address applet area article aside base basefont bgsound blockquote body br button "
    "caption center col colgroup dd details dir div dl dt embed fieldset figcaption figure "
    "footer form frame frameset h1 h2 h3 h4 h5 h6 head header hgroup hr html iframe img "
    "input keygen li link listing main marquee menu meta nav noembed noframes noscript "
    "object ol p param plaintext pre script search section select source style summary "
    "table tbody td template textarea tfoot th thead title tr track ul wbr xmp "
    "foreignobject desc svg math")


class WellFormed(HTMLParser):
    """Every element closed in order by its own end tag (none left to the parser's
    implied ends), no stray or void end tag; self-closing only in SVG or MathML."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.problems: list[str] = []
        # every element a browser would create from the page, with its attributes
        self.elements: list[tuple[str, dict[str, str | None]]] = []

    def where(self) -> str:
        line, column = self.getpos()
        return f"{line}:{column + 1} (in {' > '.join(self.stack[-4:])})"

    def foreign(self) -> bool:
        return any(tag in ("svg", "math") for tag in self.stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))
        if not self.foreign():
            self._implied_ends(tag)
        if tag not in VOID:
            self.stack.append(tag)

    def _implied_ends(self, tag: str) -> None:
        if tag in CLOSES_P:
            for open_tag in reversed(self.stack):
                if open_tag == "p":
                    self.problems.append(f"<{tag}> inside an open <p> closes it at "
                                         f"{self.where()}")
                    break
                if open_tag in P_SCOPE:
                    break
        if tag in ("li", "dd", "dt"):
            same = ("li",) if tag == "li" else ("dd", "dt")
            for open_tag in reversed(self.stack):
                if open_tag in same:
                    self.problems.append(f"<{tag}> inside an open <{open_tag}> closes it "
                                         f"at {self.where()}")
                    break
                if open_tag in SPECIAL and open_tag not in ("address", "div", "p"):
                    break
        if tag == "a" and "a" in self.stack:
            self.problems.append(f"<a> inside an open <a> at {self.where()}")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in VOID or self.foreign():
            self.elements.append((tag, dict(attrs)))
            if not self.foreign():
                self._implied_ends(tag)
            return
        self.problems.append(f"<{tag}/> is not closed (a non-void HTML element) at "
                             f"{self.where()}")
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            self.problems.append(f"end tag </{tag}> of a void element at {self.where()}")
        elif not self.stack:
            self.problems.append(f"stray </{tag}> at {self.where()}")
        elif self.stack[-1] != tag:
            self.problems.append(f"</{tag}> closes <{self.stack[-1]}> at {self.where()}")
            if tag in self.stack:  # resynchronise, to report the rest sensibly
                while self.stack.pop() != tag:
                    pass
        else:
            self.stack.pop()

    def close(self) -> None:
        super().close()
        if self.stack:
            self.problems.append(f"never closed: {' > '.join(self.stack)}")


def parse(html: str) -> WellFormed:
    checker = WellFormed()
    checker.feed(html)
    checker.close()
    return checker


def html_problems(html: str) -> list[str]:
    return parse(html).problems


def test_the_checker_finds_what_a_browser_would_repair() -> None:
    assert html_problems("<!DOCTYPE html><html><body><p>a<br>b</p>"
                         "<svg><rect/></svg></body></html>") == []
    for broken in ("<div><span></div>", "<p>a</p></p>", "<ul><li>a</ul>", "<br></br>",
                   "<p>a<div>b</div></p>", "<ul><li><span><li>x</li></span></li></ul>",
                   "<a href=x><a href=y>z</a></a>", "<div/>", "<p>open"):
        assert html_problems(broken), broken


def no_markup_from_content(elements: list[tuple[str, dict[str, str | None]]]) -> None:
    """Content never adds a script, an event handler or a javascript: link."""
    tags = [tag for tag, _ in elements]
    assert tags.count("script") == 1  # the site's own language script
    assert not {"iframe", "style", "img", "object", "embed", "form"} & set(tags)
    for tag, attrs in elements:
        assert not [name for name in attrs if name.startswith("on")], (tag, attrs)
        for name in ("href", "src", "action"):
            # as a browser reads the address: without control characters and spaces
            value = re.sub(r"[\x00-\x20]", "", attrs.get(name) or "").lower()
            assert not value.startswith(("javascript:", "data:", "vbscript:")), (tag, attrs)


def check_pages(out: Path) -> dict[str, str]:
    """Every HTML page of a build is well-formed and free of content markup; returns
    them by path."""
    pages = {path.relative_to(out).as_posix(): path.read_bytes().decode("utf-8")
             for path in sorted(out.rglob("*.html"))}
    assert pages
    for name, html in pages.items():
        parsed = parse(html)
        assert not parsed.problems, f"{name}: {parsed.problems[:5]}"
        no_markup_from_content(parsed.elements)
    return pages


# Plain text on the page ----------------------------------------------------------------

def raw_occurrences(html: str, value: str) -> int:
    """How often ``value`` stands in the page unescaped (an escaped occurrence may begin
    with the raw text, e.g. 'a&' in 'a&amp;', which does not count)."""
    shown = str(escape(value))
    count, start = 0, html.find(value)
    while start != -1:
        if not html.startswith(shown, start):
            count += 1
        start = html.find(value, start + 1)
    return count


def check_plain_text(pages: dict[str, str], slug: str, text: gen.TextMap,
                     path: tuple[str, ...]) -> None:
    for lang in gen.LANGUAGES:
        html = pages[f"{lang}/{slug}/index.html"]
        value = text.resolve(lang)
        shown = str(escape(value))
        assert shown in html, f"{'.'.join(path)} not shown escaped on {lang}: {shown!r}"
        if "<" in value or "&" in value:
            collapsed = " ".join(value.split())  # as chart labels show it
            for form in dict.fromkeys((value, collapsed)):
                assert raw_occurrences(html, form) == 0, (
                    f"{'.'.join(path)} shown unescaped on {lang}: {form!r}")


def finished_file(doc: dict[str, Any]) -> tuple[str, list[tuple[tuple[str, ...], gen.TextMap]]]:
    doc = copy.deepcopy(doc)  # the examples given with @example are used again
    gen.finish(doc)
    text = gen.emit(doc)
    # The emitter's quoting: the file reads back as exactly the generated tree.
    assert yaml.load(text, Loader=yaml.BaseLoader) == gen.plain_values(doc)
    return text, [(path, found) for path, found in gen.texts(doc) if not found.markdown]


def build_valid(site: Site, slug: str, doc: dict[str, Any]) -> tuple[dict[str, str], list[Any]]:
    text, plain = finished_file(doc)
    site.write(slug, text.encode("utf-8"))
    result, out = site.build()
    assert result.exit_code == 0, f"{result.output}\n---\n{text}"
    assert result.stdout.startswith("Built "), result.output
    pages = check_pages(out)
    shutil.rmtree(out.parent)
    return pages, plain


EXAMPLES = 150


@settings(max_examples=EXAMPLES, **SETTINGS)
@given(doc=gen.fact_files(), slug=gen.SLUGS)
def test_any_valid_fact_file_builds_into_well_formed_escaped_pages(
        site: Site, doc: dict[str, Any], slug: str) -> None:
    pages, plain = build_valid(site, slug, doc)
    for path, text in plain:
        check_plain_text(pages, slug, text, path)


@settings(max_examples=20, **SETTINGS)
@given(quote=gen.text_maps(markdown=False))
@example(quote=gen.TextMap({"en": gen.Piece("<b>bold</b> &amp; ", "")}, False, True))
def test_a_quote_is_shown_as_the_plain_text_the_schema_says_it_is(
        site: Site, quote: gen.TextMap) -> None:
    def plain_text() -> gen.TextMap:
        return gen.TextMap({"en": gen.Piece("", "")}, False, True)

    person = {"name": plain_text(), "role": plain_text(), "quote": quote,
              "sources": gen.FlowList(["article-one"], True)}
    fact_file = {"name": plain_text(), "country": "VN", "kind": "city",
                 "summary": {"text": gen.TextMap({"en": "x"}, True, True),
                             "sources": gen.FlowList(["article-one"], True)},
                 "people": [person]}
    pages, plain = build_valid(site, "quoted", fact_file)
    for path, text in plain:
        check_plain_text(pages, "quoted", text, path)


# Broken fact files ----------------------------------------------------------------------

MUTATIONS = 300


def build_broken(site: Site, fact_file: bytes | None,
                 pages_checked: bool = True) -> list[str] | None:
    """Build with ``fact_file`` (None: the site as it is): None if it built (into
    well-formed pages, unless not ``pages_checked``), else the lines of stderr, which end
    with the summary; nothing was written."""
    if fact_file is not None:
        site.write("broken", fact_file)
    result, out = site.build()
    if result.exit_code == 0:
        if pages_checked:
            check_pages(out)
        shutil.rmtree(out.parent)
        return None
    assert result.exit_code == 1, result.output
    assert not out.exists(), "a failed build wrote its output"
    lines = result.stderr.split("\n")  # lines as editors and CI logs split them
    if lines[-1] == "":
        lines.pop()
    assert lines, result.output
    assert FAILED_LINE.match(lines[-1]), lines[-1]
    return lines


def broken_file(data: st.DataObject, doc: dict[str, Any]) -> bytes:
    text, _ = finished_file(doc)
    return data.draw(gen.broken(text), label="broken file")


SAMPLE = (gen.BASE / "communities" / "sample-city.yaml").read_text(encoding="utf-8")


@settings(max_examples=MUTATIONS, **SETTINGS)
@given(data=st.data(), doc=gen.fact_files())
@example(data=None, doc=SAMPLE.replace("kind: city", "kind: |\n  city"))
@example(data=None, doc=SAMPLE.replace("country: VN", 'country: "V\\nN"'))
@example(data=None, doc=SAMPLE.replace("country: VN", "country: VN\x05"))
def test_any_broken_fact_file_builds_or_is_reported_line_by_line(
        site: Site, data: st.DataObject | None, doc: dict[str, Any] | str) -> None:
    """Each line but the summary is 'path:line:column: message', one line per error as
    the summary counts them: a value with a line break or a control character quoted in
    a message does not start a line of its own."""
    if isinstance(doc, str):
        fact_file = doc.encode("utf-8")
    else:
        assert data is not None
        fact_file = broken_file(data, doc)
    lines = build_broken(site, fact_file)
    if lines is None:
        return
    for line in lines[:-1]:
        assert ERROR_LINE.match(line), f"not 'path:line:column: message': {line!r}"
    assert len(lines) - 1 == int(lines[-1].split(" ", 1)[0]), lines


# The site's other files, as a translator, an editor or a template author breaks them: a
# broken template may still build pages of any shape (its author's), so only the others'
# pages are checked.
SITE_FILES = {
    "content/site.yaml": True, "content/sources.yaml": True, "content/programs.yaml": True,
    "locales/vi/LC_MESSAGES/messages.po": True, "templates/community.html": False,
    "templates/_macros.html": False,
}


@pytest.mark.parametrize("name", list(SITE_FILES))
@settings(max_examples=40, **SETTINGS)
@given(data=st.data())
def test_any_broken_site_file_builds_or_is_reported_line_by_line(
        site: Site, name: str, data: st.DataObject) -> None:
    path = site.root / name
    original = site.originals.setdefault(name, path.read_bytes())
    path.write_bytes(data.draw(gen.broken(original.decode("utf-8")), label=name))
    lines = build_broken(site, None, pages_checked=SITE_FILES[name])
    if lines is None:
        return
    for line in lines[:-1]:
        assert ERROR_LINE.match(line), f"not 'path:line:column: message': {line!r}"
    assert len(lines) - 1 == int(lines[-1].split(" ", 1)[0]), lines
