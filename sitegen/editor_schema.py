"""JSON Schema files that give editors completion and live checks of the content files.

The schemas are generated from :mod:`sitegen.content_schema`, the definition ``check``
validates against, so an editor's view of the format cannot drift from the validator's.
They are written into the site, as ``<site>/schema/*.schema.json``, because text mappings
list the site's own languages (read from ``content/site.yaml``): each content file names
its schema by a relative path in its first line, which the YAML language server (VS Code's
Red Hat YAML extension, Neovim, Helix, ...) reads without any configuration::

    # yaml-language-server: $schema=../../schema/fact-file.schema.json

Draft-07 is used because it is the newest draft the YAML language server fully supports.
What JSON Schema cannot express (ids defined in other files, duplicate keys, file names,
a plan ending before it starts) is left to ``sitegen check``.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from babel import Locale

from sitegen import content_schema as cs
from sitegen.errors import BuildFailed, ErrorList
from sitegen.schema import (
    INVALID,
    JsonSchema,
    SchemaLanguages,
    Spec,
    check_document,
    definitions,
)
from sitegen.schema import Context as CheckContext
from sitegen.yamlio import load

SCHEMA_DIR = "schema"
DRAFT = "http://json-schema.org/draft-07/schema#"


@dataclass(frozen=True)
class SchemaFile:
    """One generated schema: its file name, the content files it describes, its spec."""

    name: str
    title: str
    applies_to: str
    spec: Callable[[], Spec]
    site_languages: bool = True  # False for site.yaml, where the languages are defined


FILES = (
    SchemaFile("site.schema.json", "sitegen site settings", "content/site.yaml",
               lambda: cs.SITE, site_languages=False),
    SchemaFile("sources.schema.json", "sitegen sources", "content/sources.yaml",
               lambda: cs.SOURCES_FILE),
    SchemaFile("programs.schema.json", "sitegen recognition programmes",
               "content/programs.yaml", lambda: cs.PROGRAMS_FILE),
    SchemaFile("fact-file.schema.json", "sitegen fact file",
               "content/communities/<slug>.yaml", lambda: cs.community_spec("")),
)


def schema_file_for(relative: str) -> SchemaFile | None:
    """The schema of a content file, by its path relative to the site (None if it has
    none, e.g. a .po file or a template)."""
    parts = Path(relative).parts
    if len(parts) == 3 and parts[:2] == ("content", "communities"):
        return FILES[3] if parts[2].endswith(".yaml") else None
    return next((file for file in FILES[:3] if file.applies_to == relative), None)


def header(relative: str) -> str:
    """The first line that points the YAML language server at a content file's schema,
    as a path relative to the file so it works wherever the site is."""
    file = schema_file_for(relative)
    if file is None:
        raise ValueError(f"{relative} has no schema")
    target = os.path.relpath(Path(SCHEMA_DIR) / file.name, Path(relative).parent)
    return f"# yaml-language-server: $schema={Path(target).as_posix()}"


def language_names(codes: tuple[str, ...]) -> tuple[str, ...]:
    """'Vietnamese (Tiếng Việt)': the English name a maintainer knows and the language's
    own name a translator looks for, from CLDR."""
    names = []
    for code in codes:
        locale = Locale.parse(code, sep="-")
        english, native = locale.get_display_name("en"), locale.get_display_name()
        names.append(english if not native or native == english else f"{english} ({native})")
    return tuple(names)


def site_languages(root: Path) -> SchemaLanguages:
    """The languages of the site at ``root``, from content/site.yaml; a broken or missing
    site.yaml raises :class:`BuildFailed` with the same messages ``check`` gives."""
    errors = ErrorList()
    path = root / "content" / "site.yaml"
    display = "content/site.yaml"
    if not path.is_file():
        errors.add(display, 0, 0, "site settings file not found; is this a sitegen site? "
                   "(use --site to name the site's folder)")
        raise BuildFailed(errors)
    document = load(path, display, errors)
    settings = INVALID
    if document is not None:
        settings = check_document(document.root, cs.SITE, CheckContext(display, errors),
                                  "the site's settings")
    if settings is INVALID:
        raise BuildFailed(errors)
    return SchemaLanguages(settings.codes, settings.default_language,
                           language_names(settings.codes))


def document(file: SchemaFile, languages: SchemaLanguages) -> JsonSchema:
    """The whole schema document of one kind of content file."""
    body = file.spec().json_schema(languages if file.site_languages else None)
    body.pop("title", None)
    where = (f"Text mappings take the site's languages ({', '.join(languages.codes)}); "
             "regenerate with 'sitegen schema' after changing them."
             if file.site_languages else "")
    schema: JsonSchema = {
        "$schema": DRAFT,
        "$comment": "Generated by 'sitegen schema' from sitegen/content_schema.py; "
                    "do not edit. " + where,
        "title": file.title,
        "description": f"{file.applies_to}, checked as by 'sitegen check' (which also "
                       "checks ids defined in other files).",
        **body,
    }
    text = json.dumps(schema)
    used = {name: definition for name, definition in definitions().items()
            if f'"#/definitions/{name}"' in text}
    if used:
        schema["definitions"] = used
    return schema


def render(file: SchemaFile, languages: SchemaLanguages) -> str:
    return json.dumps(document(file, languages), indent=2, ensure_ascii=False) + "\n"


def generate(languages: SchemaLanguages) -> dict[str, str]:
    """Every schema file's path relative to the site, with its text."""
    return {f"{SCHEMA_DIR}/{file.name}": render(file, languages) for file in FILES}


def outdated(root: Path, languages: SchemaLanguages | None = None) -> list[str]:
    """The schema files of the site that are missing or differ from what the code makes."""
    wanted = generate(languages or site_languages(root))
    return [relative for relative, text in wanted.items()
            if not (root / relative).is_file()
            or (root / relative).read_text(encoding="utf-8") != text]


def write(root: Path, languages: SchemaLanguages | None = None) -> list[str]:
    """Write the schema files that are missing or out of date; return their paths."""
    languages = languages or site_languages(root)
    wanted = generate(languages)
    changed = outdated(root, languages)
    for relative in changed:
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.tmp")
        temporary.write_text(wanted[relative], encoding="utf-8", newline="\n")
        temporary.replace(path)  # an editor never reads a half-written schema
    return changed
