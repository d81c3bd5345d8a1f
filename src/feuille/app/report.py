"""``feuille render`` and ``feuille report``: the site and the reports made (what is asked checked first), what the pages say of the plan's history (which commit, the last
validation, the trend; for a report, what changed during the year or since the plan's adoption), and the day a
mid-term report is as of.  The histories come from :mod:`feuille.app.history`; the views lay them out."""

from __future__ import annotations

import datetime as dt
import os
import sys
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
from feuille.io.rows import RowStore, SiteRecord, compiled_templates
from feuille.pipeline import Loaded, registry_today
from feuille.views.midterm import adoption, midpoint
from feuille.views.notice import withheld_summary
from feuille.views.publish import rendered
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


def _pages_digest(out: Path) -> str | None:
    """A digest of ``OUT/.feuille-pages`` (each page's key and the digest of its bytes), or None."""
    import hashlib  # noqa: PLC0415 (a render's only)
    import stat  # noqa: PLC0415 (a render's only)

    from feuille.io.sitewrite import KEYS  # noqa: PLC0415 (a render's only)

    try:
        path = out / KEYS
        if not stat.S_ISREG(os.lstat(path).st_mode):
            return None
        return hashlib.blake2b(path.read_bytes(), digest_size=16).hexdigest()
    except OSError:
        return None


def _again(out: Path, last: tuple[str, str, str], source: Callable[[], SiteSource], loaded: Loaded, templates: Path | None,
           force: bool) -> SiteWriteResult | None:
    """The site written again with the keys the last render recorded (:class:`_LastKeys`), or None when they cannot be
    read or a page's key turns out not to be the one recorded (then nothing was written: the render is done in full)."""
    from feuille.io.sitewrite import read_keys, read_manifest  # noqa: PLC0415 (a render's only)

    if _pages_digest(out) != last[2]:  # not the folder that render wrote (another render since, or changed by hand)
        return None
    recorded = read_keys(out)
    listed = read_manifest(out)
    if not recorded or listed is None or set(recorded) != listed:
        return None
    root = loaded.plan.root
    pages = _LastKeys({rel: key for rel, (key, _digest) in recorded.items()}, source, root,
                      templates if templates is not None else (root / "templates" if root is not None else None))
    try:
        return write_site(pages, out, force=force)
    except _Stale:
        return None


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
        compiled = compiled_templates(run.cache_dir or default_dir(), options.fmt) if run.use_cache else None
        return shown, render_report(shown, kind, options, year, compiled)
    except UserError as exc:
        raise exc.said_in(lang) from None


class _Stale(Exception):
    """A page's key is not the one the last render recorded: the record was wrong, the site is worked out again."""


class _LastKeys:
    """The pages of the last render into a folder, each with the key it recorded (``OUT/.feuille-pages``), when nothing
    the site is made from has changed since (:func:`_inputs`): a page kept as it is costs no publishing, no keys.  A page
    that must be made all the same (deleted or edited by hand) is made by the real source (``make``), built then; its key
    must be the one recorded, else :class:`_Stale` (the render is done again the usual way)."""

    def __init__(self, keys: dict[str, str], make: Callable[[], SiteSource], plan_root: Path | None, template_dir: Path | None) -> None:
        self._keys, self._make = keys, make
        self._source: SiteSource | None = None
        self.plan_root, self.template_dir = plan_root, template_dir

    def source(self) -> SiteSource:
        if self._source is None:
            self._source = self._make()
        return self._source

    def paths(self) -> list[str]:
        return list(self._keys)

    def key(self, rel: str) -> str | None:
        return self._keys[rel]

    def text(self, rel: str) -> str:
        source = self.source()
        if source.key(rel) != self._keys[rel]:
            raise _Stale
        return source.text(rel)

    def from_worker(self) -> Any:
        return self._source.from_worker() if self._source is not None else None

    def take_from_worker(self, found: Any) -> None:
        if self._source is not None:
            self._source.take_from_worker(found)


def _inputs(run: Run, loaded: Loaded, fmt: str, templates: Path | None, who: Audience, notice: tuple[str, ...], day: dt.date,
            lang: str, found: dict[str, Any], started_ns: int | None) -> str | None:
    """A digest of everything a site is made from, or None when it cannot be told cheaply for certain: the state of
    every file the plan is read from (:func:`feuille.io.results.plan_state`: their stat, trusted as git trusts its
    index, and the validation tags), what the pages say of its history (``found``), the format, language, audience,
    date, notices, and feuille itself (views/sitekeys.py).  Only for today's files and feuille's own templates, when the
    plan was read after ``started_ns`` (a file changed within 2 s of it, or since, is not trusted on its stat)."""
    root = loaded.plan.root
    if started_ns is None or not run.use_cache or root is None or templates is not None or registry_today(loaded) is not None or os.path.lexists(root / "templates"):
        return None
    from feuille.io.results import plan_state  # noqa: PLC0415 (a render's only)
    from feuille.views.sitekeys import digest, feuille_itself  # noqa: PLC0415 (a render's only)

    state = plan_state(root, started_ns)
    if state is None:
        return None
    return digest("site-inputs", feuille_itself(), sys.version, state.hex(), str(root), fmt, lang, who.value, day, list(notice), found)


def render_site(run: Run, loaded: Loaded, fmt: str, out: Path, templates: Path | None, who: Audience, notice: tuple[str, ...],
                day: dt.date, lang: str, *, trend: bool, force: bool, started_ns: int | None = None) -> tuple[SiteWriteResult, list[str]]:
    """The site of the plan as ``who`` may see it on ``day``, written into ``out`` (each page made as it is written; those
    unchanged since the last render kept; when nothing it is made from changed, not even worked out: ``started_ns``, when
    the command started, before the plan was read), and what to say of it; a template's problem says where to look."""
    found = history(run, loaded, day, trend=trend)
    try:
        kept = run.cache_dir or default_dir()
        inputs = _inputs(run, loaded, fmt, templates, who, notice, day, lang, found, started_ns)
        record = SiteRecord(kept, out, fmt) if run.use_cache else None
        shown: Published | None = None
        rows: RowStore | None = None

        def source() -> SiteSource:
            nonlocal shown, rows
            shown = publish(loaded.plan, who, day, withheld_label=WITHHELD(lang), today=registry_today(loaded))
            rows = RowStore(kept, out, fmt) if run.use_cache else None
            compiled = compiled_templates(kept, fmt) if run.use_cache else None
            return SiteSource(shown, RenderOptions(day, lang, fmt, templates, notice=notice, **found), rows=rows, compiled=compiled)

        last = record.get() if record is not None and inputs is not None else None
        if last is not None and last[0] == inputs:
            written = _again(out, last, source, loaded, templates, force)
            if written is not None:
                summary = withheld_summary(shown, lang) if shown is not None else last[1]
                if rows is not None:
                    rows.save()
                return written, rendered(written, None, out, lang, summary=summary)
        pages = source()
        assert shown is not None
        written = write_site(pages, out, force=force)
        if rows is not None:
            rows.save()  # the table rows of this render, for the next one into the same folder
        if record is not None:
            pages_digest = _pages_digest(out) if inputs is not None else None
            if inputs is not None and pages_digest is not None:
                record.put(inputs, withheld_summary(shown, lang), pages_digest)
            else:
                record.forget()
        return written, rendered(written, shown, out, lang)
    except RenderError as exc:
        if not exc.hint_msg:  # a template's problem: where to look
            exc.hint_msg = CHECK_TEMPLATES
        raise exc.said_in(lang) from None
    except UserError as exc:
        raise exc.said_in(lang) from None
    except OSError as exc:
        raise _usage(msg("cannot write into '{path}': {reason}.", path=out, reason=system_reason(exc))(lang)) from None
