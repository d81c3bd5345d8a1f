"""Static dashboards and reports (HTML or Markdown) from Jinja templates.

``SiteSource`` gives the site's pages one by one (``render_site``: ``{relative path: text}`` of
the whole site); nothing here writes files except :func:`write_site`.  Output is deterministic: sorted pages,
no timestamps, chart ids derived from object ids.

Templates: the plan's own ``templates/`` folder first, then the built-in ones
(package ``feuille.templates``); a plan template can ``{% extends
"default:html/base.html" %}`` to change one block of a built-in page.  The
context each template receives is documented in docs/templates.md.

Safety (docs/security.md): a plan's own templates run in a sandbox (views/templating.py);
autoescape is on for HTML; text fields that may hold Markdown go through markdown-it
with raw HTML disabled, links limited to http(s) and mailto and images to the site
itself (views/mdsafe.py), in HTML and in Markdown output alike; page file names come
from one function (views/names.py); the pages carry a Content-Security-Policy and load
no script.  :func:`write_site` builds the new site next to the old one and swaps them
(io/sitewrite.py).
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
import hashlib
import secrets
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from feuille.compute.audience import Published
from feuille.compute.indicators import read_plan
from feuille.compute.ranking import Ranking, matrix_counts, rank
from feuille.compute.rollup import ActionResult, Budget, ObjectiveResult, Rollup
from feuille.core.errors import UserError
from feuille.core.fields import of, words_of
from feuille.core.i18n import NC_, NPC_, Words, msg, translator
from feuille.core.model import Action, Audience, Objective, Person, Role, Status
from feuille.core.plan import Plan
from feuille.core.registry import table
from feuille.io.sitewrite import PageSource, SiteWriteError, SiteWriteResult
from feuille.io.sitewrite import write_site as _write
from feuille.views import indicators as iw
from feuille.views.annual import labels as annual_labels
from feuille.views.annual import portfolios
from feuille.views.assessment import action_assessment, objective_assessment
from feuille.views.chartsize import CHAR, NARROW, WIDE
from feuille.views.format import Formatter
from feuille.views.history import caveat_lines, revision_lines, validation_lines
from feuille.views.indicators import site_globals as indicator_globals
from feuille.views.labels import HEALTH, SOURCE, STATUS, VERDICT, VOLET, field_text, measure, status_count
from feuille.views.mdsafe import html_renderer, markdown_renderer, md_text
from feuille.views.midterm import adoption, midpoint, plan_readings, sections
from feuille.views.midterm import labels as midterm_labels
from feuille.views.names import PageNames, page_stem, slugify
from feuille.views.ranking import criteria_words, rank_text, total_text
from feuille.views.templating import IMPORT_SCOPE, ImportScope, TemplateProblem, make_env, run, run_chunks
from feuille.views.trend import charts, title

__all__ = ["FORMATS", "REPORTS", "YEAR_REPORTS", "CSP", "RenderError", "RenderOptions", "SitePages", "SiteSource", "SiteWriteResult", "render_midterm_docx", "render_report",
           "render_report_docx",
           "render_site", "safe_markdown", "slugify", "write_site"]

FORMATS = ("html", "md")
#: The reports of ``feuille report``, each with its formats (what the command accepts and the leak test runs, tests/test_leak.py).
REPORTS: dict[str, tuple[str, ...]] = {"annual": ("html", "md", "docx"), "midterm": ("html", "md", "docx"), "term": ("html", "md")}
YEAR_REPORTS = frozenset({"annual"})  # the reports of one year (--year)
CSP = "default-src 'none'; style-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'"

class _WithFields(Words):
    """The site's words (``t`` in the templates) with every field's heading from the field registry (``t.status``,
    ``t.achieved``...; ``t.reviewed`` and ``t.deadline`` are last_reviewed's and planned_end's): its own words first."""

    def __getitem__(self, lang: str) -> dict[str, str]:
        merged = self.__dict__.setdefault("_merged", {})
        if lang not in merged:
            h = table("heading")[lang]
            merged[lang] = {**h, "reviewed": h["last_reviewed"], "deadline": h["planned_end"], **super().__getitem__(lang)}
        return merged[lang]


LABELS = _WithFields({
    'dashboard': NC_('site', 'Dashboard'),
    'priorities': NC_('site', 'Priorities'),
    'people': NC_('site', 'Owners'),
    'themes': NC_('site', 'Themes'),
    'skip': NC_('site', 'Skip to content'),
    'colon': NC_('site', ': '),  # French writes « Budget : 12 € », English « Budget: €12 »
    'semicolon': NC_('site', '; '),  # « a ; b », "a; b"
    'unset': NC_('site', 'not given'),
    'term': NC_('site', 'Term'),
    'elapsed': NC_('site', 'of the time elapsed'),
    'as_of': NC_('site', 'as of'),
    'overall': NC_('site', 'Overall progress'),
    'expected': NC_('site', 'expected'),
    'objectives': NC_('site', 'Objectives'),
    'objective': NC_('site', 'Objective'),
    'actions': NC_('site', 'Actions'),
    'action': NC_('site', 'Action'),
    'verdict': NC_('site', 'Verdict'),
    'assessment': NC_('site', 'In short'),
    'planned_budget': NC_('site', 'Planned budget'),
    'spent': NC_('site', 'spent'),
    'late': NC_('site', 'Late'),
    'due_soon': NC_('site', 'Due within {days} days'),
    'stale': NC_('site', 'Not reviewed for more than {days} days'),
    'none': NC_('site', 'None.'),
    'owners': NC_('site', 'Owners'),
    'sub_action': NC_('site', 'Sub-action'),
    'planned': NC_('site', 'Planned'),
    'actual': NC_('site', 'Actual'),
    'from': NC_('site', 'from'),
    'to': NC_('site', 'to'),
    'baseline': NC_('site', 'baseline'),
    'target': NC_('site', 'target'),
    'measurements': NC_('site', 'Measurements'),
    'date': NC_('site', 'Date'),
    'value': NC_('site', 'Value'),
    'year': NC_('site', 'Year'),
    'source': NC_('site', 'Source'),
    'amount': NC_('site', 'Amount'),
    'article': NC_('site', 'Article'),
    'total': NC_('site', 'Total'),
    'note': NC_('site', 'Note'),
    'by_year': NC_('site', 'Budget by year'),
    'by_source': NC_('site', 'Budget by source'),
    'by_funder': NC_('site', 'Budget by funder'),
    'funder': NC_('site', 'Funder'),
    'own_funds': NC_('site', 'Own funds (no funder)'),
    'share_of_planned': NC_('site', 'Share of the planned budget'),
    'sub_objectives': NC_('site', 'Sub-objectives'),
    'shared_here': NC_('site', 'Actions of other objectives serving this one'),
    'share': NC_('site', 'share'),
    'coverage': NC_('site', 'on {known} of {total} actions'),
    'days_late': NC_('site', '{n} d late'),
    'in_days': NC_('site', 'in {n} d'),
    'as_political': NC_('site', 'Political owner'),
    'as_admin': NC_('site', 'Administrative owner'),
    'as_involved': NC_('site-role', 'Involved'),
    'tags': NC_('site', 'Themes'),
    'sdg': NC_('site', 'SDG'),
    'territory': NC_('site', 'Territory'),
    'tag': NC_('site', 'Theme'),
    'rank': NC_('site', 'Rank'),
    'quadrant': NC_('site', 'Quadrant'),
    'unranked': NC_('site', 'Not ranked (scores missing)'),
    'ties': NC_('site', 'Ties (=): same total, stake, urgency and ROI; they share one rank, written once, and are listed by id.'),  # as feuille prioritise
    'finished': NC_('site', 'Not ranked: finished (done or cancelled)'),
    'matrix': NC_('site', 'Stake x urgency matrix'),
    'count': NC_('site', 'Count'),
    'generated': NC_('site', 'Plan data as of'),
    'role': NC_('site', 'Role'),
    'counts': NC_('site', 'Actions'),
    'source_of_progress': NC_('site', 'computed from'),
    'chart': NC_('site', 'Chart'),
    'weights': NC_('site', 'Weights'),
    'method': NC_('site', 'method'),
    'annual': NC_('site', 'Annual evaluation {year}'),
    'term_report': NC_('site', 'End-of-term report'),
    'done_in': NC_('site', 'Done in {year}'),
    'slipped': NC_('site', 'What slipped'),
    'still_open': NC_('site', 'What remains to be done'),
    'budget_used': NC_('site', 'Budget {year}: planned and spent'),
    'achievements': NC_('site', 'Achievements'),
    'nothing': NC_('site', 'Nothing to report.'),
    'missing': NC_('site', 'missing'),
    'home': NC_('site', 'Home'),
    'people_index': NC_('site', 'Owners and services'),
    'email': NC_('site', 'E-mail:'),  # a person's or a service's, where the version shows it (internal by default)
    'phone': NC_('site', 'Phone:'),
    'services': NC_('site', 'Services'),
    'themes_index': NC_('site', 'Themes: parts, SDGs, territories'),
    'weighted': NC_('site', 'weighted sum'),
    'matrix_method': NC_('site', 'stake x urgency matrix'),
    'wsjf': NC_('site', 'value / cost (WSJF)'),
    'moved_on': NC_('site', 'on {date}'),
    'hidden_actions': NPC_('site', '{n} action of this objective is not shown in this version; it counts in its progress and budget.',
                           '{n} actions of this objective are not shown in this version; they count in its progress and budget.'),
    'hidden_plan': NPC_('site', '{n} action is not shown in this version; it counts in the figures.',
                        '{n} actions are not shown in this version; they count in the figures.'),
    'hidden_lines': NPC_('site', '{n} budget line not shown; it counts in the totals.', '{n} budget lines not shown; they count in the totals.'),
})

AUDIENCE_NOTE = Words({
    'public': NC_('audience', 'Public version of the plan: internal notes and restricted information are not published; the figures count the whole plan.'),
    'council': NC_('audience', 'Version for the college and the council: not for the public.'),
    'internal': NC_('audience', 'Internal version: for the administration only, not for circulation.'),
})

ROLE = words_of(Role).shown  # (the field registry's words of the roles, core/model.py)


class RenderError(UserError):
    """A template or site-writing problem explained for the user: ``msg`` (what happened) and ``hint_msg``
    (what to do) as given, a :class:`Msg` shown in the user's language; ``message`` and ``hint`` their French."""

    code = "render"


class SitePages(dict[str, str]):
    """``{relative path: text}`` of a whole site, with where it came from (for :func:`write_site`'s checks)."""

    plan_root: Path | None = None
    template_dir: Path | None = None


@dataclass(frozen=True, slots=True)
class RenderOptions:
    as_of: dt.date
    lang: str = "fr"
    fmt: str = "html"
    templates: Path | None = None  # the plan's own templates folder (default: PLAN/templates)
    notice: tuple[str, ...] = ()  # what is wrong or missing in the plan: shown on every page (see views/notice.py)
    # history (issue 14), worked out by the command: each may be None
    revision: dict[str, str] | None = None  # the commit a past date was read from (Plan.revision)
    validation: Any = None  # compute/validation.ValidationState: the last validation, what changed since
    trend: Any = None  # compute/trend.TrendResult: each objective's progress over time
    year_changes: Any = None  # compute/diff.PlanDiff: the plan at the end of the year before -> the plan reported (annual report)
    year_base: str = ""  # which plan ``year_changes`` starts from, in words (« commit 3f2a1c9 du 31/12/2024 »)
    midterm: Any = None  # the mid-term report's base (cli/render.py): {state: ok|late|none, before, changes, base, first}


@dataclass(slots=True)
class Tag:
    slug: str
    kind: str  # volet | sdg | territory | tag
    label: str
    actions: list[ActionResult] = field(default_factory=list)
    objectives: list[ObjectiveResult] = field(default_factory=list)


def safe_markdown() -> Callable[..., Any]:
    """Markdown to HTML: raw HTML off, links to http(s) and mailto only, images inside the site only (views/mdsafe.py)."""
    return html_renderer()


def _template_dir(plan: Plan, options: RenderOptions) -> tuple[Path, bool]:
    """The plan's templates folder, and whether the user named it (then it must exist)."""
    return (options.templates, True) if options.templates is not None else (plan.root / "templates", False)


def _env(plan: Plan, options: RenderOptions, compiled: Any = None) -> Any:
    folder, required = _template_dir(plan, options)
    try:
        return make_env(folder, options.fmt, required=required, compiled=compiled)
    except TemplateProblem as exc:
        raise RenderError(exc.msg, exc.hint_msg) from None


_md_text = md_text  # plain text on one Markdown line or table cell (the notice, mdcell)


class _Site:
    """Everything the templates share, computed once."""

    def __init__(self, published: Published, options: RenderOptions) -> None:
        plan = published.plan
        self.plan = plan
        self.published = published
        self.options = options
        meta = plan.meta
        self.fmt = Formatter.for_plan(meta.locale if meta else None, options.lang, meta.currency if meta else "EUR")
        self.rollup: Rollup = published.rollup  # figures of the whole plan, listing what this audience may see
        self.ranking: Ranking = rank(plan, options.as_of)
        self.ext = ".html" if options.fmt == "html" else ".md"
        self.objectives: list[ObjectiveResult] = []
        stack = list(reversed(self.rollup.objectives))
        while stack:
            r = stack.pop()
            self.objectives.append(r)
            stack.extend(reversed(r.children))
        self.actions = {a.action.id: a for a in self.rollup.actions}
        # every page's file name, decided once, in the plan's order (views/names.py)
        self.names = PageNames()
        for r in self.objectives:
            self.names.name("objectives", r.objective.id)
        for a in self.rollup.actions:
            self.names.name("actions", a.action.id)

        self.indicators = read_plan(plan, self.rollup)  # the indicators this audience sees, read as of the date; each objective's weather
        for p, _r in self.indicators.readings:
            self.names.name("indicators", p.key)
        self.tags = self._tags()
        self.roles = self._roles()
        self.services = self._services()
        for pid in self.roles:
            self.names.name("people", pid)
        for sid in self.services:
            self.names.name("services", sid)
        meta = plan.meta
        self.due_days = meta.settings.due_soon_days if meta else 30
        self.stale_days = meta.settings.stale_after_days if meta else 180
        # computed once: every page's context shares them (per page, they would make rendering quadratic)
        self.late, self.due_soon, self.stale = self.rollup.late(), self.rollup.due_within(self.due_days), self.rollup.stale()
        self.history = _history(self, options)
        self._by_root: dict[str, dict[str, Any]] = {}  # what the pages of each folder share (_shared)
        # the rows of the action tables of the page being made, put in by SiteSource.text once the page is made (None: in place)
        self.tables: list[Callable[[], Iterator[str]]] | None = None
        self.fast_row: Callable[[ActionResult, str], Any] | None = None  # an action's table row written in Python (views/sitefast.py)
        self._scopes: dict[str, ImportScope] = {}

    # --- groupings ------------------------------------------------------------------------
    def _tags(self) -> dict[str, Tag]:
        lang = self.options.lang
        t = LABELS[lang]
        found: dict[tuple[str, str], Tag] = {}

        def add(kind: str, key: str, label: str) -> Tag:
            tag = found.get((kind, key))
            if tag is None:
                slug = self.names.name("tags", f"{kind}-{key}", slug=True)
                tag = found[(kind, key)] = Tag(slug, kind, label)
            return tag

        def labels(item: Action | Objective) -> Iterable[tuple[str, str, str]]:
            if item.volet is not None:
                yield "volet", item.volet.value, VOLET[lang][item.volet.value]
            for n in item.sdgs:
                yield "sdg", f"{n:02d}", f"{t['sdg']} {n}"
            for name in item.territories:
                yield "territory", name, name
            for name in item.tags:
                yield "tag", name, name

        for r in self.objectives:
            for kind, key, label in labels(r.objective):
                add(kind, key, label).objectives.append(r)
        for a in self.rollup.actions:
            for kind, key, label in labels(a.action):
                add(kind, key, label).actions.append(a)
        order = {"volet": 0, "sdg": 1, "territory": 2, "tag": 3}
        return {tag.slug: tag for (_k, _key), tag in sorted(found.items(), key=lambda kv: (order[kv[0][0]], kv[0][1].casefold()))}

    def _roles(self) -> dict[str, dict[str, list[ActionResult]]]:
        roles: dict[str, dict[str, list[ActionResult]]] = {}
        for a in self.rollup.actions:
            for pid in a.action.political_owners:
                roles.setdefault(pid, {}).setdefault("political", []).append(a)
            if a.action.admin_owner:
                roles.setdefault(a.action.admin_owner, {}).setdefault("admin", []).append(a)
            for pid in a.action.involved:
                roles.setdefault(pid, {}).setdefault("involved", []).append(a)
        return {pid: roles[pid] for pid in sorted(roles) if pid in self.plan.people}

    def _services(self) -> dict[str, list[ActionResult]]:
        out: dict[str, list[ActionResult]] = {}
        for a in self.rollup.actions:
            owner = self.plan.people.get(a.action.admin_owner or "")
            sid = a.action.service or (owner.service if owner else None)
            if sid in self.plan.services:
                out.setdefault(sid, []).append(a)
        return {sid: out[sid] for sid in sorted(out)}

    def page_name(self, folder: str, ident: str) -> str:
        """The file name (without extension) of an item's page; tags are named by their slug."""
        if folder == "tags" and ident in self.tags:
            return ident
        return self.names.get(folder, ident) or page_stem(folder, ident)

    # --- context ----------------------------------------------------------------------------
    def _shared(self, root: str) -> dict[str, Any]:
        """What every page whose folder is ``root`` away from the site's root shares: the same objects for each."""
        found = self._by_root.get(root)
        if found is not None:
            return found
        ext = self.ext
        fmt = self.fmt
        lang = self.options.lang
        plan = self.plan
        folders = {"objective": "objectives", "action": "actions", "person": "people", "service": "services", "tag": "tags", "indicator": "indicators"}

        def url(target: str, ident: str | None = None) -> str:
            if target == "index":
                return f"{root}index{ext}"
            if target == "priorities":
                return f"{root}priorities{ext}"
            if target == "people-index":
                return f"{root}people/index{ext}"
            if target == "tags-index":
                return f"{root}tags/index{ext}"
            folder = folders[target]
            return f"{root}{folder}/{self.page_name(folder, str(ident))}{ext}"

        def person(pid: str | None) -> Person | None:
            return plan.people.get(pid or "")

        sections: dict[tuple[type, str], Any] = {}

        def fields(item: Action | Objective, section: str, *laid_out: str) -> list[dict[str, Any]]:
            """The item's fields of a section of the field registry (``facts``, ``texts``) that are set, but those the
            template lays out itself: {name, heading, value, text} each, so that a new field shows with no template change."""
            listed = sections.get((type(item), section))
            if listed is None:
                listed = sections[(type(item), section)] = of(type(item)).section(section)
            return [{"name": f.name, "heading": f.heading(lang), "value": value, "text": field_text(plan, f, value, fmt)}
                    for f in listed if f.name not in laid_out and (value := getattr(item, f.name)) not in (None, "", [])]

        meta = plan.meta
        shared = self._by_root[root] = {
            "plan": meta, "site": self, "rollup": self.rollup, "ranking": self.ranking, "as_of": self.options.as_of,
            "lang": lang, "t": LABELS[lang], "verdicts": VERDICT[lang], "statuses": STATUS[lang], "healths": HEALTH[lang],
            "sources": SOURCE[lang], "roles": ROLE[lang], "role": lambda p: p.role_word(lang),
            "url": url, "person": person, "fields": fields, "people": plan.people, "services": plan.services, "fmt": fmt, "csp": CSP, "standalone": False, "inline_css": None,
            "due_days": self.due_days, "stale_days": self.stale_days, "late": self.late, "due_soon": self.due_soon,
            "stale": self.stale, "tags": self.tags, "notice": self.options.notice,
            "audience": self.published.audience.value, "audience_note": AUDIENCE_NOTE[lang][self.published.audience.value],
            "withheld": self.published.withheld, "hidden_below": self.published.hidden_below,
            "hidden_lines": self.published.hidden_lines, "history": self.history,
        }
        return shared

    def scope(self, root: str) -> ImportScope:
        """The macros of the pages of a folder (views/templating.py): they see what these pages share, no page's own values."""
        found = self._scopes.get(root)
        if found is None:
            found = self._scopes[root] = ImportScope({**self._shared(root), "page": {"root": root}})
        return found

    def context(self, kind: str, path: str, title: str, **extra: Any) -> dict[str, Any]:
        root = "../" * path.count("/")
        return {**self._shared(root), "page": {"kind": kind, "path": path, "title": title, "root": root}, **extra}


def _history(site: _Site, options: RenderOptions) -> dict[str, Any]:
    """What the pages say of the plan's history: which commit, the last validation, the trend charts (views/history.py, views/trend.py)."""

    _ = translator(options.lang)
    shown = set(site.actions) | {r.objective.id for r in site.objectives}
    rev = Plan(root=site.plan.root, revision=options.revision)
    return {
        "revision": caveat_lines(site.plan, options.lang) + revision_lines(rev, site.fmt, author=site.published.audience == Audience.internal), "validation": validation_lines(options.validation, site.fmt, shown),
        "charts": {k: v for k, v in charts(options.trend, site.fmt).items() if not k or k in shown},
        "trend_title": title(options.trend, site.fmt) if options.trend is not None else "",
        "trend_heading": _("Progress over time"), "history_heading": _("History"),
    }


# where a table's rows go (SiteSource.text), with a random part no plan can write
_TABLE = f"\x00feuille-table-{secrets.token_hex(8)}\x00"
_ROWS_AT_ONCE = 500


def _filters(env: Any, site: _Site, kept: Any = None, action_rows_kept: bool = True) -> None:
    """The filters and globals of the site's templates.  ``kept``: (a row store, io/rows.py; the site's keys,
    views/sitekeys.py), the rows of earlier renders, each taken when its key is the same."""
    from jinja2 import pass_context  # noqa: PLC0415 (heavy, loaded when first needed)
    from markupsafe import Markup  # noqa: PLC0415 (loaded with jinja2)

    fmt = site.fmt
    macros = f"{site.options.fmt}/_macros{site.ext}"
    rows: dict[tuple[str, str], Any] = {}
    store, keys = kept if kept is not None else (None, None)

    def made_row(root: str, a: ActionResult) -> Any:
        if site.fast_row is not None:  # feuille's own HTML templates: written in Python (views/sitefast.py)
            return site.fast_row(a, root)
        return site.scope(root).module(env.get_template(macros)).action_row_html(a)

    def row_of(root: str, a: ActionResult) -> Any:
        key = (root, a.action.id)
        row = rows.get(key)
        if row is None:
            ident = keys.row(a.action.id, root) if keys is not None and action_rows_kept else None
            text = store.get(ident) if ident is not None else None
            if text is not None:
                row = text
            else:
                row = str(made_row(root, a))  # (a plain str: the row store keeps this very object, not a copy)
                if ident is not None:
                    store.put(ident, row)
            rows[key] = row
        return row

    @pass_context
    def action_row(context: Any, a: ActionResult) -> Any:
        """An action's table row, rendered once per page depth and reused by every listing."""
        return Markup(row_of(context["page"]["root"], a))

    def batches(root: str, actions: list[ActionResult]) -> Iterator[str]:
        """The rows of a table, each followed by a new line, a few hundred at a time (never a table of 50,000 rows at once)."""
        for start in range(0, len(actions), _ROWS_AT_ONCE):
            yield "".join([f"{row_of(root, a)}\n" for a in actions[start:start + _ROWS_AT_ONCE]])

    @pass_context
    def action_rows(context: Any, actions: Iterable[ActionResult]) -> Any:
        """The rows of an action table, each followed by a new line: one join, no template loop over 10,000 rows."""
        root = context["page"]["root"]
        tables = site.tables
        if tables is None:
            return Markup("".join(batches(root, list(actions))))
        # a page listing 10,000 rows is megabytes: the rows are put in as the page is written (SiteSource.chunks)
        tables.append(functools.partial(batches, root, list(actions)))
        return Markup(f"{_TABLE}{len(tables) - 1}{_TABLE}")

    def priority_row(root: str, s: Any) -> str:
        """A ranked action's row in the priorities table (the ``priority_row_html`` macro), kept across renders under its
        action's page key and what the row shows of the ranking (its rank, tie, scores and total)."""
        ident = None
        if keys is not None and store is not None:
            action_key = keys.action(s.item.id)
            if action_key is not None:
                rank = rank_text(site.ranking, s)
                tie = len(site.ranking.group(s)) if s.ex_aequo and rank else 0
                scores = tuple(s.scores.get(c) for c in ("stake", "urgency", "roi"))
                ident = f"{action_key}/priority/{root}/{rank}/{int(bool(s.ex_aequo))}/{tie}/{scores!r}/{total_text(site.ranking, s.total, fmt)}"
                text = store.get(ident)
                if text is not None:
                    return text
        scope = site.scope(root)
        made = getattr(scope.module(env.get_template(macros)), "priority_row_html", None)
        if made is None:  # a plan's own _macros.html without it: feuille's
            made = scope.module(env.get_template(f"default:{macros}")).priority_row_html
        row = str(made(s))
        if ident is not None:
            store.put(ident, row)
        return row

    def priority_batches(root: str, ranked: list[Any]) -> Iterator[str]:
        for start in range(0, len(ranked), _ROWS_AT_ONCE):
            yield "".join([priority_row(root, s) for s in ranked[start:start + _ROWS_AT_ONCE]])

    @pass_context
    def priority_rows(context: Any, ranked: Iterable[Any]) -> Any:
        """The rows of the priorities table: one join, no template loop over 10,000 rows (put in as the page is written)."""
        root = context["page"]["root"]
        tables = site.tables
        if tables is None:
            return Markup("".join(priority_batches(root, list(ranked))))
        tables.append(functools.partial(priority_batches, root, list(ranked)))
        return Markup(f"{_TABLE}{len(tables) - 1}{_TABLE}")

    render_markdown = html_renderer() if site.options.fmt == "html" else markdown_renderer()

    @pass_context
    def markdown(context: Any, text: Any) -> Any:
        """The plan's Markdown; images may point inside the site only, as seen from this page's folder."""
        return render_markdown(text, str(context["page"]["root"]).count("../"))

    unset = LABELS[site.options.lang]["unset"]  # an empty value reads « non renseigné », never a dash

    def nostop(text: Any) -> str:
        """The text without its final full stop, for a sentence that goes on after it (no « .. »)."""
        text = str(text or "").rstrip()
        return text[:-1] if text.endswith(".") and not text.endswith("..") else text

    dates: dict[Any, str] = {}  # a site writes the same few hundred dates tens of thousands of times: each formatted once
    periods: dict[tuple[Any, Any], str] = {}

    def date(value: Any) -> str:
        if value is None:
            return unset
        text = dates.get(value)
        if text is None:
            text = dates[value] = fmt.date(value)
        return text

    def period(start: Any, end: Any) -> str:
        text = periods.get((start, end))
        if text is None:
            text = periods[(start, end)] = fmt.period(start, end)
        return text

    env.filters.update({
        "money": lambda v, cents=False: unset if v is None else fmt.money(v, cents),
        "pct": fmt.pct,
        "date": date,
        "num": lambda v, digits=0: unset if v is None else fmt.number(v, digits),
        "measure": lambda v, unit=None: unset if v is None else measure(fmt, v, unit),  # 18 %, 12 km
        "period": period,
        "nostop": nostop,
        "orunset": lambda v: v if v not in (None, "", []) else unset,
        "markdown": markdown,
        "mdcell": md_text,
        "width": lambda v, scale=100.0: 0 if v is None else round(max(0.0, min(100.0, float(v))) * scale / 100, 1),
    })
    by_item: dict[int, list[Tag]] = {}
    for tag in site.tags.values():
        for r in tag.objectives:
            by_item.setdefault(id(r.objective), []).append(tag)
        for a in tag.actions:
            by_item.setdefault(id(a.action), []).append(tag)
    env.globals.update({
        "scale": _scale,
        "hbar_layout": lambda items, width=CHART_WIDTH: hbar_layout(items, fmt, width),
        "narrow_width": NARROW,  # a chart drawn again for a phone (views/chartsize.py)
        "trend_chart": lambda indicator: trend_chart(indicator, site.options.as_of, fmt),
        "item_tags": lambda item: by_item.get(id(item), []),
        "matrix": matrix_counts,
        # the ranking's one rank column and one rounding of totals, as feuille prioritise writes them (views/ranking.py)
        "rank_text": lambda s: rank_text(site.ranking, s),
        "tie_rows": lambda s: len(site.ranking.group(s)),
        "total_text": lambda v: total_text(site.ranking, v, fmt),
        "criteria_words": lambda names: criteria_words(names, site.options.lang),
        "status_count": lambda n, status: status_count(n, status, site.options.lang),
        "action_row": action_row,
        "action_rows": action_rows,
        "priority_rows": priority_rows,
        "assessment": lambda r: action_assessment(r, fmt) if isinstance(r, ActionResult) else objective_assessment(r, fmt),
        **indicator_globals(site.indicators, fmt),
    })


CHART_WIDTH = WIDE  # the viewBox of a bar chart: drawn at the width of the page (the svg is 100 % wide), and NARROW for a phone
_ROW = 44  # one bar: its label line, then the bar
_CHAR = CHAR  # units per character of a 15-unit label, generous (no font metrics here): a label never runs into its value


def _fit(text: str, room: float) -> str:
    """``text`` cut to about ``room`` px, with « … »."""
    most = max(4, int(room / _CHAR))
    return text if len(text) <= most else text[: most - 1].rstrip() + "…"


def hbar_layout(items: Iterable[tuple[Any, Any]], fmt: Formatter, width: int = CHART_WIDTH) -> dict[str, Any]:
    """Where each bar, label and value of a horizontal bar chart goes: the label on its own line (left),
    the amount at the right end of that line, the bar under them; labels are cut to the room left by the
    amount, so no two texts can overlap whatever the labels (the browser test measures it)."""
    items = list(items)
    top = max((float(v) for _l, v in items if v is not None), default=0.0)
    rows = []
    for i, (label, value) in enumerate(items):
        shown = fmt.money(value)
        y = i * _ROW
        rows.append({"label": _fit(str(label), width - len(shown) * _CHAR - 24), "full": str(label), "value": shown,
                     "text_y": y + 16, "bar_y": y + 22, "bar_width": _scale(value, top, width)})
    return {"width": width, "height": len(items) * _ROW + 4, "rows": rows}


def _scale(value: Any, top: Any, width: float) -> float:
    """``value`` as a length on a bar of ``width`` for ``top``."""
    if not top or value is None:
        return 0.0
    return round(max(0.0, float(value) / float(top)) * width, 1)


def trend_chart(indicator: Any, as_of: dt.date, fmt: Formatter, width: int = CHART_WIDTH, height: int = 240) -> dict[str, Any] | None:
    """Coordinates of an indicator's trend (measurements up to ``as_of``), baseline and target."""
    points = sorted((m for m in indicator.measurements if m.date <= as_of), key=lambda m: m.date)
    if not points:
        return None
    values = [m.value for m in points] + [v for v in (indicator.baseline, indicator.target) if v is not None]
    lo, hi = min(values), max(values)
    if hi == lo:
        lo, hi = lo - 1, hi + 1
    top, bottom, left, right = 24, height - 14, 40, width - 10
    first = points[0].date
    span = max(1, (points[-1].date - first).days)

    def y(v: float) -> float:
        return round(bottom - (v - lo) / (hi - lo) * (bottom - top), 1)

    coords = [{"x": round(left + (m.date - first).days / span * (right - left), 1) if len(points) > 1 else (left + right) / 2, "y": y(m.value)} for m in points]
    last = points[-1]
    _ = translator(fmt.lang)
    description = _("; ").join(_("{label}: {value}").format(label=fmt.date(d), value=fmt.number(v, 2))
                               for d, v in ((first, points[0].value), (last.date, last.value)))
    return {
        "width": width, "height": height, "points": coords,
        "polyline": " ".join(f"{c['x']},{c['y']}" for c in coords),
        "baseline_y": y(indicator.baseline) if indicator.baseline is not None else None,
        "target_y": y(indicator.target) if indicator.target is not None else None,
        "description": description,
    }


def _render(env: Any, name: str, context: dict[str, Any]) -> str:
    try:
        return run(env, name, context)
    except TemplateProblem as exc:
        raise RenderError(exc.msg, exc.hint_msg) from None


def _render_chunks(env: Any, name: str, context: dict[str, Any]) -> Iterator[str]:
    """:func:`_render`'s text, piece by piece as the template makes it."""
    try:
        yield from run_chunks(env, name, context)
    except TemplateProblem as exc:
        raise RenderError(exc.msg, exc.hint_msg) from None


class SiteSource:
    """The pages of a site for the audience ``published`` was made for, each made when it is asked for
    (a :class:`feuille.io.sitewrite.PageSource`): :func:`write_site` writes them one by one, so the site is
    never held whole in memory.

    With feuille's own templates alone, each page has a key (views/sitekeys.py): a render into the
    folder of a previous one makes again only the pages whose key changed.  A plan's own templates
    may read anything: then no page has a key, every page is made.
    """

    def __init__(self, published: Published, options: RenderOptions, rows: Any = None, compiled: Any = None) -> None:
        """``rows``: a row store (io/rows.py) holding the table rows of earlier renders, used with feuille's own templates;
        ``compiled``: where these templates are kept compiled (io/rows.py)."""
        if options.fmt not in FORMATS:
            raise RenderError(msg("unknown format '{value}': html or md.", value=options.fmt))
        from jinja2.sandbox import SandboxedEnvironment  # noqa: PLC0415 (heavy, loaded when first needed)

        from feuille.views.sitekeys import SiteKeys  # noqa: PLC0415 (only for a render into a folder that has a manifest)

        plan = published.plan
        self.options = options
        self.env = env = _env(plan, options, compiled)
        self.site = site = _Site(published, options)
        self.plan_root: Path | None = plan.root
        self.template_dir: Path | None = _template_dir(plan, options)[0]
        self._keys = None if isinstance(env, SandboxedEnvironment) else SiteKeys(site)
        # feuille's own HTML templates alone: the action pages and the listings' rows written in Python (views/sitefast.py);
        # such a row is made faster than its key is worked out, so the row store (io/rows.py) keeps Markdown's action rows
        # and the priorities table's rows (made by a macro each) only
        fast = self._keys is not None and options.fmt == "html"
        self._rows = rows if self._keys is not None else None
        _filters(env, site, (rows, self._keys) if self._rows is not None else None, action_rows_kept=not fast)
        self._fast = _fast_html(env, site) if fast else None
        ext = site.ext
        t = LABELS[options.lang]
        # each page, in the order they are made: (template, kind, title, extra context, the action shown or None)
        self._pages: dict[str, tuple[str, str, str, dict[str, Any], str | None]] = {}

        def page(path: str, template: str, kind: str, title: str, shown: str | None = None, **extra: Any) -> None:
            self._pages[path] = (template, kind, title, extra, shown)

        def named(folder: str, ident: str) -> str:
            return f"{folder}/{site.page_name(folder, ident)}{ext}"

        page(f"index{ext}", "index" + ext, "index", plan.meta.title if plan.meta else t["dashboard"])
        for r in site.objectives:
            page(named("objectives", r.objective.id), "objective" + ext, "objective", f"{r.objective.id} {r.objective.title}", objective=r)
        for a in site.rollup.actions:
            page(named("actions", a.action.id), "action" + ext, "action", f"{a.action.id} {a.action.title}", a.action.id, action=a)
        for p, r in site.indicators.readings:
            page(named("indicators", p.key), "indicator" + ext, "indicator", p.indicator.label, indicator=p, reading=r)
        page(f"people/index{ext}", "people_index" + ext, "people-index", t["people_index"])
        for pid, roles in site.roles.items():
            page(named("people", pid), "person" + ext, "person", plan.people[pid].name, who=plan.people[pid], by_role=roles)
        for sid, actions in site.services.items():
            page(named("services", sid), "service" + ext, "service", plan.services[sid].name, service=plan.services[sid], actions=actions)
        page(f"tags/index{ext}", "tags_index" + ext, "tags-index", t["themes_index"])
        for slug, tag in site.tags.items():
            page(named("tags", slug), "tag" + ext, "tag", tag.label, tag=tag)
        page(f"priorities{ext}", "priorities" + ext, "priorities", t["priorities"])
        if options.fmt == "html":
            page("style.css", "", "static", "")

    def paths(self) -> list[str]:
        return list(self._pages)

    def from_worker(self) -> Any:
        """What a worker process that made some of the pages (io/sitewrite.py) hands back: the table rows it used."""
        return self._rows.used() if self._rows is not None else None

    def take_from_worker(self, found: Any) -> None:
        """A worker's rows, kept with this process's for the next render (io/rows.py)."""
        if self._rows is not None and found:
            self._rows.take(found)

    def key(self, rel: str) -> str | None:
        if self._keys is None:
            return None
        action = self._pages[rel][4]
        return self._keys.action(action) if action is not None else self._keys.others()

    def text(self, rel: str) -> str:
        return "".join(self.chunks(rel))

    def chunks(self, rel: str) -> Iterator[str]:
        """The page ``rel``, piece by piece as it is made (a page listing 50,000 actions is never held whole)."""
        template, kind, title, extra, _action = self._pages[rel]
        if kind == "static":
            yield _static(self.env, f"static/{rel}")
            return
        if kind == "action" and self._fast is not None:
            made = self._fast.action_page(extra["action"], "../" * rel.count("/"), title, lambda: self.site.context(kind, rel, title, **extra))
            if made is not None:
                yield made
                return
        context = self.site.context(kind, rel, title, **extra)
        name = f"{self.options.fmt}/{template}"
        if self._keys is None:
            yield from _with_notice_chunks(_render_chunks(self.env, name, context), self.options, context["audience_note"])
            return
        # feuille's own templates alone: their macros made once per folder, the rows of action tables put in as written
        context[IMPORT_SCOPE] = self.site.scope(context["page"]["root"])
        yield from _with_notice_chunks(self._with_tables(name, context), self.options, context["audience_note"])

    def _with_tables(self, name: str, context: dict[str, Any]) -> Iterator[str]:
        self.site.tables = tables = []
        try:
            for chunk in _render_chunks(self.env, name, context):
                if _TABLE not in chunk:
                    yield chunk
                    continue
                parts = chunk.split(_TABLE)
                for i, part in enumerate(parts):
                    if i % 2 == 0:
                        yield part
                    else:
                        yield from tables[int(part)]()
        finally:
            self.site.tables = None


def _fast_html(env: Any, site: _Site) -> Any:
    """The Python-written action pages and rows of feuille's own HTML templates (views/sitefast.py), rows put in place of the macro."""
    from feuille.views.sitefast import FastHtml  # noqa: PLC0415 (a site's own module)

    fast = FastHtml(site, env, site._shared)
    site.fast_row = fast.row
    return fast


def render_site(published: Published, options: RenderOptions) -> dict[str, str]:
    """Every page of the site, ``{relative path: text}``, for the audience ``published`` was made for
    (:class:`SiteSource` makes them one by one, for :func:`write_site`)."""
    source = SiteSource(published, options)
    result = SitePages(sorted((rel, source.text(rel)) for rel in source.paths()))
    result.plan_root = source.plan_root
    result.template_dir = source.template_dir
    return result


def _static(env: Any, name: str) -> str:
    from jinja2 import TemplateNotFound  # noqa: PLC0415 (heavy, loaded when first needed)

    try:
        source, _filename, _uptodate = env.loader.get_source(env, name)
    except TemplateProblem as exc:
        raise RenderError(exc.msg, exc.hint_msg) from None
    except TemplateNotFound:
        raise RenderError(msg("template not found: {name}.", name=name), msg("Check the templates folder (docs/templates.md).")) from None
    return source


def render_report(published: Published, kind: str, options: RenderOptions, year: int | None = None, compiled: Any = None) -> str:
    """``annual`` (with ``year``), ``midterm`` or ``term`` report, as one HTML or Markdown document (``compiled``: where
    feuille's own templates are kept compiled, io/rows.py)."""
    if kind not in REPORTS:
        raise RenderError(msg("unknown report '{value}': annual, midterm or term.", value=kind))
    if options.fmt not in FORMATS:
        raise RenderError(msg("unknown format '{value}': html or md.", value=options.fmt))
    plan = published.plan
    env = _env(plan, options, compiled)
    site = _Site(published, options)
    _filters(env, site)
    ext = site.ext
    t = LABELS[options.lang]
    if kind == "annual":
        assert year is not None
        extra = _annual(site, year)

        extra["portfolios"] = portfolios(site.plan, site.rollup, year, options.as_of, options.year_changes, site.fmt)
        extra["a"] = annual_labels(options.lang, year)
        extra["year_changes_known"] = options.year_changes is not None
        extra["year_base"] = options.year_base
        title = t["annual"].format(year=year)
    elif kind == "midterm":
        extra = _midterm(site, options)
        title = extra["m"]["title"]
    else:
        extra = {"plan_readings": [(p, r) for p, r in site.indicators.readings if p.top]}
        title = t["term_report"]
    context = site.context(f"report-{kind}", f"report{ext}", title, year=year, **extra)
    context["url"] = lambda target, ident=None: ""  # a standalone report links nowhere...
    context["standalone"] = True  # ...so it has no site menu (base.html), and its styles are inside it
    if options.fmt == "html":

        css = _static(env, "static/style.css")
        digest = base64.b64encode(hashlib.sha256(css.encode("utf-8")).digest()).decode("ascii")
        context["inline_css"] = css
        context["csp"] = CSP.replace("style-src 'self'", f"style-src 'sha256-{digest}'")  # that style sheet and no other
    return _with_notice(_render(env, f"{options.fmt}/report_{kind}{ext}", context), options, context["audience_note"])


def render_report_docx(published: Published, options: RenderOptions, year: int) -> bytes:
    """The annual report as an editable Word document (views/docx_report.py): the same content as the HTML one."""
    from feuille.views.docx_report import Block, build  # noqa: PLC0415 (a Word document's only: zipfile and the writer stay out of a render)

    site = _Site(published, options)
    fmt, lang = site.fmt, options.lang
    t, a = LABELS[lang], annual_labels(lang, year)
    statuses, verdicts = STATUS[lang], VERDICT[lang]
    plan, rollup = site.plan, site.rollup
    title = t["annual"].format(year=year)

    def progress(value: Any, expected: Any) -> str:
        return fmt.pct(value) + (f" ({t['expected']} {fmt.pct(expected)})" if expected is not None else "")

    def counts(c: dict[str, int]) -> str:
        return ", ".join(status_count(n, k, lang) for k, n in c.items() if n)

    def line(r: ActionResult) -> str:
        x = r.action
        text = f"{x.id} {x.title} — {statuses[x.status.value]}, {fmt.pct(r.progress)}"
        return text + (f", {t['deadline'].lower()} {fmt.date(x.planned_end)}" if x.planned_end else "")

    orgs = " · ".join(o.name for o in plan.meta.organisations) if plan.meta else ""
    blocks = [Block("title", title), Block("p", f"{plan.meta.title if plan.meta else ''} — {orgs} — {t['as_of']} {fmt.date(options.as_of)}")]
    audience_note = AUDIENCE_NOTE[lang][published.audience.value]
    blocks += [Block("note", line_) for line_ in (*options.notice, audience_note) if line_]
    blocks += [Block("note", line_) for line_ in (*site.history["revision"], *site.history["validation"])]
    blocks.append(Block("p", f"{t['overall']}{LABELS[lang]['colon']}{progress(rollup.progress, rollup.expected)}"))
    blocks.append(Block("h1", a["portfolios"]))
    blocks.append(Block("note", a["from_history"].format(source=options.year_base) if options.year_changes is not None else a["no_history"]))
    found = portfolios(plan, rollup, year, options.as_of, options.year_changes, fmt)
    for p in found:
        blocks.append(Block("h2", p.name + (f" ({p.role})" if p.role else "")))
        spent = fmt.money(p.spent) if p.spent is not None else "–"
        blocks.append(Block("p", f"{a['actions_count'].format(n=p.actions)} · {a['year_budget'].format(year=year, planned=fmt.money(p.planned), spent=spent)}"))
        sections = [(label, entries) for _k, label, entries in p.sections(a) if entries]
        for label, entries in sections:
            blocks.append(Block("h3", f"{label} ({len(entries)})"))
            blocks.append(Block("bullets", items=[[line(e.result), *e.notes] for e in entries]))
        if not sections:
            blocks.append(Block("p", a["nothing"]))
    blocks.append(Block("h1", a["objectives_figures"]))
    rows = [[t["objective"], t["progress"], t["verdict"], t["counts"]]]
    rows += [[f"{r.objective.id} {r.objective.title}", progress(r.progress, r.expected), verdicts[r.verdict], counts(r.counts)] for r in rollup.objectives]
    blocks.append(Block("table", items=rows))
    if site.indicators.readings:  # every indicator the audience sees, as in the HTML report
        ti = iw.SITE[lang]
        blocks.append(Block("h1", f"{ti['indicators']} ({len(site.indicators.readings)})"))
        rows = [[ti["indicator"], ti["latest"], ti["target"], ti["progress"], ti["verdict"]]]
        for _p, r in site.indicators.readings:
            ind = r.indicator
            rows.append([ind.label, f"{iw.value(fmt, r.current.value, ind)} ({fmt.date(r.current.date)})" if r.current else ti["none_measured"],
                         iw.target_text(ind, fmt), fmt.pct(r.progress) if r.progress is not None else (iw.reason(r, lang) or t["unset"]), iw.verdict(r, lang)])
        blocks.append(Block("table", items=rows))
    extra = _annual(site, year)
    blocks.append(Block("h1", t["budget_used"].format(year=year)))
    yb = extra["year_budget"]
    spent = fmt.money(yb["spent"]) if yb["spent"] is not None else t["unset"]
    blocks.append(Block("p", f"{t['planned_budget']}{t['colon']}{fmt.money(yb['planned'])} · {t['spent']}{t['colon']}{spent}"))
    if (f := extra["year_funding"]) is not None:
        rows = [[t["funder"], t["amount"], t["share_of_planned"]]]
        rows += [[r.name, fmt.money(r.amount), fmt.pct(r.share)] for r in f.funders] + [[t["own_funds"], fmt.money(f.own), fmt.pct(f.own_share)]]
        blocks.append(Block("table", items=rows))
    blocks.append(Block("pagebreak"))
    blocks.append(Block("h1", a["decisions"]))
    blocks.append(Block("p", a["decisions_help"]))
    blocks.append(Block("table", items=[[a["portfolio"], a["decision"], a["who"], a["by_when"]], *[[p.name, "", "", ""] for p in found]], empty_rows=2))
    return build(blocks, title=title, lang=lang)


def render_midterm_docx(published: Published, options: RenderOptions) -> bytes:
    """The mid-term evaluation as an editable Word document (views/docx_report.py): the same content as the HTML one."""
    from feuille.views.docx_report import Block, build  # noqa: PLC0415 (a Word document's only: zipfile and the writer stay out of a render)

    site = _Site(published, options)
    fmt, lang = site.fmt, options.lang
    t = LABELS[lang]
    data = _midterm(site, options)
    m, midterm = data["m"], data["midterm"]
    plan, rollup = site.plan, site.rollup
    statuses, verdicts = STATUS[lang], VERDICT[lang]
    ti = iw.SITE[lang]

    def progress(value: Any, expected: Any) -> str:
        return fmt.pct(value) + (f" ({t['expected']} {fmt.pct(expected)})" if expected is not None else "")

    def counts(c: dict[str, int]) -> str:
        return ", ".join(status_count(n, k, lang) for k, n in c.items() if n)

    def money(v: Any) -> str:
        return fmt.money(v) if v is not None else t["unset"]

    def indicator_table(readings: list[Any]) -> Block:
        rows = [[m["indicator"], m["where"], m["baseline"], m["latest"], m["expected"], m["target"], m["progress"], m["verdict"]]]
        for p, r in readings:
            ind = p.indicator
            rows.append([ind.label, p.where or ti["the_plan"],
                         iw.value(fmt, ind.baseline, ind) if ind.baseline is not None else t["unset"],
                         f"{iw.value(fmt, r.current.value, ind)} ({fmt.date(r.current.date)})" if r.current else ti["none_measured"],
                         iw.value(fmt, r.expected, ind) if r.expected is not None else t["unset"], iw.target_text(ind, fmt),
                         fmt.pct(r.progress) if r.progress is not None else (iw.reason(r, lang) or t["unset"]), iw.verdict(r, lang)])
        return Block("table", items=rows)

    adopted, middle = data["adopted"], data["middle"]
    orgs = " · ".join(o.name for o in plan.meta.organisations) if plan.meta else ""
    blocks = [Block("title", m["title"]), Block("p", f"{plan.meta.title if plan.meta else ''} — {orgs}")]
    blocks.append(Block("p", m["law"]))
    blocks.append(Block("p", m["as_of"].format(date=fmt.date(options.as_of), middle=fmt.date(middle))))
    blocks.append(Block("p", (m["adopted"] if plan.meta and plan.meta.adopted else m["adopted_default"]).format(date=fmt.date(adopted))))
    state = midterm.get("state")
    blocks.append(Block("note", m["history_late"].format(adopted=fmt.date(adopted), first=fmt.date(midterm.get("first"))) if state == "late"
                        else m["no_history"] if state == "none" else m["from_history"].format(source=midterm.get("base", ""))))
    audience_note = AUDIENCE_NOTE[lang][published.audience.value]
    blocks += [Block("note", line_) for line_ in (*options.notice, audience_note) if line_]
    blocks.append(Block("h1", m["summary"]))
    blocks.append(Block("p", f"{t['overall']}{t['colon']}{progress(rollup.progress, rollup.expected)} · {counts(rollup.counts)}"))
    rows = [[m["objective"], t["progress"], m["weather"], m["at_adoption"], m["planned_now"], m["committed"]]]
    for sec in data["sections"]:
        r = sec.result
        w = sec.weather
        rows.append([f"{r.objective.id} {r.objective.title}", progress(r.progress, r.expected), iw.WEATHER[lang][w.name] if w and w.name else t["unset"],
                     money(sec.budget_then), fmt.money(r.budget.planned), fmt.money(r.budget.spent) if r.budget.spent_known else t["unset"]])
    blocks.append(Block("table", items=rows))
    if data["plan_readings"]:
        blocks.append(Block("h2", ti["all"]))
        blocks.append(indicator_table(data["plan_readings"]))
    for sec in data["sections"]:
        r = sec.result
        blocks.append(Block("h1", f"{r.objective.id} {r.objective.title}"))
        blocks.append(Block("p", f"{progress(r.progress, r.expected)} · {verdicts[r.verdict]}"))
        if sec.weather is not None:
            blocks.append(Block("bullets", items=[[line] for line in iw.weather_lines(sec.weather, fmt)]))
        blocks.append(Block("h2", m["planned"]))
        planned = m["planned_then"].format(n=sec.planned_then, budget=money(sec.budget_then)) if sec.planned_then is not None else m["planned_unknown"]
        blocks.append(Block("p", f"{planned} · {m['now'].format(n=sec.actions_now, counts=counts(r.counts))}"))
        for label, items in ((m["done"], sec.done), (m["late"], sec.late), (m["ongoing"], sec.ongoing)):
            if items or label == m["done"]:
                blocks.append(Block("h2", f"{label} ({len(items)})"))
                blocks.append(Block("bullets", items=[[f"{a.action.id} {a.action.title} — {statuses[a.action.status.value]}, {fmt.pct(a.progress)}"] for a in items])
                              if items else Block("p", m["nothing"]))
        blocks.append(Block("h2", m["indicators"]))
        blocks.append(indicator_table(sec.readings) if sec.readings else Block("p", m["no_indicators"]))
        blocks.append(Block("h2", m["changes"]))
        listed = [(label, entries) for _k, label, entries in sec.changes(m) if entries]
        for label, entries in listed:
            blocks.append(Block("h3", f"{label} ({len(entries)})"))
            blocks.append(Block("bullets", items=[[f"{e.id} {e.title}", *e.notes] for e in entries]))
        if not listed:
            blocks.append(Block("p", m["nothing"]))
        blocks.append(Block("h2", m["budget"]))
        spent = fmt.money(r.budget.spent) if r.budget.spent_known else t["unset"]
        blocks.append(Block("p", m["budget_line"].format(planned=fmt.money(r.budget.planned), spent=spent, then=money(sec.budget_then))
                            if sec.budget_then is not None else m["budget_line_now"].format(planned=fmt.money(r.budget.planned), spent=spent)))
    blocks.append(Block("pagebreak"))
    blocks.append(Block("h1", m["conclusions"]))
    blocks.append(Block("p", m["conclusions_help"]))
    blocks.append(Block("table", items=[[m["objective"], m["assessment"], m["decisions"], m["who"]],
                                        *[[f"{sec.result.objective.id} {sec.result.objective.title}", "", "", ""] for sec in data["sections"]]], empty_rows=2))
    return build(blocks, title=m["title"], lang=lang)


def _midterm(site: _Site, options: RenderOptions) -> dict[str, Any]:
    """What the mid-term report's templates receive (views/midterm.py)."""

    m = options.midterm or {"state": "none"}
    return {"m": midterm_labels(options.lang), "midterm": m, "middle": midpoint(site.plan), "adopted": adoption(site.plan),
            "sections": sections(site.plan, site.rollup, site.indicators, m.get("before"), m.get("changes"), site.fmt),
            "plan_readings": plan_readings(site.plan, site.indicators)}


def _with_notice(text: str, options: RenderOptions, audience_note: str = "") -> str:
    """A Markdown page gets the notice and the audience note as a quote under its title (HTML pages show them from base.html)."""
    if options.fmt != "md":
        return text
    lines = [f"**{_md_text(line)}**" for line in options.notice] + ([f"*{_md_text(audience_note)}*"] if audience_note else [])
    if not lines:
        return text
    head, sep, rest = text.partition("\n")
    quote = "\n>\n".join(f"> {line}" for line in lines) + "\n"
    return f"{head}{sep}\n{quote}{rest}"


def _with_notice_chunks(chunks: Iterable[str], options: RenderOptions, audience_note: str = "") -> Iterator[str]:
    """:func:`_with_notice` on a page given piece by piece: the quote goes in once its first line has come."""
    if options.fmt != "md" or not (options.notice or audience_note):
        yield from chunks
        return
    head: list[str] = []
    it = iter(chunks)
    for chunk in it:
        head.append(chunk)
        if "\n" in chunk:
            break
    yield _with_notice("".join(head), options, audience_note)
    yield from it


def _annual(site: _Site, year: int) -> dict[str, Any]:
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    done, slipped, still_open = [], [], []
    year_budget = Budget()  # the year's lines of the actions shown (revenues apart, as in the rollup)
    for a in site.rollup.actions:
        x = a.action
        if x.status is Status.done and x.actual_end and start <= x.actual_end <= end:
            done.append(a)
        elif x.status not in (Status.done, Status.cancelled) and x.planned_end and x.planned_end <= min(end, site.options.as_of):
            slipped.append(a)
        elif x.status not in (Status.done, Status.cancelled):
            still_open.append(a)
        for line in x.budget:
            if line.year == year:
                year_budget.line(line)
    return {"done": done, "slipped": slipped, "still_open": still_open,
            "year_budget": {"planned": year_budget.planned, "spent": year_budget.spent if year_budget.spent_known else None},
            "year_funding": year_budget.funding}


def write_site(pages: dict[str, str] | SiteSource | PageSource, out: Path, *, force: bool = False, plan_root: Path | None = None,
               template_dir: Path | None = None) -> SiteWriteResult:
    """Write the whole site into ``out`` at once (io/sitewrite.py): a new sibling folder, then a swap.

    ``pages``: ``{relative path: text}``, or a :class:`SiteSource` whose pages are made as they are written (then
    pages whose key has not changed since the render that wrote ``out`` are kept as they are, not made again).

    Files of ``out`` feuille did not write are kept; pages of the previous render no longer
    produced are removed; a non-empty ``out`` feuille did not create, or a file feuille did not
    write that has a page's name, is refused unless ``force``.  ``out`` may not be the plan
    folder, contain it or lie in a part of it the plan is read from (``plan_root``, taken from
    :func:`render_site`'s result when not given).  Refusals and failures: :class:`RenderError`
    with ``hint``; the previous site is then left as it was.
    """

    if plan_root is None:
        plan_root = getattr(pages, "plan_root", None)
    if template_dir is None:
        template_dir = getattr(pages, "template_dir", None)
    try:
        return _write(pages, Path(out), force=force, plan_root=plan_root, template_dir=template_dir)
    except SiteWriteError as exc:
        raise RenderError(exc.msg, exc.hint_msg) from None
