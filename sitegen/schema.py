"""A small declarative schema for YAML node trees.

Each spec both *checks* a node (collecting located errors) and *describes* itself as JSON
Schema, so the validator, generated editor schemas and file templates share one
definition. Specs build the frozen model objects directly from nodes, keeping every
error tied to the line and column where the editor typed the value.
"""

from __future__ import annotations

import datetime
import difflib
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import yaml
from babel import Locale, UnknownLocaleError
from babel.core import get_global
from babel.localedata import locale_identifiers

from sitegen.errors import ErrorList
from sitegen.model import Location, PartialDate, Text

_YAML = "tag:yaml.org,2002:"
_NULL = _YAML + "null"

JsonSchema = dict[str, Any]


@dataclass(frozen=True)
class SchemaLanguages:
    """The languages one site writes its texts in, for describing text mappings.

    JSON Schema cannot read the language list out of ``content/site.yaml``, so the
    generated schema of a site lists them: an editor then completes the language codes of
    a text, requires the default language and flags a code that is not the site's, as
    ``check`` does. ``names`` label each code for translators (e.g. "Vietnamese")."""

    codes: tuple[str, ...]
    default: str
    names: tuple[str, ...] = ()

    def name(self, code: str) -> str:
        return dict(zip(self.codes, self.names, strict=False)).get(code, code)


class _Invalid:
    """Marks a value that failed validation (its errors are already recorded)."""

    def __repr__(self) -> str:
        return "INVALID"


INVALID: Any = _Invalid()


@dataclass(frozen=True)
class Reference:
    """A use of an id that must be defined somewhere else (checked after loading)."""

    kind: str
    id: str
    path: str
    line: int
    column: int


@dataclass
class Context:
    """What a check needs besides the node: where errors go and the site's languages."""

    path: str
    errors: ErrorList
    languages: tuple[str, ...] = ()
    default_language: str = "en"
    references: list[Reference] = field(default_factory=list)

    def error(self, node: yaml.Node, message: str) -> Any:
        mark = node.start_mark
        self.errors.add(self.path, mark.line + 1, mark.column + 1, message)
        return INVALID


def describe(node: yaml.Node) -> str:
    """How a node looks to an editor, for 'expected X, got Y' messages."""
    if isinstance(node, yaml.MappingNode):
        return "a mapping (key: value lines)"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    if node.tag == _YAML + "null":
        return "nothing"
    text = node.value if len(node.value) <= 40 else node.value[:37] + "..."
    return f"'{text}'"


def did_you_mean(word: str, choices: list[str] | tuple[str, ...]) -> str:
    match = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f"; did you mean '{match[0]}'?" if match else ""


class Spec:
    """Base class: ``check`` returns a Python value or INVALID."""

    expected = "a value"

    def check(self, node: yaml.Node, ctx: Context) -> Any:
        raise NotImplementedError

    def json_schema(self, languages: SchemaLanguages | None = None) -> JsonSchema:
        """This spec as JSON Schema (draft-07, what editors' YAML language server reads).

        It accepts everything ``check`` accepts and as much less as JSON Schema can
        express; ``languages`` makes text mappings site-specific (see SchemaLanguages)."""
        raise NotImplementedError

    def scalar(self, node: yaml.Node, ctx: Context) -> str | None:
        """The node's source text if it is a non-empty scalar, else record an error."""
        if isinstance(node, yaml.ScalarNode) and node.tag != _NULL:
            return node.value
        ctx.error(node, f"expected {self.expected}, got {describe(node)}")
        return None


@dataclass
class Str(Spec):
    """Plain text, taken exactly as written (so 'no' or '2019' stay text)."""

    pattern: str | None = None
    pattern_hint: str = ""
    max_length: int = 10_000
    expected: str = "text"

    def check(self, node: yaml.Node, ctx: Context) -> Any:
        value = self.scalar(node, ctx)
        if value is None:
            return INVALID
        if not value.strip():
            return ctx.error(node, f"expected {self.expected}, got empty text")
        if len(value) > self.max_length:
            return ctx.error(node, f"text is longer than {self.max_length:,} characters")
        if self.pattern and not _compiled(self.pattern).fullmatch(value):
            return ctx.error(node, f"'{value}' is not valid: {self.pattern_hint}")
        return value

    def json_schema(self, languages: SchemaLanguages | None = None) -> JsonSchema:
        # check() takes any scalar exactly as written, so `author: 2019` or `en: 1.5` is
        # text to it: numbers (and, without a pattern, true/false) must pass here too.
        if self.pattern:
            return {"type": ["string", "integer"], "minLength": 1,
                    "maxLength": self.max_length, "minimum": 0,
                    "pattern": f"^(?:{self.pattern})$",
                    # read by the YAML language server instead of the bare regex
                    "patternErrorMessage": self.pattern_hint or f"expected {self.expected}"}
        return {"type": ["string", "number", "boolean"], "minLength": 1,
                "maxLength": self.max_length, "pattern": r"\S"}


@functools.lru_cache(maxsize=64)
def _compiled(pattern: str) -> re.Pattern[str]:
    """A spec's pattern, compiled once (re's own cache is searched on every call)."""
    return re.compile(pattern)


ID_PATTERN = r"[a-z0-9]+(?:-[a-z0-9]+)*"
ID_HINT = "use lowercase letters a-z, digits and single hyphens, e.g. 'binh-duong'"


def Id() -> Str:
    return Str(pattern=ID_PATTERN, pattern_hint=ID_HINT, max_length=80, expected="an id")


_ID = Id()  # what every reference is checked against (one, not one per reference)


@dataclass
class Enum(Spec):
    choices: tuple[str, ...]

    @property  # type: ignore[override]
    def expected(self) -> str:
        return "one of " + ", ".join(self.choices)

    def check(self, node: yaml.Node, ctx: Context) -> Any:
        value = self.scalar(node, ctx)
        if value is None:
            return INVALID
        if value not in self.choices:
            return ctx.error(
                node,
                f"'{value}' is not allowed; expected one of {', '.join(self.choices)}"
                + did_you_mean(value, self.choices),
            )
        return value

    def json_schema(self, languages: SchemaLanguages | None = None) -> JsonSchema:
        return {"type": "string", "enum": list(self.choices)}


_INT = re.compile(r"[-+]?[0-9_]+")


@dataclass
class Int(Spec):
    minimum: int | None = None
    maximum: int | None = None
    expected: str = "a whole number"

    def check(self, node: yaml.Node, ctx: Context) -> Any:
        value = self.scalar(node, ctx)
        if value is None:
            return INVALID
        if node.tag != _YAML + "int" or not _INT.fullmatch(value):
            return ctx.error(node, f"expected {self.expected}, got {describe(node)}")
        number = int(value.replace("_", ""))
        return _in_range(number, self.minimum, self.maximum, node, ctx)

    def json_schema(self, languages: SchemaLanguages | None = None) -> JsonSchema:
        return _range_schema({"type": "integer"}, self.minimum, self.maximum)


@dataclass
class Number(Spec):
    minimum: float | None = None
    maximum: float | None = None
    expected: str = "a number"

    def check(self, node: yaml.Node, ctx: Context) -> Any:
        value = self.scalar(node, ctx)
        if value is None:
            return INVALID
        if node.tag not in (_YAML + "int", _YAML + "float"):
            hint = " (write digits only, without thousands separators or units)"
            return ctx.error(node, f"expected {self.expected}, got {describe(node)}{hint}")
        try:
            number: float = float(value.replace("_", ""))
        except ValueError:
            return ctx.error(node, f"expected {self.expected}, got {describe(node)}")
        if number != number or number in (float("inf"), float("-inf")):
            return ctx.error(node, f"expected {self.expected}, got {describe(node)}")
        if number.is_integer() and node.tag == _YAML + "int":
            number = int(number)
        return _in_range(number, self.minimum, self.maximum, node, ctx)

    def json_schema(self, languages: SchemaLanguages | None = None) -> JsonSchema:
        return _range_schema({"type": "number"}, self.minimum, self.maximum)


def _in_range(number: Any, low: Any, high: Any, node: yaml.Node, ctx: Context) -> Any:
    if low is not None and number < low:
        return ctx.error(node, f"{number} is too small; the minimum is {low}")
    if high is not None and number > high:
        return ctx.error(node, f"{number} is too large; the maximum is {high}")
    return number


def _range_schema(schema: dict[str, Any], low: Any, high: Any) -> dict[str, Any]:
    if low is not None:
        schema["minimum"] = low
    if high is not None:
        schema["maximum"] = high
    return schema


MIN_YEAR, MAX_YEAR = 1000, 2999
_DATE = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")


def _date_pattern() -> str:
    """YYYY, YYYY-M(M) or YYYY-M(M)-D(D) with a real month and a day the month can have
    (29 February is let through: leap years are left to ``check``)."""
    day = {31: r"0?[1-9]|[12]\d|3[01]", 30: r"0?[1-9]|[12]\d|30", 29: r"0?[1-9]|[12]\d"}
    months = {31: "0?[13578]|1[02]", 30: "0?[469]|11", 29: "0?2"}
    month_day = "|".join(f"(?:{months[n]})(?:-(?:{day[n]}))?" for n in (31, 30, 29))
    return rf"^\s*[12]\d{{3}}(?:-(?:{month_day}))?\s*$"


# Every valid date written, as the one PartialDate that stands for it. Fact files repeat
# the same few dates thousands of times across a site: each is parsed once, and dates
# that are equal are the same object, which every cache keyed by a date finds at once.
# Nothing is ever dropped, so which dates share an object never depends on what was read
# before (a summary's bytes depend on it); there are at most some hundred thousand.
_DATES: dict[str, PartialDate] = {}


@dataclass
class Date(Spec):
    """A year, year-month or full date (YYYY, YYYY-MM, YYYY-MM-DD)."""

    expected: str = "a date as YYYY, YYYY-MM or YYYY-MM-DD"

    def check(self, node: yaml.Node, ctx: Context) -> Any:
        value = self.scalar(node, ctx)
        if value is None:
            return INVALID
        text = value.strip()
        found = _DATES.get(text)
        if found is not None:
            return found
        match = _DATE.fullmatch(text)
        if not match:
            return ctx.error(node, f"expected {self.expected}, got {describe(node)}")
        year, month, day = (int(g) if g else None for g in match.groups())
        assert year is not None
        if not MIN_YEAR <= year <= MAX_YEAR:
            return ctx.error(node, f"year {year} is out of range ({MIN_YEAR}-{MAX_YEAR})")
        try:  # month 0 or day 0 is no date either, so no "or 1" here
            datetime.date(year, 1 if month is None else month, 1 if day is None else day)
        except ValueError as exc:
            return ctx.error(node, f"'{value}' is not a real date: {exc}")
        found = _DATES[text] = PartialDate(year, month, day)
        return found

    def json_schema(self, languages: SchemaLanguages | None = None) -> JsonSchema:
        # An unquoted 2019 is a YAML integer, while 2019-10-29 is a string to the YAML
        # language server (YAML 1.2 has no timestamps) and to check(): both are allowed.
        return {"type": ["string", "integer"], "pattern": _date_pattern(),
                "patternErrorMessage": f"expected {self.expected}, with a real month and day",
                "minimum": MIN_YEAR, "maximum": MAX_YEAR}


def web_address(value: str) -> str | None:
    """``value`` without surrounding space if it is an absolute http(s) address, else None.

    Shared by :class:`Url` and the command line's ``--base-url``, so an address given
    either way is accepted or refused alike."""
    value = value.strip()
    try:
        parts = urlsplit(value)
    except ValueError:  # e.g. an unclosed IPv6 bracket: "http://[::1"
        return None
    if parts.scheme not in ("http", "https") or not parts.netloc or any(
        c.isspace() for c in value
    ):
        return None
    return value


@dataclass
class Url(Spec):
    expected: str = "a web address starting with https:// or http://"

    def check(self, node: yaml.Node, ctx: Context) -> Any:
        value = self.scalar(node, ctx)
        if value is None:
            return INVALID
        address = web_address(value)
        if address is None:
            return ctx.error(node, f"expected {self.expected}, got {describe(node)}")
        return address

    def json_schema(self, languages: SchemaLanguages | None = None) -> JsonSchema:
        # web_address(): http or https in any case, a host, no space inside.
        return {"type": "string", "format": "uri",
                "pattern": r"^\s*[Hh][Tt][Tt][Pp][Ss]?://[^\s/?#]+\S*\s*$",
                "patternErrorMessage": f"expected {self.expected}, without spaces"}


@dataclass
class Ref(Spec):
    """An id defined elsewhere (a source, a program); resolved once everything is loaded."""

    kind: str
    expected: str = "an id"

    def check(self, node: yaml.Node, ctx: Context) -> Any:
        value = _ID.check(node, ctx)
        if value is not INVALID:
            mark = node.start_mark
            ctx.references.append(
                Reference(self.kind, value, ctx.path, mark.line + 1, mark.column + 1)
            )
        return value

    def json_schema(self, languages: SchemaLanguages | None = None) -> JsonSchema:
        return Id().json_schema(languages)


@dataclass
class QualifiedRef(Spec):
    """``parent/child``: an id defined inside another one (a programme's criterion,
    ``icf/broadband``); both parts are resolved once everything is loaded, and the
    result is the pair."""

    parent: str
    child: str
    expected: str = "an id pair such as 'icf/broadband'"

    def check(self, node: yaml.Node, ctx: Context) -> Any:
        value = self.scalar(node, ctx)
        if value is None:
            return INVALID
        parts = value.split("/")
        if len(parts) != 2 or not all(_compiled(ID_PATTERN).fullmatch(part) for part in parts):
            return ctx.error(node, f"'{value}' is not valid: write {self.expected}, "
                             f"a {self.parent} id and one of its {self.child} ids")
        mark = node.start_mark
        ctx.references.append(Reference(self.parent, parts[0], ctx.path, mark.line + 1,
                                        mark.column + 1))
        ctx.references.append(Reference(f"{self.child} of {parts[0]}", parts[1], ctx.path,
                                        mark.line + 1, mark.column + 1 + len(parts[0]) + 1))
        return (parts[0], parts[1])

    def json_schema(self, languages: SchemaLanguages | None = None) -> JsonSchema:
        return {"type": "string", "pattern": f"^{ID_PATTERN}/{ID_PATTERN}$",
                "patternErrorMessage": f"write {self.expected}, a {self.parent} id and one "
                                       f"of its {self.child} ids"}


class LanguageCode(Spec):
    """A language code CLDR knows (``vi``, ``pt-BR``), kept as the editor wrote it."""

    expected = "a language code such as 'en' or 'vi'"

    def check(self, node: yaml.Node, ctx: Context) -> Any:
        value = self.scalar(node, ctx)
        if value is None:
            return INVALID
        try:
            Locale.parse(value, sep="-")
        except (ValueError, UnknownLocaleError):
            return ctx.error(node, f"'{value}' is not a language code known to CLDR")
        return value

    def json_schema(self, languages: SchemaLanguages | None = None) -> JsonSchema:
        # Wrapped, since draft-07 ignores keywords beside a $ref (e.g. a description).
        return {"allOf": [{"$ref": LANGUAGE_CODE_REF}]}


LANGUAGE_CODE_REF = "#/definitions/language-code"


@functools.cache
def definitions() -> dict[str, JsonSchema]:
    """Schemas that specs refer to by ``$ref`` (the pattern is too long to repeat); a
    schema document carries the ones it uses under ``definitions``."""
    # Locale.parse() knows a language by its CLDR locale data or an alias of one, in any
    # case ('EN' works), followed by any subtags: the first subtag is all JSON Schema can
    # check, as one alternative per code, each letter in both cases.
    codes = {identifier.split("_")[0] for identifier in locale_identifiers()}
    codes |= {alias for alias in get_global("language_aliases") if alias.isalpha()}
    either_case = ("".join(f"[{c}{c.upper()}]" for c in code)
                   for code in sorted(codes, key=lambda code: (-len(code), code)))
    return {"language-code": {
        "type": "string",
        "description": "a BCP 47 language code CLDR knows, e.g. en, vi, pt-BR",
        "pattern": f"^(?:{'|'.join(either_case)})(?:-[A-Za-z0-9]+)*$",
        "patternErrorMessage": "not a language code known to CLDR (e.g. en, vi, pt-BR)",
    }}


_CODE = Str(expected="a language code")  # the keys and values of every text mapping
_TEXT = Str(expected="text")


@dataclass
class TextSpec(Spec):
    """Translatable text: a mapping of the site's language codes to text."""

    markdown: bool = False
    any_language: bool = False
    expected: str = "a mapping of language codes to text, e.g. {en: ..., vi: ...}"

    def check(self, node: yaml.Node, ctx: Context) -> Any:
        if not isinstance(node, yaml.MappingNode):
            return ctx.error(
                node,
                f"expected a mapping of language codes to text, got {describe(node)}; "
                f"write e.g. '{ctx.default_language}: ...' on the next line, indented",
            )
        items: list[tuple[str, str]] = []
        ok = True
        for key, value in node.value:
            code = _CODE.check(key, ctx)
            if code is not INVALID and value.tag == _NULL:  # 'vi:' and nothing
                ctx.error(key, f"no text after '{code}:'; " + (
                    "the text in the default language is required"
                    if code == ctx.default_language else
                    "write it, or remove the line until the text is translated"))
                ok = False
                continue
            text = _TEXT.check(value, ctx)
            if code is INVALID or text is INVALID:
                ok = False
                continue
            if self.any_language:
                if LanguageCode().check(key, ctx) is INVALID:
                    ok = False
                    continue
            elif ctx.languages and code not in ctx.languages:
                ctx.error(
                    key,
                    f"'{code}' is not a language of this site ({', '.join(ctx.languages)})"
                    + did_you_mean(code, ctx.languages),
                )
                ok = False
                continue
            items.append((code, text))
        if ok and ctx.languages and not any(c == ctx.default_language for c, _ in items):
            return ctx.error(
                node,
                f"the text in the default language '{ctx.default_language}' is missing; "
                "other languages fall back to it",
            )
        if not ok or not items:
            return INVALID if not ok else ctx.error(node, "no text given")
        mark = node.start_mark
        return Text(tuple(items), Location(ctx.path, mark.line + 1, mark.column + 1))

    def json_schema(self, languages: SchemaLanguages | None = None) -> JsonSchema:
        text = Str(expected="text").json_schema()
        about = "Markdown allowed" if self.markdown else "plain text"
        if languages is None:  # e.g. site.yaml, the file that defines the languages
            return {"type": "object", "minProperties": 1, "description": about,
                    "propertyNames": LanguageCode().json_schema(),
                    "additionalProperties": text}
        schema: JsonSchema = {
            "type": "object",
            "description": f"{about}; {languages.default} is required, the other "
                           "languages fall back to it",
            "properties": {
                code: {**text, "description": languages.name(code)
                       + (" (default language: required)" if code == languages.default
                          else "")}
                for code in languages.codes
            },
            "required": [languages.default],
        }
        if self.any_language:  # e.g. a title in the article's own language
            schema["propertyNames"] = LanguageCode().json_schema()
            schema["additionalProperties"] = text
        else:
            schema["additionalProperties"] = False
        return schema


@dataclass
class ListOf(Spec):
    item: Spec
    min_items: int = 0
    unique: Callable[[Any], Any] | None = None
    unique_name: str = ""

    @property  # type: ignore[override]
    def expected(self) -> str:
        return f"a list (lines starting with '- ', or [a, b]) of: {self.item.expected}"

    def check(self, node: yaml.Node, ctx: Context) -> Any:
        if not isinstance(node, yaml.SequenceNode):
            return ctx.error(
                node, f"expected a list (lines starting with '- '), got {describe(node)}"
            )
        if len(node.value) < self.min_items:
            return ctx.error(node, f"the list needs at least {self.min_items} item(s)")
        values = [self.item.check(child, ctx) for child in node.value]
        ok = all(value is not INVALID for value in values)
        if self.unique:
            seen: dict[Any, int] = {}
            for child, value in zip(node.value, values, strict=True):
                if value is INVALID:
                    continue
                key = self.unique(value)
                if key in seen:
                    ctx.error(
                        child,
                        f"{self.unique_name} '{key}' is used twice "
                        f"(first on line {seen[key]}); each must be unique",
                    )
                    ok = False
                else:
                    seen[key] = child.start_mark.line + 1
        if not ok:
            return INVALID
        return tuple(values)

    def json_schema(self, languages: SchemaLanguages | None = None) -> JsonSchema:
        schema: JsonSchema = {"type": "array", "items": self.item.json_schema(languages)}
        if self.min_items:
            schema["minItems"] = self.min_items
        if self.unique and isinstance(self.item, Record):
            # Unique by one key of each entry: JSON Schema cannot say that, check does.
            schema["description"] = f"each {self.unique_name} must be unique"
        elif self.unique:
            schema["uniqueItems"] = True
        return schema


@dataclass
class Field:
    """One key of a Record. ``doc`` says what the value means: it is shown by ``check``
    when the key is missing, by editors as the key's description and in the comments of
    a new fact file (``sitegen new``)."""

    spec: Spec
    required: bool = False
    doc: str = ""

    def json_schema(self, languages: SchemaLanguages | None = None) -> JsonSchema:
        """The value's schema with the doc as its description; an optional key may be
        left empty ('key:' and nothing means "not given", as in ``Record.check``)."""
        schema = self.spec.json_schema(languages)
        if not self.required:
            schema = _nullable(schema)
        about = schema.get("description", "")
        description = self.doc or about
        markdown = description + (f" ({about})" if about and self.doc else "")
        markdown += "\n\n" + ("**Required.** " if self.required else "")
        markdown += f"Write {self.spec.expected}."
        return {**schema, "description": description, "markdownDescription": markdown}


def _nullable(schema: JsonSchema) -> JsonSchema:
    if "enum" in schema:
        schema = {**schema, "enum": [*schema["enum"], None]}
    if "type" in schema:
        types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        return {**schema, "type": [*types, "null"]}
    return {"anyOf": [schema, {"type": "null"}]}


@dataclass
class Record(Spec):
    """A mapping with known keys, built into ``factory(**values)``."""

    factory: Callable[..., Any]
    fields: dict[str, Field]
    what: str = "entry"
    extra: Callable[[dict[str, Any], yaml.Node, Context], dict[str, Any]] | None = None
    # What of ``extra`` JSON Schema can say (e.g. an if/then), merged into json_schema().
    extra_schema: JsonSchema | None = None

    @property  # type: ignore[override]
    def expected(self) -> str:
        return f"{self.what} (key: value lines)"

    def check(self, node: yaml.Node, ctx: Context) -> Any:
        if not isinstance(node, yaml.MappingNode):
            return ctx.error(
                node, f"expected {self.what} as a mapping (key: value lines), "
                f"got {describe(node)}"
            )
        values: dict[str, Any] = {}
        suggested: set[str] = set()
        ok = True
        for key, value in node.value:
            name = key.value if isinstance(key, yaml.ScalarNode) else None
            if name is None:
                ctx.error(key, f"a key in {self.what} must be a plain word such as "
                          f"'{next(iter(self.fields))}', not {describe(key)}; check for a "
                          "stray '?', '[' or '{'")
                ok = False
                continue
            if name not in self.fields:
                close = difflib.get_close_matches(name or "", list(self.fields), n=1,
                                                  cutoff=0.6)
                suggested.update(close)
                hint = f"; did you mean '{close[0]}'?" if close else ""
                ctx.error(key, f"unknown key '{name}' in {self.what}{hint} "
                          f"(allowed keys: {', '.join(self.fields)})")
                ok = False
                continue
            if name in values:  # duplicate: already reported by yamlio
                continue
            if value.tag == _NULL and not self.fields[name].required:
                continue  # 'key:' with nothing after it means "not given"
            if value.tag == _NULL:  # e.g. a new file's 'country:' still empty
                doc = self.fields[name].doc
                values[name] = ctx.error(key, f"{self.what} has no value for the required "
                                         f"key '{name}'" + (f" ({doc})" if doc else ""))
                ok = False
                continue
            values[name] = self.fields[name].spec.check(value, ctx)
            ok = ok and values[name] is not INVALID
        missing = [n for n, f in self.fields.items() if f.required and n not in values]
        for name in missing:
            if name in suggested:
                continue  # the misspelt key's message already says so
            ctx.error(node, f"{self.what} is missing the required key '{name}'"
                      + (f" ({self.fields[name].doc})" if self.fields[name].doc else ""))
        if not ok or missing:
            return INVALID
        if self.extra:
            values = self.extra(values, node, ctx)
            if values is INVALID:
                return INVALID
        return self.factory(**values)

    def json_schema(self, languages: SchemaLanguages | None = None) -> JsonSchema:
        what = self.what.removeprefix("a ").removeprefix("an ").removeprefix("the ")
        schema: JsonSchema = {
            "title": what[:1].upper() + what[1:],
            "type": "object",
            "properties": {name: spec_field.json_schema(languages)
                           for name, spec_field in self.fields.items()},
            "required": [n for n, f in self.fields.items() if f.required],
            "additionalProperties": False,
        }
        return {**schema, **(self.extra_schema or {})}


def check_document(root: yaml.Node | None, spec: Spec, ctx: Context, what: str) -> Any:
    """Validate a whole file; an empty file gets a message saying what it should hold."""
    if root is None:
        ctx.errors.add(ctx.path, 1, 1, f"the file is empty; it should contain {what}")
        return INVALID
    return spec.check(root, ctx)
