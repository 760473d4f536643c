"""The ``sitegen`` command.

Errors are printed as ``path:line:column: message`` (the form editors and IDEs link to),
all of them, followed by a one-line summary; the exit code is 1 and there is no
traceback. Heavy modules are imported inside the commands so ``--help`` stays instant.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from sitegen import __version__

SITE_OPTION = click.option(
    "--site", "site", type=click.Path(file_okay=False, path_type=Path), default=".",
    show_default=True, help="The site's folder (holding content/, templates/, locales/).",
)
BASE_URL_OPTION = click.option(
    "--base-url", "base_url", metavar="URL", default=None,
    help="Address the site is served from, replacing base_url in content/site.yaml "
    "(e.g. https://owner.github.io/repository/).",
)


def _fail(lines: list[str], summary: str) -> None:
    for line in lines:
        click.echo(line, err=True)
    click.secho(summary, err=True, fg="red")
    sys.exit(1)


def _base_url(value: str | None) -> str | None:
    """The validated ``--base-url``; a bad one stops the command with a one-line message,
    checked exactly as ``base_url`` in content/site.yaml is."""
    if value is None:
        return None
    from sitegen.schema import Url, web_address

    address = web_address(value)
    if address is None:
        _fail([], f"error: --base-url: expected {Url.expected}, got {value!r}")
    return address


def _run(action, debug: bool):  # type: ignore[no-untyped-def]
    """Run a command body, turning expected failures into messages, not tracebacks."""
    from sitegen.errors import BuildFailed
    from sitegen.site_warnings import StrictFailed, count_warnings
    from sitegen.write import OutputError

    try:
        return action()
    except BuildFailed as failed:
        lines = [str(error) for error in failed.errors]
        _fail(lines, f"{len(lines)} error(s); nothing was written, the previous site is "
              "unchanged.")
    except StrictFailed as strict:
        _fail(_warning_lines(strict.warnings),
              f"--strict: {count_warnings(strict.warnings)}; nothing was written, the "
              "previous site is unchanged.")
    except OutputError as exc:
        _fail([f"error: {exc}"], "The build did not complete; the previous site is unchanged.")
    except KeyboardInterrupt:
        _fail([], "Interrupted; the previous site is unchanged.")
    except Exception as exc:
        if debug:
            raise
        _fail([f"internal error: {type(exc).__name__}: {exc}"],
              "This is a bug in sitegen; run again with --debug for details.")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="sitegen")
@click.option("--debug", is_flag=True, help="Show a traceback on internal errors.")
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    """Build a multilingual static fact-sheet site from YAML fact files."""
    ctx.obj = {"debug": debug}


STRICT_OPTION = click.option(
    "--strict", is_flag=True,
    help="Fail on any warning, such as a missing translation (for CI).",
)
JOBS_OPTION = click.option(
    "--jobs", "-j", type=click.IntRange(1, 256), default=None, metavar="N",
    help="Processes to render with.  [default: one per CPU core]",
)


def _warning_lines(warnings) -> list[str]:  # type: ignore[no-untyped-def]
    """Warnings one line per file and kind, then where to see each of them."""
    from sitegen.site_warnings import compact_lines

    lines = compact_lines(warnings)
    if any(getattr(warning, "is_translation", False) for warning in warnings):
        lines.append("Run 'sitegen translate status' to list every missing translation.")
    return lines


def _report(result, summary: str) -> None:  # type: ignore[no-untyped-def]
    """Print a run's warnings to stderr, then its one-line summary, where ``summary``
    places {pages} ("24 pages (en 6, vi 6, ...)"), {files}, {changed}, {seconds} and
    {warnings}."""
    from sitegen.site_warnings import count_warnings

    for line in _warning_lines(result.warnings):
        click.echo(line, err=True)
    per_language = ", ".join(f"{lang} {n}" for lang, n in result.pages_per_language.items())
    pages = f"{sum(result.pages_per_language.values())} pages ({per_language})"
    click.echo(summary.format(pages=pages, files=result.files, seconds=f"{result.seconds:.2f}",
                              warnings=count_warnings(result.warnings),
                              changed=result.changed))


@main.command()
@SITE_OPTION
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Output folder.  [default: dist/ inside the site's folder]")
@BASE_URL_OPTION
@STRICT_OPTION
@click.option("--clean", is_flag=True,
              help="Render everything, ignoring what the previous build left unchanged.")
@JOBS_OPTION
@click.pass_context
def build(ctx: click.Context, site: Path, out: Path | None, base_url: str | None,
          strict: bool, clean: bool, jobs: int | None) -> None:
    """Validate everything, then bring dist/ up to date (replaced only on success).

    Only what changed since the previous build is rendered again, and files whose bytes
    did not change keep their modification time, so deploy tools upload only what
    changed."""
    from sitegen.build import build as run_build
    from sitegen.progress import Progress

    out = out or site / "dist"
    address = _base_url(base_url)
    progress = Progress()
    try:
        result = _run(lambda: run_build(site, out, address, strict=strict, clean=clean,
                                        jobs=jobs, progress=progress.step),
                      ctx.obj["debug"])
    finally:
        progress.finish()
    if result.changed is None:
        _report(result, "Built {pages}, {files} files in {seconds} s, {warnings}")
    elif result.changed:
        _report(result, "Built {pages}, {files} files ({changed} changed) in {seconds} s, "
                "{warnings}")
    else:
        _report(result, "Up to date: {pages}, {files} files (none changed), checked in "
                "{seconds} s, {warnings}")


@main.command()
@SITE_OPTION
@BASE_URL_OPTION
@STRICT_OPTION
@JOBS_OPTION
@click.pass_context
def check(ctx: click.Context, site: Path, base_url: str | None, strict: bool,
          jobs: int | None) -> None:
    """Validate content, catalogs and templates without writing anything."""
    from sitegen.build import check as run_check
    from sitegen.progress import Progress

    address = _base_url(base_url)
    progress = Progress()
    try:
        result = _run(lambda: run_check(site, address, strict=strict, jobs=jobs,
                                        progress=progress.step), ctx.obj["debug"])
    finally:
        progress.finish()
    _report(result, "OK: would build {pages}, {files} files; checked in {seconds} s, "
            "{warnings}")


@main.group()
def translate() -> None:
    """Interface catalogs and translation progress (Babel's extract, update, init)."""


def _translate_run(action, debug: bool):  # type: ignore[no-untyped-def]
    """Like _run, plus the translation steps' own failures (a missing template...)."""
    from sitegen.translate import TranslateError

    def guarded():  # type: ignore[no-untyped-def]
        try:
            return action()
        except TranslateError as exc:
            _fail([f"error: {exc}"], "Nothing was changed.")

    return _run(guarded, debug)


def _shown(site: Path, path: Path) -> str:
    from sitegen.validate import display_path

    return display_path(site, path)


@translate.command()
@SITE_OPTION
@click.option("--check", "check_only", is_flag=True,
              help="Change nothing; exit with status 1 if the template is out of date.")
@click.pass_context
def extract(ctx: click.Context, site: Path, check_only: bool) -> None:
    """Collect interface strings (files named in babel.cfg) into locales/messages.pot."""
    from sitegen.i18n import template_path
    from sitegen.translate import extract as run_extract

    changed = _translate_run(lambda: run_extract(site, write=not check_only),
                             ctx.obj["debug"])
    shown = _shown(site, template_path(site))
    if check_only and changed:
        _fail([f"{shown} is out of date with the templates and code"],
              "Run 'sitegen translate extract', then 'sitegen translate update'.")
    click.echo(f"{shown}: {'updated' if changed else 'unchanged'}")


@translate.command()
@SITE_OPTION
@click.pass_context
def update(ctx: click.Context, site: Path) -> None:
    """Update every catalog from locales/messages.pot (new strings come untranslated)."""
    from sitegen.translate import update as run_update

    for result in _translate_run(lambda: run_update(site), ctx.obj["debug"]):
        click.echo(f"{_shown(site, result.path)}: "
                   f"{'updated' if result.changed else 'unchanged'}")


@translate.command()
@click.argument("lang")
@SITE_OPTION
@click.pass_context
def init(ctx: click.Context, lang: str, site: Path) -> None:
    """Start the catalog of a new language LANG (e.g. ar) from locales/messages.pot."""
    from sitegen import editor_schema
    from sitegen.translate import init as run_init

    path = _translate_run(lambda: run_init(site, lang), ctx.obj["debug"])
    click.echo(f"Created {_shown(site, path)}; translate every msgstr in it "
               "(Poedit, Weblate or any gettext tool), then run 'sitegen translate status'.")
    # The editor schemas list the site's languages, so a new one belongs in them too.
    if (site / editor_schema.SCHEMA_DIR).is_dir():
        for changed in _run(lambda: editor_schema.write(site), ctx.obj["debug"]):
            click.echo(f"Updated {changed}, so editors complete and check '{lang}' text.")


@translate.command()
@click.argument("languages", nargs=-1, metavar="[LANG]...")
@SITE_OPTION
@click.option("--summary", is_flag=True, help="Only the share per language, no list.")
@click.pass_context
def status(ctx: click.Context, languages: tuple[str, ...], site: Path, summary: bool) -> None:
    """How much of each language is translated, and what is missing where.

    Interface strings count as translated when their catalog entry has a translation
    that is not marked fuzzy; content text fields when they have text in the language
    (otherwise pages show the default language's text)."""
    from sitegen.errors import visible
    from sitegen.i18n import template_path
    from sitegen.translate import MAPPING
    from sitegen.translate import extract as run_extract
    from sitegen.translation_status import load_status

    statuses = _run(lambda: load_status(site), ctx.obj["debug"])
    unknown = [lang for lang in languages if lang not in [s.lang for s in statuses]]
    if unknown:
        _fail([f"error: not a language of this site: {', '.join(unknown)}"],
              f"The site's languages: {', '.join(s.lang for s in statuses)}.")
    chosen = [s for s in statuses if not languages or s.lang in languages]
    for item in chosen:
        roles = [role for role, on in (("source", item.source), ("default", item.default))
                 if on]
        note = f"; {' and '.join(roles)} language" if roles else ""
        click.echo(f"{item.lang}: interface {item.interface.done}/{item.interface.total} "
                   f"({item.interface.percent}%), content {item.content.done}/"
                   f"{item.content.total} ({item.content.percent}%){note}")
    if (site / MAPPING).is_file() and _translate_run(
            lambda: run_extract(site, write=False), ctx.obj["debug"]):
        click.echo(f"Note: {_shown(site, template_path(site))} is out of date with the "
                   "templates and code; run 'sitegen translate extract', then "
                   "'sitegen translate update'.")
    if summary:
        return
    for item in chosen:
        if not item.missing:
            continue
        counts = [(item.interface.total - item.interface.done, "interface strings"),
                  (item.content.total - item.content.done, "text fields")]
        left = " and ".join(f"{n} {what}" for n, what in counts if n)
        click.echo(f"\n{item.lang}: {left or 'nothing'} to translate")
        for warning in item.missing:
            click.echo(f"{warning.path}:{warning.line}:{warning.column}: "
                       f"{visible(warning.message)}")


@main.command()
@SITE_OPTION
@click.option("--check", "check_only", is_flag=True,
              help="Write nothing; exit 1 if a schema file is missing or out of date (for CI).")
@click.pass_context
def schema(ctx: click.Context, site: Path, check_only: bool) -> None:
    """Write the JSON Schemas that let editors complete and check content/ (into schema/)."""
    from sitegen import editor_schema

    if check_only:
        stale = _run(lambda: editor_schema.outdated(site), ctx.obj["debug"])
        if stale:
            _fail([f"{path}: missing or out of date" for path in stale],
                  f"{len(stale)} schema file(s) out of date; run 'sitegen schema' to "
                  "regenerate them.")
        click.echo(f"OK: the {len(editor_schema.FILES)} schema files in "
                   f"{editor_schema.SCHEMA_DIR}/ are up to date.")
        return
    changed = _run(lambda: editor_schema.write(site), ctx.obj["debug"])
    for path in changed:
        click.echo(f"Wrote {path}")
    if not changed:
        click.echo(f"The schema files in {editor_schema.SCHEMA_DIR}/ are up to date.")


@main.command()
@click.argument("slug")
@SITE_OPTION
@click.pass_context
def new(ctx: click.Context, slug: str, site: Path) -> None:
    """Create content/communities/SLUG.yaml with every key explained, ready to fill in."""
    from sitegen.scaffold import ScaffoldError, new_community

    def create() -> tuple[Path, list[str]]:
        try:
            return new_community(site, slug)
        except ScaffoldError as exc:
            _fail([], f"error: {exc}")
            raise  # not reached: _fail exits

    path, schemas = _run(create, ctx.obj["debug"])
    click.echo(f"Created {path}: fill in the keys marked (required), then run "
               "'sitegen check'.")
    for written in schemas:
        click.echo(f"Wrote {written} (completion and checks in editors)")


@main.command()
@SITE_OPTION
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="Port to listen on; 0 picks a free one.")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; the default is reachable from this computer only.")
@click.pass_context
def serve(ctx: click.Context, site: Path, port: int, host: str) -> None:
    """Preview the site: build it in memory, serve it on this computer and rebuild when
    content/, templates/, locales/ or static/ change; open pages reload by themselves and
    show any error in place of the page. dist/ is not touched. Ctrl+C stops."""
    from sitegen.serve import ServeError
    from sitegen.serve import serve as run_serve

    if not site.is_dir():
        _fail([], f"error: {site} is not a folder; give the site's folder with --site")
    try:
        run_serve(site, host, port, ctx.obj["debug"])
    except ServeError as exc:
        _fail([], f"error: {exc}")


if __name__ == "__main__":  # pragma: no cover
    main()
