"""One run of the build steps listed in :mod:`sitegen.build`, for a build, a check or the
preview.

The same code renders every output whichever the destination is (the staging folder, a
folder that is thrown away, memory), and whether the run is full or incremental: an
incremental run only passes the previous build's records along, so that unchanged
outputs are recognised and kept.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import BinaryIO

from sitegen import export, hosting, listings, sitemap
from sitegen import manifest as manifests
from sitegen.build import TASK_FILES, BuildResult, ProgressCallback
from sitegen.content_warnings import cited_sources, uncited
from sitegen.depends import body_digest, digest
from sitegen.errors import BuildFailed, ErrorList
from sitegen.factsheet import COMMUNITY_TEMPLATE, Result, Sink, Task, Workspace, process
from sitegen.inputs import Inputs, load_inputs
from sitegen.manifest import Manifest, Record
from sitegen.page import ASSETS, Page
from sitegen.pagination import page_count
from sitegen.parallel import Workers, available_cores
from sitegen.render import make_environment
from sitegen.site_warnings import SiteWarning, StrictFailed
from sitegen.translation_status import content_texts, interface_status, texts_status
from sitegen.validate import community_files
from sitegen.write import MemorySink, NullSink, OutputError, Staging, abandon, prepare, publish

COMMUNITY_INPUTS = "community inputs"  # a manifest's digest of Digests.community_inputs


@dataclass
class Outcome:
    """What a run made: a record per community, the other outputs, what it wrote."""

    records: list[Record]
    outputs: dict[str, tuple[bytes, bytes]]
    listing_pages: dict[str, int]
    warnings: tuple[SiteWarning, ...]
    sizes: dict[str, int] = field(default_factory=dict)  # of site.json and facts.csv

    def pages_per_language(self) -> dict[str, int]:
        return {lang: len(self.records) + n for lang, n in self.listing_pages.items()}

    def files(self) -> int:
        return len(self.outputs) + sum(len(record.outputs) for record in self.records)


class SiteBuild:
    def __init__(self, root: Path, base_url: str | None, jobs: int | None,
                 progress: ProgressCallback | None) -> None:
        self.root = root
        self.base_url = base_url
        self.jobs = jobs if jobs is not None else available_cores()
        self.progress = progress
        self.done = 0
        self.total = 0
        self.written: list[str] = []  # outputs this run wrote (their bytes changed)
        self.spill: Path | None = None  # where new site.json/facts.csv parts wait
        self.previous_paths: set[str] = set()  # the previous build's outputs
        self.community_inputs = b""  # this build's Digests.community_inputs
        self.same_inputs = False  # ... and the previous build's were the same
        self.removed: list[str] = []  # outputs of the previous build this run removed

    # The three uses ---------------------------------------------------------------
    def build(self, out: Path, previous: Manifest | None, raw: bytes, strict: bool,
              started: float) -> BuildResult:
        """Bring ``out`` up to date (see sitegen.build.build)."""
        errors, shared_inputs, paths = self._load()
        if previous is not None and not _parts_usable(out, previous):
            previous = None
        full = previous is None
        self.spill = out.parent
        staging = prepare(out, None if full else previous.twin_inode,
                          () if full else previous.twin_stale)
        try:
            outcome = self._run(errors, shared_inputs, paths, staging, previous, full,
                                staging_parts=(out, staging))
            self._remove_gone(staging, previous, outcome)
            changed = sorted(set(self.written) | set(self.removed))
            pending = Manifest(
                raw=raw, out_inode=0,
                twin_inode=0, twin_stale=[] if full else changed, records=outcome.records,
                outputs=outcome.outputs, pages_per_language=outcome.pages_per_language(),
                files=outcome.files(), warnings=outcome.warnings,
                extra={**outcome.sizes, COMMUNITY_INPUTS: self.community_inputs})
            if strict and outcome.warnings:
                raise StrictFailed(outcome.warnings)
        except (BuildFailed, StrictFailed):
            self._abandon(staging, out, previous)
            raise
        except OSError as exc:  # a full disk, a file too large, a folder that vanished
            shutil.rmtree(staging.path, ignore_errors=True)
            raise OutputError(f"cannot write the site beside {out}: "
                              f"{exc.strerror or exc}; the previous site was left as it "
                              "was") from exc
        except BaseException:
            shutil.rmtree(staging.path, ignore_errors=True)
            raise
        if full or changed:
            publish(staging, out, pending, full)
        else:  # nothing to publish: the staging folder, level with out/, is its twin
            abandon(staging, out)
            pending.out_inode, pending.twin_inode = previous.out_inode, _inode(
                manifests.folder(out) / "twin")
            manifests.write(out, pending)
        return BuildResult(outcome.pages_per_language(), outcome.files(),
                           time.perf_counter() - started, outcome.warnings,
                           None if full else len(changed))

    def check(self, strict: bool, started: float) -> BuildResult:
        errors, shared_inputs, paths = self._load()
        outcome = self._run(errors, shared_inputs, paths, NullSink(), None, True)
        if strict and outcome.warnings:
            raise StrictFailed(outcome.warnings)
        return BuildResult(outcome.pages_per_language(), outcome.files(),
                           time.perf_counter() - started, outcome.warnings)

    def in_memory(self) -> tuple[list[Page], dict[str, int]]:
        errors, shared_inputs, paths = self._load()
        sink = MemorySink()
        outcome = self._run(errors, shared_inputs, paths, sink, None, True)
        return ([Page(path, body) for path, body in sink.pages.items()],
                outcome.pages_per_language())

    # Steps --------------------------------------------------------------------------
    def _load(self) -> tuple[ErrorList, tuple, list[Path]]:
        errors = ErrorList()
        shared_inputs = load_inputs(self.root, self.base_url, errors)
        paths = community_files(self.root, errors)
        return errors, shared_inputs, paths

    def _run(self, errors: ErrorList, shared_inputs: tuple, paths: list[Path], sink: Sink,
             previous: Manifest | None, force: bool,
             staging_parts: tuple[Path, Staging] | None = None) -> Outcome:
        shared, inputs = shared_inputs
        ws = Workspace(self.root, shared, inputs, sink, force=force)
        old = {r.slug: r for r in previous.records} if previous else {}
        if inputs is not None:
            self.community_inputs = inputs.digests.community_inputs(COMMUNITY_TEMPLATE)
            self.same_inputs = previous is not None and previous.extra.get(
                COMMUNITY_INPUTS) == self.community_inputs
        if previous is not None:  # what it had, for removing what this run no longer has;
            self.previous_paths = set(previous.all_outputs())  # its records go with `old`
            previous.records = []
        if inputs is not None:
            _compile_templates(self.root)
        with Workers(ws, self.jobs) as workers:
            records, fresh = self._fact_files(workers, ws, paths, old, errors)
            old.clear()  # the replaced records: memory for ten thousand of them
            if errors or inputs is None:
                raise BuildFailed(errors)
            outcome = self._listings(workers, ws, inputs, records, previous)
        try:
            self._site_files(ws, inputs, outcome, previous, fresh, staging_parts)
        finally:
            fresh.close()
        outcome.warnings = _warnings(self.root, inputs, outcome.records)
        return outcome

    def _fact_files(self, workers: Workers, ws: Workspace, paths: list[Path],
                    old: dict[str, Record],
                    errors: ErrorList) -> tuple[list[Record], _Parts]:
        """Step 2: every fact file checked, and its outputs brought up to date. Returns
        the records in page order and the new site.json/facts.csv parts by slug."""
        tasks: list[Task] = []
        kept: dict[str, Record] = {}
        for path in paths:
            record = old.get(path.stem)
            if (record is not None and not ws.force and ws.inputs is not None
                    and _still_fresh(ws, path, record, self.same_inputs)):
                kept[path.stem] = record
            else:
                tasks.append(Task(str(path), record))
        codes = ws.inputs.settings.codes if ws.inputs else ()
        self.done, self.total = 0, len(tasks) * len(codes)
        # Up to TASK_FILES fact files a task, fewer on a small site so that every core
        # gets some: two fact files are two tasks, rendered side by side.
        size = max(1, min(TASK_FILES, -(-len(tasks) // max(1, self.jobs))))
        groups = [tasks[i:i + size] for i in range(0, len(tasks), size)]
        fresh = _Parts(self.spill, keep=not isinstance(ws.sink, NullSink))
        done: dict[str, Record | None] = {}
        template_errors = ErrorList()
        for batch in workers.map(_process_batch, groups, inline=len(groups) < 2):
            for result in batch:
                errors.errors.extend(result.errors)
                template_errors.errors.extend(result.template_errors)
                done[result.slug] = _shared_strings(result.record)
                self.written.extend(result.written)
                if result.parts is not None:
                    fresh.add(result.slug, *result.parts)
                self._step(result.rendered, "fact sheets")
        if not errors:  # a template is only judged on valid content, as rendering stops
            errors.extend(template_errors)  # at the first invalid fact file
        records = []
        for path in paths:
            record = kept[path.stem] if path.stem in kept else done[path.stem]
            if record is not None:
                records.append(record)
        return records, fresh

    def _listings(self, workers: Workers, ws: Workspace, inputs: Inputs,
                  records: list[Record], previous: Manifest | None) -> Outcome:
        """Step 3: the index, compare, programme and 404 pages."""
        settings = inputs.settings
        tasks, kept, counts = listings.plan(
            records, settings.codes, settings.default_language, settings.page_size,
            list(inputs.programs), inputs.digests, previous.outputs if previous else {},
            ws.force)
        if self.jobs > 1 and len(tasks) < 2 * self.jobs:
            tasks = listings.by_language(tasks)
        self.done, self.total = 0, sum(len(task.listings) for task in tasks)
        outputs = dict(kept)
        errors = ErrorList()
        # A few listings render fastest here, where the templates, catalogs and locale
        # data are in use already, unless the fact sheets were rendered by workers:
        # then those are warm, and this process is not.
        inline = len(tasks) < 4 and not workers.started
        for result in workers.map(listings.render, tasks, inline=inline):
            outputs.update(result.outputs)
            self.written.extend(result.written)
            errors.errors.extend(result.errors)
            self._step(result.rendered, "listings")
        if errors:
            raise BuildFailed(errors)
        return Outcome(records, outputs, counts, ())

    def _site_files(self, ws: Workspace, inputs: Inputs, outcome: Outcome,
                    previous: Manifest | None, fresh: _Parts,
                    staging_parts: tuple[Path, Staging] | None) -> None:
        """Step 4: the files made from the whole site."""
        site = ws.site
        old = previous.outputs if previous else {}

        def keep_or_write(page: Page, key: bytes | None = None) -> None:
            bytes_digest = body_digest(page.body)
            if ws.force or old.get(page.path, (b"", b""))[1] != bytes_digest:
                ws.sink.write(page.path, page.body)
                self.written.append(page.path)
            outcome.outputs[page.path] = (key or bytes_digest, bytes_digest)

        for page in (sitemap.robots(inputs.settings), *hosting.hosting_pages(site),
                     export.sources_csv(site),
                     *(Page(ASSETS + name, body) for name, body in inputs.assets.items())):
            keep_or_write(page)
        self._sitemap(ws, inputs, outcome, old, keep_or_write)
        self._site_data(ws, inputs, outcome, previous, fresh, staging_parts)

    @staticmethod
    def _sitemap(ws: Workspace, inputs: Inputs, outcome: Outcome,
                 old: dict[str, tuple[bytes, bytes]],
                 keep_or_write: Callable[[Page, bytes], None]) -> None:
        """The sitemap (split past the protocol's limits), remade only when the list of
        pages or the settings changed: with 40,000 pages it is 30 MB of XML."""
        records, size = outcome.records, inputs.settings.page_size
        program_pages = {p: page_count(sum(p in r.recognised_in for r in records), size)
                         for p in inputs.programs}
        count = page_count(len(records), size)
        routes = sitemap.routes([r.slug for r in records], list(inputs.programs), count,
                                count, program_pages)
        key = digest(inputs.digests.engine, inputs.digests.settings, repr(routes))
        previous_files = [path for path, (k, _) in old.items()
                          if k == key and path.startswith("sitemap")]
        if not ws.force and previous_files:
            outcome.outputs.update((path, old[path]) for path in previous_files)
            return
        for page in sitemap.sitemaps(inputs.settings, routes):
            keep_or_write(page, key)

    def _site_data(self, ws: Workspace, inputs: Inputs, outcome: Outcome,
                   previous: Manifest | None, fresh: _Parts,
                   staging_parts: tuple[Path, Staging] | None) -> None:
        """data/site.json and data/facts.csv, from each community's parts: the new ones
        and, for the others, their bytes in the previous build's files. Each file's
        digest is made of its frame and of its parts' digests, so whether it changed is
        known before it is composed (and its 200 MB, at ten thousand communities, need
        not be hashed)."""
        records = outcome.records
        if isinstance(ws.sink, NullSink):  # check: every part was made, none is kept
            outcome.outputs[export.SITE_JSON] = outcome.outputs[export.FACTS_CSV] = (b"", b"")
            return
        frame = export.SiteJsonFrame.of(ws.site)
        header = b"".join(export.facts_csv(inputs.settings, ()))
        json_digest = digest(frame.opening, frame.tail, *(r.part_digests[0] for r in records))
        csv_digest = digest(header, *(r.part_digests[1] for r in records))
        old = previous.outputs if previous else {}
        json_path, csv_path = export.SITE_JSON, export.FACTS_CSV
        if (not ws.force and old.get(json_path, (b"", b""))[1] == json_digest
                and old.get(csv_path, (b"", b""))[1] == csv_digest):
            for path in (json_path, csv_path):
                outcome.outputs[path] = old[path]
                outcome.sizes[path] = previous.extra[path] if previous else 0
            return
        if staging_parts is None:  # in memory: every part is new
            json_body = b"".join(export.site_json(ws.site, [fresh[r.slug][0] for r in records]))
            csv_body = header + b"".join(fresh[r.slug][1] for r in records)
            for path, body, key in ((json_path, json_body, json_digest),
                                    (csv_path, csv_body, csv_digest)):
                ws.sink.write(path, body)
                outcome.outputs[path] = (key, key)
            return
        out, staging = staging_parts
        with _Composer(staging, json_path) as site_json, _Composer(staging, csv_path) as facts, \
                _Source(out / json_path) as old_json, _Source(out / csv_path) as old_csv:
            site_json.add(frame.opening)
            facts.add(header)
            records[:] = _compose(records, fresh, frame, site_json, facts, old_json, old_csv)
            site_json.add(frame.closing(bool(records)))
        for composer, key in ((site_json, json_digest), (facts, csv_digest)):
            composer.keep()
            self.written.append(composer.path)
            outcome.outputs[composer.path] = (key, key)
            outcome.sizes[composer.path] = composer.size

    def _remove_gone(self, staging: Staging, previous: Manifest | None,
                     outcome: Outcome) -> None:
        """Remove the outputs of the previous build that this one no longer has."""
        if previous is None:
            return
        now = set(outcome.outputs)
        for record in outcome.records:
            now.update(record.outputs)
        for path in sorted(self.previous_paths - now):
            staging.remove(path)
            self.removed.append(path)

    def _abandon(self, staging: Staging, out: Path, previous: Manifest | None) -> None:
        """Leave ``out`` as it is; an incremental staging folder goes back to being the
        twin, with what this run changed in it on record."""
        abandon(staging, out)
        if previous is not None and not staging.fresh:
            manifests.write_twin_state(out, previous.out_inode,
                                       _inode(manifests.folder(out) / "twin"),
                                       sorted(set(self.written) | set(self.removed)))

    def _step(self, rendered: int, what: str) -> None:
        self.done += rendered
        if self.progress is not None and rendered:
            self.progress(self.done, max(self.total, self.done), what)


def _shared_strings(record: Record | None) -> Record | None:
    """The record with one copy of each source and programme id for all records (ten
    thousand records citing forty sources need not hold their own copies of the ids)."""
    if record is not None:
        record.cited = tuple(map(sys.intern, record.cited))
        record.programs = tuple(map(sys.intern, record.programs))
        record.recognised_in = tuple(map(sys.intern, record.recognised_in))
    return record


def _process_batch(tasks: list[Task], ws: Workspace) -> list[Result]:
    return [process(task, ws) for task in tasks]


def _still_fresh(ws: Workspace, path: Path, record: Record, same_inputs: bool) -> bool:
    """A fact file that has not changed since its record (nor just before it was read),
    and whose outputs' keys have not changed either (they cannot have when nothing else
    they depend on changed, ``same_inputs``): nothing of it needs doing."""
    from sitegen.depends import settled
    from sitegen.factsheet import keys

    try:
        info = os.stat(path)
    except OSError:
        return False
    if ((info.st_size, info.st_mtime_ns, info.st_ino) != record.stat
            or not settled(info.st_mtime_ns, record.read_ns)):
        return False
    if same_inputs:
        return True
    wanted, data_key = keys(ws, record.slug, record.digest, record.cited, record.programs)
    return data_key == record.data_key and all(
        record.outputs.get(p, (b"",))[0] == k for p, k in wanted.items())


def _warnings(root: Path, inputs: Inputs, records: Sequence[Record]) -> tuple[SiteWarning, ...]:
    """Every missing translation of every language, then other non-fatal problems."""
    settings = inputs.settings
    found: list[SiteWarning] = []
    shared_texts = list(content_texts((settings, inputs.sources, inputs.programs)))
    for lang in settings.codes:
        found.extend(interface_status(root, lang, inputs.catalogs[lang], inputs.template)[1])
        found.extend(texts_status(shared_texts, lang, settings.default_language)[1])
    cited = set(cited_sources(inputs.programs))
    for record in records:
        found.extend(record.warnings)
        cited.update(record.cited)
    found.extend(uncited(inputs.sources, cited))
    return tuple(sorted(set(found), key=lambda w: (w.path, w.line, w.column, w.message)))


def _parts_usable(out: Path, previous: Manifest) -> bool:
    """The previous site.json and facts.csv are as that build wrote them (their parts
    are copied from there), judged by their size."""
    for path in (export.SITE_JSON, export.FACTS_CSV):
        expected = previous.extra.get(path)
        try:
            if expected is None or os.stat(out / path).st_size != expected:
                return False
        except OSError:
            return False
    return True


def _inode(path: Path) -> int:
    try:
        return os.stat(path).st_ino
    except OSError:
        return 0


def _compile_templates(root: Path) -> None:
    """Compile every template once, before worker processes are forked, so that each
    starts with the code (see render._CompiledTemplates)."""
    import jinja2

    env = make_environment(root)
    for name in env.list_templates():
        try:
            env.get_template(name)
        except (jinja2.TemplateError, UnicodeDecodeError):
            continue  # reported where the template is used


class _Parts:
    """The new site.json and facts.csv parts of a run's communities, by slug, kept in an
    unnamed temporary file (one community's parts are some 30 KB: ten thousand of them
    do not belong in memory) until site.json and facts.csv are composed."""

    def __init__(self, folder: Path | None, keep: bool = True) -> None:
        self.keep = keep
        self.spans: dict[str, tuple[int, int, int]] = {}
        self.file: BinaryIO | None = (  # closed by close(); removed by the system
            tempfile.TemporaryFile(dir=folder) if keep else None)  # noqa: SIM115
        self.size = 0

    def add(self, slug: str, json_part: bytes, csv_part: bytes) -> None:
        if self.file is None:
            return
        self.file.seek(self.size)
        self.file.write(json_part)
        self.file.write(csv_part)
        self.spans[slug] = (self.size, len(json_part), len(csv_part))
        self.size += len(json_part) + len(csv_part)

    def __contains__(self, slug: str) -> bool:
        return slug in self.spans

    def __getitem__(self, slug: str) -> tuple[bytes, bytes]:
        assert self.file is not None
        offset, json_length, csv_length = self.spans[slug]
        self.file.seek(offset)
        data = self.file.read(json_length + csv_length)
        return data[:json_length], data[json_length:]

    def close(self) -> None:
        if self.file is not None:
            self.file.close()


class _Source:
    """A previous build's file that parts are copied from."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.handle: BinaryIO | None = None

    def __enter__(self) -> _Source:
        try:
            self.handle = open(self.path, "rb")
        except OSError:
            self.handle = None
        return self

    def __exit__(self, *exc: object) -> None:
        if self.handle is not None:
            self.handle.close()


def _compose(records: list[Record], fresh: _Parts, frame: export.SiteJsonFrame,
             site_json: _Composer, facts: _Composer, old_json: _Source,
             old_csv: _Source) -> list[Record]:
    """Write every community's parts in order: a new one as given, a run of unchanged
    ones as one copy of the bytes they filled in the previous files (where they are
    contiguous, separators included). Returns the records with their new spans."""
    new_records: list[Record] = []
    run: list[Record] = []

    def flush() -> None:
        if not run:
            return
        first, last = run[0].spans, run[-1].spans
        json_start = site_json.copy(old_json, first[0], last[0] + last[1] - first[0])
        csv_start = facts.copy(old_csv, first[2], last[2] + last[3] - first[2])
        for record in run:
            spans = record.spans
            new_records.append(replace(record, spans=(
                json_start + spans[0] - first[0], spans[1],
                csv_start + spans[2] - first[2], spans[3])))
        run.clear()

    for n, record in enumerate(records):
        if record.slug in fresh:
            flush()
            site_json.add(frame.separator(n == 0))
            json_part, csv_part = fresh[record.slug]
            json_offset = site_json.add(json_part)
            csv_offset = facts.add(csv_part)
            new_records.append(replace(record, spans=(
                json_offset, len(json_part), csv_offset, len(csv_part))))
            continue
        if run:
            before = run[-1].spans
            separator = len(frame.separator(False))
            if (record.spans[0] == before[0] + before[1] + separator
                    and record.spans[2] == before[2] + before[3]):
                run.append(record)
                continue
            flush()
        site_json.add(frame.separator(n == 0))
        run.append(record)
    flush()
    return new_records


class _Composer:
    """A file of the staging folder written in pieces: bytes, and ranges copied from a
    previous build's file (by the kernel where it can)."""

    def __init__(self, staging: Staging, path: str) -> None:
        self.staging = staging
        self.path = path
        self.target = staging.target(path)
        self.temporary = self.target.with_name(f".{self.target.name}.new")
        self.size = 0

    def __enter__(self) -> _Composer:
        self.target.parent.mkdir(parents=True, exist_ok=True)
        self.handle = open(self.temporary, "wb")
        return self

    def __exit__(self, *exc: object) -> None:
        self.handle.close()
        if exc[0] is not None:
            self.discard()

    def add(self, data: bytes) -> int:
        """Append ``data``; return where it starts."""
        start = self.size
        self.handle.write(data)
        self.size += len(data)
        return start

    def copy(self, source: _Source, offset: int, length: int) -> int:
        """Append ``length`` bytes of ``source`` from ``offset``; return where they start."""
        if source.handle is None:
            raise OutputError(f"cannot read {source.path}; run 'sitegen build --clean'")
        start = self.size
        self.handle.flush()
        copied = 0
        try:
            while copied < length:
                done = os.copy_file_range(source.handle.fileno(), self.handle.fileno(),
                                          length - copied, offset + copied)
                if done == 0:
                    break
                copied += done
        except (AttributeError, OSError):  # no copy_file_range here: through memory
            source.handle.seek(offset + copied)
            while copied < length:
                data = source.handle.read(min(length - copied, 1 << 22))
                if not data:
                    break
                self.handle.write(data)
                copied += len(data)
        if copied != length:
            raise OutputError(f"{source.path} is shorter than expected; run 'sitegen build "
                              "--clean'")
        self.size += length
        return start

    def keep(self) -> None:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.target)
        os.rename(self.temporary, self.target)

    def discard(self) -> None:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.temporary)
