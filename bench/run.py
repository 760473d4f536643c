"""Benchmark sitegen builds against the floor of reading the inputs and writing the outputs.

    .venv/bin/python bench/run.py                  # N = 100 and 1,000
    .venv/bin/python bench/run.py --sizes 10000    # N = 10,000 (about 40,000 pages)

First it times full builds of the shipped two-community site in a fresh folder: the
very first one on a machine (no compiled templates in the cache), then the median of five
more. Then, for each N, it generates a site (bench/generate.py) and times, each as a
fresh ``sitegen build`` process run the way a user runs it: a cold full build (no output,
no cache), a rebuild with nothing changed, a rebuild after one figure in one fact file
changed, after one string in one ``.po`` file changed and after a template changed. In
the same run it times a floor: a process that reads every input file (YAML with the C
loader) and writes as many files, with the same total bytes, as the build wrote. Each
line gives wall time, pages per second, peak memory of the whole process tree (sampled,
shared pages counted once), the ratio to the floor, and for rebuilds how many output
files got a new inode or modification time (what a deploy tool would upload).

Figures are printed, never asserted: they depend on the machine. Put the work folder on a
RAM disk (the default is /dev/shm where it exists) to measure sitegen rather than the disk.
sitegen's modules are byte-compiled first, as ``pip install`` does, so that a run does not
measure Python compiling them.
"""

from __future__ import annotations

import argparse
import compileall
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import REPO, generate

FLOOR = r"""
import os, sys, yaml
from pathlib import Path
site, out, sizes = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
for path in sorted(site.rglob("*")):
    if path.is_file() and "dist" not in path.relative_to(site).parts:
        data = path.read_bytes()
        if path.suffix == ".yaml":
            yaml.load(data, Loader=yaml.CLoader)
for index, size in enumerate(int(s) for s in Path(sizes).read_text().split()):
    target = out / str(index % 1000) / f"{index}.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(b"x" * size)
"""


@dataclass
class Run:
    seconds: float
    peak_mb: float
    output: str
    changed: int | None = None  # output files rewritten (rebuilds)


class TreeMemory:
    """Peak memory of a process and all its descendants, sampled from /proc (parallel
    builds run in several processes, so one process's peak says too little). Each
    process counts its proportional set size (PSS): pages that forked workers share with
    their parent are counted once, not once per process as resident sizes would be."""

    def __init__(self, pid: int) -> None:
        self.pid, self.peak = pid, 0
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._sample, daemon=True)
        self.thread.start()

    def _sample(self) -> None:
        """Often at first, then every quarter second: reading a large process's PSS
        walks its page tables, and sampling fifty times a second took a fifth of the
        CPU a build needs (a build's memory grows slowly, so its peak is still seen)."""
        page = os.sysconf("SC_PAGE_SIZE")
        started = time.perf_counter()
        while not self.done.is_set():
            parents: dict[int, int] = {}
            for entry in os.scandir("/proc"):
                if entry.name.isdigit():
                    try:
                        stat = Path(entry.path, "stat").read_text()
                        parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
                    except (OSError, IndexError, ValueError):
                        continue
            tree, grew = {self.pid}, True
            while grew:
                grew = False
                for child, parent in parents.items():
                    if parent in tree and child not in tree:
                        tree.add(child)
                        grew = True
            total = 0
            for pid in tree:
                total += _pss(pid, page)
            self.peak = max(self.peak, total)
            self.done.wait(min(0.25, 0.01 + 0.05 * (time.perf_counter() - started)))

    def stop(self) -> float:
        self.done.set()
        self.thread.join()
        return self.peak / 2**20


def _pss(pid: int, page: int) -> int:
    """A process's proportional set size in bytes (its resident size where the kernel
    does not report PSS)."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    except (OSError, IndexError, ValueError):
        pass
    try:
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * page
    except (OSError, IndexError, ValueError):
        return 0


def timed(command: list[str], env: dict[str, str] | None = None) -> Run:
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True, env=env)
    memory = TreeMemory(process.pid)
    output, _ = process.communicate()
    seconds = time.perf_counter() - started
    peak = memory.stop()
    if process.returncode != 0:
        sys.exit(f"{' '.join(command)} failed:\n{output}")
    return Run(seconds, peak, output.strip().splitlines()[-1] if output.strip() else "")


def stamps(dist: Path) -> dict[str, tuple[int, int]]:
    """Each output file's inode and modification time: what deploy tools compare."""
    found = {}
    for folder, _, files in os.walk(dist):
        for name in files:
            info = os.stat(os.path.join(folder, name))
            found[os.path.join(folder, name)] = (info.st_ino, info.st_mtime_ns)
    return found


def rebuild(command: list[str], dist: Path) -> Run:
    """A timed rebuild, with the number of output files it rewrote or removed."""
    before = stamps(dist)
    run = timed(command)
    after = stamps(dist)
    run.changed = sum(before.get(path) != stamp for path, stamp in after.items()) + len(
        before.keys() - after.keys())
    return run


def shipped(work: Path, python: str) -> None:
    """Full builds of the shipped site, as a newcomer's first command runs them."""
    site = work / "shipped"
    for name in ("content", "templates", "static", "locales"):
        shutil.copytree(REPO / name, site / name)
    cache = work / "template-cache"
    env = {**os.environ, "SITEGEN_CACHE_DIR": str(cache)}
    runs = []
    for _ in range(6):
        for leftover in (site / "dist", site / ".dist.cache"):
            shutil.rmtree(leftover, ignore_errors=True)
        runs.append(timed([python, "-m", "sitegen", "build", "--site", str(site)], env))
    later = sorted(run.seconds for run in runs[1:])
    print(f"\nShipped site, full build in a fresh folder: {runs[0].seconds:.2f} s the first "
          f"time on this machine, then {later[len(later) // 2]:.2f} s (median of "
          f"{len(later)}); peak {max(run.peak_mb for run in runs):.0f} MB")
    print(f"  {runs[-1].output}")
    shutil.rmtree(site)


def output_sizes(dist: Path) -> list[int]:
    return [path.stat().st_size for path in sorted(dist.rglob("*")) if path.is_file()]


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    if old not in text:
        sys.exit(f"bench: cannot find {old!r} in {path}")
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def first_figure_value(fact_file: Path) -> str:
    for line in fact_file.read_text(encoding="utf-8").splitlines():
        if line.strip().startswith("- value: "):
            return line
    sys.exit(f"bench: no figure value in {fact_file}")


def bench(size: int, work: Path, python: str) -> list[tuple[str, Run]]:
    site = generate(work / f"site-{size}", size)
    build = [python, "-m", "sitegen", "build", "--site", str(site)]
    results = [("cold full build", timed(build))]  # a new site: no output, no cache
    dist = site / "dist"
    pages = sum(1 for _ in dist.rglob("*.html"))
    sizes = output_sizes(dist)
    results.append(("rebuild, nothing changed", rebuild(build, dist)))

    fact = sorted((site / "content" / "communities").glob("*.yaml"))[size // 2]
    line = first_figure_value(fact)
    edit(fact, line, line + "1")
    results.append(("rebuild, one figure edited", rebuild(build, dist)))

    catalog = site / "locales" / "vi" / "LC_MESSAGES" / "messages.po"
    edit(catalog, 'msgstr "Nguồn tham khảo"', 'msgstr "Các nguồn tham khảo"')
    results.append(("rebuild, one .po string edited", rebuild(build, dist)))

    template = site / "templates" / "community.html"
    edit(template, "</article>", "</article>\n<!-- edited -->")
    results.append(("rebuild, a template edited", rebuild(build, dist)))

    with tempfile.TemporaryDirectory(dir=work) as scratch:
        listing = Path(scratch) / "sizes.txt"
        listing.write_text(" ".join(map(str, sizes)))
        floor = timed([python, "-c", FLOOR, str(site), str(Path(scratch) / "out"),
                       str(listing)])
    results.insert(0, ("floor: read inputs, write outputs", floor))
    _report(size, pages, len(sizes), sum(sizes), results)
    shutil.rmtree(site)
    return results


def _report(size: int, pages: int, files: int, total: int,
            results: list[tuple[str, Run]]) -> None:
    floor = results[0][1].seconds
    print(f"\nN = {size:,} communities: {pages:,} pages, {files:,} files, "
          f"{total / 2**20:,.1f} MB written")
    print(f"  {'case':34} {'wall s':>8} {'pages/s':>9} {'peak MB':>8} {'/ floor':>8} "
          f"{'rewritten':>10}")
    for name, run in results:
        rewritten = "" if run.changed is None else f"{run.changed:,}"
        print(f"  {name:34} {run.seconds:8.2f} {pages / run.seconds:9,.0f} "
              f"{run.peak_mb:8.0f} {run.seconds / floor:8.2f} {rewritten:>10}")
    sys.stdout.flush()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100,1000",
                        help="comma-separated numbers of communities (default 100,1000)")
    default_dir = "/dev/shm" if Path("/dev/shm").is_dir() else tempfile.gettempdir()
    parser.add_argument("--dir", default=default_dir,
                        help=f"where to generate and build (default {default_dir})")
    args = parser.parse_args()
    sizes = [int(part.replace("_", "")) for part in args.sizes.split(",")]
    print(f"sitegen benchmark on {os.cpu_count()} CPU(s), Python {sys.version.split()[0]}, "
          f"in {args.dir}")
    compileall.compile_dir(REPO / "sitegen", quiet=1)
    with tempfile.TemporaryDirectory(prefix="sitegen-bench-", dir=args.dir) as work:
        shipped(Path(work), sys.executable)
        for size in sizes:
            bench(size, Path(work), sys.executable)


if __name__ == "__main__":
    main()
