"""The one base of every error a user is shown: what is wrong, what to do, a stable code and an exit code.

An error is a value like a diagnostic: its message and its hint are kept as given (a
:class:`~feuille.core.i18n.Msg` is translated only when it is shown), ``code`` names its kind
for machines and tests (``source``, ``filter``, ``edit``...: never translated, never changed),
``exit_code`` is the exit status of the command it stops (2: nothing could be done; 1: refused
because of the plan's errors).  One handler (``feuille.cli._app.FeuilleCommand.invoke``) shows it,
« feuille : message » then the hint, in the run's language; nothing else catches an error
only to print it.  ``lang``: the language to say it in when the code that raised it knew the
reader's language better than the run does (the plan's, once read); None: the run's.

``str(exc)`` and ``exc.message`` are the French text, as for any exception a test reads.
"""

from __future__ import annotations

from feuille.core.i18n import DEFAULT_LANG, Msg

#: Exit codes, decided here and nowhere else (``feuille.cli.outcome`` uses them too).
OK, FINDINGS, UNUSABLE = 0, 1, 2


def text_of(message: str | Msg, lang: str | None) -> str:
    """``message`` in ``lang`` (text already written is shown as it is)."""
    return message(lang) if isinstance(message, Msg) else message


class UserError(Exception):
    """An error explained for the user: ``msg`` (what happened) and ``hint_msg`` (what to do), as given.

    Each layer's errors derive from it and set ``code`` (their kind) and, when it is not 2,
    ``exit_code``; an instance may override both."""

    code: str = "error"
    exit_code: int = UNUSABLE

    def __init__(self, message: str | Msg, hint: str | Msg = "", *, code: str | None = None, exit_code: int | None = None,
                 lang: str | None = None) -> None:
        self.msg, self.hint_msg = message, hint
        if code is not None:
            self.code = code  # an instance's own kind
        if exit_code is not None:
            self.exit_code = exit_code
        self.lang = lang
        super().__init__(self.message)

    @property
    def message(self) -> str:
        """The message in French (the default language)."""
        return text_of(self.msg, DEFAULT_LANG)

    @property
    def hint(self) -> str:
        """The hint in French ("" for none)."""
        return text_of(self.hint_msg, DEFAULT_LANG)

    def text(self, lang: str | None) -> str:
        """The message in ``lang``."""
        return text_of(self.msg, lang)

    def hint_text(self, lang: str | None) -> str:
        """The hint in ``lang`` ("" for none)."""
        return text_of(self.hint_msg, lang)

    def __str__(self) -> str:
        return self.message

    def said_in(self, lang: str) -> UserError:
        """This error, to be said in ``lang`` unless a language was already chosen for it."""
        if self.lang is None:
            self.lang = lang
        return self
