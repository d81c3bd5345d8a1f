"""The site's hottest HTML, written in Python: an action's page and an action's table row (issue 27).

A site of 10,000 actions is 10,000 action pages and 10 listings of 10,000 rows: through Jinja, an action page
cost ~0.36 ms (its generated code, macro calls, base.html, filters) and a row was rendered again for every
listing.  Here they are written from the very same pieces the templates use (the site's ``url``, ``person``,
``fields``, filters and words, base.html itself) by plain string joins: several times faster.

These are copies of ``html/action.html`` (its ``main`` block) and of ``html/_macros.html``'s ``action_row_html``
(and the macros they call): they are used only when the site is made by feuille's own templates alone (a plan
with templates of its own always goes through Jinja), and tests/test_render_fast.py renders every action page
and row of the bundled plans both ways, in every audience, language and format, and compares them byte for byte.
**A change to action.html or to those macros must be made here too** (the test says which page differs).

The page's layout is base.html itself, rendered once per folder with markers where the title and the main
block go, then spliced; an action whose page shows indicators (charts: rare) is left to Jinja.
"""

from __future__ import annotations

import secrets
from typing import Any

from markupsafe import Markup, escape

from feuille.views.mdsafe import html_renderer

_TITLE = f"feuille-title-{secrets.token_hex(8)}"
_MAIN = f"feuille-main-{secrets.token_hex(8)}"
# the layout of an action page, made with these markers (no plan's text can hold them: random per run)
LAYOUT = '{% extends "html/base.html" %}{% block main %}' + _MAIN + "{% endblock %}"


try:  # markupsafe's own C escape of a str, without making a Markup of it (5x cheaper than escape())
    from markupsafe._speedups import _escape_inner as _escape_str
except ImportError:  # pragma: no cover (markupsafe without its C speedups, or another layout: its public escape)
    def _escape_str(s: str) -> str:
        return str(escape(s))


def _e(value: Any) -> str:
    """What Jinja's autoescape writes for ``{{ value }}`` (markupsafe's escape)."""
    if type(value) is str:
        return _escape_str(value)
    html = getattr(value, "__html__", None)
    return str(html()) if html is not None else _escape_str(str(value))


class FastHtml:
    """An action's page and table row, as feuille's own HTML templates write them, for one site."""

    def __init__(self, site: Any, env: Any, shared: Any) -> None:
        self.site = site
        self.env = env
        self._shared = shared  # root -> the values every page of that folder shares (views/site.py _Site._shared)
        f = env.filters
        g = env.globals
        self.date, self.period, self.pct, self.money, self.width = f["date"], f["period"], f["pct"], f["money"], f["width"]
        self.item_tags, self.readings_of, self.assessment = g["item_tags"], g["readings_of"], g["assessment"]
        self._markdown = html_renderer()
        self._layouts: dict[str, tuple[str, str, str] | None] = {}
        self._links: dict[tuple[Any, Any], str] = {}  # (the folder's url function, a person's id or tags' slugs) -> its links
        values = shared("")
        t = values["t"]
        self.t = t
        self.te = {k: _e(v) for k, v in t.items() if isinstance(v, str)}  # the site's words, escaped once
        self.statuses = {k: _e(v) for k, v in values["statuses"].items()}
        self.healths = {k: _e(v) for k, v in values["healths"].items()}
        self.sources = {k: _e(v) for k, v in values["sources"].items()}
        self.verdicts = {k: _e(v) for k, v in values["verdicts"].items()}
        self.spent_cap = _e(str(t["spent"]).capitalize())
        self.hidden_lines = values["hidden_lines"]
        self.services = values["services"]
        self.person = values["person"]
        self.fields = values["fields"]

    # --- the layout -------------------------------------------------------------------------------
    def layout(self, root: str, context: dict[str, Any]) -> tuple[str, str, str] | None:
        """base.html for an action page of the folder ``root``: before the title, between the title and the main block,
        after it (None when the markers are not each found once: then Jinja makes the page)."""
        if root not in self._layouts:
            text = self.env.from_string(LAYOUT).render({**context, "page": {**context["page"], "title": _TITLE}})
            parts = None
            if text.count(_TITLE) == 1 and text.count(_MAIN) == 1 and text.index(_TITLE) < text.index(_MAIN):
                head, rest = text.split(_TITLE)
                middle, tail = rest.split(_MAIN)
                parts = (head, middle, tail)
            self._layouts[root] = parts
        return self._layouts[root]

    # --- pieces (html/_macros.html) -----------------------------------------------------------------
    def bar(self, value: Any, expected: Any, label: str) -> str:
        """The ``progress`` macro."""
        label = _e(label)
        out = (f'<svg class="bar" width="160" height="16" viewBox="0 0 160 16" role="img" aria-label="{label}"><title>{label}</title>'
               '<rect class="bar-bg" x="0" y="3" width="160" height="10" rx="2"/>')
        if value is not None:
            out += f'<rect class="bar-fill" x="0" y="3" width="{_e(self.width(value, 160))}" height="10" rx="2"/>'
        if expected is not None:
            x = _e(self.width(expected, 160))
            out += f'<line class="bar-expected" x1="{x}" x2="{x}" y1="0" y2="16"/>'
        return out + "</svg>"

    def verdict(self, code: Any) -> str:
        return f'<span class="verdict verdict-{_e(code)}">{self.verdicts[code]}</span>'

    def owner_names(self, item: Any, url: Any) -> str:
        """The ``owner_names`` macro."""
        person = self.person
        parts = []
        for pid in item.political_owners:
            p = person(pid)
            parts.append(f'<a href="{_e(url("person", pid))}">{_e(p.short_name)}</a>' if p else _e(pid))
        out = ", ".join(parts)
        if item.admin_owner:
            p = person(item.admin_owner)
            out += " / " + (f'<a href="{_e(url("person", item.admin_owner))}">{_e(p.short_name)}</a>' if p else _e(item.admin_owner))
        return out

    def row(self, a: Any, root: str) -> Markup:
        """The ``action_row_html`` macro: an action's row in the listings of a page of the folder ``root``."""
        x = a.action
        url = self._shared(root)["url"]
        pct = self.pct(a.progress)
        return Markup(
            f'<tr>\n<th scope="row"><a href="{_e(url("action", x.id))}">{_e(x.id)}</a> {_e(x.title)}</th>\n'
            f"<td>{self.statuses[x.status.value]}</td>\n"
            f"<td>{self.bar(a.progress, a.expected, str(self.t['progress']) + ' ' + str(pct))} {_e(pct)}</td>\n"
            f"<td>{_e(self.date(x.planned_end))}</td>\n"
            f"<td>{self.owner_names(x, url)}</td>\n"
            f"<td>{self.verdict(a.verdict)}</td>\n</tr>")

    # --- the action page (html/action.html) ---------------------------------------------------------
    def action_page(self, r: Any, root: str, title: str, context: Any) -> str | None:
        """The whole page of the action ``r`` (an ActionResult), or None when Jinja must make it (indicators shown)."""
        a = r.action
        if self.readings_of(a.id):
            return None
        layout = self._layouts[root] if root in self._layouts else self.layout(root, context())
        if layout is None:
            return None
        te, t = self.te, self.t
        url = self._shared(root)["url"]
        person = self.person
        depth = root.count("../")
        md = self._markdown
        out = [layout[0], _e(title), layout[1]]
        w = out.append
        w(f'<p class="crumbs"><a href="{_e(url("index"))}">{te["dashboard"]}</a> › <a href="{_e(url("objective", r.objective.id))}">'
          f"{_e(r.objective.id)} {_e(r.objective.title)}</a></p>\n<h1>{_e(a.id)} {_e(a.title)}</h1>\n")
        if a.description:
            w(f'<div class="prose">{_e(md(a.description, depth))}</div>')
        w(f'<dl class="facts">\n<dt>{te["political_owners"]}</dt><dd>')
        if a.political_owners:
            w(", ".join(self._person_link(pid, url) for pid in a.political_owners))
        else:
            w(te["unset"])
        w(f'</dd>\n<dt>{te["admin_owner"]}</dt><dd>')
        p = person(a.admin_owner)
        w(f'<a href="{_e(url("person", a.admin_owner))}">{_e(p.name)}</a>' if p else _e(a.admin_owner or t["unset"]))
        w("</dd>\n")
        if a.involved:
            w(f'<dt>{te["involved"]}</dt><dd>{", ".join(self._person_link(pid, url) for pid in a.involved)}</dd>')
        if a.partners:
            w(f'<dt>{te["partners"]}</dt><dd>{_e(", ".join(str(x) for x in a.partners))}</dd>')
        for f in self.fields(a, "facts", "involved", "partners"):
            w(f"<dt>{_e(f['heading'])}</dt><dd>{_e(f['text'])}</dd>")
        if a.service:
            services = self.services
            w(f'<dt>{te["service"]}</dt><dd>')
            w(f'<a href="{_e(url("service", a.service))}">{_e(services[a.service].name)}</a>' if a.service in services else _e(a.service))
            w("</dd>")
        w(f'<dt>{te["planned"]}</dt><dd>{_e(self.period(a.planned_start, a.planned_end))}</dd>\n')
        if a.actual_start or a.actual_end:
            w(f'<dt>{te["actual"]}</dt><dd>{_e(self.period(a.actual_start, a.actual_end))}</dd>')
        w(f'<dt>{te["status"]}</dt><dd>{self.statuses[a.status.value]}</dd>\n<dt>{te["health"]}</dt><dd>{self.healths[a.health.value]}')
        if a.health_note:
            w(f" — {_e(a.health_note)}")
        pct = self.pct(r.progress)
        w(f'</dd>\n<dt>{te["progress"]}</dt><dd>{self.bar(r.progress, r.expected, str(t["progress"]) + " " + str(pct))} {_e(pct)} '
          f"({self.sources[r.source]})")
        if r.expected is not None:
            w(f", {te['expected']} {_e(self.pct(r.expected))}")
        w(f'</dd>\n<dt>{te["verdict"]}</dt><dd>{self.verdict(r.verdict)}</dd>\n'
          f'<dt>{te["assessment"]}</dt><dd class="assessment">{_e(self.assessment(r))}</dd>\n')
        if a.reschedules:
            date = self.date
            w(f'<dt>{te["reschedules"]}</dt><dd><ul>')
            for m in a.reschedules:
                w(f"<li>{_e(date(m.from_))} → {_e(date(m.to))} ({_e(t['moved_on'].format(date=date(m.date)))}){te['colon']}{_e(m.reason)}</li>")
            w("</ul></dd>")
        if a.last_reviewed:
            w(f'<dt>{te["reviewed"]}</dt><dd>{_e(self.date(a.last_reviewed))}</dd>')
        w("</dl>\n")
        w(self._tag_links(a, url) + "\n")
        if a.achieved:
            w(f'<h2>{te["achieved"]}</h2><div class="prose">{_e(md(a.achieved, depth))}</div>')
        if a.remaining:
            w(f'<h2>{te["remaining"]}</h2><div class="prose">{_e(md(a.remaining, depth))}</div>')
        for f in self.fields(a, "texts", "achieved", "remaining", "notes"):
            w(f"<h2>{_e(f['heading'])}</h2><div class=\"prose\">{_e(md(f['value'], depth))}</div>")
        if r.subs:
            self._subs(r, url, w)
        if a.budget:
            self._budget(r, w)
        hidden = self.hidden_lines.get(a.id)
        if hidden:
            w(f'<p class="withheld">{_e(t["hidden_lines"].format(n=self.hidden_lines[a.id]))}</p>')
        if a.notes:
            w(f'<h2>{te["notes"]}</h2><div class="prose">{_e(md(a.notes, depth))}</div>')
        w(layout[2])
        return "".join(out)

    def _person_link(self, pid: str, url: Any) -> str:
        key = (url, pid)
        found = self._links.get(key)
        if found is None:
            p = self.person(pid)
            found = self._links[key] = f'<a href="{_e(url("person", pid))}">{_e(p.name)}</a>' if p else _e(pid)
        return found

    def _tag_links(self, item: Any, url: Any) -> str:
        """The ``tag_links`` macro."""
        tags = self.item_tags(item)
        if not tags:
            return ""
        key = (url, tuple(tag.slug for tag in tags))
        found = self._links.get(key)
        if found is None:
            found = self._links[key] = '<ul class="tags">' + "".join(f'<li><a href="{_e(url("tag", tag.slug))}">{_e(tag.label)}</a></li>' for tag in tags) + "</ul>"
        return found

    def _subs(self, r: Any, url: Any, w: Any) -> None:
        te = self.te
        w(f'<h2>{te["sub_actions"]}</h2>\n<table class="data">\n<caption class="visually-hidden">{te["sub_actions"]}</caption>\n'
          f'<thead><tr><th scope="col">{te["sub_action"]}</th><th scope="col">{te["owners"]}</th><th scope="col">{te["deadline"]}</th>'
          f'<th scope="col">{te["status"]}</th><th scope="col" class="num">{te["progress"]}</th><th scope="col">{te["verdict"]}</th></tr></thead>\n<tbody>')
        for s in r.subs:
            x = s.sub
            owners = self.owner_names(x, url)
            w(f'<tr><th scope="row">{_e(x.id)} {_e(x.title)}</th><td>{owners or te["unset"]}</td>'
              f'<td>{_e(self.date(x.planned_end)) if x.planned_end else te["unset"]}</td><td>{self.statuses[x.status.value]}</td>'
              f'<td class="num">{_e(self.pct(s.progress))}</td><td>{self.verdict(s.verdict)}</td></tr>')
        w("</tbody>\n</table>\n")

    def _budget(self, r: Any, w: Any) -> None:
        te, money = self.te, self.money
        w(f'<h2>{te["budget"]}</h2>\n<table class="data">\n<caption class="visually-hidden">{te["budget"]}</caption>\n'
          f'<thead><tr><th scope="col">{te["year"]}</th><th scope="col" class="num">{te["amount"]}</th><th scope="col" class="num">{self.spent_cap}</th>'
          f'<th scope="col">{te["source"]}</th><th scope="col">{te["article"]}</th><th scope="col">{te["note"]}</th></tr></thead>\n<tbody>')
        for line in r.action.budget:
            spent = _e(money(line.spent, True)) if line.spent is not None else te["unset"]
            w(f'<tr><th scope="row">{_e(line.year)}</th><td class="num">{_e(money(line.amount, True))}</td><td class="num">{spent}</td>'
              f'<td>{_e(line.source or self.t["unset"])}</td><td>{_e(line.article or self.t["unset"])}</td><td>{_e(line.note or "")}</td></tr>')
        b = r.budget
        spent = _e(money(b.spent, True)) if b.spent_known else te["unset"]
        w(f'</tbody>\n<tfoot><tr><th scope="row">{te["total"]}</th><td class="num">{_e(money(b.planned, True))}</td><td class="num">{spent}</td>'
          '<td colspan="3"></td></tr></tfoot>\n</table>\n')
