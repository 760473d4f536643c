"""The test server behaves like the static hosts the site is published on; the browser
tests rely on it, so it is checked on its own, without a browser."""

from __future__ import annotations

import http.client
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from .server import headers_for, parse_headers_file, serve

HEADERS = """\
# Every file
/*
  Content-Security-Policy: default-src 'self'
  X-Frame-Options: DENY

/assets/*
  Cache-Control: public, max-age=31536000, immutable
  cache-control: no-transform

/:lang/404.html
  X-Robots-Tag: noindex

https://example.org/en/
  X-Lang: en
"""


def test_headers_file_rules_match_paths() -> None:
    rules = parse_headers_file(HEADERS)
    assert [rule.pattern for rule in rules] == [
        "/*", "/assets/*", "/:lang/404.html", "https://example.org/en/"]
    everywhere = {"Content-Security-Policy": "default-src 'self'", "X-Frame-Options": "DENY"}
    assert headers_for(rules, "/") == everywhere
    assert headers_for(rules, "/assets/style.css") == {
        **everywhere, "Cache-Control": "public, max-age=31536000, immutable, no-transform"}
    assert headers_for(rules, "/ko/404.html") == {**everywhere, "X-Robots-Tag": "noindex"}
    assert "X-Robots-Tag" not in headers_for(rules, "/ko/hue/404.html")
    assert headers_for(rules, "/en")["X-Lang"] == "en"
    assert headers_for(rules, "/en/")["X-Lang"] == "en"
    assert "X-Lang" not in headers_for(rules, "/en/hue/")


@pytest.mark.parametrize("text", ["/*\nX-Frame-Options: DENY\n", "  X-Frame-Options: DENY\n",
                                  "/*\n  no colon here\n"])
def test_malformed_headers_file_is_an_error(text: str) -> None:
    with pytest.raises(ValueError, match="_headers:"):
        parse_headers_file(text)


@pytest.fixture
def served(tmp_path: Path) -> Iterator[str]:
    site = tmp_path / "dist"
    (site / "en").mkdir(parents=True)
    (site / "empty").mkdir()
    (site / "index.html").write_text("root", encoding="utf-8")
    (site / "en" / "index.html").write_text("english", encoding="utf-8")
    (site / "404.html").write_text("not found page", encoding="utf-8")
    (site / "lang.js").write_text("1;", encoding="utf-8")
    (site / "_headers").write_text("/en/*\n  X-Test: yes\n", encoding="utf-8")
    (tmp_path / "secret.txt").write_text("outside", encoding="utf-8")
    with serve(site) as url:
        yield url


def get(url: str, path: str) -> tuple[int, dict[str, str], str]:
    connection = http.client.HTTPConnection(urlsplit(url).netloc, timeout=10)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read().decode()
    finally:
        connection.close()


def test_server_maps_directories_to_index_and_sends_headers(served: str) -> None:
    assert get(served, "/")[::2] == (200, "root")
    status, headers, body = get(served, "/en/")
    assert (status, body, headers["X-Test"]) == (200, "english", "yes")
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert get(served, "/lang.js")[1]["Content-Type"].startswith("text/javascript")
    assert "X-Test" not in get(served, "/")[1]


def test_server_redirects_a_directory_without_its_slash(served: str) -> None:
    status, headers, _ = get(served, "/en")
    assert (status, headers["Location"]) == (301, "/en/")


@pytest.mark.parametrize("path", ["/missing/", "/en/missing", "/empty/", "/_headers",
                                  "/../secret.txt", "/%2e%2e/secret.txt"])
def test_server_answers_missing_paths_with_the_404_page(served: str, path: str) -> None:
    status, _, body = get(served, path)
    assert (status, body) == (404, "not found page")
