"""``feuille render`` and ``feuille report``: the site and the reports made (what is asked checked first), what the pages say of the plan's history (which commit, the last
validation, the trend; for a report, what changed during the year or since the plan's adoption), and the day a
mid-term report is as of.  The histories come from :mod:`feuille.app.history`; the views lay them out."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from feuille.app.history import Purpose, since_adoption, validation, year_changes
from feuille.app.plans import read_plans
from feuille.app.trend import trend_of
from feuille.app.values import option_date
from feuille.compute.audience import WITHHELD, Published, publish
from feuille.core.bounds import check_year
from feuille.core.errors import UserError
from feuille.core.i18n import Msg, msg, translator
from feuille.core.model import Audience
from feuille.core.run import Run
from feuille.io.cache import default_dir
from feuille.io.files import system_reason
from feuille.io.rows import RowStore
from feuille.pipeline import Loaded, registry_today
from feuille.views.midterm import adoption, midpoint
from feuille.views.site import (
    FORMATS,
    REPORTS,
    YEAR_REPORTS,
    RenderError,
    RenderOptions,
    SiteSource,
    SiteWriteResult,
    render_midterm_docx,
    render_report,
    render_report_docx,
    write_site,
)
from feuille.views.templating import CHECK_TEMPLATES

SITE_FORMATS = FORMATS  # the formats of ``feuille render``

Shown = Callable[[Any], Any]  # a plan -> the plan as the audience sees it


def history(run: Run, loaded: Any, day: dt.date, *, trend: bool) -> dict[str, Any]:
    """What the pages say of the plan's history (views/site.RenderOptions): which commit, the last validation, the trend."""
    out: dict[str, Any] = {"revision": loaded.plan.revision, "validation": validation(run, loaded, day)}
    if trend:
        out["trend"] = trend_of(run, loaded, None, "month", day)
    return out


def midterm_day(run: Run, path: Path | None, rev: str | None) -> dt.date:
    """The mid-term report's date: the middle of the plan's term, or today when that is still to come."""
    [first] = read_plans(run, path, command="report", many=False, as_of=run.today, rev=rev, rules="none", purpose=Purpose.SHOW)
    middle = midpoint(first.loaded.plan)
    return min(run.today, middle) if middle is not None else run.today


def changes_since_adoption(run: Run, loaded: Any, day: dt.date, lang: str, shown: Shown, reported: Any) -> dict[str, Any]:
    """The mid-term report's base (:func:`feuille.app.history.since_adoption`): the plan at its adoption and what changed since."""
    adopted = adoption(loaded.plan)
    found = since_adoption(run, loaded, adopted, day, shown, reported) if adopted is not None else None
    if found is None:
        return {"state": "none"}
    return {"state": found.state, "before": found.before, "changes": found.changes, "base": found.base(lang), "first": found.first}


def changes_in_year(run: Run, loaded: Any, year: int, lang: str, shown: Shown, reported: Any) -> dict[str, Any]:
    """The annual report's changes during ``year`` (:func:`feuille.app.history.year_changes`), in ``lang``."""
    found = year_changes(run, loaded, year, shown, reported)
    return {} if found is None else {"year_changes": found.changes, "year_base": found.base(lang)}


# --- the requests of render and report, checked before the plan is read; the site and the report made ------------------------


def _usage(message: Msg | str, hint: Msg | str = "") -> UserError:
    return UserError(message, hint, code="usage")


def check_report(kind: str, fmt: str, output: Path | None, year: int | None) -> None:
    """What ``feuille report`` is asked, refused before the plan is read: an unknown report or format, a Word document
    not written to a file, an annual report without its year."""
    if kind not in REPORTS:
        raise _usage(msg("unknown report '{value}'.", value=kind), msg("Choose annual (with --year), midterm or term."))
    if fmt == "docx" and "docx" not in REPORTS[kind]:
        raise _usage(msg("the docx format is the annual and mid-term reports'."), msg("Example: {example}", example="feuille report midterm -f docx -o mi-parcours.docx"))
    if fmt == "docx" and output is None:
        raise _usage(msg("a Word document is written to a file: give it with --output."),
                     msg("Example: {example}", example="feuille report annual --year 2025 -f docx -o evaluation-2025.docx"))
    formats = list(dict.fromkeys(f for fs in REPORTS.values() for f in fs))
    if fmt not in formats:
        raise _usage(msg("unknown format '{value}'.", value=fmt), msg("Possible formats: {names}.", names=", ".join(formats)))
    if kind in YEAR_REPORTS and year is None:
        raise _usage(msg("give the year evaluated with --year."), msg("Example: {example}", example="feuille report annual --year 2025"))
    if year is not None:
        check_year(year)


def report_day(run: Run, kind: str, year: int | None, as_of: str | None, path: Path | None, rev: str | None) -> dt.date:
    """The day a report is as of: ``--as-of``; else the end of the year evaluated (at most today), the middle of the term
    for a mid-term report (or today when it is still to come), else today."""
    if as_of is None and kind == "annual" and year is not None:
        return min(run.today, dt.date(year, 12, 31))  # the evaluation of a past year is as of its end
    if as_of is None and kind == "midterm":
        return midterm_day(run, path, rev)
    return option_date(as_of, "--as-of", run.today)


def check_year_in_term(loaded: Loaded, kind: str, year: int | None, lang: str, today: dt.date) -> None:
    """An annual report of a year outside the plan's term would be empty: refused, with the years to choose from."""
    term = loaded.plan.meta.term if loaded.plan.meta else None
    if kind == "annual" and year is not None and term is not None and not term.start.year <= year <= term.end.year:
        _ = translator(lang)
        raise _usage(_("the year {year} is outside the plan's term ({start}–{end}): the report would be empty.").format(
                         year=year, start=term.start.year, end=term.end.year),
                     _("Choose a year from {start} to {end}: feuille report annual --year {end_year}").format(
                         start=term.start.year, end=term.end.year, end_year=max(term.start.year, min(term.end.year, today.year - 1))))


def make_report(run: Run, loaded: Loaded, kind: str, fmt: str, year: int | None, day: dt.date, lang: str, who: Audience,
                notice: tuple[str, ...], templates: Path | None) -> tuple[Published, str | bytes]:
    """The report ``kind`` of the plan as ``who`` may see it on ``day``, in ``lang`` (a Word document's bytes, else text);
    what changed during the year or since the adoption compared between two plans as this audience sees them."""
    found = history(run, loaded, day, trend=False)
    plan, today = loaded.plan, registry_today(loaded)
    try:
        shown = publish(plan, who, day, withheld_label=WITHHELD(lang), today=today)

        def seen(before: Any) -> Any:
            return publish(before, who, day, withheld_label=WITHHELD(lang), today=today or plan).plan

        if kind == "annual" and year is not None:
            found.update(changes_in_year(run, loaded, year, lang, seen, shown.plan))
        if kind == "midterm":
            found["midterm"] = changes_since_adoption(run, loaded, day, lang, seen, shown.plan)
        options = RenderOptions(day, lang, "html" if fmt == "docx" else fmt, templates, notice=notice, **found)
        if fmt == "docx" and kind == "midterm":
            return shown, render_midterm_docx(shown, options)
        if fmt == "docx":
            assert year is not None
            return shown, render_report_docx(shown, options, year)
        return shown, render_report(shown, kind, options, year)
    except UserError as exc:
        raise exc.said_in(lang) from None


def render_site(run: Run, loaded: Loaded, fmt: str, out: Path, templates: Path | None, who: Audience, notice: tuple[str, ...],
                day: dt.date, lang: str, *, trend: bool, force: bool) -> tuple[Published, SiteWriteResult]:
    """The site of the plan as ``who`` may see it on ``day``, written into ``out`` (each page made as it is written; those
    unchanged since the last render kept); a template's problem says where to look."""
    found = history(run, loaded, day, trend=trend)
    try:
        shown = publish(loaded.plan, who, day, withheld_label=WITHHELD(lang), today=registry_today(loaded))
        rows = RowStore(run.cache_dir or default_dir(), out, fmt) if run.use_cache else None
        pages = SiteSource(shown, RenderOptions(day, lang, fmt, templates, notice=notice, **found), rows=rows)
        written = write_site(pages, out, force=force)
        if rows is not None:
            rows.save()  # the table rows of this render, for the next one into the same folder
        return shown, written
    except RenderError as exc:
        if not exc.hint_msg:  # a template's problem: where to look
            exc.hint_msg = CHECK_TEMPLATES
        raise exc.said_in(lang) from None
    except UserError as exc:
        raise exc.said_in(lang) from None
    except OSError as exc:
        raise _usage(msg("cannot write into '{path}': {reason}.", path=out, reason=system_reason(exc))(lang)) from None
