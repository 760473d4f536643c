"""``sitegen new``: a fact file with every key present and explained, ready to fill in.

The file is written from the same definition the validator uses
(:data:`sitegen.content_schema.COMMUNITY_FIELDS`), so it lists exactly the keys ``check``
accepts, each with its ``doc`` as a comment, and can never go stale like a copied
template. Required keys are left empty, so ``check`` names each one still to fill in;
optional sections are written commented out, so using one is uncommenting it; the
languages other than the default one are commented out too, since an empty translation
is an error while a missing one falls back to the default language.
"""

from __future__ import annotations

import re
from pathlib import Path

from sitegen import content_schema as cs
from sitegen import editor_schema
from sitegen.schema import (
    ID_HINT,
    ID_PATTERN,
    Date,
    Enum,
    Field,
    ListOf,
    Record,
    SchemaLanguages,
    TextSpec,
)
from sitegen.urls import RESERVED_SLUGS

INDENT = "  "


class ScaffoldError(Exception):
    """A fact file cannot be created (bad slug, existing file); the message says why."""


def _comment(field: Field) -> str:
    """The doc of a key, plus the form of its value where the doc alone does not say."""
    spec = field.spec
    text = field.doc
    if isinstance(spec, Enum) and not all(choice in text for choice in spec.choices):
        text += f": one of {', '.join(spec.choices)}"
    elif isinstance(spec, Date):
        text += " (YYYY, YYYY-MM or YYYY-MM-DD)"
    elif (isinstance(spec, ListOf) and not isinstance(spec.item, Record | TextSpec)
          and "[" not in text):
        text += ", written [id, id]"
    return text + (" (required)" if field.required else "")


def _language_lines(level: int, languages: SchemaLanguages, required: bool) -> list[str]:
    """One line per language; only a required text's default language is left open."""
    lines = []
    for code in languages.codes:
        name = languages.name(code)
        if code == languages.default and required:
            lines.append(f"{INDENT * level}{code}:  # {name}: required")
        else:
            lines.append(f"{INDENT * level}# {code}:  # {name}")
    return lines


def _key(name: str, field: Field, level: int, languages: SchemaLanguages,
         dash: bool = False) -> list[str]:
    """The lines of one key: its comment, the key, and what goes under it.

    ``dash`` writes the key as the first of a list item ('- key:'), one level deeper."""
    pad = INDENT * level
    lead = pad + ("- " if dash else "")
    inner = level + (2 if dash else 1)  # where the value's own keys go
    lines = [f"{pad}# {_comment(field)}"]
    spec = field.spec
    if isinstance(spec, TextSpec):
        return [*lines, f"{lead}{name}:", *_language_lines(inner, languages, field.required)]
    if isinstance(spec, Record):
        return [*lines, f"{lead}{name}:", *_record(spec, inner, languages)]
    if isinstance(spec, ListOf) and isinstance(spec.item, Record):
        return [*lines, f"{lead}{name}:", *_record(spec.item, inner, languages, dash=True)]
    if isinstance(spec, ListOf) and isinstance(spec.item, TextSpec):
        item = _language_lines(0, languages, required=True)
        example = [f"- {item[0]}", *(f"  {line}" for line in item[1:])]
        return [*lines, f"{lead}{name}:", *(f"{INDENT * inner}# {line}" for line in example)]
    return [*lines, f"{lead}{name}:"]


def _record(record: Record, level: int, languages: SchemaLanguages,
            dash: bool = False) -> list[str]:
    """Every key of a record; as one example list item if ``dash``."""
    lines: list[str] = []
    for index, (name, field) in enumerate(record.fields.items()):
        first = dash and index == 0
        lines += _key(name, field, level, languages, dash=first)
        if dash and index == 0:
            # the item's other keys align with the first one, after '- '
            level += 1
    return lines


def fact_file(slug: str, languages: SchemaLanguages) -> str:
    """The text of a new fact file for ``slug``, in the site's ``languages``."""
    relative = f"content/communities/{slug}.yaml"
    lines = [
        editor_schema.header(relative),
        f"# Fact file of '{slug}', shown at /<language>/{slug}/. Fill in the keys marked",
        "# (required); 'sitegen check' names each one still empty. Every fact lists the ids",
        "# of its sources from content/sources.yaml. Optional sections are commented out:",
        "# to use one, uncomment its lines (remove one '# ' from each). A language left",
        "# commented out falls back to the default language.",
    ]
    for name, field in cs.COMMUNITY_FIELDS.items():
        block = _key(name, field, 0, languages)
        lines.append("")
        if field.required:
            lines += block
        else:
            lines += [block[0], *(f"# {line}" for line in block[1:])]
    return "\n".join(lines) + "\n"


def new_community(root: Path, slug: str,
                  languages: SchemaLanguages | None = None) -> tuple[Path, list[str]]:
    """Create ``content/communities/<slug>.yaml``; never overwrites a file.

    Returns the new file and the schema files written so the header line points at a
    schema that exists and knows the site's languages (see :mod:`sitegen.editor_schema`).
    """
    if slug in RESERVED_SLUGS:
        raise ScaffoldError(f"'{slug}' is the address of another part of the site; "
                            "choose another slug")
    if not re.fullmatch(ID_PATTERN, slug):
        raise ScaffoldError(f"'{slug}' cannot be a page address (slug): {ID_HINT}")
    languages = languages or editor_schema.site_languages(root)
    path = root / "content" / "communities" / f"{slug}.yaml"
    text = fact_file(slug, languages)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8", newline="\n") as out:
            out.write(text)
    except FileExistsError:
        raise ScaffoldError(f"content/communities/{slug}.yaml already exists; edit it, or "
                            "choose another slug") from None
    return path, editor_schema.write(root, languages)
