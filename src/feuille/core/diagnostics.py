"""One diagnostic type for every problem feuille finds, and the catalogue of codes.

A :class:`Diagnostic` is a plain value: a stable code, a severity, where it is
(file, YAML path, line and column) and which object it is about, plus the
arguments of its message.  Titles, messages and hints of :data:`CATALOGUE` are English
msgids of the gettext catalogue (``core/i18n.py``), translated into the reader's language
when the diagnostic is rendered; an argument that is words is a :class:`~feuille.core.i18n.Msg`,
translated then too.  So the same run can be printed in French and in English, and machine
formats keep the stable code.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any

from feuille.core.i18n import N_, Msg, translator


class Severity(IntEnum):
    info = 1
    warning = 2
    error = 3

    @property
    def label(self) -> str:
        return self.name


_SEVERITY_WORDS = {Severity.error: N_("error"), Severity.warning: N_("warning"), Severity.info: N_("info")}


def severity_label(severity: Severity, lang: str) -> str:
    """« erreur », « avertissement », « info » (or English)."""
    gettext = translator(lang)
    return gettext(_SEVERITY_WORDS[severity])


@dataclass(frozen=True, slots=True)
class Code:
    code: str
    name: str
    severity: Severity
    title: str  # English msgids of the catalogue: translated by Diagnostic.title/message/hint
    message: str
    hint: str = ""
    configurable: bool = True


def _c(code: str, name: str, severity: Severity, title: str, message: str, hint: str | None = None, *, configurable: bool = True) -> Code:
    return Code(code, name, severity, title, message, hint or "", configurable)


E, W, I = Severity.error, Severity.warning, Severity.info  # noqa: E741 (the table below reads E, W, I like lint's output)

_CODES = [
    # --- F1: reading files --------------------------------------------------------
    _c("F101", "yaml-syntax", E, N_('Invalid YAML syntax'),
       N_('The file is not valid YAML: {detail}.'),
       '{fix}', configurable=False),
    _c("F102", "duplicate-key", E, N_('Duplicate key'),
       N_("The key {field} appears twice; only the first one is read."),
       N_('Remove or rename one of them.'), configurable=False),
    _c("F103", "forbidden-tag", E, N_('Forbidden YAML tag'),
       N_("The tag '{tag}' is not allowed; the value is ignored."),
       N_("Remove the tag (what starts with '!') and write a plain value."), configurable=False),
    _c("F104", "too-complex", E, N_('Structure too complex'),
       '{detail}',
       N_('Simplify the file: values written out instead of aliases (&, *), less nesting, and no more than 10,000 keys per mapping (one key per field, one list item per action).'), configurable=False),
    _c("F105", "too-large", E, N_('File too large'),
       '{detail}',
       '{fix}', configurable=False),
    _c("F106", "encoding", E, N_('Invalid encoding'),
       '{detail}',
       N_('Save the file as UTF-8 (in your editor: Save as > Encoding: UTF-8).'), configurable=False),
    _c("F107", "empty-file", E, N_('Empty file'),
       N_('The file is empty.'),
       N_('Fill it in or delete it.'), configurable=False),
    _c("F108", "unreadable", E, N_('Unreadable file'),
       '{detail}',
       N_('Check that the file exists and that you may read it.'), configurable=False),
    _c("F109", "not-a-mapping", E, N_('Unexpected content'),
       N_("This file must hold keys and values ('key: value'), not {found}."),
       N_("Each file starts with 'key: value' lines, e.g. 'id: A1'."), configurable=False),
    _c("F111", "special-file", W, N_('Special file skipped'),
       N_('This is not a regular file (a pipe, socket or device): it is skipped.'),
       N_('Remove it from the plan folder, or rename it without the .yaml extension.')),
    _c("F113", "refused-link", E, N_('Link refused'),
       '{detail}',
       N_("Put the file itself in the plan folder, or make the link lead to a file of the same repository (a town and its CPAS may share people.yaml this way)."),
       configurable=False),
    _c("F112", "interrupted-write", E, N_('Interrupted write'),
       '{detail}',
       N_("Check the files named (git diff), then delete .feuille-journal at the plan's root."), configurable=False),
    _c("F110", "no-plan-file", E, N_('Plan file missing'),
       N_('No plan.yaml file in {root}.'),
       N_("Create a plan with 'feuille init DIR' or point at the right folder."), configurable=False),
    # --- F2: schema ---------------------------------------------------------------
    _c("F201", "unknown-key", E, N_('Unknown key'),
       N_("Unknown key '{key}'."),
       '{suggestion}'),
    _c("F202", "missing-field", E, N_('Required field missing'),
       N_("The required field {field} is missing."),
       N_("Add it: {key}: ...")),
    _c("F203", "wrong-type", E, N_('Wrong type of value'),
       N_("The field {field} must be {expected}, not {found}."),
       '{example}'),
    _c("F204", "value-not-allowed", E, N_('Value not allowed'),
       N_("The value '{value}' is not allowed for {field}."),
       N_('Allowed values: {allowed}.')),
    _c("F205", "invalid-date", E, N_('Invalid date'),
       N_("Field {field}: {problem}"),
       N_('Write dates as YYYY-MM-DD{example}.')),
    _c("F206", "out-of-range", E, N_('Number out of range'),
       N_("The field {field} must be {expected}, not {found}."),
       '{example}'),
    _c("F207", "bad-length", E, N_('Wrong length'),
       N_("The field {field} {problem}."),
       None),
    _c("F208", "forbidden-character", E, N_('Character no file can hold'),
       N_("The field {field} holds {chars}: control characters that XML files and spreadsheet cells cannot hold (eComptes, xlsx, docx)."),
       N_('Remove them (they often come from a copy and paste, or from an escape such as "\\x01" in quotes): the exports leave them out.'),
       configurable=False),
    # --- F3: structure and references -----------------------------------------------
    _c("F301", "duplicate-id", E, N_('Duplicate id'),
       N_("The id '{id}' is already used in {other}."),
       N_('Every objective and action has an id unique across the plan: rename one of them.'), configurable=False),
    _c("F302", "unknown-person", E, N_('Unknown person'),
       N_("The field {field} names '{ref}', who is not in people.yaml."),
       '{suggestion}'),
    _c("F303", "unknown-objective", E, N_('Unknown objective'),
       N_("The field {field} names the objective '{ref}', which does not exist."),
       '{suggestion}'),
    _c("F304", "unknown-reference", E, N_('Unknown service or organisation'),
       N_("The field {field} names '{ref}', which is not declared."),
       '{suggestion}'),
    _c("F305", "objective-without-action", W, N_('Objective without action'),
       N_('The objective has no action yet.'),
       N_('Add at least one action, or remove the objective if it was dropped.')),
    _c("F306", "wrong-level", E, N_('Wrong level'),
       '{detail}',
       N_('The plan has {depth} ({levels}): actions go under the last one.')),
    _c("F307", "owners-missing", W, N_('Owners missing'),
       N_('The operational objective has no {missing}.'),
       N_("Fill in 'political_owners' and 'admin_owner'.")),
    _c("F308", "owner-role", W, N_("Owner's role does not fit"),
       N_("The field {field} names {name} ({role})."),
       N_('A political owner is an elected official, an administrative owner a member of staff.')),
    _c("F309", "misplaced-file", E, N_('Misplaced file'),
       '{detail}',
       N_("See docs/format.md, 'Layout'."), configurable=False),
    # --- F4: dates ---------------------------------------------------------------------
    _c("F401", "dates-inverted", E, N_('Dates in the wrong order'),
       N_("The field {start_field} falls on {start}, after the field {end_field}, {end}."),
       N_('Correct one of the two dates.')),
    _c("F402", "deadline-after-parent", W, N_("Deadline after the parent's"),
       N_("The planned end ({end}) is after that of '{parent}' ({parent_end})."),
       N_("Bring the deadline forward or move the objective's.")),
    _c("F403", "outside-term", W, N_('Date outside the term'),
       N_("The field {field} falls on {date}, outside the term ({start} – {end})."),
       N_('Check the year.')),
    _c("F404", "overdue", W, N_('Overdue action'),
       N_('Deadline passed {days} ago ({end}) and the action is not done.'),
       N_("Update 'status' (done, with 'actual_end') or move 'planned_end' with a note.")),
    _c("F405", "late-start", W, N_('Late start'),
       N_('Planned to start on {start}, {days} ago, but not started.'),
       N_("Set 'status' to ongoing (with 'actual_start') or move 'planned_start'.")),
    _c("F406", "stale", W, N_('Action not reviewed'),
       '{detail}',
       N_("Review the action with its service and set 'last_reviewed' to today.")),
    # --- F5: coherence --------------------------------------------------------------------
    _c("F501", "done-not-100", W, N_('Done but not at 100%'),
       N_('The action is done but its progress is {progress}%.'),
       N_("Set 'progress: 100' or change 'status'.")),
    _c("F502", "done-without-end", W, N_('Done without end date'),
       N_("The action is done but 'actual_end' is empty."),
       N_("Add 'actual_end: YYYY-MM-DD'.")),
    _c("F503", "not-started-but-progress", W, N_('Not started but progressing'),
       N_("The action's status is 'not started' but {detail}."),
       N_("Set 'status' to ongoing, or reset the progress to 0.")),
    _c("F504", "health-without-note", W, N_('Health without a note'),
       N_("Health is '{health}' without a note."),
       N_("Add 'health_note: ...': what is wrong and what is needed.")),
    _c("F505", "split-not-100", E, N_('Budget split does not add up'),
       '{detail}',
       N_("The percentages in 'serves' include the parent objective and add up to 100.")),
    _c("F506", "ended-not-done", W, N_('End date but not done'),
       N_("'actual_end' is set but the status is '{status}'."),
       N_("Set 'status' to done (or cancelled), or remove 'actual_end'.")),
    _c("F507", "score-out-of-scale", E, N_('Score outside the scale'),
       N_("The field {field} is {value}, outside the plan's scale ({min} to {max})."),
       N_('Give a score between {min} and {max}.')),
    _c("F509", "gain-without-cost", W, N_('Gain without a cost'),
       N_('An estimated gain is given, but {what} has no budget: the return on investment cannot be computed.'),
       N_("Add the 'budget' lines (the cost), or give the 'roi' score directly.")),
    _c("F510", "funding-does-not-add-up", W, N_("Funders do not add up"),
       '{detail}',
       N_("Give each funder's amount in 'funders' (their total at most the line's 'amount'), or the one 'funder' who pays the whole line, not both.")),
    # --- F52: indicators --------------------------------------------------------------------
    _c("F521", "target-without-date", W, N_('Target without a date'),
       N_("The indicator '{label}' aims at {target} but says not by when: it has no trajectory, so no verdict."),
       N_("Add 'target_date: YYYY-MM-DD' (the date the target must be reached).")),
    _c("F522", "measurement-in-the-future", W, N_('Measurement in the future'),
       N_("A measurement of '{label}' is dated {date}, after {as_of}."),
       N_("Correct the date: it is the date the value refers to (for a yearly figure, 31 December of its year).")),
    _c("F523", "measurement-before-baseline", W, N_('Measurement long before the baseline'),
       N_("A measurement of '{label}' is dated {date}, more than five years before its baseline ({baseline_date})."),
       N_("Check the year of the date (or of 'baseline_date')."),
       ),
    _c("F524", "unit-mismatch", W, N_('Unit mismatch'),
       N_("The indicator '{label}': {detail}"),
       N_("Give the values in the indicator's unit, or correct its 'unit'.")),
    _c("F525", "measurement-due", W, N_('Measurement due'),
       N_("'{label}' is measured {frequency}: a measurement was due on {due} and none came (the last one: {last})."),
       N_("Add it: feuille measure {key} VALUE --date YYYY-MM-DD (or in the file, under 'measurements').")),
    _c("F526", "indicator-without-id", I, N_('Indicator without an id'),
       N_("The indicator '{label}' has no id: 'feuille measure', the imports and 'linked_indicators' must then name it by its label."),
       N_("Add 'id: {suggestion}' (any short id unique in the plan).")),
    _c("F527", "unknown-indicator", E, N_('Unknown indicator'),
       N_("'linked_indicators': {detail}"),
       N_("Name an indicator declared in the plan (on the plan, an objective or an action) by its id.")),
    _c("F528", "duplicate-indicator-id", E, N_('Duplicate indicator id'),
       N_("Two indicators have the id '{id}' (the other one: {other})."),
       N_("Give each indicator its own id."), configurable=False),
    _c("F529", "range-incomplete", E, N_('Range incomplete'),
       N_("The indicator '{label}': {detail}"),
       N_("For a value to keep within bounds, write 'direction: range' and, under 'range:', its 'min' and 'max' (one may be left out).")),
    # --- F8: audiences (who sees what) -------------------------------------------------------
    _c("F801", "personal-data-public", W, N_('Personal data made public'),
       N_("The field {field} holds {what} and will be published on the public site."),
       N_("Remove it, or keep this field for the administration: under the item's 'visibility:', write '{key}: internal'.")),
    _c("F802", "wider-than-parent", W, N_('More visible than its parent'),
       N_("The item is declared visible to {own}, but its parent only to {parent}: it stays so."),
       N_("Change the parent's visibility, or remove the item's.")),
    _c("F803", "unknown-visibility-field", E, N_("Unknown field in 'visibility'"),
       N_("The visibility (visibility) names the field {field}, {why}."),
       '{fix}'),
    # --- F9: open data (feuille export --format opendata / projets-te) ------------------------
    _c("F901", "bad-identifier", E, N_('Invalid national identifier'),
       N_("The {name} of '{organisation}' ('{value}') is not valid: {why}."),
       N_("Copy it again from the official register (INS and BCE/KBO in Belgium, INSEE code, SIREN and SIRET in France), or remove it.")),
    _c("F902", "unknown-referential-code", E, N_('Unknown code of the national referential'),
       N_("The tag '{tag}' names {referential} '{value}', which the national referential does not have.{more}"),
       N_("Correct the tag (the codes are listed in docs/donnees-ouvertes.md), or remove its prefix 'm57:' / 'sgpe:' to keep it as a plain tag.")),
    # --- F6: configuration -------------------------------------------------------------
    _c("F601", "bad-rule-setting", E, N_('Invalid rule setting'),
       '{detail}',
       N_("Under 'rules:', write a code (F404) and error, warning, info or off."), configurable=False),
    # --- F7: transmission to the region (eComptes), on when plan.yaml says transmission: {ecomptes: true} ---
    _c("F701", "ecomptes-organisation", E, N_('Organisation incomplete for eComptes'),
       '{detail}',
       N_('eComptes names each file by the five-digit INS code and the type (municipality or CPAS): complete \'organisations\' in plan.yaml (\'ins_code: "58001"\'), and, in a joint City + CPAS plan, \'organisation\' on the objective or under \'defaults:\'.')),
    _c("F702", "ecomptes-title-too-long", W, N_('Title too long for eComptes'),
       N_('The title has {length} characters; eComptes takes 255: it will be cut.'),
       N_("Shorten 'title' to 255 characters and move the rest to 'description'.")),
    _c("F703", "ecomptes-person", E, N_('Owner incomplete for eComptes'),
       '{detail}',
       N_('eComptes needs for each owner a civility (MONSIEUR or MADAME), a last name (100 characters), a first name (50) and a phone of at most 15 characters: complete people.yaml.')),
    _c("F704", "ecomptes-budget-line", E, N_('Budget line incomplete for eComptes'),
       '{detail}',
       N_('Each line transmitted gives its service (ordinary / extraordinary), type (expense / revenue), label and article, or its economic group for a projection.')),
    _c("F705", "ecomptes-status", W, N_('Status eComptes cannot express'),
       N_("Health is 'paused' but the status is '{status}': eComptes will receive {statut} and the pause is lost."),
       N_("A paused action has status 'on_hold' (EN_ATTENTE); otherwise set 'health' back to good or at_risk.")),
    _c("F706", "ecomptes-fte-missing", E, N_('FTE missing for eComptes'),
       N_("The action has no FTE ('fte') and the plan has no default; eComptes requires it."),
       N_("Add 'fte: 0.5' (full-time equivalents), or, where the town does not track them, 'fte: 0' under 'defaults:' in plan.yaml.")),
    _c("F707", "ecomptes-progress-unknown", E, N_('Progress unknown for eComptes'),
       '{detail}',
       N_("Give 'progress' (0-100) or a measured indicator; eComptes requires a progress rate and feuille does not invent one.")),
    _c("F708", "ecomptes-volet-missing", E, N_('Strand missing for eComptes'),
       N_("The objective has no strand ('volet'): eComptes files each strategic objective under the internal or external strand."),
       N_("Add 'volet: internal' or 'volet: external'.")),
    _c("F709", "ecomptes-levels", E, N_('Too many levels for eComptes'),
       N_('The plan has {count} objective levels ({levels}); eComptes has only two (strategic, operational objective).'),
       N_("Bring 'levels' down to three names (or two for a DPC); see docs/ecomptes.md.")),
]

CATALOGUE: dict[str, Code] = {c.code: c for c in _CODES}


class _SafeArgs(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return ""


@dataclass(slots=True)
class Diagnostic:
    """A problem found in a plan."""

    code: str
    file: str = ""  # as shown to the user (the plan root as given, joined with the relative path)
    path: tuple[Any, ...] = ()  # YAML path inside the file
    line: int | None = None
    col: int | None = None
    obj_id: str | None = None
    obj_title: str | None = None
    args: dict[str, Msg | str | int] = field(default_factory=dict)
    severity: Severity | None = None
    on_key: bool = False  # point at the key rather than the value
    drops: bool = False  # its cause drops part of the plan: stays an error whatever the plan's settings

    def __post_init__(self) -> None:
        if self.severity is None:
            self.severity = CATALOGUE[self.code].severity

    def named_args(self) -> dict[str, Msg | str | int]:
        """Its arguments, and for each ``key`` (``start_key``...) of the file the ``field`` (``start_field``) that names it
        as docs/format.md says: « échéance (planned_end) »."""
        args = dict(self.args)
        for k, v in self.args.items():
            if k.endswith("key") and f"{k[:-3]}field" not in args and isinstance(v, str):
                from feuille.core.registry import FieldName  # noqa: PLC0415 (the model: loaded by then, not at import)

                args[f"{k[:-3]}field"] = FieldName(v)
        return args

    def as_msg(self) -> Msg:
        """Its message as a :class:`Msg`, translated when shown (an importer's refusal in lint's words)."""
        return Msg(CATALOGUE[self.code].message, **self.named_args())

    def _args(self, lang: str) -> dict[str, str]:
        return _SafeArgs({k: v(lang) if isinstance(v, Msg) else str(v) for k, v in self.named_args().items()})

    def message(self, lang: str = "fr") -> str:
        gettext = translator(lang)
        return gettext(CATALOGUE[self.code].message).format_map(self._args(lang)).strip()

    def hint(self, lang: str = "fr") -> str:
        template = CATALOGUE[self.code].hint
        gettext = translator(lang)
        return gettext(template).format_map(self._args(lang)).strip() if template else ""

    def title(self, lang: str = "fr") -> str:
        gettext = translator(lang)
        return gettext(CATALOGUE[self.code].title)

    @property
    def name(self) -> str:
        return CATALOGUE[self.code].name

    def sort_key(self) -> tuple[Any, ...]:
        return (self.file, self.line or 0, self.col or 0, self.code, self.obj_id or "")

