"""One diagnostic type for every problem feuille finds, and the catalogue of codes.

A :class:`Diagnostic` is a plain value: a stable code, a severity, where it is
(file, YAML path, line and column) and which object it is about, plus the
arguments of its message.  Messages and hints are looked up in :data:`CATALOGUE`
in the reader's language when the diagnostic is rendered, so the same run can be
printed in French and in English, and machine formats keep the stable code.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any


class Severity(IntEnum):
    info = 1
    warning = 2
    error = 3

    @property
    def label(self) -> str:
        return self.name


SEVERITY_LABELS = {
    "fr": {Severity.error: "erreur", Severity.warning: "avertissement", Severity.info: "info"},
    "en": {Severity.error: "error", Severity.warning: "warning", Severity.info: "info"},
}


@dataclass(frozen=True, slots=True)
class Code:
    code: str
    name: str
    severity: Severity
    title: dict[str, str]
    message: dict[str, str]
    hint: dict[str, str] = field(default_factory=dict)
    configurable: bool = True


def _c(code: str, name: str, severity: Severity, title: tuple[str, str], message: tuple[str, str], hint: tuple[str, str] | None = None, *, configurable: bool = True) -> Code:
    return Code(
        code,
        name,
        severity,
        {"fr": title[0], "en": title[1]},
        {"fr": message[0], "en": message[1]},
        {"fr": hint[0], "en": hint[1]} if hint else {},
        configurable,
    )


E, W, I = Severity.error, Severity.warning, Severity.info

_CODES = [
    # --- F1: reading files --------------------------------------------------------
    _c("F101", "yaml-syntax", E, ("Syntaxe YAML invalide", "Invalid YAML syntax"),
       ("Le fichier n'est pas du YAML valide : {detail}.", "The file is not valid YAML: {detail}."),
       ("{fix}", "{fix}"), configurable=False),
    _c("F102", "duplicate-key", E, ("Clé en double", "Duplicate key"),
       ("La clé « {key} » apparaît deux fois ; seule la première est lue.", "The key '{key}' appears twice; only the first one is read."),
       ("Supprimez ou renommez l'une des deux.", "Remove or rename one of them."), configurable=False),
    _c("F103", "forbidden-tag", E, ("Balise YAML interdite", "Forbidden YAML tag"),
       ("La balise « {tag} » n'est pas permise ; la valeur est ignorée.", "The tag '{tag}' is not allowed; the value is ignored."),
       ("Retirez la balise (ce qui commence par « ! ») et écrivez une valeur simple.", "Remove the tag (what starts with '!') and write a plain value."), configurable=False),
    _c("F104", "too-complex", E, ("Structure trop complexe", "Structure too complex"),
       ("{detail}", "{detail}"),
       ("Simplifiez le fichier : valeurs écrites en toutes lettres plutôt qu'avec des alias (&, *), moins imbriquées, et pas plus de 10 000 clés par ensemble (une clé par champ, un élément de liste par action).",
        "Simplify the file: values written out instead of aliases (&, *), less nesting, and no more than 10,000 keys per mapping (one key per field, one list item per action)."), configurable=False),
    _c("F105", "too-large", E, ("Fichier trop gros", "File too large"),
       ("{detail}", "{detail}"),
       ("{fix}", "{fix}"), configurable=False),
    _c("F106", "encoding", E, ("Encodage invalide", "Invalid encoding"),
       ("{detail}", "{detail}"),
       ("Enregistrez le fichier en UTF-8 (dans le Bloc-notes : Enregistrer sous > Encodage : UTF-8).", "Save the file as UTF-8 (in your editor: Save as > Encoding: UTF-8)."), configurable=False),
    _c("F107", "empty-file", E, ("Fichier vide", "Empty file"),
       ("Le fichier est vide.", "The file is empty."),
       ("Complétez-le ou supprimez-le.", "Fill it in or delete it."), configurable=False),
    _c("F108", "unreadable", E, ("Fichier illisible", "Unreadable file"),
       ("{detail}", "{detail}"),
       ("Vérifiez que le fichier existe et que vous avez le droit de le lire.", "Check that the file exists and that you may read it."), configurable=False),
    _c("F109", "not-a-mapping", E, ("Contenu inattendu", "Unexpected content"),
       ("Ce fichier doit contenir des clés et des valeurs (« clé: valeur »), pas {found}.", "This file must hold keys and values ('key: value'), not {found}."),
       ("Chaque fichier commence par des lignes « clé: valeur », par exemple « id: A1 ».", "Each file starts with 'key: value' lines, e.g. 'id: A1'."), configurable=False),
    _c("F111", "special-file", W, ("Fichier spécial ignoré", "Special file skipped"),
       ("Ce n'est pas un fichier ordinaire (tube, prise, périphérique) : il est ignoré.", "This is not a regular file (a pipe, socket or device): it is skipped."),
       ("Retirez-le du dossier du plan, ou renommez-le sans l'extension .yaml.", "Remove it from the plan folder, or rename it without the .yaml extension.")),
    _c("F112", "interrupted-write", E, ("Écriture interrompue", "Interrupted write"),
       ("{detail}", "{detail}"),
       ("Vérifiez les fichiers nommés (git diff), puis supprimez .feuille-journal à la racine du plan.", "Check the files named (git diff), then delete .feuille-journal at the plan's root."), configurable=False),
    _c("F110", "no-plan-file", E, ("Fichier du plan absent", "Plan file missing"),
       ("Aucun fichier plan.yaml dans {root}.", "No plan.yaml file in {root}."),
       ("Créez un plan avec « feuille init DOSSIER » ou indiquez le bon dossier.", "Create a plan with 'feuille init DIR' or point at the right folder."), configurable=False),
    # --- F2: schema ---------------------------------------------------------------
    _c("F201", "unknown-key", E, ("Clé inconnue", "Unknown key"),
       ("Clé inconnue « {key} ».", "Unknown key '{key}'."),
       ("{suggestion}", "{suggestion}")),
    _c("F202", "missing-field", E, ("Champ obligatoire manquant", "Required field missing"),
       ("Le champ obligatoire « {key} » manque.", "The required field '{key}' is missing."),
       ("Ajoutez une ligne « {key}: ... ».", "Add a line '{key}: ...'.")),
    _c("F203", "wrong-type", E, ("Type de valeur incorrect", "Wrong type of value"),
       ("« {key} » doit être {expected}, pas {found}.", "'{key}' must be {expected}, not {found}."),
       ("{example}", "{example}")),
    _c("F204", "value-not-allowed", E, ("Valeur non permise", "Value not allowed"),
       ("La valeur « {value} » n'est pas permise pour « {key} ».", "The value '{value}' is not allowed for '{key}'."),
       ("Valeurs possibles : {allowed}.", "Allowed values: {allowed}.")),
    _c("F205", "invalid-date", E, ("Date invalide", "Invalid date"),
       ("« {key} » : {problem}", "'{key}': {problem}"),
       ("Écrivez les dates AAAA-MM-JJ{example}.", "Write dates as YYYY-MM-DD{example}.")),
    _c("F206", "out-of-range", E, ("Nombre hors limites", "Number out of range"),
       ("« {key} » vaut {value}, il doit être {bound}.", "'{key}' is {value}; it must be {bound}."),
       None),
    _c("F207", "bad-length", E, ("Longueur incorrecte", "Wrong length"),
       ("« {key} » {problem}.", "'{key}' {problem}."),
       None),
    # --- F3: structure and references -----------------------------------------------
    _c("F301", "duplicate-id", E, ("Identifiant en double", "Duplicate id"),
       ("L'identifiant « {id} » est déjà utilisé dans {other}.", "The id '{id}' is already used in {other}."),
       ("Chaque objectif et chaque action a un identifiant unique dans tout le plan : renommez l'un des deux.", "Every objective and action has an id unique across the plan: rename one of them."), configurable=False),
    _c("F302", "unknown-person", E, ("Personne inconnue", "Unknown person"),
       ("« {key} » cite « {ref} », qui n'est pas dans people.yaml.", "'{key}' names '{ref}', who is not in people.yaml."),
       ("{suggestion}", "{suggestion}")),
    _c("F303", "unknown-objective", E, ("Objectif inconnu", "Unknown objective"),
       ("« {key} » cite l'objectif « {ref} », qui n'existe pas.", "'{key}' names the objective '{ref}', which does not exist."),
       ("{suggestion}", "{suggestion}")),
    _c("F304", "unknown-reference", E, ("Service ou organisation inconnu", "Unknown service or organisation"),
       ("« {key} » cite « {ref} », qui n'est pas déclaré.", "'{key}' names '{ref}', which is not declared."),
       ("{suggestion}", "{suggestion}")),
    _c("F305", "objective-without-action", W, ("Objectif sans action", "Objective without action"),
       ("L'objectif n'a encore aucune action.", "The objective has no action yet."),
       ("Ajoutez au moins une action, ou retirez l'objectif s'il est abandonné.", "Add at least one action, or remove the objective if it was dropped.")),
    _c("F306", "wrong-level", E, ("Niveau incorrect", "Wrong level"),
       ("{detail}", "{detail}"),
       ("Le plan a {depth} niveau(x) d'objectifs ({levels}) : les actions se placent sous le dernier.", "The plan has {depth} objective level(s) ({levels}): actions go under the last one.")),
    _c("F307", "owners-missing", W, ("Responsables manquants", "Owners missing"),
       ("L'objectif opérationnel n'a pas {missing}.", "The operational objective has no {missing}."),
       ("Indiquez « political_owners » et « admin_owner ».", "Fill in 'political_owners' and 'admin_owner'.")),
    _c("F308", "owner-role", W, ("Rôle du responsable incohérent", "Owner's role does not fit"),
       ("« {key} » cite {name}, dont le rôle est « {role} ».", "'{key}' names {name}, whose role is '{role}'."),
       ("Un responsable politique est un mandataire (bourgmestre, échevin...), un responsable administratif un agent.", "A political owner is an elected official, an administrative owner a member of staff.")),
    _c("F309", "misplaced-file", E, ("Fichier mal placé", "Misplaced file"),
       ("{detail}", "{detail}"),
       ("Voir docs/format.md, « Organisation des fichiers ».", "See docs/format.md, 'Layout'."), configurable=False),
    # --- F4: dates ---------------------------------------------------------------------
    _c("F401", "dates-inverted", E, ("Dates inversées", "Dates in the wrong order"),
       ("« {start_key} » ({start}) est après « {end_key} » ({end}).", "'{start_key}' ({start}) is after '{end_key}' ({end})."),
       ("Corrigez l'une des deux dates.", "Correct one of the two dates.")),
    _c("F402", "deadline-after-parent", W, ("Échéance après celle du parent", "Deadline after the parent's"),
       ("La fin prévue ({end}) dépasse celle de « {parent} » ({parent_end}).", "The planned end ({end}) is after that of '{parent}' ({parent_end})."),
       ("Avancez l'échéance ou repoussez celle de l'objectif.", "Bring the deadline forward or move the objective's.")),
    _c("F403", "outside-term", W, ("Date hors législature", "Date outside the term"),
       ("« {key} » ({date}) est hors de la législature ({start} – {end}).", "'{key}' ({date}) is outside the term ({start} – {end})."),
       ("Vérifiez l'année.", "Check the year.")),
    _c("F404", "overdue", W, ("Action en retard", "Overdue action"),
       ("Échéance dépassée depuis {days} jour(s) ({end}) et l'action n'est pas terminée.", "Deadline passed {days} day(s) ago ({end}) and the action is not done."),
       ("Mettez à jour « status » (done, et « actual_end ») ou repoussez « planned_end » avec une note.", "Update 'status' (done, with 'actual_end') or move 'planned_end' with a note.")),
    _c("F405", "late-start", W, ("Démarrage en retard", "Late start"),
       ("Début prévu le {start}, il y a {days} jour(s), mais l'action n'a pas commencé.", "Planned to start on {start}, {days} day(s) ago, but not started."),
       ("Passez « status » à ongoing (avec « actual_start ») ou repoussez « planned_start ».", "Set 'status' to ongoing (with 'actual_start') or move 'planned_start'.")),
    _c("F406", "stale", W, ("Action non revue", "Action not reviewed"),
       ("{detail}", "{detail}"),
       ("Relisez l'action avec son service et mettez « last_reviewed » à la date du jour.", "Review the action with its service and set 'last_reviewed' to today.")),
    # --- F5: coherence --------------------------------------------------------------------
    _c("F501", "done-not-100", W, ("Terminée mais pas à 100 %", "Done but not at 100%"),
       ("L'action est terminée mais son avancement est de {progress} %.", "The action is done but its progress is {progress}%."),
       ("Mettez « progress: 100 » ou changez « status ».", "Set 'progress: 100' or change 'status'.")),
    _c("F502", "done-without-end", W, ("Terminée sans date de fin", "Done without end date"),
       ("L'action est terminée mais « actual_end » n'est pas rempli.", "The action is done but 'actual_end' is empty."),
       ("Ajoutez « actual_end: AAAA-MM-JJ ».", "Add 'actual_end: YYYY-MM-DD'.")),
    _c("F503", "not-started-but-progress", W, ("Non commencée mais avancée", "Not started but progressing"),
       ("L'action est « not_started » mais {detail}.", "The action is 'not_started' but {detail}."),
       ("Passez « status » à ongoing, ou remettez l'avancement à 0.", "Set 'status' to ongoing, or reset the progress to 0.")),
    _c("F504", "health-without-note", W, ("Santé sans explication", "Health without a note"),
       ("La santé est « {health} » sans explication.", "Health is '{health}' without a note."),
       ("Ajoutez « health_note: ... » : ce qui bloque et ce qu'il faudrait.", "Add 'health_note: ...': what is wrong and what is needed.")),
    _c("F505", "split-not-100", E, ("Répartition budgétaire incorrecte", "Budget split does not add up"),
       ("{detail}", "{detail}"),
       ("Les pourcentages de « serves » couvrent l'objectif parent et totalisent 100.", "The percentages in 'serves' include the parent objective and add up to 100.")),
    _c("F506", "ended-not-done", W, ("Date de fin sans statut terminé", "End date but not done"),
       ("« actual_end » est rempli mais le statut est « {status} ».", "'actual_end' is set but the status is '{status}'."),
       ("Passez « status » à done (ou cancelled), ou retirez « actual_end ».", "Set 'status' to done (or cancelled), or remove 'actual_end'.")),
    _c("F507", "score-out-of-scale", E, ("Note hors échelle", "Score outside the scale"),
       ("« {key} » vaut {value}, hors de l'échelle du plan ({min} à {max}).", "'{key}' is {value}, outside the plan's scale ({min} to {max})."),
       ("Donnez une note entre {min} et {max}.", "Give a score between {min} and {max}.")),
    _c("F509", "gain-without-cost", W, ("Gain sans coût", "Gain without a cost"),
       ("Un gain estimé est donné, mais {what} n'a pas de budget : le retour sur investissement ne peut pas être calculé.",
        "An estimated gain is given, but {what_en} has no budget: the return on investment cannot be computed."),
       ("Ajoutez les lignes « budget » (le coût), ou donnez directement la note « roi ».", "Add the 'budget' lines (the cost), or give the 'roi' score directly.")),
    # --- F8: audiences (who sees what) -------------------------------------------------------
    _c("F801", "personal-data-public", W, ("Donnée personnelle publiée", "Personal data made public"),
       ("« {key} » contient {what} et sera publié sur le site public.", "'{key}' holds {what_en} and will be published on the public site."),
       ("Retirez-la, ou gardez ce champ pour l'administration : sous « visibility: » de l'élément, écrivez « {key}: internal ».",
        "Remove it, or keep this field for the administration: under the item's 'visibility:', write '{key}: internal'.")),
    _c("F802", "wider-than-parent", W, ("Plus visible que son parent", "More visible than its parent"),
       ("L'élément est déclaré « {own} » mais son parent est « {parent} » : il restera « {parent} ».", "The item is declared '{own}' but its parent is '{parent}': it stays '{parent}'."),
       ("Changez la visibilité du parent, ou retirez celle de l'élément.", "Change the parent's visibility, or remove the item's.")),
    _c("F803", "unknown-visibility-field", E, ("Champ inconnu dans « visibility »", "Unknown field in 'visibility'"),
       ("« visibility » cite le champ « {key} », {why}.", "'visibility' names the field '{key}', {why_en}."),
       ("{fix}", "{fix_en}")),
    # --- F6: configuration -------------------------------------------------------------
    _c("F601", "bad-rule-setting", E, ("Réglage de règle invalide", "Invalid rule setting"),
       ("{detail}", "{detail}"),
       ("Sous « rules: », écrivez un code (F404) et error, warning, info ou off.", "Under 'rules:', write a code (F404) and error, warning, info or off."), configurable=False),
    # --- F7: transmission to the region (eComptes), on when plan.yaml says transmission: {ecomptes: true} ---
    _c("F701", "ecomptes-organisation", E, ("Organisation incomplète pour eComptes", "Organisation incomplete for eComptes"),
       ("{detail}", "{detail}"),
       ("eComptes identifie chaque fichier par le code INS à cinq chiffres et le type (commune ou CPAS) : complétez « organisations » dans plan.yaml (« ins_code: \"58001\" »), et, dans un plan Ville + CPAS, « organisation » sur l'objectif ou sous « defaults: ».",
        "eComptes names each file by the five-digit INS code and the type (municipality or CPAS): complete 'organisations' in plan.yaml ('ins_code: \"58001\"'), and, in a joint City + CPAS plan, 'organisation' on the objective or under 'defaults:'.")),
    _c("F702", "ecomptes-title-too-long", W, ("Intitulé trop long pour eComptes", "Title too long for eComptes"),
       ("L'intitulé a {length} caractères ; eComptes en accepte 255 : il sera coupé.", "The title has {length} characters; eComptes takes 255: it will be cut."),
       ("Raccourcissez « title » à 255 caractères et mettez le reste dans « description ».", "Shorten 'title' to 255 characters and move the rest to 'description'.")),
    _c("F703", "ecomptes-person", E, ("Responsable incomplet pour eComptes", "Owner incomplete for eComptes"),
       ("{detail}", "{detail}"),
       ("eComptes demande pour chaque responsable la civilité (MONSIEUR ou MADAME), le nom (100 caractères), le prénom (50) et un téléphone de 15 caractères au plus : complétez people.yaml.",
        "eComptes needs for each owner a civility (MONSIEUR or MADAME), a last name (100 characters), a first name (50) and a phone of at most 15 characters: complete people.yaml.")),
    _c("F704", "ecomptes-budget-line", E, ("Ligne budgétaire incomplète pour eComptes", "Budget line incomplete for eComptes"),
       ("{detail}", "{detail}"),
       ("Chaque ligne transmise dit son service (ordinary / extraordinary), son type (expense / revenue), son libellé (« label ») et son article, ou son groupe économique pour une projection.",
        "Each line transmitted gives its service (ordinary / extraordinary), type (expense / revenue), label and article, or its economic group for a projection.")),
    _c("F705", "ecomptes-status", W, ("Statut que eComptes ne peut pas dire", "Status eComptes cannot express"),
       ("La santé est « paused » mais le statut est « {status} » : eComptes recevra {statut} et la pause sera perdue.",
        "Health is 'paused' but the status is '{status}': eComptes will receive {statut} and the pause is lost."),
       ("Une action en pause a le statut « on_hold » (EN_ATTENTE) ; sinon remettez « health: good » ou « at_risk ».",
        "A paused action has status 'on_hold' (EN_ATTENTE); otherwise set 'health' back to good or at_risk.")),
    _c("F706", "ecomptes-fte-missing", E, ("ETP manquant pour eComptes", "FTE missing for eComptes"),
       ("L'action n'a pas d'ETP (« fte ») et le plan n'a pas de valeur par défaut ; eComptes l'exige.",
        "The action has no FTE ('fte') and the plan has no default; eComptes requires it."),
       ("Ajoutez « fte: 0.5 » (équivalents temps plein), ou, si la commune ne suit pas les ETP, « fte: 0 » sous « defaults: » dans plan.yaml.",
        "Add 'fte: 0.5' (full-time equivalents), or, where the town does not track them, 'fte: 0' under 'defaults:' in plan.yaml.")),
    _c("F707", "ecomptes-progress-unknown", E, ("Avancement inconnu pour eComptes", "Progress unknown for eComptes"),
       ("{detail}", "{detail}"),
       ("Donnez « progress » (0 à 100) ou un indicateur mesuré ; eComptes exige un taux d'avancement et feuille n'en invente pas.",
        "Give 'progress' (0-100) or a measured indicator; eComptes requires a progress rate and feuille does not invent one.")),
    _c("F708", "ecomptes-volet-missing", E, ("Volet manquant pour eComptes", "Volet missing for eComptes"),
       ("L'objectif n'a pas de volet : eComptes range chaque objectif stratégique dans le volet interne ou externe.",
        "The objective has no volet: eComptes files each strategic objective under the internal or external volet."),
       ("Ajoutez « volet: internal » ou « volet: external ».", "Add 'volet: internal' or 'volet: external'.")),
    _c("F709", "ecomptes-levels", E, ("Trop de niveaux pour eComptes", "Too many levels for eComptes"),
       ("Le plan a {count} niveaux d'objectifs ({levels}) ; eComptes n'en a que deux (objectif stratégique, objectif opérationnel).",
        "The plan has {count} objective levels ({levels}); eComptes has only two (strategic, operational objective)."),
       ("Ramenez « levels » à trois noms (ou deux pour une DPC) ; voir docs/ecomptes.md.", "Bring 'levels' down to three names (or two for a DPC); see docs/ecomptes.md.")),
]

CATALOGUE: dict[str, Code] = {c.code: c for c in _CODES}


class _SafeArgs(dict):
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
    args: dict[str, dict[str, str] | str] = field(default_factory=dict)
    severity: Severity | None = None
    on_key: bool = False  # point at the key rather than the value
    drops: bool = False  # its cause drops part of the plan: stays an error whatever the plan's settings

    def __post_init__(self) -> None:
        if self.severity is None:
            self.severity = CATALOGUE[self.code].severity

    def _args(self, lang: str) -> dict[str, str]:
        return _SafeArgs({k: (v.get(lang) or v.get("en", "")) if isinstance(v, dict) else str(v) for k, v in self.args.items()})

    def message(self, lang: str = "fr") -> str:
        return CATALOGUE[self.code].message[lang].format_map(self._args(lang)).strip()

    def hint(self, lang: str = "fr") -> str:
        template = CATALOGUE[self.code].hint.get(lang, "")
        return template.format_map(self._args(lang)).strip() if template else ""

    def title(self, lang: str = "fr") -> str:
        return CATALOGUE[self.code].title[lang]

    @property
    def name(self) -> str:
        return CATALOGUE[self.code].name

    def sort_key(self) -> tuple[Any, ...]:
        return (self.file, self.line or 0, self.col or 0, self.code, self.obj_id or "")


def tr(fr: str, en: str) -> dict[str, str]:
    """A message argument in both languages."""
    return {"fr": fr, "en": en}
