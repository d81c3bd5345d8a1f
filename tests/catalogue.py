"""The rule catalogue: cases in tests/cases/*.case, run by test_catalogue.py and
rendered into docs/rules.md by ``python tests/catalogue.py > docs/rules.md``."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).parent
CASES = HERE / "cases"
BASE = CASES / "_base"
DEFAULT_AS_OF = dt.date(2026, 7, 1)
MARK = "# <-"


class LinkTo(str):
    """A file of a case that is a symbolic link: ``=== bad-link: objectives/02.yaml -> ../../secret.yaml`` (the target as written)."""


@dataclass
class Case:
    code: str  # F101 (from F101.case, or F101-indent.case: another example of the same code)
    as_of: dt.date
    bad: dict[str, str] = field(default_factory=dict)
    good: dict[str, str] = field(default_factory=dict)
    name: str = ""  # the file's stem: F101, F101-indent

    def marked(self) -> tuple[str, int] | None:
        """The (file, line) marked with ``# <-`` in the bad files, if any."""
        for rel, content in self.bad.items():
            for i, line in enumerate(content.splitlines(), 1):
                if line.rstrip().endswith(MARK):
                    return rel, i
        return None


def parse_case(path: Path) -> Case:
    case = Case(path.stem.split("-", 1)[0], DEFAULT_AS_OF, name=path.stem)
    current: dict[str, str] | None = None
    name = ""
    buf: list[str] = []

    def flush() -> None:
        if current is not None:
            current[name] = "\n".join(buf) + "\n"

    for line in path.read_text(encoding="utf-8").splitlines():
        link = re.match(r"^=== (bad|good)-link: (\S+) -> (\S+)\s*$", line)
        if link:
            flush()
            current = None
            (case.bad if link.group(1) == "bad" else case.good)[link.group(2)] = LinkTo(link.group(3))
            continue
        header = re.match(r"^=== (bad|good): (\S+)\s*$", line)
        if header:
            flush()
            current = case.bad if header.group(1) == "bad" else case.good
            name, buf = header.group(2), []
            continue
        if current is None:
            m = re.match(r"^# as-of: (\d{4}-\d{2}-\d{2})", line)
            if m:
                case.as_of = dt.date.fromisoformat(m.group(1))
            continue
        buf.append(line)
    flush()
    return case


def all_cases() -> list[Case]:
    return [parse_case(p) for p in sorted(CASES.glob("*.case"))]


def build(directory: Path, overlay: dict[str, str]) -> Path:
    """The base plan with ``overlay`` files written over it, in ``directory``."""
    shutil.copytree(BASE, directory, dirs_exist_ok=True)
    for rel, content in overlay.items():
        target = directory / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, LinkTo):
            target.unlink(missing_ok=True)
            target.symlink_to(str(content))
        else:
            target.write_text(content, encoding="utf-8")
    return directory


def run(directory: Path, as_of: dt.date):
    from feuille.pipeline import LoadOptions, load_path

    return load_path(directory, as_of, options=LoadOptions(use_cache=False))


# Codes whose input is built by tests/test_catalogue.py rather than written as text.
BUILT = {
    "F105": ("Un fichier de plus de 8 Mio, une ligne de plus de 65 536 caractères (par exemple un copier-coller raté), plus de "
             "200 000 valeurs dans un fichier, ou plus de 50 problèmes de schéma dans un même fichier (les suivants sont comptés, pas détaillés).",
             "Découpez le contenu ; une description tient en quelques paragraphes. Au-delà de 50 problèmes, corrigez les premiers et relancez."),
    "F106": ("Un fichier enregistré en Windows-1252 (« é » écrit avec l'octet 0xE9), ou un fichier binaire (image, tableur) renommé en .yaml.",
             "Enregistrez le fichier en UTF-8 ; les tableurs s'importent avec « feuille import »."),
    "F108": ("Un lien symbolique qui pointe vers un fichier supprimé, ou un fichier sans droit de lecture.",
             "Supprimez le lien cassé, ou rendez le fichier lisible."),
    "F111": ("Un tube nommé (FIFO) ou un périphérique appelé objectives/zz.yaml : le lire bloquerait la commande.",
             "Retirez-le du dossier du plan."),
    "F112": ("Une écriture de feuille interrompue (coupure, arrêt forcé) puis un fichier touché entre-temps : feuille ne peut ni la finir ni l'annuler sans risque.",
             "Comparez les fichiers nommés avec git diff, gardez la bonne version, puis supprimez .feuille-journal."),
    "F110": ("« feuille lint » lancé sur un dossier qui ne contient pas de plan.yaml.",
             "Indiquez le dossier du plan, ou créez-en un avec « feuille init »."),
}


def render_doc() -> str:
    from feuille.core.diagnostics import CATALOGUE, severity_label
    from feuille.core.i18n import translator

    fr = translator("fr")

    cases: dict[str, list[Case]] = {}
    for c in all_cases():
        cases.setdefault(c.code, []).append(c)
    out = [
        "# Règles de vérification / Lint rules",
        "",
        "<!-- Généré par `python tests/catalogue.py > docs/rules.md` (make docs) : ne pas modifier à la main. -->",
        "",
        "`feuille lint` signale chaque problème avec un code stable, une gravité, le fichier, la ligne et la colonne,",
        "l'objectif ou l'action concerné, un message et un conseil. Les exemples ci-dessous sont les cas de test",
        "de `tests/cases/` : chaque message affiché ici est celui que feuille produit réellement.",
        "",
        "Every finding has a stable code, a severity, a file:line:col, the objective or action concerned, a message",
        "and a hint. The examples below are the test cases in `tests/cases/`; each message shown is real output.",
        "",
        "## Régler les règles / Configuring rules",
        "",
        "Dans `plan.yaml`, la section `rules:` change la gravité d'un code (`error`, `warning`, `info`) ou le",
        "désactive (`off`). Les problèmes de lecture (F1xx) ne se règlent pas. `--strict` fait échouer la",
        "commande aussi sur les avertissements. `--as-of AAAA-MM-JJ` fixe la date des règles de calendrier.",
        "",
        "```yaml",
        "rules:",
        "  F406: info     # action non revue : simple information",
        "  F305: off      # objectif sans action : ne pas signaler",
        "```",
        "",
        "Codes de sortie : 0 sans erreur, 1 s'il y a des erreurs (ou des avertissements avec `--strict`),",
        "2 si le plan est introuvable ou la commande mal écrite.",
        "",
        "## Sortie JSON (`--format json`, version 1)",
        "",
        "```json",
        '{"version": 1, "tool": {"name": "feuille", "version": "…"}, "as_of": "2026-07-01", "lang": "fr",',
        ' "plans": [{"root": "plans/x", "title": "…", "files": 18, "actions": 26,',
        '            "summary": {"error": 0, "warning": 1, "info": 0}}],',
        ' "diagnostics": [{"code": "F404", "name": "overdue", "severity": "warning",',
        '                  "file": "plans/x/objectives/02.yaml", "line": 7, "column": 18,',
        '                  "path": "actions[0].planned_end", "object": {"id": "A2.1", "title": "…"},',
        '                  "title": "Action en retard", "message": "…", "hint": "…"}]}',
        "```",
        "",
        "Les clés et les codes ne changent pas d'une version 1 à l'autre ; `message`, `title` et `hint` suivent `--lang`.",
        "Autres formats : `github` (annotations de workflow, suivies du rapport complet), `sarif` (SARIF 2.1.0),",
        "`junit` (un cas de test par fichier).",
        "",
        "## Index",
        "",
        "| code | nom | gravité | titre |",
        "|---|---|---|---|",
    ]
    for code, c in CATALOGUE.items():
        out.append(f"| [{code}](#{code.lower()}) | `{c.name}` | {severity_label(c.severity, 'fr')} | {fr(c.title)} / {c.title} |")
    out.append("")
    for code, c in CATALOGUE.items():
        out += [f"## {code}", "", f"**{fr(c.title)}** / *{c.title}* — `{c.name}`, gravité par défaut : {severity_label(c.severity, 'fr')}"
                + ("" if c.configurable else " (non réglable)"), ""]
        if code not in cases:
            bad, good = BUILT[code]
            out += [f"Cas : {bad}", "", f"Correction : {good}", ""]
            continue
        for case in cases[code]:
            out += _case_doc(case, code)
    return "\n".join(out) + "\n"


def _case_doc(case: Case, code: str) -> list[str]:
    out: list[str] = []
    out.append("Exemple fautif :")
    out.append("")
    for rel, content in case.bad.items():
        out += _file_doc(rel, content if isinstance(content, LinkTo) else content.replace("   " + MARK, "").replace(" " + MARK, ""))
    with tempfile.TemporaryDirectory() as tmp:
        root = build(Path(tmp) / "plan", case.bad)
        report = run(root, case.as_of)
        lines = [f"{d.file.split('plan/', 1)[-1]}{f':{d.line}:{d.col}' if d.line is not None else ''}: {d.message('fr')}".replace(f"{root}/", "")
                 + (f"\n  conseil : {d.hint('fr')}" if d.hint("fr") else "")
                 for d in report.diagnostics if d.code == code]
    out += ["Message :", "", "```text", *lines, "```", "", "Correction :", ""]
    for rel, content in case.good.items():
        out += _file_doc(rel, content)
    return out


def _file_doc(rel: str, content: str) -> list[str]:
    if isinstance(content, LinkTo):
        return [f"`{rel}` : lien symbolique vers `{content}`", ""]
    return [f"`{rel}`", "", "```yaml", content.rstrip(), "```", ""]


if __name__ == "__main__":
    sys.path.insert(0, str(HERE.parent / "src"))
    os.environ.setdefault("FEUILLE_CACHE_DIR", tempfile.mkdtemp())
    sys.stdout.write(render_doc())
