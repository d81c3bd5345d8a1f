"""The rendered example site in a real browser (Debian's Chromium, headless).

.ci/run installs Chromium, so in CI this test runs (and fails if Chromium is
missing); on a developer machine without it, it is skipped.  It checks that the
pages load without any console message (a CSP violation is one), that the key
figures appear in the DOM the browser built, saves screenshots, and checks
accessibility basics: lang, one h1 and no skipped heading level, named charts,
alt text, and the contrast of the default theme's colours (WCAG 2.1 AA).

Charts at every width (issue 25): no text of a chart leaves its svg's box (« 100 % » was cut to « 00 % »),
and on a 390 px phone every chart's labels are at least 11 px, no page scrolls sideways.  Headless Chromium
keeps its window at least 500 px wide, so the phone is an iframe 390 px wide (its own viewport: the style
sheet's media queries see 390 px) whose probe posts its report to the page around it.

Two checks run a script in the page (issue 11): that no two texts of a chart overlap, at 1280 px,
at the width of an A4 page, and laid out as printed on A4 (the print rules applied, inside the
margins), and axe-core (tests/vendor/axe-core, MPL-2.0), the maintained
accessibility checker, on every page type and on a report: any WCAG 2.1 A or AA violation fails.
The pages load no script and their CSP forbids one, so each is probed from a copy beside it (same
folder: same style sheet and images) whose only change is that the CSP meta is left out and the
probe's scripts are added at the end.  Each probe first proves on a page made to fail that it sees
what it looks for.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from _cli import feuille_process as feuille  # kept as a real process: it precedes a browser run anyway
from _plans import EXAMPLES

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
if CHROMIUM is None and os.environ.get("CI"):
    pytest.fail("Chromium is missing: .ci/run installs Debian's chromium for this test", pytrace=False)
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium not installed (apt-get install chromium)")

PAGES = ["index.html", "objectives/O1.html", "actions/A1.1.html", "actions/A7.2.html", "people/asabbatini.html",
         "services/proprete.html", "tags/index.html", "tags/sdg-11.html", "priorities.html", "people/index.html"]
INDICATOR_PAGES = ["indicators/logements-remis.html", "indicators/demarches-en-ligne.html", "indicators/dechets-centre.html"]
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--enable-logging=stderr", "--v=0"]


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    out = tmp_path_factory.mktemp("site")
    result = feuille("render", str(EXAMPLES / "la-louviere"), "--out", str(out), "--as-of", "2026-11-22")
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="module")
def rendered_today(tmp_path_factory):
    """The example plan's files as they are (no past date: the git history would give an older plan)."""
    out = tmp_path_factory.mktemp("site-today")
    result = feuille("render", str(EXAMPLES / "la-louviere"), "--out", str(out))
    assert result.returncode == 0, result.stderr
    return out


def chromium(args: list[str], profile: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args], capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("page", PAGES)
def test_page_loads_without_console_messages(rendered, page, tmp_path):
    result = chromium(["--dump-dom", (rendered / page).as_uri()], tmp_path / "profile")
    console = [line for line in result.stderr.splitlines() if ":CONSOLE" in line]
    assert console == [], "\n".join(console)
    assert "<main" in result.stdout and "</html>" in result.stdout
    audit(result.stdout, page)


def test_key_figures_appear_in_the_browser(rendered, tmp_path):
    dom = chromium(["--dump-dom", (rendered / "index.html").as_uri()], tmp_path / "profile").stdout.replace("&nbsp;", "\u00a0")
    for figure in ("44\u202f%", "attendu 55\u202f%", "4\u202f677\u202f000\u00a0€", "O10 S'investir dans la Communauté urbaine"):
        assert figure in dom, figure


def test_screenshots(rendered, tmp_path):
    shots = Path(os.environ.get("FEUILLE_SCREENSHOTS", tmp_path / "shots"))
    shots.mkdir(parents=True, exist_ok=True)
    names = {"index.html": "tableau-de-bord.png"}  # the README shows docs/tableau-de-bord.png (FEUILLE_SCREENSHOTS=docs)
    for page in ("index.html", "actions/A1.1.html", "priorities.html"):
        target = shots / names.get(page, page.replace("/", "_").replace(".html", ".png"))
        size = "1280,1500" if page == "index.html" else "1280,2000"
        chromium([f"--window-size={size}", "--hide-scrollbars", f"--screenshot={target}", (rendered / page).as_uri()], tmp_path / "profile")
        assert target.exists() and target.stat().st_size > 20_000, target


def test_indicator_page_screenshot(rendered_today, tmp_path):
    """An indicator page as the README shows it (docs/indicateur.png, FEUILLE_SCREENSHOTS=docs): its figures, the
    trajectory against the measurements, drawn without a script."""
    shots = Path(os.environ.get("FEUILLE_SCREENSHOTS", tmp_path / "shots"))
    shots.mkdir(parents=True, exist_ok=True)
    target = shots / "indicateur.png"
    chromium(["--window-size=1280,1300", "--hide-scrollbars", f"--screenshot={target}", (rendered_today / "indicators/demarches-en-ligne.html").as_uri()],
             tmp_path / "profile")
    assert target.exists() and target.stat().st_size > 20_000, target


@pytest.mark.parametrize("page", ["index.html", "actions/A1.1.html"])
def test_prints_to_an_a4_pdf(rendered, page, tmp_path):
    pdf = tmp_path / "page.pdf"
    chromium([f"--print-to-pdf={pdf}", "--no-pdf-header-footer", (rendered / page).as_uri()], tmp_path / "profile")
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF") and pdf.stat().st_size > 10_000
    boxes = {tuple(round(float(v)) for v in m.split()) for m in re.findall(rb"/MediaBox \[0 0 ([\d.]+ [\d.]+)\]", data)}
    assert boxes == {(595, 842)}, boxes  # every page is A4 (210 x 297 mm in points), as the style sheet's @page asks


# --- accessibility basics ---------------------------------------------------------------------


class _Audit(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.lang = None
        self.headings: list[int] = []
        self.problems: list[str] = []
        self._svg: dict[str, str] | None = None
        self._svg_named = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang")
        elif re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        elif tag == "img" and not a.get("alt"):
            self.problems.append(f"img without alt: {a.get('src')}")
        elif tag == "svg":
            self._svg, self._svg_named = a, bool(a.get("aria-label"))
        elif tag == "title" and self._svg is not None:
            self._svg_named = True
        elif tag == "a" and not a.get("href"):
            self.problems.append("link without href")

    def handle_endtag(self, tag):
        if tag == "svg" and self._svg is not None:
            if self._svg.get("role") != "img" or not self._svg_named:
                self.problems.append(f"chart without role=img and a name: {self._svg}")
            self._svg = None


def audit(dom: str, page: str) -> None:
    checker = _Audit()
    checker.feed(dom)
    assert checker.lang == "fr", page
    assert checker.headings and checker.headings[0] == 1 and checker.headings.count(1) == 1, (page, checker.headings)
    for before, after in zip(checker.headings, checker.headings[1:], strict=False):
        assert after <= before + 1, (page, "heading level skipped", checker.headings)
    assert checker.problems == [], (page, checker.problems)


def _luminance(hex_colour: str) -> float:
    rgb = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_default_theme_contrast(rendered):
    css = (rendered / "style.css").read_text(encoding="utf-8")
    colours = dict(re.findall(r"--([a-z]+):\s*(#[0-9a-fA-F]{6})", css))
    for fg in ("text", "muted", "accent", "good", "warn", "bad"):
        for bg in ("bg", "panel"):
            ratio = contrast(colours[fg], colours[bg])
            assert ratio >= 4.5, f"{fg} on {bg}: {ratio:.2f} < 4.5"


# --- probes: a script run in the page (chart texts, axe-core) ---------------------------------------

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
A4_WIDTH = 794  # px: an A4 page's width at 96 dpi, as Chromium prints it
A4_PRINTED = round((210 - 2 * 12) / 25.4 * 96)  # 703 px: what is left of it inside the style sheet's 12 mm side margins
CHART_PAGES = ["index.html", "objectives/O1.html", "objectives/O4.html", "actions/A1.1.html", "actions/A7.2.html", "services/proprete.html"]

OVERLAPS = """
window.addEventListener("load", () => {
  const out = {overlaps: [], charts: []};
  document.querySelectorAll("figure.chart svg").forEach((svg, n) => {
    const box = svg.getBoundingClientRect();
    if (!box.width) return;  // the rendition the style sheet hides at this width (svg.wide or svg.narrow)
    out.charts.push([n, Math.round(box.width)]);
    const texts = [...svg.querySelectorAll("text")].map(t => [t.textContent, t.getBoundingClientRect()]);
    for (let i = 0; i < texts.length; i++) for (let j = i + 1; j < texts.length; j++) {
      const [a, ra] = texts[i], [b, rb] = texts[j];
      if (ra.width && rb.width && ra.left < rb.right && rb.left < ra.right && ra.top < rb.bottom && rb.top < ra.bottom) out.overlaps.push([n, a, b]);
    }
  });
  report(out);
});
"""

AXE_RUN = """
window.addEventListener("load", () => {
  axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}, resultTypes: ["violations"]})
    .then(r => report(r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map(n => n.target.join(" "))}))))
    .catch(e => report({error: String(e)}));
});
"""

REPORT = """
function report(value) {
  if (window.parent !== window) { window.parent.postMessage(JSON.stringify(value), "*"); return; }  // a phone's iframe
  const pre = document.createElement("pre");
  pre.id = "feuille-probe";
  pre.textContent = JSON.stringify(value);
  document.body.appendChild(pre);
}
"""


FRAME = ('<!doctype html><html lang="fr"><body style="margin:0"><iframe src="{src}" width="{width}" height="2000" style="border:0"></iframe>'
         '<script>window.addEventListener("message", e => {{ const pre = document.createElement("pre"); pre.id = "feuille-probe";'
         ' pre.textContent = e.data; document.body.appendChild(pre); }});</script></body></html>')


def probe(page: Path, scripts: list[str], profile: Path, width: int = 1280, extra: str = "", phone: int | None = None) -> object:
    """Run ``scripts`` (JavaScript sources, or paths of files) in a copy of ``page`` and return what they report;
    with ``phone``, the copy is shown in an iframe that many px wide (a window cannot be narrower than 500 px)."""
    html = page.read_text(encoding="utf-8")
    html = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", html)
    tags = "".join(f'<script src="{s.as_uri()}"></script>' if isinstance(s, Path) else f"<script>{s}</script>" for s in [REPORT, *scripts])
    copy = page.with_name(f"_probe_{page.name}")
    copy.write_text(html.replace("</body>", extra + tags + "</body>"), encoding="utf-8")
    frame = page.with_name(f"_phone_{page.name}")
    if phone is not None:
        frame.write_text(FRAME.format(src=copy.name, width=phone), encoding="utf-8")
    try:
        result = chromium([f"--window-size={width},2000", "--virtual-time-budget=30000", "--allow-file-access-from-files",
                           "--dump-dom", (copy if phone is None else frame).as_uri()], profile)
    finally:
        copy.unlink()
        frame.unlink(missing_ok=True)
    found = re.search(r'<pre id="feuille-probe">(.*?)</pre>', result.stdout, re.S)
    assert found, f"the probe did not report on {page.name}: {result.stderr[-2000:]}"
    return json.loads(found.group(1).replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&amp;", "&"))


OVERLAPPING = ('<figure class="chart"><svg width="300" height="40" role="img" aria-label="x"><text x="0" y="20">Commissariat général'
               ' au tourisme</text><text x="100" y="20">75 000 €</text></svg></figure>')


def test_the_overlap_probe_sees_overlapping_texts(rendered, tmp_path):
    found = probe(rendered / "index.html", [OVERLAPS], tmp_path / "profile", extra=OVERLAPPING)
    assert any("75 000 €" in pair for pair in found["overlaps"]), found


def print_layout(site: Path) -> str:
    """The style sheet's print rules applied on screen (``@media print`` read as ``@media all``, without ``@page``):
    the page laid out as it is printed, so that the probe measures the printed charts."""
    css = (site / "style.css").read_text(encoding="utf-8")
    assert "@media print" in css and "size: A4" in css  # printed on A4, with print rules to test
    css = re.sub(r"@page\s*\{[^}]*\}", "", css).replace("@media print", "@media all")
    return f"<style>{css}</style>"


@pytest.mark.parametrize("width", [1280, A4_WIDTH, "print"])
@pytest.mark.parametrize("page", CHART_PAGES)
def test_no_two_texts_of_a_chart_overlap(rendered, page, width, tmp_path):
    printed = width == "print"
    width = A4_PRINTED if printed else width
    found = probe(rendered / page, [OVERLAPS], tmp_path / "profile", width, extra=print_layout(rendered) if printed else "")
    assert found["overlaps"] == [], found["overlaps"]
    if page == "index.html":
        assert found["charts"], "the dashboard has charts"
        main = 1280 - 2 * 24 if width == 1280 else width - 2 * 24
        assert all(w >= min(main, 1104) * 0.9 for _n, w in found["charts"]), found["charts"]  # the width of the page
    if printed:  # laid out as printed: every chart fits inside the A4 margins
        assert all(w <= A4_PRINTED for _n, w in found["charts"]), found["charts"]


@pytest.fixture(scope="module")
def report_page(rendered, tmp_path_factory):
    out = tmp_path_factory.mktemp("report") / "evaluation-2025.html"
    result = feuille("report", "annual", "--year", "2025", "--plan", str(EXAMPLES / "la-louviere"), "-o", str(out))
    assert result.returncode == 0, result.stderr
    return out


def test_axe_sees_violations(rendered, tmp_path):
    found = probe(rendered / "index.html", [AXE, AXE_RUN], tmp_path / "profile", extra='<img src="nowhere.png"><a href="#"></a>')
    assert {"image-alt", "link-name"} <= {v["id"] for v in found}, found


@pytest.mark.parametrize("page", [*PAGES, "report"])
def test_axe_finds_no_accessibility_violation(rendered, report_page, page, tmp_path):
    """axe-core, WCAG 2.1 A and AA, on every page type and on a standalone report (EN 301 549, RGAA)."""
    found = probe(report_page if page == "report" else rendered / page, [AXE, AXE_RUN], tmp_path / "profile")
    assert isinstance(found, list), found
    assert found == [], json.dumps(found, ensure_ascii=False, indent=1)


@pytest.mark.parametrize("width", [1280, A4_WIDTH, "print"])
@pytest.mark.parametrize("page", INDICATOR_PAGES)
def test_an_indicator_page_chart_has_no_overlapping_texts_and_fits(rendered_today, page, width, tmp_path):
    printed = width == "print"
    width = A4_PRINTED if printed else width
    found = probe(rendered_today / page, [OVERLAPS], tmp_path / "profile", width, extra=print_layout(rendered_today) if printed else "")
    assert found["overlaps"] == [], found["overlaps"]
    assert found["charts"], "the indicator page has its chart"
    if printed:
        assert all(w <= A4_PRINTED for _n, w in found["charts"]), found["charts"]


@pytest.mark.parametrize("page", INDICATOR_PAGES)
def test_an_indicator_page_has_no_accessibility_violation(rendered_today, page, tmp_path):
    found = probe(rendered_today / page, [AXE, AXE_RUN], tmp_path / "profile")
    assert found == [], json.dumps(found, ensure_ascii=False, indent=1)


# --- charts that fit: no label cut at any width, readable on a phone (issue 25) ------------------------

FITS = """
window.addEventListener("load", () => {
  const out = {width: window.innerWidth, overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
               charts: [], clipped: [], small: []};
  document.querySelectorAll("figure.chart svg").forEach((svg, n) => {
    const box = svg.getBoundingClientRect();
    if (!box.width) return;  // the rendition the style sheet hides at this width
    out.charts.push([n, svg.getAttribute("class"), Math.round(box.width)]);
    svg.querySelectorAll("text").forEach(t => {
      const r = t.getBoundingClientRect();
      if (!r.width) return;
      if (r.left < box.left - 0.5 || r.right > box.right + 0.5 || r.top < box.top - 0.5 || r.bottom > box.bottom + 0.5)
        out.clipped.push([n, t.textContent, Math.round(r.left - box.left), Math.round(box.right - r.right), Math.round(r.top - box.top), Math.round(box.bottom - r.bottom)]);
      const px = parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a;  // the font size in CSS px, as drawn
      if (px < 11) out.small.push([n, t.textContent, Math.round(px * 10) / 10]);
    });
  });
  report(out);
});
"""
PHONE = 390  # CSS px: a common phone's width
CUT_AND_TINY = ('<figure class="chart"><svg width="300" viewBox="0 0 300 40" role="img" aria-label="x"><text x="-20" y="20">100 %</text>'
                '<text x="100" y="20" font-size="6">minuscule</text></svg></figure>')


def test_the_fit_probe_sees_a_cut_label_a_tiny_one_and_a_page_too_wide(rendered, tmp_path):
    found = probe(rendered / "index.html", [FITS], tmp_path / "profile", phone=PHONE, extra=CUT_AND_TINY + '<div style="width:600px">x</div>')
    assert found["width"] == PHONE, found
    assert any(c[1] == "100 %" for c in found["clipped"]) and any(s[1] == "minuscule" for s in found["small"]), found
    assert found["overflow"] > 0, found


@pytest.mark.parametrize("width", [1280, A4_WIDTH, "print"])
@pytest.mark.parametrize("page", CHART_PAGES)
def test_no_chart_label_is_cut(rendered, page, width, tmp_path):
    """Each text of each chart inside its svg's box: the trend chart's « 100 % » was cut to « 00 % »."""
    printed = width == "print"
    found = probe(rendered / page, [FITS], tmp_path / "profile", A4_PRINTED if printed else width, extra=print_layout(rendered) if printed else "")
    assert found["clipped"] == [], found["clipped"]
    if page in ("index.html", "objectives/O1.html"):  # the plan's and the objective's trend over time
        assert found["charts"] and all(c[1] == "wide" for c in found["charts"]), found["charts"]


@pytest.mark.parametrize("page", [*CHART_PAGES, "priorities.html", "people/index.html"])
def test_a_phone_reads_every_chart(rendered, page, tmp_path):
    """At 390 px: the narrow rendition of each chart, its labels at least 11 px, none cut; the page does not scroll sideways."""
    found = probe(rendered / page, [FITS], tmp_path / "profile", phone=PHONE)
    assert found["width"] == PHONE, found
    assert found["overflow"] <= 0, found
    assert found["small"] == [] and found["clipped"] == [], found
    assert all(c[1] == "narrow" for c in found["charts"]), found["charts"]
    if page in ("index.html", "objectives/O1.html", "actions/A1.1.html"):  # trends, budgets, an indicator
        assert found["charts"], "the page has its charts"


@pytest.mark.parametrize("page", INDICATOR_PAGES)
def test_a_phone_reads_an_indicator_chart(rendered_today, page, tmp_path):
    found = probe(rendered_today / page, [FITS], tmp_path / "profile", phone=PHONE)
    assert found["width"] == PHONE and found["overflow"] <= 0, found
    assert found["charts"] and found["small"] == [] and found["clipped"] == [], found


def test_a_phone_screenshot_of_the_trend_chart(rendered, tmp_path):
    """The dashboard on a phone, as the closing note shows it (FEUILLE_SCREENSHOTS=docs writes docs/telephone.png)."""
    shots = Path(os.environ.get("FEUILLE_SCREENSHOTS", tmp_path / "shots"))
    shots.mkdir(parents=True, exist_ok=True)
    page = rendered / "index.html"
    frame = page.with_name("_phone_shot.html")
    frame.write_text(FRAME.format(src="index.html", width=PHONE).replace('height="2000"', 'height="2400"'), encoding="utf-8")
    target = shots / "telephone.png"
    try:
        chromium(["--window-size=400,2400", "--hide-scrollbars", f"--screenshot={target}", frame.as_uri()], tmp_path / "profile")
    finally:
        frame.unlink()
    assert target.exists() and target.stat().st_size > 20_000, target
