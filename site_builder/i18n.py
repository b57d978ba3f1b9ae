"""The language the tool speaks: gettext message catalogs, Chinese by default, English on request.

Every message a clerk reads is written in English in the code, marked with :func:`_` (or
:func:`N_` where the text is defined before the language is known, and translated where it is
shown), and translated by the ``zh_CN`` catalog in ``site_builder/locale``. The catalog's
source is ``site_builder.po``; ``site_builder.mo`` is what is read at run time (both are kept
in git, ``python scripts/catalogs.py update`` rebuilds them, and ``tests/test_i18n_catalog.py``
fails when a marked message has no translation or the ``.mo`` is stale).

Which language: ``--lang`` on the command line, else ``SITE_BUILDER_LANG``, else English when
the locale (``LC_ALL``, ``LC_MESSAGES``, ``LANG``) is an English one, else Chinese, whatever
else the server's locale says. Rule ids, file positions and option names are never translated.
"""

from __future__ import annotations

import gettext as stdlib_gettext
import os
from collections.abc import Iterable, Mapping
from pathlib import Path

DOMAIN = "site_builder"
"""The gettext domain: the catalogs are ``locale/<language>/LC_MESSAGES/site_builder.mo``."""
LOCALE_DIR = Path(__file__).parent / "locale"
"""Where the catalogs are."""
LANGUAGES = ("zh_CN", "en")
"""The languages the tool speaks; the first is the default."""
ENV_VARIABLE = "SITE_BUILDER_LANG"
"""The environment variable that chooses the language (``zh_CN`` or ``en``)."""
_ALIASES = {"zh": "zh_CN", "zh_cn": "zh_CN", "zh-cn": "zh_CN", "zh_hans": "zh_CN",
            "cn": "zh_CN", "chinese": "zh_CN", "en": "en", "english": "en"}


class Language:
    """The translations in use (one per process; the command line sets them first thing).

    Until :func:`set_language` is called (by a library user, or a test calling functions
    directly), messages are the English ones of the code.
    """

    code: str = "en"
    translations: stdlib_gettext.NullTranslations = stdlib_gettext.NullTranslations()


def normalize(name: str) -> str | None:
    """``zh_CN``, ``en`` or ``None`` for a language name as a user or a locale writes it."""
    key = name.strip().split(".")[0].split("@")[0].lower()
    if key in _ALIASES:
        return _ALIASES[key]
    if key.startswith("zh"):
        return "zh_CN"
    if key.startswith("en"):
        return "en"
    return None


def choose(option: str | None = None, environ: Mapping[str, str] | None = None) -> str:
    """The language for this run: the option, the variable, an English locale, else Chinese."""
    env = os.environ if environ is None else environ
    for wanted in (option, env.get(ENV_VARIABLE)):
        if wanted and normalize(wanted):
            return normalize(wanted) or LANGUAGES[0]
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(variable, "")
        if value:
            return "en" if normalize(value) == "en" else LANGUAGES[0]
    return LANGUAGES[0]


def set_language(code: str) -> None:
    """Speak ``code`` from now on, in our messages and in argparse's own."""
    Language.code = normalize(code) or LANGUAGES[0]
    if Language.code == "en":
        Language.translations = stdlib_gettext.NullTranslations()
    else:
        Language.translations = stdlib_gettext.translation(
            DOMAIN, str(LOCALE_DIR), languages=[Language.code], fallback=True)
    # argparse translates its own strings ("usage: ", "the following arguments are required")
    # through the global gettext domain; the catalog holds their translations too.
    stdlib_gettext.bindtextdomain(DOMAIN, str(LOCALE_DIR))
    stdlib_gettext.textdomain(DOMAIN)
    os.environ["LANGUAGE"] = Language.code
    os.environ[ENV_VARIABLE] = Language.code  # processes started from this one speak it too


def gettext(message: str) -> str:
    """``message`` in the language in use."""
    return Language.translations.gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """The singular or plural form of a message for ``count``, in the language in use."""
    return Language.translations.ngettext(singular, plural, count)


def pgettext(context: str, message: str) -> str:
    """``message`` in the language in use, where the same English text needs ``context``."""
    return Language.translations.pgettext(context, message)


def listing(names: Iterable[str]) -> str:
    """Names one after another: ``a, b, c`` in English, ``甲、乙、丙`` in Chinese."""
    return pgettext("between the names of a list", ", ").join(names)


def N_(message: str) -> str:  # noqa: N802 - the name gettext tools know
    """Mark ``message`` for the catalog without translating it yet (translate it where shown)."""
    return message


_ = gettext
