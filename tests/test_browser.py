"""The rendered example site in a real browser (Debian's Chromium, headless).

.ci/run installs Chromium, so in CI this test runs (and fails if Chromium is
missing); on a developer machine without it, it is skipped.  It checks that the
pages load without any console message (a CSP violation is one), that the key
figures appear in the DOM the browser built, saves screenshots, and checks
accessibility basics: lang, one h1 and no skipped heading level, named charts,
alt text, and the contrast of the default theme's colours (WCAG 2.1 AA).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from _cli import feuille_process as feuille  # kept as a real process: it precedes a browser run anyway
from test_lint_cli import EXAMPLES

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
if CHROMIUM is None and os.environ.get("CI"):
    pytest.fail("Chromium is missing: .ci/run installs Debian's chromium for this test", pytrace=False)
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium not installed (apt-get install chromium)")

PAGES = ["index.html", "objectives/O1.html", "actions/A1.1.html", "actions/A7.2.html", "people/asabbatini.html",
         "services/proprete.html", "tags/index.html", "tags/sdg-11.html", "priorities.html", "people/index.html"]
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--enable-logging=stderr", "--v=0"]


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    out = tmp_path_factory.mktemp("site")
    result = feuille("render", str(EXAMPLES / "la-louviere"), "--out", str(out), "--as-of", "2026-11-22")
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
    for page in ("index.html", "actions/A1.1.html", "priorities.html"):
        target = shots / (page.replace("/", "_").replace(".html", ".png"))
        chromium(["--window-size=1280,2000", f"--screenshot={target}", (rendered / page).as_uri()], tmp_path / "profile")
        assert target.exists() and target.stat().st_size > 20_000, target


def test_prints_to_pdf(rendered, tmp_path):
    pdf = tmp_path / "dashboard.pdf"
    chromium([f"--print-to-pdf={pdf}", "--no-pdf-header-footer", (rendered / "index.html").as_uri()], tmp_path / "profile")
    assert pdf.exists() and pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 10_000


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
