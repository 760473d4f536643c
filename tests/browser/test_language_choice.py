"""The root page sends each reader to their language; the switcher's choice is remembered;
and without JavaScript every page still shows its content."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest
from conftest import run_cli

from .conftest import context_factory
from .pageutil import open_page
from .server import serve
from .site import (
    ALL_PAGES,
    COMMUNITIES,
    DEFAULT_LANGUAGE,
    LANGUAGES,
    SitePage,
    locale_tag,
    unsupported_locale,
)

if TYPE_CHECKING:
    from pathlib import Path

    from playwright.sync_api import Browser, BrowserContext, Page

NewContext = Callable[..., "BrowserContext"]
OTHER_LANGUAGES = [lang for lang in LANGUAGES if lang != DEFAULT_LANGUAGE]


def landing_path(page: Page) -> str:
    """Open the root page and wait until its script has sent the reader on."""
    page.goto("/")
    page.wait_for_url(re.compile(r"/[^/]+/$"))
    page.wait_for_load_state("load")
    return page.evaluate("location.pathname")


def prefer_languages(page: Page, tags: list[str]) -> None:
    """Give the tab an ordered list of preferred languages.

    Playwright's ``locale`` option gives ``navigator.languages == [locale]`` (one entry);
    ``extra_http_headers={"Accept-Language": ...}`` changes only the HTTP header, not
    ``navigator.languages``, which is what the root page reads. Chromium's own user-agent
    override (the DevTools protocol's ``Emulation.setUserAgentOverride`` with
    ``acceptLanguage``, which Playwright's ``locale`` also uses) sets the whole list:
    ``navigator.languages`` then equals ``tags`` in order, exactly as for a reader who set
    that list in the browser's language settings, and ``Accept-Language`` follows it."""
    session = page.context.new_cdp_session(page)
    user_agent = page.evaluate("navigator.userAgent")
    session.send("Emulation.setUserAgentOverride",
                 {"userAgent": user_agent, "acceptLanguage": ",".join(tags)})
    assert page.evaluate("navigator.languages") == tags


@pytest.mark.parametrize("lang", LANGUAGES)
def test_browser_locale_lands_on_its_language(new_context: NewContext, lang: str) -> None:
    page = new_context(locale=locale_tag(lang)).new_page()
    assert landing_path(page) == f"/{lang}/"


def test_unsupported_locale_lands_on_the_default_language(new_context: NewContext) -> None:
    page = new_context(locale=unsupported_locale()).new_page()
    assert landing_path(page) == f"/{DEFAULT_LANGUAGE}/"


def test_default_language_need_not_be_listed_first(
        browser: Browser, make_site: Callable[..., Path], tmp_path: Path) -> None:
    """A reader whose languages the site lacks lands on the site's ``default_language``,
    not simply on the first language listed."""
    site = make_site()
    settings = site / "content" / "site.yaml"
    settings.write_text(settings.read_text(encoding="utf-8") + "default_language: vi\n",
                        encoding="utf-8")
    out = tmp_path / "dist"
    result = run_cli("build", "--site", site, "--out", out)
    assert result.code == 0, result.err
    with serve(out) as url, context_factory(browser, url) as make:
        assert landing_path(make(locale=unsupported_locale()).new_page()) == "/vi/"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_first_supported_preference_wins(new_context: NewContext, lang: str) -> None:
    """An unsupported first choice is passed over for the reader's next one, and the
    reader's order beats the order of the site's languages."""
    others = [locale_tag(other) for other in LANGUAGES if other != lang]
    tags = [unsupported_locale(), locale_tag(lang), *others]
    page = new_context(locale=locale_tag(DEFAULT_LANGUAGE)).new_page()
    prefer_languages(page, tags)
    assert landing_path(page) == f"/{lang}/"


@pytest.mark.parametrize("lang", OTHER_LANGUAGES)
def test_switcher_keeps_the_page_and_remembers_the_choice(
        new_context: NewContext, lang: str) -> None:
    slug = COMMUNITIES[0]
    context = new_context(locale=locale_tag(DEFAULT_LANGUAGE))
    page = context.new_page()
    page.goto(f"/{DEFAULT_LANGUAGE}/{slug}/")
    page.locator(f'nav.language-switcher a[data-lang="{lang}"]').click()
    page.wait_for_url(f"**/{lang}/{slug}/")
    assert page.evaluate("document.documentElement.lang") == lang
    # The browser still prefers the default language; the reader's choice wins.
    assert page.evaluate("navigator.languages")[0] == locale_tag(DEFAULT_LANGUAGE)
    assert landing_path(context.new_page()) == f"/{lang}/"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_root_page_without_javascript_links_every_language(
        new_context: NewContext, lang: str) -> None:
    page = new_context(java_script_enabled=False, locale=unsupported_locale()).new_page()
    page.goto("/")
    links = page.locator(".language-list a[data-lang]")
    assert sorted(links.evaluate_all("links => links.map(a => a.dataset.lang)")) == sorted(
        LANGUAGES)
    assert page.evaluate("location.pathname") == "/"
    link = links.and_(page.locator(f'[data-lang="{lang}"]'))
    assert link.is_visible()
    link.click()
    page.wait_for_url(f"**/{lang}/")
    assert page.evaluate("document.documentElement.lang") == lang
    assert page.locator("main h1").first.is_visible()


def main_content(page: Page) -> tuple[str, str]:
    """The first h1's text and the text of main outside it, both as a reader sees them."""
    h1 = page.locator("main h1").first
    heading = h1.inner_text().strip() if h1.count() and h1.is_visible() else ""
    text = page.locator("main").first.inner_text().strip() if page.locator("main").count() else ""
    return heading, text.replace(heading, "", 1).strip()


@pytest.mark.parametrize("site_page", ALL_PAGES, ids=lambda p: p.key)
def test_every_page_shows_its_content_without_javascript(
        new_context: NewContext, site_page: SitePage) -> None:
    page = open_page(new_context(java_script_enabled=False), site_page)
    heading, text = main_content(page)
    assert heading, f"{site_page.path}: no visible h1 in main"
    assert text, f"{site_page.path}: main shows nothing but its heading"
    assert page.evaluate("document.documentElement.lang") == site_page.lang
