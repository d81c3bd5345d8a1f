"""The publish path under hostile input: what a committer to the plan repository can and cannot do.

One section per case of the review (the manifest, links in --out, the swap, a folder feuille did
not create, page names, the template sandbox, a missing --templates, Markdown links and images).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
from pathlib import Path, PurePosixPath

import pytest

from _cli import feuille
from _plans import EXAMPLES, no_traceback
from catalogue import build
from feuille.compute.audience import publish
from feuille.core.model import Audience
from feuille.pipeline import LoadOptions, load_path
from feuille.views.site import RenderError, RenderOptions, SiteWriteResult, render_site, write_site

LL = EXAMPLES / "la-louviere"
AS_OF = dt.date(2026, 11, 22)


def load(root: Path):
    return load_path(root, dt.date(2026, 7, 1), options=LoadOptions(use_cache=False)).plan


def pages_of(root: Path, **kw):
    return render_site(publish(load(root), Audience.internal, AS_OF), RenderOptions(AS_OF, **kw))


@pytest.fixture(scope="module")
def ll_pages():
    return pages_of(LL)


@pytest.fixture
def plan(tmp_path):
    p = tmp_path / "plan"
    shutil.copytree(LL, p)
    return p


def tree(root: Path) -> dict[str, tuple[str, object]]:
    """Everything under ``root`` without following links: kind and content (or link target)."""
    out: dict[str, tuple[str, object]] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            p = Path(dirpath) / name
            rel = p.relative_to(root).as_posix()
            if p.is_symlink():
                out[rel] = ("link", os.readlink(p))
            elif p.is_dir():
                out[rel] = ("dir", None)
            else:
                out[rel] = ("file", p.read_bytes())
    return out


def leftovers(parent: Path) -> list[str]:
    return [p.name for p in parent.iterdir() if ".feuille-new-" in p.name or ".feuille-old-" in p.name]


# --- 1. the manifest owns only paths inside --out -------------------------------------------------


def test_manifest_entries_outside_out_or_through_links_are_never_deleted(tmp_path, plan, ll_pages):
    out = tmp_path / "site"
    write_site(ll_pages, out)
    victim = tmp_path / "victim.txt"
    victim.write_text("à garder", encoding="utf-8")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "page.html").write_text("à garder", encoding="utf-8")
    (out / "link.html").symlink_to(victim)
    (out / "via").symlink_to(elsewhere)
    with open(out / ".feuille-site", "a", encoding="utf-8") as fh:
        fh.write("\n" + "\n".join([str(victim), "actions/../../plan/plan.yaml", "../victim.txt", "./../victim.txt",
                                    "link.html", "via/page.html", "actions/../../victim.txt", "", "..", "actions\\..\\..\\victim.txt"]))
    result = write_site(ll_pages, out)
    assert victim.read_text(encoding="utf-8") == "à garder" and (plan / "plan.yaml").is_file()
    assert (elsewhere / "page.html").read_text(encoding="utf-8") == "à garder"
    assert os.readlink(out / "link.html") == str(victim) and os.readlink(out / "via") == str(elsewhere)  # kept, as links
    assert result.removed == [] and result.carried == 2
    assert leftovers(tmp_path) == []


# --- 2. no write through a link inside --out ----------------------------------------------------


def test_a_folder_link_inside_out_is_never_written_through(tmp_path, ll_pages):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    out = tmp_path / "out2"
    out.mkdir()
    (out / "objectives").symlink_to("../elsewhere")
    with pytest.raises(RenderError):  # a folder feuille did not create
        write_site(ll_pages, out)
    result = write_site(ll_pages, out, force=True)
    assert list(elsewhere.iterdir()) == []
    assert not (out / "objectives").is_symlink() and (out / "objectives" / "O1.html").is_file()
    assert result.replaced == ["objectives"]
    # the same after a render: someone swaps a folder of pages for a link
    shutil.rmtree(out / "actions")
    (out / "actions").symlink_to(elsewhere)
    with pytest.raises(RenderError) as exc:
        write_site(ll_pages, out)
    assert "actions" in str(exc.value) and "--force" in exc.value.hint
    write_site(ll_pages, out, force=True)
    assert list(elsewhere.iterdir()) == [] and (out / "actions" / "A1.1.html").is_file()


def test_out_itself_a_link_is_refused(tmp_path, ll_pages):
    real = tmp_path / "real"
    real.mkdir()
    (tmp_path / "site").symlink_to(real)
    with pytest.raises(RenderError) as exc:
        write_site(ll_pages, tmp_path / "site")
    assert "lien symbolique" in str(exc.value) and list(real.iterdir()) == []


# --- 3. a failed render leaves the previous site as it was -----------------------------------------


def test_a_failed_write_leaves_the_previous_site_and_no_temporary_folder(tmp_path, ll_pages, monkeypatch):
    from feuille.io import sitewrite

    out = tmp_path / "site"
    write_site(ll_pages, out)
    (out / "CNAME").write_text("plan.example.be\n", encoding="utf-8")
    (out / ".git").mkdir()
    (out / ".git" / "HEAD").write_text("ref: refs/heads/gh-pages\n", encoding="utf-8")
    (out / "mine.html").write_text("<p>fait main</p>", encoding="utf-8")
    (out / "logo.svg").symlink_to("/nonexistent/logo.svg")
    before = tree(out)
    calls = {"n": 0}
    real_write = sitewrite._write_file

    def failing(path, data):
        calls["n"] += 1
        if calls["n"] == 40:
            raise OSError(28, "No space left on device", str(path))
        real_write(path, data)

    monkeypatch.setattr(sitewrite, "_write_file", failing)
    smaller = {k: v for k, v in ll_pages.items() if k != "actions/A1.6.html"}
    with pytest.raises(RenderError) as exc:
        write_site(smaller, out)
    assert "Le site précédent est resté tel quel" in str(exc.value)
    assert tree(out) == before and leftovers(tmp_path) == []
    monkeypatch.setattr(sitewrite, "_write_file", real_write)

    inode = (out / "CNAME").stat().st_ino
    result = write_site(smaller, out)
    assert result.removed == ["actions/A1.6.html"] and result.carried == 5  # CNAME, .git, .git/HEAD, mine.html, logo.svg
    assert (out / "CNAME").stat().st_ino == inode  # carried over untouched (hard link)
    assert (out / ".git" / "HEAD").read_text(encoding="utf-8") == "ref: refs/heads/gh-pages\n"
    assert os.readlink(out / "logo.svg") == "/nonexistent/logo.svg"
    assert not (out / "actions" / "A1.6.html").exists() and leftovers(tmp_path) == []


def test_a_broken_template_leaves_the_previous_site(tmp_path, plan):
    out = tmp_path / "site"
    assert feuille("render", plan, "--out", out, "--as-of", "2026-11-22").returncode == 0
    before = tree(out)
    (plan / "templates" / "html").mkdir(parents=True)
    (plan / "templates" / "html" / "action.html").write_text("{{ 1 / 0 }}", encoding="utf-8")
    result = feuille("render", plan, "--out", out, "--as-of", "2026-11-22")
    no_traceback(result)
    assert result.returncode == 2 and "action.html" in result.stderr and "(ligne 1)" in result.stderr
    assert tree(out) == before and leftovers(tmp_path) == []


# --- 4. a folder feuille did not create; the plan folder ----------------------------------------


def test_a_folder_feuille_did_not_create_is_refused_then_written_with_force(tmp_path, ll_pages):
    out = tmp_path / "www"
    out.mkdir()
    for name in ("index.html", "contact.html", "CNAME", "a.txt", "b.txt", "c.txt"):
        (out / name).write_text("fait main", encoding="utf-8")
    before = tree(out)
    with pytest.raises(RenderError) as exc:
        write_site(ll_pages, out)
    message = str(exc.value)
    assert "que feuille n'a pas écrits" in message and "CNAME" in message and "(6 en tout)" in message
    assert exc.value.hint.endswith("ajoutez --force pour écrire quand même (les fichiers existants seront gardés, sauf ceux du même nom).")
    assert tree(out) == before
    result = write_site(ll_pages, out, force=True)
    assert isinstance(result, SiteWriteResult)
    assert result.replaced == ["index.html"] and result.carried == 5 and result.written == len(ll_pages)
    assert (out / "contact.html").read_text(encoding="utf-8") == "fait main"
    assert (out / "index.html").read_text(encoding="utf-8") == ll_pages["index.html"]
    # once feuille has written there, later renders need no --force; a new hand-made file with a page's name does
    write_site(ll_pages, out)
    (out / "contact.html").unlink()
    (out / "objectives" / "O11.html").write_text("fait main", encoding="utf-8")
    bigger = {**ll_pages, "objectives/O11.html": "nouvelle page"}
    with pytest.raises(RenderError) as exc:
        write_site(bigger, out)
    assert "objectives/O11.html" in str(exc.value)


def test_an_empty_or_missing_folder_needs_no_force(tmp_path, ll_pages):
    (tmp_path / "empty").mkdir()
    assert write_site(ll_pages, tmp_path / "empty").written == len(ll_pages)
    assert write_site(ll_pages, tmp_path / "new" / "site").written == len(ll_pages)
    assert (tmp_path / "new" / "site" / ".feuille-site").is_file()


@pytest.mark.parametrize("where", [".", "objectives", "objectives/site", "templates", "schema", ".git/site", ".."])
def test_out_in_the_plan_folder_is_refused(plan, where):
    pages = pages_of(plan)
    out = plan / where
    before = tree(plan)
    with pytest.raises(RenderError) as exc:
        write_site(pages, out, force=True)
    assert "plan" in str(exc.value) and "PLAN/site/" in exc.value.hint
    assert tree(plan) == before


def test_a_site_folder_of_its_own_in_the_plan_is_allowed(plan):
    pages = pages_of(plan)
    write_site(pages, plan / "site")
    write_site(pages, plan / "_site")
    assert (plan / "site" / "index.html").is_file() and (plan / "_site" / "index.html").is_file()
    (plan / "public").symlink_to(plan / "objectives")
    with pytest.raises(RenderError):
        write_site(pages, plan / "public")
    (plan / "web").symlink_to(plan / "site")
    with pytest.raises(RenderError) as exc:
        write_site(pages, plan / "web" / "x")
    assert "lien symbolique" in str(exc.value)


def test_render_refuses_the_plan_folder_from_the_command_line(plan):
    result = feuille("render", plan, "--out", plan / "objectives", "--force")
    no_traceback(result)
    assert result.returncode == 2 and "dossier du plan" in result.stderr


def test_the_refusals_of_a_site_write_speak_the_users_language(plan, tmp_path):
    out = tmp_path / "www"
    out.mkdir()
    for name in ("a.txt", "b.txt", "c.txt", "d.txt", "e.txt", "f.txt"):
        (out / name).write_text("fait main", encoding="utf-8")
    fr = feuille("render", plan, "--out", out, "--as-of", "2026-11-22")
    assert fr.returncode == 2 and fr.stdout == ""
    assert fr.stderr == (f"feuille : « {out} » contient déjà des fichiers que feuille n'a pas écrits (a.txt, b.txt, c.txt, d.txt, e.txt... (6 en tout)) : "
                         "rien n'a été écrit.\n  Choisissez un dossier vide avec --out, ou ajoutez --force pour écrire quand même "
                         "(les fichiers existants seront gardés, sauf ceux du même nom).\n")
    en = feuille("render", plan, "--out", out, "--as-of", "2026-11-22", "--lang", "en")
    assert en.returncode == 2 and en.stdout == ""
    assert en.stderr == (f"feuille: '{out}' already holds files that feuille did not write (a.txt, b.txt, c.txt, d.txt, e.txt... (6 in all)): "
                         "nothing was written.\n  Choose an empty folder with --out, or add --force to write anyway "
                         "(the files already there will be kept, except those with the same name).\n")
    inside = plan / "objectives"
    fr = feuille("render", plan, "--out", inside, "--force")
    assert fr.returncode == 2 and fr.stderr == (
        f"feuille : « {inside} » est dans le dossier du plan, dans « objectives » que feuille lit (ou qui appartient au plan) : rien n'a été écrit.\n"
        "  Écrivez le site dans un dossier à lui : hors du plan, ou dans PLAN/site/ (que feuille ne lit pas).\n")
    en = feuille("render", plan, "--out", inside, "--force", "--lang", "en")
    assert en.returncode == 2 and en.stderr == (
        f"feuille: '{inside}' is in the plan folder, in 'objectives', which feuille reads (or which belongs to the plan): nothing was written.\n"
        "  Write the site into a folder of its own: outside the plan, or in PLAN/site/ (which feuille does not read).\n")
    link = tmp_path / "lien"
    link.symlink_to(tmp_path / "ailleurs")
    en = feuille("render", plan, "--out", link, "--lang", "en")
    assert en.returncode == 2 and en.stderr == (f"feuille: '{link}' is a symbolic link: feuille does not write through a link.\n"
                                                f"  Give the real folder with --out ({tmp_path / 'ailleurs'}).\n")
    assert f"« {link} » est un lien symbolique : feuille n'écrit pas à travers un lien." in feuille("render", plan, "--out", link).stderr


# --- 5. page names --------------------------------------------------------------------------------

LONG_TAG = "t" * 130 + "é" * 130
PEOPLE = """services:
  - {id: travaux, name: Service Travaux, organisation: ville, head: agent}
  - {id: index, name: Service Index, organisation: ville}
  - {id: aux, name: Service Aux, organisation: ville}
people:
  - {id: echevin, first_name: Anne, last_name: Martin, role: alderman, organisation: ville}
  - {id: agent, first_name: Paul, last_name: Simon, role: head_of_service, service: travaux, organisation: ville}
  - {id: Agent, first_name: Paule, last_name: Simone, role: officer, service: index, organisation: ville}
  - {id: index, first_name: Ines, last_name: Dex, role: officer, service: aux, organisation: ville}
  - {id: con, first_name: Co, last_name: N, role: officer, organisation: ville}
  - {id: style, first_name: St, last_name: Yle, role: officer, organisation: ville}
"""


def _action(i: int, aid: str, owner: str, tags: str, service: str | None = None) -> str:
    return (f"  - id: {aid}\n    title: Action {i}\n    political_owners: [echevin]\n    admin_owner: {owner}\n"
            f"    planned_start: 2025-01-01\n    planned_end: 2026-12-31\n    status: ongoing\n    last_reviewed: 2026-06-01\n"
            f"    tags: {tags}\n" + (f"    service: {service}\n" if service else ""))


NAMES_PLAN = {
    "people.yaml": PEOPLE,
    "objectives/01-base.yaml": "id: O1\ntitle: Objectif\nactions:\n" + "".join([
        _action(1, "A1.4", "agent", '["Propreté"]'),
        _action(2, "a1.4", "Agent", '["proprete"]'),
        _action(3, "a1-4", "index", f'["{LONG_TAG}"]'),
        _action(4, "index", "con", '["index", ".hidden", "con", "A1.4", "a1-4"]', "aux"),
        _action(5, "nul.x", "style", '["com1"]', "index"),
        _action(6, "A" + "1" * 63, "agent", '["' + "x" * 300 + '"]'),
    ]),
    "objectives/02-style.yaml": "id: style\ntitle: Objectif style\n",
    "objectives/03-Style.yaml": "id: Style\ntitle: Objectif Style\n",
    "objectives/04-con.yaml": "id: CON\ntitle: Objectif CON\n",
}


def _links(rel: str, text: str) -> list[str]:
    if rel.endswith(".html"):
        found = re.findall(r'(?:href|src)="([^"]*)"', text)
    else:
        found = re.findall(r"\]\(([^)\s]*)\)", text)
    return [u for u in found if not u.startswith(("http://", "https://", "mailto:", "#")) and u]


@pytest.mark.parametrize("fmt", ["html", "md"])
def test_hostile_ids_and_tags_get_one_page_each_and_every_link_resolves(tmp_path, fmt):
    root = build(tmp_path / "plan", NAMES_PLAN)
    plan = load(root)
    pages = render_site(publish(plan, Audience.internal, AS_OF), RenderOptions(AS_OF, fmt=fmt))
    ext = "." + fmt
    actions = [a for a, _ in plan.actions()]
    objectives = [o for o, _p, _d in plan.walk()]
    people_with_pages = {p for a in actions for p in [*a.political_owners, a.admin_owner, *a.involved] if p}
    services = {"travaux", "index", "aux"}  # each has an action
    tags = {"Propreté", "proprete", LONG_TAG, "index", ".hidden", "con", "A1.4", "a1-4", "com1", "x" * 300}
    assert len(actions) == 6 and len(objectives) == 4
    expected = (len(objectives) + len(actions) + len(people_with_pages) + len(services) + len(tags)
                + 4 + (1 if fmt == "html" else 0))  # index, priorities, people/index, tags/index (+ style.css)
    assert len(pages) == expected, sorted(pages)
    assert {"people/index" + ext, "tags/index" + ext, "index" + ext} <= set(pages)
    # no two pages a case-insensitive disk would confuse; every name short, none reserved
    assert len({p.casefold() for p in pages}) == len(pages)
    for rel in pages:
        stem = PurePosixPath(rel).stem
        assert len(stem) <= 80 and not stem.startswith("."), rel
        if "/" in rel:
            assert stem.split(".")[0].casefold() not in {"con", "prn", "aux", "nul", "com1"} and (stem != "index" or rel.count("/") == 1 and rel.split("/")[0] in ("people", "tags")), rel
    # the people index is the index, not Ines Dex's page; the ids that are safe keep their name
    assert "<title>Ines Dex" not in pages["people/index" + ext] and not pages["people/index" + ext].startswith("# Ines Dex")
    assert {"actions/A1.4" + ext, "objectives/O1" + ext, "people/echevin" + ext, "services/travaux" + ext, "tags/tag-proprete" + ext} <= set(pages)
    for rel, text in pages.items():
        for url in _links(rel, text):
            target = os.path.normpath(os.path.join(os.path.dirname(rel), url.split("#")[0]))
            assert target in pages, f"{rel}: {url}"
    # and it writes: no "File name too long", one file per page
    out = tmp_path / "out"
    write_site(pages, out)
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file() and p.name != ".feuille-site") == sorted(pages)


def test_page_names_are_stable(tmp_path):
    root = build(tmp_path / "plan", NAMES_PLAN)
    assert list(pages_of(root)) == list(pages_of(root))


# --- 6. templates run in a sandbox ----------------------------------------------------------------

PAYLOADS = [
    "{{ cycler.__init__.__globals__.os.popen('id > pwned.txt').read() }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ self._TemplateReference__context }}",
    "{{ lipsum.__globals__['os'].popen('id > pwned.txt').read() }}",
    "{{ range.__init__.__globals__ }}",
    "{{ '{0.__class__.__init__.__globals__}'.format(plan) }}",
    "{{ '{0.__class__}'.format(plan) }}",
    "{{ site.plan.root.joinpath('pwned.txt').write_text('x') }}",
    "{{ site.options.templates.parent.joinpath('pwned.txt').write_text('x') }}",
    "{{ plan.parse_file('/etc/passwd') }}",
    "{{ plan.model_validate_json('{}') }}",
    "{% set x = rollup.actions.append(1) %}",
    "{{ namespace.__init__ }}",
    "{{ url.__globals__ }}",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_template_escapes_fail_with_a_french_error_and_run_nothing(plan, payload, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (plan / "templates" / "html").mkdir(parents=True)
    (plan / "templates" / "html" / "index.html").write_text("<p>début</p>\n\n" + payload + "\n", encoding="utf-8")
    with pytest.raises(RenderError) as exc:
        pages_of(plan)
    message = str(exc.value)
    assert "index.html" in message and "(ligne 3)" in message, message
    assert "Traceback" not in message and exc.value.hint
    assert not (tmp_path / "pwned.txt").exists() and not (plan / "pwned.txt").exists()


def test_template_escape_from_the_command_line(plan, tmp_path):
    (plan / "templates" / "html").mkdir(parents=True)
    (plan / "templates" / "html" / "index.html").write_text(PAYLOADS[0], encoding="utf-8")
    result = feuille("render", plan, "--out", tmp_path / "out", cwd=tmp_path)
    no_traceback(result)
    assert result.returncode == 2 and "accès interdit" in result.stderr and "index.html" in result.stderr
    assert not (tmp_path / "pwned.txt").exists() and not (tmp_path / "out").exists()


def test_the_builtin_templates_and_ordinary_overrides_still_work_in_the_sandbox(plan):
    (plan / "templates" / "html").mkdir(parents=True)
    (plan / "templates" / "html" / "base.html").write_text(
        '{% extends "default:html/base.html" %}{% block brand %}{% set ns = namespace(n=0) %}{% for a in rollup.actions %}'
        '{% set ns.n = ns.n + 1 %}{% endfor %}<p class="brand">{{ plan.title|upper }} ({{ ns.n }}, '
        '{{ site.actions|length }}, {{ "%s/%s"|format(1, 2) }}, {{ "{}-{}".format("a", "b") }})</p>{% endblock %}', encoding="utf-8")
    pages = pages_of(plan)
    assert "DÉCLARATION DE POLITIQUE COMMUNALE 2024-2030 (26, 26, 1/2, a-b)" in pages["index.html"]


def test_a_template_link_is_not_followed(plan, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("GITHUB_TOKEN=ghp_secret", encoding="utf-8")
    (plan / "templates" / "static").mkdir(parents=True)
    (plan / "templates" / "static" / "style.css").symlink_to(secret)
    with pytest.raises(RenderError) as exc:
        pages_of(plan)
    assert "lien symbolique" in str(exc.value) and "ghp_secret" not in str(exc.value)
    (plan / "templates" / "static" / "style.css").unlink()
    (plan / "templates" / "html").symlink_to(tmp_path)
    (tmp_path / "index.html").write_text("{{ 'piège' }}", encoding="utf-8")
    with pytest.raises(RenderError):
        pages_of(plan)


def test_template_problems_speak_the_users_language(plan, tmp_path):
    (plan / "templates" / "html").mkdir(parents=True)
    index = plan / "templates" / "html" / "index.html"
    index.write_text(PAYLOADS[0], encoding="utf-8")
    en = feuille("render", plan, "--out", tmp_path / "out", "--lang", "en", cwd=tmp_path)
    assert en.returncode == 2 and not (tmp_path / "out").exists()
    assert f"feuille: the template '{index}' (line 1) attempts a forbidden access to the attribute '__init__' of a 'type' object: " \
           "it was stopped, nothing was written.\n  A template only has access to the plan's data described in docs/templates.md " \
           "(not to '_' attributes, files, modules or classes); see docs/security.md.\n" == en.stderr
    fr = feuille("render", plan, "--out", tmp_path / "out", cwd=tmp_path)
    assert fr.returncode == 2 and fr.stderr == (
        f"feuille : le gabarit « {index} » (ligne 1) tente un accès interdit à l'attribut « __init__ » d'un objet « type » : "
        "il a été arrêté, rien n'a été écrit.\n  Un gabarit n'a accès qu'aux données du plan décrites dans docs/templates.md "
        "(pas aux attributs « _ », aux fichiers, aux modules ni aux classes) ; voir docs/security.md.\n")
    index.write_text("<p>\n{{ 1 / 0 }}", encoding="utf-8")
    fr = feuille("render", plan, "--out", tmp_path / "out")
    assert fr.returncode == 2 and fr.stderr == (f"feuille : erreur dans le gabarit « {index} » (ligne 2) (ZeroDivisionError) : division by zero\n"
                                                "  Vérifiez les gabarits du dossier templates/ du plan (docs/templates.md).\n")
    en = feuille("report", "term", "--plan", plan, "-o", tmp_path / "r.html", "--lang", "en")
    assert en.returncode == 0  # the report does not use index.html
    en = feuille("render", plan, "--out", tmp_path / "out", "--lang", "en")
    assert en.returncode == 2 and en.stderr == (f"feuille: error in the template '{index}' (line 2) (ZeroDivisionError): division by zero\n"
                                                "  Check the templates of the plan's templates/ folder (docs/templates.md).\n")
    index.write_text("{% extends 'html/nothing-here.html' %}", encoding="utf-8")
    en = feuille("render", plan, "--out", tmp_path / "out", "--lang", "en")
    assert en.returncode == 2 and en.stderr == ("feuille: template not found: html/nothing-here.html.\n"
                                                "  Check the template's name (docs/templates.md lists the templates and their blocks).\n")
    assert feuille("render", plan, "--out", tmp_path / "out").stderr.startswith("feuille : gabarit introuvable : html/nothing-here.html.\n")
    index.write_bytes(b"<p>caf\xe9</p>")
    en = feuille("render", plan, "--out", tmp_path / "out", "--lang", "en")
    assert en.returncode == 2 and en.stderr == f"feuille: the template '{index}' is not in UTF-8 (byte 6).\n  Save it in UTF-8.\n"
    assert f"feuille : le gabarit « {index} » n'est pas en UTF-8 (octet 6).\n  Enregistrez-le en UTF-8.\n" == feuille("render", plan, "--out", tmp_path / "out").stderr
    # refused before the plan is read, in the words every command uses for an unknown format
    for lang, said in (("fr", "feuille : format inconnu « pdf ».\n  Formats possibles : html, md.\n"),
                       ("en", "feuille: unknown format 'pdf'.\n  Possible formats: html, md.\n")):
        refused = feuille("render", plan, "--out", tmp_path / "out", "--format", "pdf", "--lang", lang)
        assert refused.returncode == 2 and refused.stderr == said, refused.stderr


# --- 7. a missing --templates folder ------------------------------------------------------------


def test_a_missing_templates_folder_is_an_error(plan, tmp_path):
    missing = tmp_path / "gabarits"
    with pytest.raises(RenderError) as exc:
        pages_of(plan, templates=missing)
    assert str(exc.value) == f"le dossier de gabarits « {missing} » n'existe pas."
    result = feuille("render", plan, "--out", tmp_path / "out", "--templates", missing)
    no_traceback(result)
    assert result.returncode == 2 and "n'existe pas" in result.stderr
    report = feuille("report", "term", "--plan", plan, "--templates", missing)
    assert report.returncode == 2 and "n'existe pas" in report.stderr
    for command in (["render", plan, "--out", tmp_path / "out"], ["report", "term", "--plan", plan]):
        en = feuille(*command, "--templates", missing, "--lang", "en")
        assert en.returncode == 2 and en.stderr == (f"feuille: the templates folder '{missing}' does not exist.\n"
                                                    "  Check the path given to --templates (a folder that holds html/, md/ or static/).\n")
    (plan / "templates").mkdir(exist_ok=True)
    assert "index.html" in pages_of(plan, templates=plan / "templates")  # an existing (empty) folder is fine


# --- 8. Markdown links and images ---------------------------------------------------------------

MD_OBJECTIVE = """id: O2
title: "[titre](javascript:alert(0)) *étoiles*"
description: |
  Logo : ![logo](../logo.svg) ; dehors : ![pixel](https://tracker.example/p.gif) ![proto](//tracker.example/p.gif)
  ![haut](../../../etc/x.png) ![enc](%2e%2e/%2e%2e/x.png) ![bs](\\\\tracker.example\\p.gif) ![data](data:image/png;base64,AAAA)
  Liens : [a](JaVaScRiPt:alert(1)) [b](java&#x73;cript:alert(2)) [c](<java\tscript:alert(3)>) [d](data:text/html,x)
  [e](vbscript:msgbox) [f](file:///etc/passwd) [g]( javascript:alert(4)) [h](&#106;avascript:alert(5)) [i][ref]
  [bon](https://www.example.be/a_(b)) [mail](mailto:info@example.be)

  [ref]: javascript:alert(6)
actions:
  - id: A2.1
    title: "Action <b>gras</b> | pipe"
    achieved: "[lien](JAVASCRIPT:alert(7)) ![img](logo.svg)"
    last_reviewed: 2026-06-01
"""


def _targets_in_html(html: str) -> list[str]:
    return [u for u in re.findall(r'(?:href|src)="([^"]*)"', html)]


def _bad(url: str, depth: int) -> bool:
    from feuille.views.mdsafe import url_scheme

    return url_scheme(url) not in ("http", "https", "mailto", None) or "tracker" in url


def test_markdown_images_only_inside_the_site_in_html(tmp_path):
    pages = pages_of(build(tmp_path / "plan", {"objectives/02.yaml": MD_OBJECTIVE}))
    page = pages["objectives/O2.html"]
    main = page.split("<main", 1)[1]
    assert re.findall(r"<img [^>]*>", main) == ['<img src="../logo.svg" alt="logo">']
    assert "dehors : pixel proto" in main and "haut enc bs data" in main  # dropped to their alt text
    assert '<a href="https://www.example.be/a_(b)">bon</a>' in main and '<a href="mailto:info@example.be">mail</a>' in main
    assert "Liens : a b c d" in main and "e f g h i" in main  # the text kept, the link removed
    assert [u for u in _targets_in_html(main) if _bad(u, 1)] == []
    assert re.findall(r"<a href=\"[^\"]*\">", main) == ['<a href="https://www.example.be/a_(b)">', '<a href="mailto:info@example.be">'] or \
        all(u.startswith(("../", "http", "mailto")) for u in _targets_in_html(main))
    action = pages["actions/A2.1.html"].split("<main", 1)[1]
    assert '<img src="logo.svg" alt="img">' in action and "JAVASCRIPT" not in action  # one folder down: logo.svg is actions/logo.svg


def test_markdown_output_neutralises_links_too(tmp_path):
    from markdown_it import MarkdownIt

    reader = MarkdownIt("commonmark")  # how a wiki or a forge would show the pages
    reader.validateLink = lambda url: True
    root = build(tmp_path / "plan", {"objectives/02.yaml": MD_OBJECTIVE})
    pages = pages_of(root, fmt="md")
    for rel, text in pages.items():
        shown = reader.render(text)
        bad = [u for u in _targets_in_html(shown) if _bad(u, rel.count("/"))]
        assert bad == [], (rel, bad)
    page = pages["objectives/O2.md"]
    assert "![logo](../logo.svg)" in page
    assert "[bon](https://www.example.be/a_%28b%29)" in page and "[mail](mailto:info@example.be)" in page
    assert "Liens : a b c d e f g h i" in page  # the text kept, the link removed
    shown = reader.render(page)
    assert "<h1>O2 [titre](javascript:alert(0)) *étoiles*</h1>" in shown  # a title is plain text: shown as written, never a link
    action = pages["actions/A2.1.md"]
    assert "Action &lt;b&gt;gras&lt;/b&gt; \\| pipe" in action and "JAVASCRIPT" not in action


def test_read_only_hand_made_folders_and_odd_manifests_are_carried(tmp_path, ll_pages):
    out = tmp_path / "site"
    write_site(ll_pages, out)
    (out / "archive").mkdir()
    (out / "archive" / "2024.html").write_text("ancien", encoding="utf-8")
    (out / "archive").chmod(0o555)
    try:
        result = write_site(ll_pages, out)
        assert (out / "archive" / "2024.html").read_text(encoding="utf-8") == "ancien" and result.carried == 2
        assert (out / "archive").stat().st_mode & 0o777 == 0o555
    finally:
        (out / "archive").chmod(0o755)
    (out / ".feuille-site").unlink()
    (out / ".feuille-site").mkdir()
    with pytest.raises(RenderError):
        write_site(ll_pages, out)
    result = write_site(ll_pages, out, force=True)
    assert ".feuille-site" in result.replaced and (out / ".feuille-site").is_file()
