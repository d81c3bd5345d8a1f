"""What ``render``, ``report`` and ``export`` publish: the plan as an audience may see it (:func:`published`, through the
only door to any output, :mod:`feuille.compute.audience`), the audience ``--audience`` names, what every page must say
about the plan's errors (or the refusal to publish it: :func:`notice`), and a site put in place at once.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from feuille import pipeline
from feuille.compute.audience import WITHHELD, Published, parse_audience, publish
from feuille.core.errors import FINDINGS, UserError
from feuille.core.i18n import Msg, plural_translator, translator
from feuille.core.model import Audience
from feuille.core.plan import Plan
from feuille.core.shell import shell_arg
from feuille.io.sitewrite import write_site
from feuille.views.format import plan_formatter
from feuille.views.notice import error_summary, notice_lines

if TYPE_CHECKING:
    from feuille.pipeline import Loaded

__all__ = ["WITHHELD", "audience", "notice", "publish", "published", "write_site"]


def audience(value: str, lang: str | None = None) -> Audience:
    """The audience ``--audience`` names (:class:`~feuille.compute.audience.UnknownAudience`, said in ``lang``, if none)."""
    try:
        return parse_audience(value)
    except UserError as exc:
        raise exc.said_in(lang) if lang is not None else exc from None


def notice(loaded: Loaded, lang: str, allow_errors: bool, refused: Msg, named: bool = True) -> tuple[list[str], tuple[str, ...]]:
    """What to tell the person on the terminal about the plan's errors and its missing parts, and what every page or
    file must say about them; or a refusal (exit 1): a plan with errors is never published nor sent silently.
    ``refused`` names the refusal (« rendu refusé »); ``named=False`` for a council or public output: the parts
    missing are counted, not named (the terminal still names them)."""
    fmt = plan_formatter(loaded, lang)
    said = notice_lines(loaded, fmt)
    if loaded.errors and not allow_errors:
        lines = [*said[1:-1], *error_summary(loaded, lang)]  # the parts missing, then the errors
        _, n_ = translator(lang), plural_translator(lang)
        raise UserError(n_("the plan has {n} error: {refused}, so as not to publish a wrong or incomplete plan.",
                           "the plan has {n} errors: {refused}, so as not to publish a wrong or incomplete plan.", loaded.errors).format(
                               n=loaded.errors, refused=refused(lang)),
                        "\n  ".join([*lines, n_("Fix it (feuille lint {root}), or add --allow-errors: what is missing will be said at the top.",
                                                "Fix them (feuille lint {root}), or add --allow-errors: what is missing will be said at the top.",
                                                loaded.errors).format(root=shell_arg(loaded.source.root))]),
                        code="usage", exit_code=FINDINGS, lang=lang)
    return said, tuple(said) if named else tuple(notice_lines(loaded, fmt, named=False))


def published(loaded: Loaded, who: Audience, day: dt.date, lang: str, plan: Plan | None = None) -> Published:
    """``plan`` (by default the plan of ``loaded``) as ``who`` may see it on ``day``; what is withheld is named in
    ``lang``, and who may see a person or a service is what today's files say (a past revision's people too)."""
    return publish(plan if plan is not None else loaded.plan, who, day, withheld_label=WITHHELD(lang), today=pipeline.registry_today(loaded))

