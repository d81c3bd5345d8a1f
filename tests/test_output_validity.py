"""Every output is valid for its format (issue 20, item 3).

Text that XML 1.0 and spreadsheet cells cannot hold (control characters but tab and line ends,
lone surrogates, U+FFFE, U+FFFF) is refused by lint (F208, at its line) and by update (the write
would add an error); an export made all the same (--allow-errors) leaves it out with a note; and
every file an export makes is checked for its format before anything is written.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from _cli import feuille
from feuille.core import xmlchars

ROOT = Path(__file__).parent.parent
LL = ROOT / "plans" / "la-louviere"
AS_OF = "2026-07-01"
A11 = "objectives/01-cadre-de-vie/A1.1-cadastre-lieux.yaml"
TITLE = "title: \"Cadastre des besoins"


def _control(plan: Path) -> None:
    """A title with \\x01 and \\x0b, and a first name with ESC, written as YAML escapes."""
    f = plan / A11
    text = f.read_text(encoding="utf-8")
    assert TITLE in text
    f.write_text(text.replace(TITLE, 'title: "\\x01\\x0bCadastre des besoins', 1), encoding="utf-8")
    people = plan / "people.yaml"
    text = people.read_text(encoding="utf-8")
    assert "first_name: A." in text
    people.write_text(text.replace("first_name: A.", 'first_name: "\\eA."', 1), encoding="utf-8")


def test_the_characters_no_xml_can_hold():
    assert xmlchars.clean("a\x00b\x07c\x0bd\x1fe\ud800f\ufffeg\uffffh") == "abcdefgh"
    assert xmlchars.clean("tab\tline\ncr\r é € 𝄞 \x7f\x85") == "tab\tline\ncr\r é € 𝄞 \x7f\x85"  # all allowed by XML 1.0
    assert xmlchars.shown("a\x01\x01b\ud800") == "\\x01 \\ud800"
    assert xmlchars.escaped("a\x07b") == "a\\x07b"
    found = list(xmlchars.found({"id": "A1", "tags": ["ok", "x\x01"], "k\x02": 1}))
    assert [(path, text) for path, text, _item in found] == [(("tags", 1), "x\x01")]  # a key is no text (F201 says it)


def test_lint_reports_each_text_at_its_line_also_from_the_cache(plan):
    _control(plan)
    for _run in range(2):  # the second run reads the files from the cache: the finding stays
        result = feuille("lint", plan, "--format", "json", "--as-of", AS_OF)
        assert result.returncode == 1
        found = [d for d in json.loads(result.stdout)["diagnostics"] if d["code"] == "F208"]
        assert {(Path(d["file"]).name, d["line"]) for d in found} == {("A1.1-cadastre-lieux.yaml", 3), ("people.yaml", 27)}
        title = next(d for d in found if d["line"] == 3)
        assert title["message"] == ("Le champ intitulé (title) contient \\x01 \\x0b : des caractères de contrôle qu'aucun fichier XML ni aucune cellule "
                                    "de tableur ne peut contenir (eComptes, xlsx, docx).")
        assert title["hint"].startswith("Retirez-les")


def test_the_rule_cannot_be_turned_off(plan):
    plan_yaml = plan / "plan.yaml"
    text = plan_yaml.read_text(encoding="utf-8")
    assert "\nrules:\n" in text
    plan_yaml.write_text(text.replace("\nrules:\n", "\nrules:\n  F208: off\n", 1), encoding="utf-8")
    _control(plan)
    result = feuille("lint", plan, "--format", "json", "--as-of", AS_OF)
    codes = [d["code"] for d in json.loads(result.stdout)["diagnostics"]]
    assert "F208" in codes and "F601" in codes


def test_update_refuses_to_write_a_control_character(plan):
    before = (plan / A11).read_bytes()
    result = feuille("update", "A1.1", "--plan", plan, "--set", "title=Bonjour\x01\x07 monde", "--as-of", AS_OF)
    assert result.returncode != 0
    assert "F208" in result.stderr and "\\x01 \\x07" in result.stderr and "rien n'a été écrit" in result.stderr
    assert (plan / A11).read_bytes() == before


def _cells(path: Path) -> list[str]:
    from openpyxl import load_workbook

    book = load_workbook(path)
    return [str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value is not None]


@pytest.mark.parametrize("fmt", ["xlsx", "ecomptes", "csv", "json"])
def test_an_export_made_all_the_same_leaves_them_out_with_a_note(plan, tmp_path, fmt):
    _control(plan)
    out = tmp_path / f"out.{fmt}"
    result = feuille("export", plan, "-f", fmt, "-o", out, "--allow-errors", "--as-of", AS_OF)
    assert result.returncode == 1, result.stderr  # written, and the plan's errors said
    assert "2 textes du plan contiennent des caractères de contrôle" in result.stderr
    if fmt == "xlsx":
        cells = _cells(out)
        assert "Cadastre des besoins : détermination des lieux et sites qui nécessitent un effort soutenu" in cells
        assert not any(xmlchars.NOT_XML.search(c) for c in cells)
    elif fmt == "ecomptes":
        files = sorted(tmp_path.glob("out-*.ecomptes"))
        assert files
        from feuille.formats.ecomptes.xsd import schema_errors

        texts = []
        for f in files:
            root = ET.parse(f).getroot()
            assert schema_errors(root) == []
            texts += [el.text or "" for el in root.iter()]
        assert any(t.startswith("Cadastre des besoins") for t in texts) and not any(xmlchars.NOT_XML.search(t) for t in texts)
    elif fmt == "csv":
        text = out.read_text(encoding="utf-8-sig")
        assert "\x01" not in text and "\x0b" not in text
        assert any(row and "Cadastre des besoins : détermination des lieux" in ";".join(row) for row in csv.reader(io.StringIO(text), delimiter=";"))
    else:
        doc = json.loads(out.read_text(encoding="utf-8"))
        text = json.dumps(doc, ensure_ascii=False)
        assert "\\u0001" not in text and "\\u000b" not in text and "\\u001b" not in text
        assert '"title": "Cadastre des besoins : détermination des lieux' in text


def test_split_workbooks_and_status_csv_hold_no_control_character(plan, tmp_path):
    _control(plan)
    result = feuille("export", plan, "-f", "xlsx", "--split-by", "owner", "-o", tmp_path / "books", "--allow-errors", "--as-of", AS_OF)
    assert result.returncode == 1, result.stderr
    books = sorted((tmp_path / "books").glob("*.xlsx"))
    assert books and all(not any(xmlchars.NOT_XML.search(c) for c in _cells(b)) for b in books)
    status = feuille("status", plan, "-f", "csv", "--as-of", AS_OF)
    assert not xmlchars.NOT_XML.search(status.stdout)


# --- every exporter's output is checked before anything is written ---------------------------------------


def test_every_export_format_has_a_check():
    from feuille.views.exports import _CHECKS, FORMATS, exporter

    for name in FORMATS:
        module = exporter(name)
        assert module.SUFFIX in _CHECKS or hasattr(module, "check") or getattr(module, "FOLDER", False), name


@pytest.mark.parametrize(("suffix", "data"), [
    (".json", b'{"a": 1,'),
    (".csv", "\ufeffid;titre\r\nA1;x;y\r\n".encode()),
    (".csv", b'id,title\r\n"A1,unterminated\r\n'),
    (".xml", b"<dataroot><a>\x01</a></dataroot>"),
    (".xml", b"<dataroot><a></dataroot>"),
    (".xlsx", b"PK\x03\x04 not a zip"),
])
def test_a_broken_file_does_not_pass_its_check(suffix, data):
    from types import SimpleNamespace

    from feuille.views.exports import InvalidOutput, check_output

    with pytest.raises(InvalidOutput):
        check_output(SimpleNamespace(SUFFIX=suffix), None, data)


def test_a_workbook_with_a_broken_part_does_not_pass(plan, tmp_path):
    from types import SimpleNamespace

    from feuille.views.exports import InvalidOutput, check_output

    out = tmp_path / "x.xlsx"
    assert feuille("export", plan, "-f", "xlsx", "-o", out, "--as-of", AS_OF).returncode == 0
    good = out.read_bytes()
    check_output(SimpleNamespace(SUFFIX=".xlsx"), None, good)
    broken = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good)) as src, zipfile.ZipFile(broken, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename.startswith("xl/worksheets/"):
                data = data.replace(b"</sheetData>", b"<row><c t=\"inlineStr\"><is><t>\x01</t></is></c></row></sheetData>", 1)
            dst.writestr(item, data)
    with pytest.raises(InvalidOutput):
        check_output(SimpleNamespace(SUFFIX=".xlsx"), None, broken.getvalue())


def test_an_exporter_that_makes_an_invalid_file_writes_nothing(plan, tmp_path, monkeypatch):
    from feuille.views.exports import json_plan

    monkeypatch.setattr(json_plan, "export", lambda published, options: b'{"plan": ')
    out = tmp_path / "plan.json"
    result = feuille("export", plan, "-f", "json", "-o", out, "--as-of", AS_OF)
    assert result.returncode == 2
    assert not out.exists()
    assert "le fichier .json produit par feuille n'est pas valide (JSONDecodeError" in result.stderr
    assert "C'est un défaut de feuille" in result.stderr
