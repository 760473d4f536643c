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
    from sitegen.write import OutputError

    try:
        return action()
    except BuildFailed as failed:
        lines = [str(error) for error in failed.errors]
        _fail(lines, f"{len(lines)} error(s); nothing was written, the previous site is "
              "unchanged.")
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


@main.command()
@SITE_OPTION
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Output folder.  [default: dist/ inside the site's folder]")
@BASE_URL_OPTION
@click.pass_context
def build(ctx: click.Context, site: Path, out: Path | None, base_url: str | None) -> None:
    """Validate everything, then write the site to dist/ (replaced only on success)."""
    from sitegen.build import build as run_build

    out = out or site / "dist"
    address = _base_url(base_url)
    result = _run(lambda: run_build(site, out, address), ctx.obj["debug"])
    per_language = ", ".join(f"{lang} {n}" for lang, n in result.pages_per_language.items())
    total = sum(result.pages_per_language.values())
    click.echo(f"Built {total} pages ({per_language}), {result.files} files in "
               f"{result.seconds:.2f} s into {out}")


@main.command()
@SITE_OPTION
@BASE_URL_OPTION
@click.pass_context
def check(ctx: click.Context, site: Path, base_url: str | None) -> None:
    """Validate content, catalogs and templates without writing anything."""
    from sitegen.build import check as run_check

    address = _base_url(base_url)
    counts = _run(lambda: run_check(site, address), ctx.obj["debug"])
    click.echo(f"OK: {sum(counts.values())} pages in {len(counts)} languages would be built.")


if __name__ == "__main__":  # pragma: no cover
    main()
