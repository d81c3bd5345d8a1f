"""The plan's data model: what each YAML file may contain.

Keys are English; every field carries a French and an English description (shown
by editors through the JSON Schema written by ``feuille schema``).  The model only
checks the shape of each file; rules that span files live in :mod:`feuille.rules`.
"""

from __future__ import annotations

import datetime as _dt
from decimal import Decimal
from enum import Enum
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema

from feuille.core.bounds import MAX_DAYS, MAX_YEAR, MIN_YEAR, Bound
from feuille.core.i18n import Number, msg

Id = Annotated[
    str,
    Field(
        min_length=1,
        max_length=64,
        pattern=r"^[A-Za-z0-9][A-Za-z0-9._\-]*$",
        description="Identifiant stable (lettres, chiffres, . _ -). / Stable identifier (letters, digits, . _ -).",
    ),
]
Text = Annotated[str, Field(max_length=20_000)]
ShortText = Annotated[str, Field(min_length=1, max_length=500)]

# --- bounded numbers ------------------------------------------------------------------
# Every number a plan holds has one of these types: its bounds (checked by pydantic-core) and the
# words of the error when a value is out of them (core/bounds.Bound, said by checks/schema_errors.py).
# Within these bounds every sum, rate, format and export stays exact and finite.

#: Money amounts stay below this (100 billion).
MAX_AMOUNT = Decimal(10) ** 11
#: Indicator values (baseline, target, measurements) stay within ± this (a thousand billion).
MAX_MEASURE = 10**12
#: Highest priority rank, weight and ratio; most full-time equivalents.
MAX_RANK, MAX_WEIGHT, MAX_FTE = 1_000_000, 1_000_000, 100_000

AMOUNT = Bound(0, MAX_AMOUNT, msg('an amount below 100 billion, 0 or more'),
               msg('Write the amount in units of the currency, with no exponent or extra zeros, e.g. 12500.50.'))
MEASURE = Bound(-MAX_MEASURE, MAX_MEASURE, msg('a value between minus a thousand billion and a thousand billion'),
                msg("Write the value in digits, in the indicator's unit, with no exponent, e.g. 120 or 12.5."))
PERCENT = Bound(0, 100, msg('a percentage from 0 to 100'), msg('Write a number without the % sign, e.g. 60.'))
SCORE = Bound(0, 100, msg('a score from 0 to 100'), msg("Write a whole number on the plan's scale (by default 1 to 5), e.g. 3."))
RANK = Bound(1, MAX_RANK, msg('a rank from 1 to {high}', high=Number(MAX_RANK)), msg('Write the rank as a whole number, 1 for the first priority, e.g. 3.'))
WEIGHT = Bound(0, MAX_WEIGHT, msg('a weight from 0 to {high}', high=Number(MAX_WEIGHT)), msg('Write the weight as a number, e.g. 1 or 2.5.'))
RATIO = Bound(0, MAX_WEIGHT, msg('a ratio from 0 to {high}', high=Number(MAX_WEIGHT)), msg('Write the ratio as a number, e.g. 0.5 or 2.'))
FTE = Bound(0, MAX_FTE, msg('a number of full-time equivalents from 0 to {high}', high=Number(MAX_FTE)), msg('Write the FTE as a number with a dot, e.g. 1.5.'))
YEAR = Bound(MIN_YEAR, MAX_YEAR, msg('a year from {low} to {high}', low=str(MIN_YEAR), high=str(MAX_YEAR)), msg('Write the year in four digits, e.g. 2026.'))
DAYS = Bound(0, MAX_DAYS, msg('a number of days from 0 to {high}', high=Number(MAX_DAYS)), msg('Write a whole number of days, e.g. 30.'))
DAYS_1 = Bound(1, MAX_DAYS, msg('a number of days from 1 to {high}', high=Number(MAX_DAYS)), msg('Write a whole number of days, e.g. 180.'))
SDG = Bound(1, 17, msg('a sustainable development goal from 1 to 17'), msg('Write the number of the goal, e.g. 11 for sustainable cities.'))

#: Budget amounts, sums spent, estimated gains: non-negative, below 100 billion, at most two decimals.
Money = Annotated[Decimal, Field(ge=AMOUNT.low, lt=AMOUNT.high, decimal_places=2), AMOUNT]
#: An indicator's baseline, target and measured values.
Measure = Annotated[float, Field(ge=MEASURE.low, le=MEASURE.high, allow_inf_nan=False), MEASURE]
Percent = Annotated[float, Field(ge=PERCENT.low, le=PERCENT.high, allow_inf_nan=False), PERCENT]
Score = Annotated[int, Field(ge=SCORE.low, le=SCORE.high, description="Note sur l'échelle du plan (par défaut 1 à 5). / Score on the plan's scale (default 1-5)."), SCORE]
Rank = Annotated[int, Field(ge=RANK.low, le=RANK.high), RANK]
Weight = Annotated[float, Field(ge=WEIGHT.low, le=WEIGHT.high, allow_inf_nan=False), WEIGHT]
Ratio = Annotated[float, Field(ge=RATIO.low, le=RATIO.high, allow_inf_nan=False), RATIO]
Fte = Annotated[Decimal, Field(ge=FTE.low, le=FTE.high, allow_inf_nan=False), FTE]
Year = Annotated[int, Field(ge=YEAR.low, le=YEAR.high), YEAR]
Days = Annotated[int, Field(ge=DAYS.low, le=DAYS.high), DAYS]
Days1 = Annotated[int, Field(ge=DAYS_1.low, le=DAYS_1.high), DAYS_1]
Sdg = Annotated[int, Field(ge=SDG.low, le=SDG.high), SDG]


def _d(fr: str, en: str) -> str:
    return f"{fr} / {en}"


class _Model(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        coerce_numbers_to_str=True,
        str_strip_whitespace=True,
        validate_default=False,
        use_enum_values=False,
    )


class Status(str, Enum):
    """Where an action stands (eComptes: NON_COMMENCE, EN_COURS, EN_ATTENTE, TERMINE, ANNULE_ABANDONNE)."""

    not_started = "not_started"
    ongoing = "ongoing"
    on_hold = "on_hold"
    done = "done"
    cancelled = "cancelled"


class Health(str, Enum):
    """How an action is going (iA.PST's health; eComptes PROBLEME is ``blocked``)."""

    good = "good"
    at_risk = "at_risk"
    blocked = "blocked"
    paused = "paused"


class Volet(str, Enum):
    internal = "internal"
    external = "external"


class Direction(str, Enum):
    increase = "increase"
    decrease = "decrease"


class BudgetService(str, Enum):
    ordinary = "ordinary"
    extraordinary = "extraordinary"


class Audience(str, Enum):
    """Who may see an item or a field, from the narrowest to the widest audience."""

    internal = "internal"  # the administration
    council = "council"  # elected officials (college, council) and the administration
    public = "public"  # everyone: the citizens' site, open data


def _visibility(value: Any) -> Any:
    """``visibility: council`` is short for ``visibility: {item: council}``."""
    return {"item": value} if isinstance(value, str) else value


Visibility = Annotated[
    dict[str, Audience],
    BeforeValidator(_visibility),
    WithJsonSchema({
        "anyOf": [
            {"enum": ["internal", "council", "public"]},
            {"type": "object", "additionalProperties": {"enum": ["internal", "council", "public"]}},
        ],
        "description": "Qui peut voir : internal, council ou public ; ou, champ par champ, {item: public, health_note: internal}. / "
                       "Who may see it: internal, council or public; or per field, {item: public, health_note: internal}.",
    }),
]


class Ref:
    """Marks a field that names another item by its id: ``Annotated[str, Ref("Person")]`` (the kind is the model's name).

    The audience filter (compute/audience.py) reads it: where the item named is not shown to an
    audience, its id is replaced too (an internal person's id is personal data).  No effect on
    validation nor on the JSON Schema."""

    __slots__ = ("kind",)

    def __init__(self, kind: str) -> None:
        self.kind = kind

    def __repr__(self) -> str:
        return f"Ref({self.kind!r})"


PersonRef = Annotated[str, Ref("Person")]
ServiceRef = Annotated[str, Ref("Service")]
ObjectiveRef = Annotated[str, Ref("Objective")]


class BudgetType(str, Enum):
    revenue = "revenue"
    expense = "expense"


class Civility(str, Enum):
    mr = "mr"
    mrs = "mrs"
    mx = "mx"


class Role(str, Enum):
    mayor = "mayor"
    alderman = "alderman"
    cpas_president = "cpas_president"
    councillor = "councillor"
    director_general = "director_general"
    financial_director = "financial_director"
    director = "director"
    head_of_service = "head_of_service"
    officer = "officer"
    other = "other"


POLITICAL_ROLES = frozenset({Role.mayor, Role.alderman, Role.cpas_president, Role.councillor})


class OrgType(str, Enum):
    municipality = "municipality"
    cpas = "cpas"
    housing = "housing"
    province = "province"
    epci = "epci"  # France: a grouping of communes (communauté de communes, d'agglomération, métropole)
    department = "department"  # France: département
    region = "region"
    other = "other"


# --- plan file -----------------------------------------------------------------


class Organisation(_Model):
    id: Id
    name: ShortText = Field(description=_d("Nom officiel.", "Official name."))
    type: OrgType = Field(OrgType.municipality, description=_d(
        "municipality (commune), cpas (CPAS / CCAS), housing (logement public), province, epci, department, region, other.",
        "municipality, cpas (CPAS / CCAS), housing (public housing), province, epci, department, region, other."))
    ins_code: str | None = Field(None, description=_d("Code INS / NIS de la commune (Belgique, cinq chiffres).", "INS / NIS code of the municipality (Belgium, five digits)."))
    # --- national identifiers for open data (issue 26), checked by lint (F901) ---
    bce: str | None = Field(None, description=_d(
        "Numéro d'entreprise BCE / KBO (Belgique, dix chiffres : 0207.270.729).", "BCE / KBO enterprise number (Belgium, ten digits: 0207.270.729)."))
    insee_code: str | None = Field(None, description=_d(
        "Code INSEE (code officiel géographique) de la commune (France, cinq caractères : 69123, 2A004).",
        "INSEE code (official geographic code) of the municipality (France, five characters: 69123, 2A004)."))
    siren: str | None = Field(None, description=_d("Numéro SIREN (France, neuf chiffres).", "SIREN number (France, nine digits)."))
    siret: str | None = Field(None, description=_d(
        "Numéro SIRET de l'établissement qui porte les projets (France, quatorze chiffres).",
        "SIRET number of the establishment carrying the projects (France, fourteen digits)."))


class Term(_Model):
    start: _dt.date = Field(description=_d("Début de la législature.", "Start of the term."))
    end: _dt.date = Field(description=_d("Fin de la législature.", "End of the term."))


class Scale(_Model):
    min: Score = Field(1, description=_d("Note la plus basse.", "Lowest score."))
    max: Score = Field(5, description=_d("Note la plus haute.", "Highest score."))


class Settings(_Model):
    stale_after_days: Days1 = Field(180, description=_d("Action « non revue » après ce nombre de jours.", "An action is stale after this many days without review."))
    due_soon_days: Days = Field(30, description=_d("Fenêtre « bientôt à échéance », en jours.", "Window for 'due soon', in days."))
    rollup_weights: str = Field(
        "equal",
        pattern="^(equal|weight|budget)$",
        description=_d("Pondération de l'avancement des objectifs : equal, weight ou budget.", "How objective progress is weighted: equal, weight or budget."),
    )
    status_progress: dict[str, Percent] = Field(
        default_factory=lambda: {"not_started": 0, "done": 100},
        description=_d("Avancement déduit du statut quand rien d'autre ne le donne.", "Progress implied by a status when nothing else gives it."),
    )


class Weights(_Model):
    stake: Weight = Field(1.0, description=_d("Poids de l'enjeu.", "Weight of the stake."))
    urgency: Weight = Field(1.0, description=_d("Poids de l'urgence.", "Weight of the urgency."))
    roi: Weight = Field(1.0, description=_d("Poids du retour sur investissement.", "Weight of the return on investment."))


class PrioritySettings(_Model):
    method: str = Field("weighted", pattern="^(weighted|matrix|wsjf)$", description=_d(
        "Méthode de classement : weighted (somme pondérée), matrix (enjeu × urgence), wsjf (valeur / coût).",
        "Ranking method: weighted (weighted sum), matrix (stake x urgency), wsjf (value / cost)."))
    weights: Weights = Field(default_factory=Weights)
    derive_urgency: bool = Field(True, description=_d("Déduire l'urgence de l'échéance quand elle n'est pas notée.", "Derive urgency from the deadline when not scored."))
    urgency_days: list[Days] = Field(
        default_factory=lambda: [90, 180, 365, 730],
        description=_d("Seuils en jours avant l'échéance, du plus urgent au moins urgent.", "Days-to-deadline thresholds, most urgent first."))
    roi_ratios: list[Ratio] = Field(
        default_factory=lambda: [0.5, 1, 2, 4],
        description=_d("Seuils du rapport gain / coût pour déduire la note de retour.", "Gain / cost ratio thresholds to derive the ROI score."))


# --- transmission to the region (eComptes, issue 15) ------------------------------


class ProjetsTE(_Model):
    """How the plan is written in the French national schema of transition projects (feuille export --format projets-te)."""

    per: str = Field("action", pattern="^(action|objective)$", description=_d(
        "Un projet par action (action) ou par objectif du dernier niveau (objective).",
        "One project per action (action) or per objective of the last level (objective)."))
    programme: str | None = Field(None, min_length=1, max_length=200, description=_d(
        "Programme d'origine des projets (CRTE, Plan Canopée...), colonne « programme ».",
        "Programme the projects come from (CRTE...), column 'programme'."))


class Transmission(_Model):
    ecomptes: bool = Field(False, description=_d(
        "Le plan est transmis à la Région au format eComptes (PST wallon) : active les règles F7xx.",
        "The plan is transmitted to the region in the eComptes format (Walloon PST): turns on rules F7xx."))
    pst_id: str | None = Field(None, min_length=1, max_length=40, description=_d(
        "Identifiant du PST (IdPST, 40 caractères au plus) ; par défaut : type-début-fin (PST-2024-2030).",
        "PST identifier (IdPST, at most 40 characters); by default kind-start-end (PST-2024-2030)."))
    year: Year | None = Field(None, description=_d(
        "Exercice transmis ; par défaut l'année de la date de référence (--as-of).",
        "Budget year transmitted; by default the year of the reference date (--as-of)."))
    projets_te: ProjetsTE | None = Field(None, description=_d(
        "Export au schéma national des projets de transition écologique (France) : un projet par action ou par objectif, programme.",
        "Export to the French national schema of transition projects: one project per action or per objective, programme."))


class Defaults(_Model):
    fte: Fte | None = Field(None, description=_d(
        "ETP d'un élément qui n'en donne pas (par exemple 0 si la commune ne les suit pas).",
        "FTE of an item that gives none (e.g. 0 where the town does not track them)."))
    organisation: str | None = Field(None, description=_d(
        "Organisation (id) des objectifs qui n'en donnent pas, dans un plan commun Ville + CPAS.",
        "Organisation (id) of objectives that give none, in a joint City + CPAS plan."))


class PlanFile(_Model):
    """``plan.yaml``: the plan itself."""

    title: ShortText = Field(description=_d("Titre du plan.", "Title of the plan."))
    kind: str | None = Field(None, description=_d("Type de plan : DPC, PST, plan de management...", "Kind of plan: policy declaration, PST..."))
    organisations: list[Organisation] = Field(min_length=1, description=_d("Organisation(s) qui portent le plan (Ville, CPAS...).", "Organisation(s) carrying the plan."))
    term: Term = Field(description=_d("Législature couverte.", "Term covered."))
    locale: str = Field("fr-BE", pattern=r"^[a-z]{2}(-[A-Z]{2})?$", description=_d("Langue et pays : fr-BE, fr-FR, en-GB...", "Language and country."))
    currency: str = Field("EUR", pattern=r"^[A-Z]{3}$", description=_d("Devise (ISO 4217).", "Currency (ISO 4217)."))
    levels: list[ShortText] = Field(
        default_factory=lambda: ["Objectif stratégique", "Objectif opérationnel", "Action"],
        min_length=2,
        max_length=6,
        description=_d("Noms des niveaux, du plus haut à l'action.", "Names of the levels, from the top down to the action."),
    )
    scale: Scale = Field(default_factory=Scale, description=_d("Échelle des notes d'enjeu, d'urgence et de retour.", "Scale of stake, urgency and ROI scores."))
    settings: Settings = Field(default_factory=Settings)
    priorities: PrioritySettings = Field(default_factory=PrioritySettings, description=_d("Réglages de « feuille prioritise ».", "Settings of 'feuille prioritise'."))
    rules: dict[str, str] = Field(
        default_factory=dict,
        description=_d("Gravité par code de règle : error, warning, info ou off.", "Severity per rule code: error, warning, info or off."),
    )
    description: Text | None = None
    notes: Text | None = None
    licence: str | None = Field(None, min_length=1, max_length=100, description=_d(
        "Licence des données ouvertes (feuille export --format opendata) : etalab-2.0 (Licence Ouverte 2.0), CC-BY-4.0, CC0-1.0, ODbL-1.0.",
        "Licence of the open data (feuille export --format opendata): etalab-2.0 (Licence Ouverte 2.0), CC-BY-4.0, CC0-1.0, ODbL-1.0."))
    visibility: Visibility | None = Field(None, description=_d("Qui peut le voir (internal, council, public), ou champ par champ ; pour tout le plan, et les réglages par défaut des champs.", "Who may see it (internal, council, public), or per field; for the whole plan, and the fields' defaults."))
    # --- transmission to the region (eComptes, issue 15) ---
    transmission: Transmission | None = Field(None, description=_d(
        "Transmission du plan à la Région : « ecomptes: true » active les règles F7xx.",
        "Transmission of the plan to the region: 'ecomptes: true' turns on rules F7xx."))
    defaults: Defaults | None = Field(None, description=_d(
        "Valeurs par défaut choisies par la commune (comptées comme saisies ; l'export dit quand il les utilise).",
        "Defaults chosen by the town (counted as entered; the export says when it uses them)."))

    @property
    def depth(self) -> int:
        """Number of objective levels above the actions."""
        return len(self.levels) - 1


# --- people registry -------------------------------------------------------------


class Service(_Model):
    id: Id
    name: ShortText
    organisation: str | None = Field(None, description=_d("Organisation du service (id).", "Organisation of the service (id)."))
    head: PersonRef | None = Field(None, description=_d("Chef de service (id d'une personne).", "Head of service (a person's id)."))
    email: str | None = Field(None, description=_d("E-mail du service : internal par défaut.", "The service's e-mail: internal by default."))
    visibility: Visibility | None = Field(None, description=_d("Qui peut le voir (internal, council, public), ou champ par champ ; e-mail : internal par défaut.", "Who may see it (internal, council, public), or per field; e-mail: internal by default."))


class Person(_Model):
    id: Id
    first_name: ShortText = Field(description=_d("Prénom.", "First name."))
    last_name: ShortText = Field(description=_d("Nom.", "Last name."))
    civility: Civility | None = Field(None, description=_d("mr (Monsieur), mrs (Madame), mx.", "mr, mrs, mx."))
    role: Role = Field(description=_d("Fonction : mayor, alderman, director, head_of_service...", "Role: mayor, alderman, director, head_of_service..."))
    portfolio: str | None = Field(None, description=_d("Attributions (pour un mandataire).", "Portfolio (for an elected official)."))
    service: ServiceRef | None = Field(None, description=_d("Service (id).", "Service (id)."))
    organisation: str | None = Field(None, description=_d("Organisation (id).", "Organisation (id)."))
    email: str | None = Field(None, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    phone: str | None = None
    visibility: Visibility | None = Field(None, description=_d("Qui peut le voir (internal, council, public), ou champ par champ ; e-mail et téléphone : internal par défaut.", "Who may see it (internal, council, public), or per field; e-mail and phone: internal by default."))

    @property
    def political(self) -> bool:
        return self.role in POLITICAL_ROLES

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def short_name(self) -> str:
        return f"{self.first_name[:1]}. {self.last_name}"


class PeopleFile(_Model):
    """``people.yaml``: the people and services the plan refers to."""

    services: list[Service] = Field(default_factory=list)
    people: list[Person] = Field(default_factory=list)


# --- objectives and actions ------------------------------------------------------


class BudgetLine(_Model):
    amount: Money = Field(description=_d("Montant prévu.", "Planned amount."))
    year: Year = Field(description=_d("Exercice budgétaire.", "Budget year."))
    source: str | None = Field(None, description=_d("Source : fonds propres, région, fédéral, UE, subside...", "Funding source."))
    service: BudgetService = Field(BudgetService.ordinary, description=_d("Service ordinaire ou extraordinaire.", "Ordinary or extraordinary budget."))
    article: str | None = Field(None, description=_d("Article budgétaire.", "Budget article code."))
    spent: Money | None = Field(None, description=_d("Montant engagé ou dépensé, s'il est connu.", "Amount committed or spent, when known."))
    note: Text | None = None
    visibility: Visibility | None = Field(None, description=_d("Qui peut le voir (internal, council, public), ou champ par champ ; hérité du parent.", "Who may see it (internal, council, public), or per field; inherited from the parent."))
    # --- eComptes (issue 15) ---
    type: BudgetType | None = Field(None, description=_d("Recette (revenue) ou dépense (expense).", "Revenue or expense."))
    label: str | None = Field(None, min_length=1, max_length=255, description=_d("Libellé de l'article (255 caractères au plus).", "Label of the article (at most 255 characters)."))
    economic_group: str | None = Field(None, min_length=1, max_length=50, description=_d(
        "Groupe économique (projection pluriannuelle d'une ligne sans article).", "Economic group (multi-year projection of a line without article)."))


class Measurement(_Model):
    date: _dt.date
    value: Measure
    note: Text | None = None


class Indicator(_Model):
    label: ShortText = Field(description=_d("Ce qui est mesuré.", "What is measured."))
    unit: str | None = None
    baseline: Measure | None = Field(None, description=_d("Valeur de départ.", "Starting value."))
    target: Measure | None = Field(None, description=_d("Valeur visée.", "Target value."))
    target_date: _dt.date | None = None
    direction: Direction = Field(Direction.increase, description=_d("increase : plus c'est mieux ; decrease : moins c'est mieux.", "increase: more is better; decrease: less is better."))
    measurements: list[Measurement] = Field(default_factory=list, description=_d("Mesures datées.", "Dated measurements."))
    visibility: Visibility | None = Field(None, description=_d("Qui peut le voir (internal, council, public), ou champ par champ ; hérité du parent.", "Who may see it (internal, council, public), or per field; inherited from the parent."))


class Share(_Model):
    objective: ObjectiveRef = Field(description=_d("Objectif servi (id).", "Objective served (id)."))
    percent: Percent = Field(description=_d("Part du budget (%).", "Share of the budget (%)."))


class Reschedule(_Model):
    """A deadline moved (``feuille update --planned-end ... --reason ...``): when, from, to, and why."""

    model_config = ConfigDict(populate_by_name=True)

    date: _dt.date = Field(description=_d("Date du glissement.", "When the deadline was moved."))
    from_: _dt.date | None = Field(None, alias="from", description=_d("Échéance d'avant.", "Previous deadline."))
    to: _dt.date = Field(description=_d("Nouvelle échéance.", "New deadline."))
    reason: ShortText = Field(description=_d("Pourquoi l'échéance a glissé.", "Why the deadline moved."))


class _Item(_Model):
    """What objectives and actions share."""

    id: Id
    title: ShortText = Field(description=_d("Intitulé.", "Title."))
    description: Text | None = None
    political_owners: list[PersonRef] = Field(default_factory=list, description=_d("Responsable(s) politique(s) (ids).", "Political owner(s) (ids)."))
    admin_owner: PersonRef | None = Field(None, description=_d("Responsable administratif (id).", "Administrative owner (id)."))
    service: ServiceRef | None = Field(None, description=_d("Service pilote (id).", "Lead service (id)."))
    planned_start: _dt.date | None = Field(None, description=_d("Début prévu (AAAA-MM-JJ).", "Planned start (YYYY-MM-DD)."))
    planned_end: _dt.date | None = Field(None, description=_d("Fin prévue, échéance (AAAA-MM-JJ).", "Planned end, deadline (YYYY-MM-DD)."))
    reschedules: list[Reschedule] = Field(default_factory=list, description=_d("Glissements de l'échéance : {date, from, to, reason}.", "Deadline moves: {date, from, to, reason}."))
    stake: Score | None = Field(None, description=_d("Importance de l'enjeu.", "Importance of the stake."))
    urgency: Score | None = Field(None, description=_d("Degré d'urgence.", "Degree of urgency."))
    roi: Score | None = Field(None, description=_d("Retour sur investissement escompté.", "Expected return on investment."))
    priority: Rank | None = Field(None, description=_d("Rang de priorité retenu.", "Priority rank decided."))
    gain: Money | None = Field(None, description=_d("Gain estimé en argent (économies, recettes), pour déduire le retour.", "Estimated gain in money, to derive the ROI."))
    gain_score: Score | None = Field(None, description=_d("Gain estimé sur l'échelle du plan, pour déduire le retour.", "Estimated gain on the plan's scale, to derive the ROI."))
    weight: Weight | None = Field(None, description=_d("Poids dans l'avancement du parent.", "Weight in the parent's progress."))
    volet: Volet | None = Field(None, description=_d("Volet interne ou externe (PST).", "Internal or external part (PST)."))
    sdgs: list[Sdg] = Field(default_factory=list, description=_d("Objectifs de développement durable (1 à 17).", "Sustainable development goals (1-17)."))
    territories: list[str] = Field(default_factory=list, description=_d("Quartiers, sites, territoires.", "Neighbourhoods, sites, territories."))
    tags: list[str] = Field(default_factory=list, description=_d("Catégories libres.", "Free categories."))
    notes: Text | None = None
    visibility: Visibility | None = Field(None, description=_d("Qui peut le voir (internal, council, public), ou champ par champ ; hérité du parent.", "Who may see it (internal, council, public), or per field; inherited from the parent."))
    # --- eComptes (issue 15) ---
    organisation: str | None = Field(None, description=_d(
        "Organisation (id) : héritée de l'objectif parent, sinon de « defaults » ou de l'organisation unique du plan.",
        "Organisation (id): inherited from the parent objective, else from 'defaults' or the plan's only organisation."))
    fte: Fte | None = Field(None, description=_d("Équivalents temps plein (ETP) consacrés.", "Full-time equivalents (FTE) assigned."))
    plans: list[str] = Field(default_factory=list, description=_d(
        "Autres plans auxquels l'élément appartient (PCDR, plan climat...).", "Other plans the item belongs to (rural development, climate plan...)."))


class Action(_Item):
    involved: list[PersonRef] = Field(default_factory=list, description=_d("Autres personnes impliquées, intervenants politiques (ids).", "Other people involved (ids)."))
    partners: list[str] = Field(default_factory=list, description=_d("Partenaires (texte libre).", "Partners (free text)."))
    actual_start: _dt.date | None = Field(None, description=_d("Début effectif.", "Actual start."))
    actual_end: _dt.date | None = Field(None, description=_d("Fin effective.", "Actual end."))
    status: Status = Field(Status.not_started, description=_d("not_started, ongoing, on_hold, done, cancelled.", "not_started, ongoing, on_hold, done, cancelled."))
    progress: Percent | None = Field(None, description=_d("Avancement en % (0 à 100).", "Progress in % (0-100)."))
    achieved: Text | None = Field(None, description=_d("État des réalisations.", "What has been achieved."))
    remaining: Text | None = Field(None, description=_d("Ce qu'il reste à faire.", "What remains to be done."))
    health: Health = Field(Health.good, description=_d("good, at_risk, blocked, paused.", "good, at_risk, blocked, paused."))
    health_note: Text | None = Field(None, description=_d("Explication quand la santé n'est pas « good ».", "Explanation when health is not good."))
    budget: list[BudgetLine] = Field(default_factory=list, description=_d("Lignes budgétaires.", "Budget lines."))
    indicators: list[Indicator] = Field(default_factory=list, description=_d("Indicateurs de résultat.", "Result indicators."))
    serves: list[Share] = Field(
        default_factory=list,
        description=_d(
            "Objectifs servis, parent compris, avec la répartition du budget (somme = 100).",
            "Objectives served, parent included, with the budget split (sum = 100).",
        ),
    )
    last_reviewed: _dt.date | None = Field(None, description=_d("Date de dernière mise à jour.", "Date last reviewed."))


class Objective(_Item):
    objectives: list[Objective] = Field(default_factory=list, description=_d("Sous-objectifs.", "Sub-objectives."))
    actions: list[Action] = Field(default_factory=list, description=_d("Actions.", "Actions."))
    partners: list[str] = Field(default_factory=list, description=_d("Partenaires (texte libre).", "Partners (free text)."))


Objective.model_rebuild()

#: Field names by model, used for "did you mean" hints.
FILE_MODELS: dict[str, type[_Model]] = {
    "plan": PlanFile,
    "people": PeopleFile,
    "objective": Objective,
    "action": Action,
}


def json_schemas() -> dict[str, dict[str, Any]]:
    """The JSON Schema (draft 2020-12) of each kind of file, keyed by kind."""
    out = {}
    for kind, model in FILE_MODELS.items():
        schema = model.model_json_schema()
        schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": f"feuille-{kind}.schema.json", **schema}
        out[kind] = schema
    return out
