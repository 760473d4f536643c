"""What the browser tests visit: the site's languages and page types, read from content/.

The tests are parametrized at collection time, before anything is built, so the lists come
from the content files (what the build is asked to produce) rather than from dist/; a page
type that the build fails to produce then fails its tests instead of going unnoticed."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml
from babel.core import get_global

CONTENT = Path(__file__).resolve().parents[2] / "content"


@dataclass(frozen=True)
class SitePage:
    """One page a reader can open: its URL path, language, kind and expected HTTP status."""

    key: str  # test id: "root", "404", "ko/index", "ko/hue", "ko/programs/icf", ...
    path: str  # URL path on the server, e.g. "/ko/hue/"
    lang: str
    kind: str  # root, index, fact-sheet, programme, compare, 404
    status: int = 200

    @property
    def is_root(self) -> bool:
        return self.kind == "root"


def _site() -> dict:
    return yaml.safe_load((CONTENT / "site.yaml").read_text(encoding="utf-8"))


SITE = _site()
LANGUAGES: list[str] = list(SITE["languages"])
DEFAULT_LANGUAGE: str = SITE["default_language"]
COMMUNITIES: list[str] = sorted(path.stem for path in (CONTENT / "communities").glob("*.yaml"))
PROGRAMMES: list[str] = [
    entry["id"] for entry in yaml.safe_load(
        (CONTENT / "programs.yaml").read_text(encoding="utf-8"))["programs"]]
# A missing path: the host answers it with the site's root 404.html and status 404.
MISSING_PATH = "/no-such-page/"


def pages_in(lang: str) -> list[SitePage]:
    """Every page type in one language."""
    return [
        SitePage(f"{lang}/index", f"/{lang}/", lang, "index"),
        *(SitePage(f"{lang}/{slug}", f"/{lang}/{slug}/", lang, "fact-sheet")
          for slug in COMMUNITIES),
        *(SitePage(f"{lang}/programs/{pid}", f"/{lang}/programs/{pid}/", lang, "programme")
          for pid in PROGRAMMES),
        SitePage(f"{lang}/compare", f"/{lang}/compare/", lang, "compare"),
        SitePage(f"{lang}/404", f"/{lang}/404.html", lang, "404"),
    ]


# The root page, the host's 404 for a missing path, then every page type in every language.
ALL_PAGES: list[SitePage] = [
    SitePage("root", "/", DEFAULT_LANGUAGE, "root"),
    SitePage("404", MISSING_PATH, DEFAULT_LANGUAGE, "404", status=404),
    *(page for lang in LANGUAGES for page in pages_in(lang)),
]


def locale_tag(lang: str) -> str:
    """The regional tag a browser in that language typically reports (ko -> ko-KR), from
    CLDR's likely subtags, so that a language added to site.yaml is covered as well."""
    likely = get_global("likely_subtags").get(lang, lang)
    parts = likely.split("_")
    region = next((part for part in parts[1:] if part.isupper() and len(part) == 2), None)
    return f"{lang}-{region}" if region else lang


def unsupported_locale() -> str:
    """A browser locale in a language the site does not have."""
    return next(tag for tag in ("fr-FR", "de-DE", "es-ES", "ja-JP", "pt-BR")
                if tag.split("-")[0] not in LANGUAGES)
