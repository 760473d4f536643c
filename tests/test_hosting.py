"""Hosting set-ups: the generated _headers and _redirects, --base-url, the pages against the
Content-Security-Policy they are sent with, the GitHub Pages workflow and netlify.toml."""

from __future__ import annotations

import re
import shlex
import shutil
import tomllib
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import pytest
import yaml
from conftest import REPO, run_cli
from pages import html_pages, parse

from sitegen import hosting

WORKFLOW = REPO / ".github" / "workflows" / "pages.yml"
NETLIFY = REPO / "netlify.toml"
HOST_FILES = ("_headers", "_redirects")


# Reading the site's settings and the generated files --------------------------------

def settings(site: Path) -> dict[str, Any]:
    return yaml.safe_load((site / "content" / "site.yaml").read_text(encoding="utf-8"))


def languages(site: Path) -> list[str]:
    """The site's languages in the order content/site.yaml gives them."""
    return list(settings(site)["languages"])


@dataclass
class HeaderRule:
    path: str
    headers: list[tuple[str, str]]


def read_headers(dist: Path) -> list[HeaderRule]:
    """The rules of ``_headers``: a path at the start of a line, indented headers below."""
    rules: list[HeaderRule] = []
    for line in (dist / "_headers").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not line[0].isspace():
            rules.append(HeaderRule(line.strip(), []))
        else:
            name, colon, value = line.strip().partition(":")
            assert colon and rules, f"header outside a rule: {line!r}"
            rules[-1].headers.append((name.strip(), value.strip()))
    return rules


def read_redirects(dist: Path) -> list[list[str]]:
    return [line.split() for line in (dist / "_redirects").read_text(encoding="utf-8")
            .splitlines() if line.strip() and not line.lstrip().startswith("#")]


def netlify_matches(pattern: str, path: str) -> bool:
    """Netlify's header path matching (its headers parser): a ``*`` segment matches any
    rest, a trailing slash is optional, case is ignored."""
    parts = []
    for part in filter(None, pattern.split("/")):
        if part == "*":
            parts.append("?(.*)")
        elif "*" in part:
            parts.append(part.replace("*", "(.*)"))
        else:
            parts.append(re.escape(part))
    return re.match(f"^/{'/'.join(parts)}/?$", path, re.IGNORECASE) is not None


def cloudflare_matches(pattern: str, path: str) -> bool:
    """Cloudflare Pages' matching: ``*`` matches anything, everything else literally."""
    regex = "(.*)".join(re.escape(piece) for piece in pattern.split("*"))
    return re.match(f"^{regex}$", path) is not None


def request_paths(dist: Path, base_path: str) -> dict[str, Path]:
    """Every URL path a reader can request, with the file that answers it."""
    found = {}
    for file in sorted(dist.rglob("*")):
        relative = file.relative_to(dist).as_posix()
        if not file.is_file() or relative in HOST_FILES:
            continue
        found[base_path + quote(relative)] = file
        if file.name == "index.html":
            found[base_path + quote(relative[:-len("index.html")])] = file
    return found


def headers_sent(rules: list[HeaderRule], path: str, matches: Any) -> dict[str, list[str]]:
    """Every value each header gets for ``path``, from every matching rule."""
    sent: dict[str, list[str]] = {}
    for rule in rules:
        if matches(rule.path, path):
            for name, value in rule.headers:
                sent.setdefault(name.lower(), []).append(value)
    return sent


def directives(policy: str) -> dict[str, list[str]]:
    return {parts[0]: parts[1:] for parts in (d.split() for d in policy.split(";")) if parts}


def canonical(page: Path) -> str:
    return next(a["href"] for tag, a in parse(page).links
                if tag == "link" and a.get("rel") == "canonical")


@pytest.fixture(scope="module")
def subpath_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped site built for https://example.org/sub/ with --base-url."""
    out = tmp_path_factory.mktemp("subpath") / "dist"
    result = run_cli("build", "--site", REPO, "--out", out,
                     "--base-url", "https://example.org/sub/")
    assert result.code == 0, result.err
    return out


def copy_repository(target: Path) -> Path:
    """The folders a build reads, as a fresh checkout has them."""
    for name in ("content", "templates", "static", "locales"):
        shutil.copytree(REPO / name, target / name)
    return target


# _redirects -------------------------------------------------------------------------

@pytest.mark.parametrize("built", ["shipped_dist", "subpath_site"])
def test_root_goes_to_each_language_at_the_edge(built: str, request) -> None:
    dist: Path = request.getfixturevalue(built)
    base = "/sub/" if built == "subpath_site" else "/"
    codes = languages(REPO)
    language_rules = [rule for rule in read_redirects(dist)
                      if any(part.startswith("Language=") for part in rule)]
    # One forced rule per language, in the site's order; the root has an index.html that
    # an unforced rule would yield to.
    assert language_rules == [[base, f"{base}{code}/", "302!", f"Language={code}"]
                              for code in codes]
    assert (dist / "index.html").is_file()
    for _, target, _, _ in language_rules:
        assert (dist / target.removeprefix(base) / "index.html").is_file(), target


@pytest.mark.parametrize("built", ["shipped_dist", "subpath_site"])
def test_missing_pages_get_the_404_page_of_their_language(built: str, request) -> None:
    dist: Path = request.getfixturevalue(built)
    base = "/sub/" if built == "subpath_site" else "/"
    rules = read_redirects(dist)
    not_found = {rule[0]: rule[1] for rule in rules if rule[2:] == ["404"]}
    for code in languages(REPO):
        target = not_found[f"{base}{code}/*"]
        assert target == f"{base}{code}/404.html"
        assert (dist / target.removeprefix(base)).is_file()
    for source, target, *_ in rules:
        assert source.startswith(base) and target.startswith(base), (source, target)


def test_cloudflare_pages_applies_none_of_the_netlify_rules(shipped_dist: Path) -> None:
    """Cloudflare Pages also reads _redirects and takes a line of two or three fields with a
    status it knows; a language rule it took without its condition would send every
    reader to one language, so every line must be one it skips."""
    for rule in read_redirects(shipped_dist):
        status = rule[2] if len(rule) > 2 else "302"
        accepted = len(rule) in (2, 3) and status in {"200", "301", "302", "303", "307", "308"}
        assert not accepted, rule


# _headers ---------------------------------------------------------------------------

@pytest.mark.parametrize("built", ["shipped_dist", "subpath_site"])
@pytest.mark.parametrize("matches", [netlify_matches, cloudflare_matches],
                         ids=["netlify", "cloudflare"])
def test_every_file_gets_each_header_exactly_once(built: str, matches: Any, request) -> None:
    """Hosts combine a header set by two matching rules differently (Cloudflare joins the
    values, Netlify keeps one), so each header must come from exactly one rule."""
    dist: Path = request.getfixturevalue(built)
    base = "/sub/" if built == "subpath_site" else "/"
    rules = read_headers(dist)
    assert all(rule.path.startswith(base) for rule in rules), [r.path for r in rules]
    paths = request_paths(dist, base)
    assert len(paths) > 20
    for path, file in paths.items():
        sent = headers_sent(rules, path, matches)
        for name in ("content-security-policy", "x-content-type-options", "referrer-policy",
                     "permissions-policy", "x-frame-options", "cache-control"):
            assert len(sent.get(name, [])) == 1, (path, name, sent.get(name))
        assert sent["x-content-type-options"] == ["nosniff"]
        assert sent["x-frame-options"] == ["DENY"]
        cache = sent["cache-control"][0]
        if file.suffix in (".html", ".xml", ".txt"):
            assert "max-age=0" in cache or "no-cache" in cache, (path, cache)
        if path.startswith(base + "assets/"):
            # Linked with ?v=<hash>, served from a fixed path: never immutable for long.
            assert "immutable" not in cache, (path, cache)
            max_age = int(re.search(r"max-age=(\d+)", cache).group(1))
            assert max_age <= 24 * 60 * 60, (path, cache)


def test_csv_files_declare_their_encoding(shipped_dist: Path) -> None:
    rules = read_headers(shipped_dist)
    for path, file in request_paths(shipped_dist, "/").items():
        if file.suffix == ".csv":
            assert headers_sent(rules, path, netlify_matches)["content-type"] == [
                "text/csv; charset=utf-8"]


def test_policy_is_strict_and_meta_policy_drops_header_only_directives(
        shipped_dist: Path) -> None:
    sent = {name: value for rule in read_headers(shipped_dist) for name, value in rule.headers}
    policy = directives(sent["Content-Security-Policy"])
    assert sent["Content-Security-Policy"] == hosting.CONTENT_SECURITY_POLICY
    assert policy["default-src"] == ["'none'"]
    for name in ("script-src", "style-src", "img-src"):
        assert policy[name] == ["'self'"], name
    assert policy["frame-ancestors"] == ["'none'"] and policy["base-uri"] == ["'none'"]
    meta = directives(hosting.meta_policy())
    assert {"frame-ancestors", "report-uri", "sandbox"}.isdisjoint(meta)
    assert meta == {k: v for k, v in policy.items() if k not in ("frame-ancestors",)}


# The pages satisfy the policy -------------------------------------------------------

LOADED = {  # elements that make the browser fetch something, and the attribute naming it
    "script": "src", "img": "src", "iframe": "src", "frame": "src", "embed": "src",
    "object": "data", "source": "src", "video": "src", "audio": "src", "track": "src",
    "input": "src", "image": "href", "use": "href",
}
FETCHED_LINKS = {"stylesheet", "icon", "apple-touch-icon", "preload", "modulepreload",
                 "manifest", "prefetch"}


class PolicyCheck(HTMLParser):
    """What in a page the Content-Security-Policy would block."""

    def __init__(self, origin: str) -> None:
        super().__init__(convert_charrefs=True)
        self.origin = origin
        self.problems: list[str] = []
        self.in_script = False
        self.scripts = 0
        self.meta_policy: str | None = None

    def same_origin(self, url: str) -> bool:
        parts = urlsplit(url.strip())
        if parts.scheme or parts.netloc:  # "//host/x" has a host and no scheme
            return f"{parts.scheme}://{parts.netloc}" == self.origin
        return True  # a path: resolved against the page's own origin

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        handlers = [name for name in values if name.startswith("on")]
        if handlers:
            self.problems.append(f"<{tag}> has event handler attributes {handlers}")
        if "style" in values:
            self.problems.append(f"<{tag}> has a style attribute")
        if tag == "style":
            self.problems.append("<style> element")
        if tag in ("base", "form"):
            self.problems.append(f"<{tag}> element (base-uri / form-action are 'none')")
        if tag == "script":
            self.scripts += 1
            self.in_script = True
            if not values.get("src"):
                self.problems.append("<script> without src (inline script)")
        if tag == "meta" and values.get("http-equiv", "").lower() == "content-security-policy":
            self.meta_policy = values.get("content", "")
        for name in ("href", "src", "action", "formaction"):
            if values.get(name, "").strip().lower().startswith("javascript:"):
                self.problems.append(f"<{tag} {name}> is a javascript: URL")
        urls = []
        if tag in LOADED and values.get(LOADED[tag]):
            urls.append(values[LOADED[tag]])
        if tag in ("img", "source") and values.get("srcset"):
            urls += [candidate.split()[0] for candidate in values["srcset"].split(",")]
        if tag == "link" and FETCHED_LINKS & set(values.get("rel", "").lower().split()):
            urls.append(values.get("href", ""))
        for url in urls:
            if not self.same_origin(url):
                self.problems.append(f"<{tag}> loads {url!r} from another origin")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self.in_script = False

    def handle_data(self, data: str) -> None:
        if self.in_script and data.strip():
            self.problems.append(f"inline script content {data.strip()[:40]!r}")


@pytest.mark.parametrize("built", ["shipped_dist", "subpath_site"])
def test_every_page_satisfies_the_policy(built: str, request) -> None:
    dist: Path = request.getfixturevalue(built)
    pages = html_pages(dist)
    assert len(pages) > 20
    origin = "https://example.org"
    for page in pages:
        check = PolicyCheck(origin)
        check.feed(page.read_text(encoding="utf-8"))
        check.close()
        assert not check.problems, (page.relative_to(dist), check.problems)
        assert check.scripts >= 1, page  # the check saw the page's own script
        if check.meta_policy is not None:  # a page that carries the policy itself
            assert check.meta_policy == hosting.meta_policy(), page


def test_the_policy_check_catches_what_the_policy_blocks() -> None:
    """The checker above is what stands between a template change and a page the policy
    breaks; make sure it notices each kind of violation."""
    cases = [
        '<script>alert(1)</script>',
        '<p style="color: red">x</p>',
        '<style>p {}</style>',
        '<a href="#" onclick="x()">x</a>',
        '<a href="javascript:x()">x</a>',
        '<img src="https://cdn.example.com/a.png" alt="">',
        '<link rel="stylesheet" href="https://fonts.example.com/a.css">',
        '<script src="//cdn.example.com/a.js"></script>',
        '<img srcset="/a.png 1x, https://cdn.example.com/b.png 2x" alt="">',
        '<form action="/x"></form>',
    ]
    for html in cases:
        check = PolicyCheck("https://example.org")
        check.feed(html)
        assert check.problems, html
    check = PolicyCheck("https://example.org")
    check.feed('<link rel="stylesheet" href="/assets/style.css?v=1">'
               '<script src="https://example.org/assets/lang.js" defer></script>'
               '<img src="/x.png" alt=""><a href="https://elsewhere.example/">x</a>')
    assert check.problems == []


# --base-url -------------------------------------------------------------------------

def test_base_url_replaces_the_one_in_site_yaml(make_site) -> None:
    site = make_site()
    assert "owner.github.io" not in (site / "content/site.yaml").read_text()
    result = run_cli("build", "--site", site, "--base-url", "https://owner.github.io/repo")
    assert result.code == 0, result.err
    dist = site / "dist"
    for code in languages(site):
        assert canonical(dist / code / "index.html") == f"https://owner.github.io/repo/{code}/"
    for page in html_pages(dist):
        for href in parse(page).hrefs():
            if href.startswith("/"):
                assert href.startswith("/repo/"), (page, href)
    assert "<loc>https://owner.github.io/repo/" in (dist / "sitemap.xml").read_text()
    assert read_redirects(dist)[0][:2] == ["/repo/", f"/repo/{languages(site)[0]}/"]
    assert run_cli("check", "--site", site, "--base-url", "https://owner.github.io/repo/",
                   ).code == 0


@pytest.mark.parametrize("command", ["build", "check"])
@pytest.mark.parametrize("value", ["ftp://example.org/", "example.org/sub/", "/sub/",
                                   "https://", "http://[::1", "https://exa mple.org/"])
def test_a_bad_base_url_is_refused_in_one_line(make_site, command: str, value: str) -> None:
    site = make_site()
    result = run_cli(command, "--site", site, "--base-url", value)
    assert result.code == 1
    lines = result.err.strip().splitlines()
    assert len(lines) == 1, result.err
    assert "--base-url" in lines[0] and repr(value) in lines[0]
    assert "Traceback" not in result.err
    assert not (site / "dist").exists()


# GitHub Pages workflow and netlify.toml ---------------------------------------------

def workflow() -> dict[Any, Any]:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def steps(flow: dict[Any, Any]) -> list[dict[str, Any]]:
    return [step for job in flow["jobs"].values() for step in job.get("steps", [])]


def test_workflow_deploys_on_push_to_main_with_pages_permissions() -> None:
    flow = workflow()
    triggers = flow.get("on", flow.get(True))  # YAML 1.1 reads a bare `on` as true
    assert triggers["push"]["branches"] == ["main"]
    assert "workflow_dispatch" in triggers
    assert flow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    assert flow["concurrency"]["cancel-in-progress"] is False
    used = {step["uses"].split("@")[0]: step for step in steps(flow) if "uses" in step}
    for action in ("actions/checkout", "actions/setup-python", "actions/configure-pages",
                   "actions/upload-pages-artifact", "actions/deploy-pages"):
        assert re.fullmatch(r"v\d+", used[action]["uses"].split("@")[1]), used[action]
    assert str(used["actions/setup-python"]["with"]["python-version"]) == "3.11"
    assert used["actions/configure-pages"]["id"] == "pages"
    deploy = next(job for job in flow["jobs"].values()
                  if any(step.get("uses", "").startswith("actions/deploy-pages")
                         for step in job["steps"]))
    assert deploy["environment"]["name"] == "github-pages"
    assert deploy.get("needs"), "deploy runs after the build job"


def test_workflow_build_command_builds_for_the_pages_address(tmp_path: Path) -> None:
    """Run the workflow's own build step, with the address configure-pages would give
    (without a trailing slash), in a fresh copy of the repository."""
    flow = workflow()
    run = next(step["run"] for step in steps(flow) if "sitegen build" in step.get("run", ""))
    assert "--base-url" in run and "steps.pages.outputs.base_url" in run
    command = re.sub(r"\$\{\{\s*steps\.pages\.outputs\.base_url\s*\}\}",
                     "https://owner.github.io/fact-sheets", run.strip())
    argv = shlex.split(command)
    assert argv[:2] == ["sitegen", "build"]
    copy = copy_repository(tmp_path / "checkout")
    result = run_cli(*argv[1:], cwd=copy)
    assert result.code == 0, result.err
    upload = next(step for step in steps(flow)
                  if step.get("uses", "").startswith("actions/upload-pages-artifact"))
    dist = copy / upload["with"]["path"]
    assert canonical(dist / "en" / "index.html") == "https://owner.github.io/fact-sheets/en/"
    assert read_redirects(dist)[0][0] == "/fact-sheets/"


def test_netlify_toml_builds_into_the_published_folder(tmp_path: Path) -> None:
    config = tomllib.loads(NETLIFY.read_text(encoding="utf-8"))
    build = config["build"]
    assert build["publish"] == "dist"
    requires = tomllib.loads((REPO / "pyproject.toml").read_text())["project"][
        "requires-python"]
    assert requires == f">={build['environment']['PYTHON_VERSION']}"
    parts = [shlex.split(part) for part in build["command"].split("&&")]
    assert any("pip" in part and "install" in part for part in parts), build["command"]
    sitegen = next(part for part in parts if "sitegen" in part)
    args = sitegen[sitegen.index("sitegen") + 1:]
    assert args[0] == "build"
    copy = copy_repository(tmp_path / "checkout")
    result = run_cli(*args, cwd=copy)
    assert result.code == 0, result.err
    published = copy / build["publish"]
    for name in (*HOST_FILES, "index.html"):
        assert (published / name).is_file(), name
