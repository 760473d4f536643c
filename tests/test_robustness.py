"""Interrupted, concurrent and starved builds lose nothing; the same inputs give the same
bytes whatever the path, the time, the locale or the hash seed."""

from __future__ import annotations

import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from conftest import REPO, copy_site, generated_site, run_cli, tree_digest

SITEGEN = [sys.executable, "-m", "sitegen"]


def start(*args: str | Path, env: dict[str, str] | None = None,
          **options: object) -> subprocess.Popen[str]:
    return subprocess.Popen([*SITEGEN, *map(str, args)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONHASHSEED": "0", **(env or {})},
                            **options)  # type: ignore[call-overload]


def clean_digest(site: Path, folder: Path) -> dict[str, str]:
    result = run_cli("build", "--site", site, "--out", folder / "dist", "--clean")
    assert result.code == 0, result.err
    return tree_digest(folder / "dist")


def test_twenty_kills_never_leave_a_broken_site(tmp_path: Path) -> None:
    """SIGKILL to a build and its workers at twenty moments, of incremental and of full
    builds: dist/ is always a complete site (the previous or the new one), no temporary
    folder is ever published, and the next build is right."""
    site = generated_site(tmp_path / "site", 30, page_size=5)
    assert run_cli("build", "--site", site).code == 0
    template = site / "templates" / "base.html"

    def edit(number: int) -> None:  # every page changes
        text = template.read_text(encoding="utf-8")
        template.write_text(text.replace("</main>", f"</main>\n<!-- {number} -->", 1),
                            encoding="utf-8")

    durations = {}
    for clean in (False, True):  # how long each kind of build takes here
        edit(-1 - clean)
        started = time.perf_counter()
        assert run_cli("build", "--site", site, *(["--clean"] if clean else [])).code == 0
        durations[clean] = time.perf_counter() - started
    moments = [0.05, 0.15, 0.25, 0.35, 0.45, 0.55, 0.65, 0.75, 0.9, 1.2]
    interrupted = 0
    for number, (clean, moment) in enumerate([(c, m) for c in (False, True)
                                              for m in moments]):
        before = tree_digest(site / "dist")
        edit(number)
        proc = start("build", "--site", site, *(["--clean"] if clean else []),
                     start_new_session=True)
        time.sleep(durations[clean] * moment)
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        after = tree_digest(site / "dist")
        assert not any(".tmp-" in path or path.endswith(".new") for path in after)
        if after != before:  # killed after the swap: then it is the new site, whole
            assert after == clean_digest(site, tmp_path / f"kill-{number}")
        interrupted += after == before
    assert interrupted >= 8, "most kills should land inside a build"
    result = run_cli("build", "--site", site)
    assert result.code == 0, result.err
    assert tree_digest(site / "dist") == clean_digest(site, tmp_path / "final")
    assert not list(site.glob(".dist.tmp-*"))


def test_a_build_with_nothing_to_do_still_clears_what_a_killed_one_left(
        tmp_path: Path) -> None:
    """A build killed after it published its site leaves its old folder beside dist/;
    the next build finds nothing changed, and removes it all the same."""
    site = copy_site(tmp_path / "site")
    assert run_cli("build", "--site", site).code == 0
    before = tree_digest(site / "dist")
    left = site / ".dist.tmp-killed"
    (left / "en").mkdir(parents=True)
    (left / "en" / "index.html").write_text("old", encoding="utf-8")
    result = run_cli("build", "--site", site)
    assert result.code == 0 and "none changed" in result.out, result.out
    assert not left.exists()
    assert tree_digest(site / "dist") == before


def test_builds_started_together_do_not_interleave(tmp_path: Path) -> None:
    site = generated_site(tmp_path / "site", 30, page_size=5)
    procs = [start("build", "--site", site) for _ in range(3)]
    outcomes = [(proc.wait(timeout=300), proc.stderr.read()) for proc in procs]  # type: ignore[union-attr]
    for code, err in outcomes:
        assert code == 0 or (code == 1 and "another build is writing" in err), err
        assert "Traceback" not in err
    assert any(code == 0 for code, _ in outcomes)
    assert tree_digest(site / "dist") == clean_digest(site, tmp_path / "clean")


def _file_size_limit(limit: int) -> None:
    """In the child: files may not grow past ``limit`` bytes (as on a full disk, writes
    fail), and the signal that would kill the process is ignored so the write fails."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))


@pytest.mark.parametrize("clean", [False, True])
def test_a_write_that_fails_midway_leaves_the_site(tmp_path: Path, clean: bool) -> None:
    """site.json outgrows what the system lets a file hold (as when the disk fills up):
    a clear message, exit 1, the previous site intact, nothing left behind."""
    site = generated_site(tmp_path / "site", 40)
    assert run_cli("build", "--site", site).code == 0
    before = tree_digest(site / "dist")
    big = (site / "dist" / "data" / "site.json").stat().st_size
    path = site / "content" / "communities" / "bench-07.yaml"  # a fact changes: site.json
    text = path.read_text(encoding="utf-8")  # is made again
    path.write_text(text.replace("- value: ", "- value: 1", 1), encoding="utf-8")
    proc = start("build", "--site", site, *(["--clean"] if clean else []),
                 preexec_fn=lambda: _file_size_limit(big // 2))
    proc.wait(timeout=300)
    err = proc.stderr.read()  # type: ignore[union-attr]
    assert proc.returncode == 1, err
    assert "Traceback" not in err
    assert "error: cannot write the site beside" in err and "File too large" in err, err
    assert err.splitlines()[-1] == ("The build did not complete; the previous site is "
                                    "unchanged.")
    assert tree_digest(site / "dist") == before
    assert not list(site.glob(".dist.tmp-*"))
    result = run_cli("build", "--site", site)
    assert result.code == 0, result.err
    assert tree_digest(site / "dist") == clean_digest(site, tmp_path / "clean")


@pytest.mark.skipif(shutil.which("setpriv") is None and os.geteuid() == 0,
                    reason="as root, permissions are ignored; setpriv (util-linux) runs the "
                    "build as another user")
def test_a_folder_that_may_not_be_written_gives_a_clear_error() -> None:
    """The site's folder is readable but not writable by the user who builds."""
    folder = Path(tempfile.mkdtemp(prefix="sitegen-readonly-"))
    try:
        folder.chmod(0o755)
        site = copy_site(folder / "site")
        assert run_cli("build", "--site", site).code == 0
        before = tree_digest(site / "dist")
        (site / "content" / "communities" / "sample-city.yaml").write_text(
            (site / "content" / "communities" / "sample-city.yaml").read_text("utf-8")
            + "\n", encoding="utf-8")
        as_other = (["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
                    if os.geteuid() == 0 else [])
        if not as_other:
            site.chmod(0o555)
        env = {**os.environ, "SITEGEN_CACHE_DIR": str(folder / "no-cache")}
        proc = subprocess.run([*as_other, *SITEGEN, "build", "--site", str(site)],
                              capture_output=True, text=True, env=env, timeout=120)
        assert proc.returncode == 1, proc.stdout + proc.stderr
        assert "Traceback" not in proc.stderr
        assert proc.stderr.startswith(f"error: cannot write beside {site / 'dist'}"), (
            proc.stderr)
        assert "Permission denied" in proc.stderr
        assert tree_digest(site / "dist") == before
    finally:
        for path in folder.rglob("*"):
            if path.is_dir():
                path.chmod(0o755)
        shutil.rmtree(folder, ignore_errors=True)


def test_the_same_inputs_give_the_same_bytes_everywhere(tmp_path: Path) -> None:
    """Different folders, times, locales, hash seeds and numbers of processes."""
    sources = [generated_site(tmp_path / "one" / "site", 20, page_size=5)]
    shutil.copytree(sources[0], tmp_path / "two" / "elsewhere")
    sources.append(tmp_path / "two" / "elsewhere")
    variants = [
        (sources[0], {"LANG": "C", "LC_ALL": "C", "PYTHONHASHSEED": "0", "TZ": "UTC"}, "1"),
        (sources[1], {"LANG": "th_TH.UTF-8", "LC_ALL": "th_TH.UTF-8",
                      "PYTHONHASHSEED": "4242", "TZ": "Asia/Bangkok"}, "2"),
        (sources[0], {"LANG": "vi_VN.UTF-8", "PYTHONHASHSEED": "random",
                      "TZ": "America/Los_Angeles"}, "2"),
    ]
    digests = []
    for number, (site, env, jobs) in enumerate(variants):
        out = tmp_path / f"out-{number}" / "dist"
        proc = subprocess.run([*SITEGEN, "build", "--site", str(site), "--out", str(out),
                               "--jobs", jobs], capture_output=True, text=True,
                              env={**os.environ, **env}, timeout=300)
        assert proc.returncode == 0, proc.stderr
        digests.append(tree_digest(out))
        time.sleep(1.1)  # and at another second of the clock
    assert digests[0] == digests[1] == digests[2]
    assert len(digests[0]) > 20 * 6


def test_the_shipped_site_builds_the_same_in_any_locale(tmp_path: Path) -> None:
    digests = []
    for number, env in enumerate([{"LANG": "C", "LC_ALL": "C"},
                                  {"LANG": "ko_KR.UTF-8", "LC_ALL": "ko_KR.UTF-8",
                                   "PYTHONHASHSEED": "7"}]):
        out = tmp_path / str(number) / "dist"
        proc = subprocess.run([*SITEGEN, "build", "--site", str(REPO), "--out", str(out)],
                              capture_output=True, text=True, env={**os.environ, **env},
                              timeout=120)
        assert proc.returncode == 0, proc.stderr
        digests.append(tree_digest(out))
    assert digests[0] == digests[1]
