"""Which language renda speaks to a person, and its message catalogues.

The catalogues are gettext ``.mo`` files shipped in the package
(``renda_core/locale/<locale>/LC_MESSAGES/renda.mo``, compiled from the ``.po`` beside
them; ``docs/i18n.md``). Message ids are the strings as the code writes them — English
for help and errors, Chinese for the table headers that are Chinese in the code.

Only the drivers translate (the CLI, at display time). Nothing here is active until a
driver calls :func:`activate`, so the library API, its JSON and the HTTP API stay
language-neutral: :func:`gettext` returns its argument unchanged.

Selection (:func:`select_locale`): an explicit ``--lang``, else ``RENDA_LANG``, else the
POSIX variables ``LC_ALL``, ``LC_MESSAGES``, ``LANG`` (the first that is set). ``zh*``
is Chinese, any other language is English, and ``C``/``POSIX`` or nothing at all says
nothing: then the default, Chinese (``zh_CN``) — renda is made for Chinese offices.
"""

from __future__ import annotations

import gettext as _gettext
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from pathlib import Path
from typing import TypeAlias

DOMAIN = "renda"
LOCALES = ("zh_CN", "en")
DEFAULT_LOCALE = "zh_CN"
LOCALE_DIR = Path(__file__).parent / "locale"
#: msgctxt of the error message templates (``docs/i18n.md``)
ERROR_CONTEXT = "error"
#: msgctxt of the terms (enumerations' values and labels); ``term:<vocabulary>`` for
#: one enumeration's (:func:`term_context`)
TERM_CONTEXT = "term"
_ENV_ORDER = ("RENDA_LANG", "LC_ALL", "LC_MESSAGES", "LANG")

#: A message id with named placeholders (``"{opinion_id}: closed"``) handed to a helper
#: that formats and prints it: the catalogue tool extracts the literal passed to a
#: parameter annotated so, as it does the first argument of ``echo`` (``docs/i18n.md``).
MessageTemplate: TypeAlias = str

#: An error message (a literal or f-string) handed to a helper that records or raises
#: it (``fail(line, field, message)``): the catalogue tool extracts the argument passed
#: to a parameter annotated so under ``msgctxt "error"``, as it does the first argument
#: of ``ValueError`` (``docs/i18n.md``).
ErrorMessage: TypeAlias = str

#: the active locale's catalogue, read on first use (None: not read yet)
_active: _gettext.NullTranslations | None = _gettext.NullTranslations()
#: plugins' own catalogue folders (:func:`add_catalogue`), consulted after renda's
_extra_folders: list[Path] = []
_active_locale: str | None = None
#: the language of one request (:func:`speaking`), over the process's for its context
_speaking: ContextVar[tuple[str, _gettext.NullTranslations] | None] = ContextVar(
    "renda_speaking", default=None
)


def normalize(value: str | None) -> str | None:
    """The catalogue a language name asks for: ``zh``, ``zh_CN.UTF-8``, ``zh-TW`` →
    ``zh_CN``; ``en``, ``en_US.UTF-8``, ``fr_FR`` → ``en``; ``C``, ``POSIX``, empty →
    ``None`` (says nothing)."""
    if value is None:
        return None
    text = value.strip().split(".")[0].split("@")[0].replace("-", "_").lower()
    if not text or text in {"c", "posix"}:
        return None
    return "zh_CN" if text.startswith("zh") else "en"


def select_locale(lang: str | None = None, environ: Mapping[str, str] | None = None) -> str:
    """The locale for ``lang`` (``--lang``) or the environment (see the module doc)."""
    chosen = normalize(lang)
    if chosen:
        return chosen
    env = environ if environ is not None else _environ()
    for name in _ENV_ORDER:
        value = env.get(name)
        if value:
            chosen = normalize(value)
            if chosen or name != "RENDA_LANG":
                return chosen or DEFAULT_LOCALE  # LC_ALL=C says nothing: the default
    return DEFAULT_LOCALE


def _environ() -> Mapping[str, str]:
    import os

    return os.environ


def _read_mo(folder: Path, locale: str, domain: str) -> _gettext.NullTranslations | None:
    path = folder / locale / "LC_MESSAGES" / f"{domain}.mo"
    try:
        with path.open("rb") as fp:
            return _gettext.GNUTranslations(fp)
    except OSError:
        return None


#: the locales whose catalogue :func:`translations` read: a text can only have been
#: translated into one of these (:func:`read_locales`)
_read_locales: set[str] = set()


def read_locales() -> list[str]:
    """The locales whose catalogue was read in this process, in :data:`LOCALES` order
    (reading one is costly: a check for translated texts need not read the others)."""
    return [locale for locale in LOCALES if locale in _read_locales]


@cache
def translations(locale: str) -> _gettext.NullTranslations:
    """The compiled catalogue of ``locale`` (a no-op one when it is missing), with the
    plugins' catalogues (:func:`add_catalogue`) as fallbacks."""
    _read_locales.add(locale)
    found = _read_mo(LOCALE_DIR, locale, DOMAIN) or _gettext.NullTranslations()
    for folder in _extra_folders:
        extra = _read_mo(folder, locale, DOMAIN)
        if extra is not None:
            found.add_fallback(extra)
    return found


def add_catalogue(folder: str | Path) -> None:
    """Use a plugin's own catalogues too: ``folder/<locale>/LC_MESSAGES/renda.mo`` for
    ``zh_CN`` and ``en``, looked up after renda's (``docs/i18n.md``). Idempotent."""
    path = Path(folder)
    if path in _extra_folders:
        return
    _extra_folders.append(path)
    translations.cache_clear()
    activate(_active_locale)


def generation() -> int:
    """Changes when catalogues are added: caches of catalogue contents key on it."""
    return len(_extra_folders)


def catalogue_keys(locale: str) -> list[object]:
    """Every key of ``locale``'s catalogue and its fallbacks (``"ctx\\x04msgid"`` for a
    message with a context)."""
    keys: list[object] = []
    current: object = translations(locale)
    while current is not None:
        keys += list(getattr(current, "_catalog", {}))
        current = getattr(current, "_fallback", None)
    return keys


def activate(locale: str | None) -> None:
    """Speak ``locale`` from now on (``None``: translate nothing). Its catalogue is read
    when a first message is translated: a command that prints none (a report's JSON)
    reads no ``.mo`` file (issue 15, target 4)."""
    global _active, _active_locale
    _active_locale = locale
    _active = None


def active_locale() -> str | None:
    """The locale :func:`activate` (or :func:`speaking`) chose, or ``None`` outside a
    driver."""
    local = _speaking.get()
    return local[0] if local else _active_locale


def _current() -> _gettext.NullTranslations:
    global _active
    local = _speaking.get()
    if local:
        return local[1]
    if _active is None:
        locale = _active_locale
        _active = translations(locale) if locale else _gettext.NullTranslations()
    return _active


@contextmanager
def speaking(locale: str) -> Iterator[None]:
    """Speak ``locale`` inside the block in this context only (this thread or task):
    the HTTP driver answers each request in its client's language while other requests
    and threads keep theirs."""
    token = _speaking.set((locale, translations(locale)))
    try:
        yield
    finally:
        _speaking.reset(token)


@contextmanager
def use(locale: str | None) -> Iterator[None]:
    """Speak ``locale`` inside the block, then what was spoken before."""
    before = _active_locale
    activate(locale)
    try:
        yield
    finally:
        activate(before)


def gettext(message: str) -> str:
    """``message`` in the active language (unchanged when not catalogued)."""
    return _current().gettext(message) if message else message


def ngettext(singular: str, plural: str, n: int) -> str:
    return _current().ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    return _current().pgettext(context, message)


def catalogued(message: str, context: str = "") -> bool:
    """Whether the active catalogue holds ``message`` (under ``context``), even when
    its translation is the same text."""
    key = f"{context}\x04{message}" if context else message
    current: object = _current()
    while current is not None:
        if key in getattr(current, "_catalog", {}):
            return True
        current = getattr(current, "_fallback", None)
    return False


def term_context(vocabulary: str) -> str:
    """The msgctxt of one enumeration's terms: ``term:session.SessionStatus`` (its
    module and name), ``term:station.STATUS_LABELS`` (a domain module's label table)."""
    return f"{TERM_CONTEXT}:{vocabulary}"


def term_text(value: str, vocabulary: str | None = None) -> str:
    """A term in the active language: by its own enumeration when ``vocabulary`` names
    it and catalogues it, else the context-free term (unchanged when not a term)."""
    if vocabulary:
        context = term_context(vocabulary)
        if catalogued(value, context):
            return pgettext(context, value)
    return pgettext(TERM_CONTEXT, value)


def language() -> str:
    """``zh`` or ``en``: the language of templates that come in both (notifications,
    the annual report) — the active locale, else the default."""
    return "en" if (active_locale() or DEFAULT_LOCALE) == "en" else "zh"


_ = gettext

__all__ = [
    "DEFAULT_LOCALE",
    "LOCALES",
    "ErrorMessage",
    "MessageTemplate",
    "activate",
    "active_locale",
    "add_catalogue",
    "catalogue_keys",
    "catalogued",
    "generation",
    "gettext",
    "language",
    "ngettext",
    "normalize",
    "pgettext",
    "read_locales",
    "select_locale",
    "speaking",
    "term_context",
    "term_text",
    "translations",
    "use",
]
