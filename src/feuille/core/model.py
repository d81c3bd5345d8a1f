"""The plan's data model: what each YAML file may contain, and what feuille knows about each field.

Keys are English.  Each field declares, next to its type, its metadata for the field registry
(``json_schema_extra=Meta(...)``, :mod:`feuille.core.fields`): its help (the JSON Schema's
description, in French and English, shown by editors through ``feuille schema``), its name in
sentences and titles, the other names people give it, its place in files, in ``show``, in ``diff``
and in the spreadsheet; each enum declares the words of its values (:func:`enum_words`).  Every
text is a catalogue message id: the French is in ``locale/fr/LC_MESSAGES/feuille.po``.  The model
only checks the shape of each file; rules that span files live in :mod:`feuille.checks.rules`.
"""



import datetime as _dt
from decimal import Decimal
from enum import Enum
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema, model_validator

from feuille.core.bounds import MAX_DAYS, MAX_YEAR, MIN_YEAR, Bound
from feuille.core.fields import Column, Meta, Reading, Word, enum_words, words_of
from feuille.core.i18n import N_, NC_, Msg, Number, msg

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


class FieldsSet(set[str]):
    """The names of the fields a file set on a model (pydantic's ``__pydantic_fields_set__``), one object shared by
    every model that set the same ones (:func:`shared_fields`): read-only.

    A set per model cost 0.7-2.3 KB each, 3.1 KB per action of a plan, for a few dozen distinct sets in a whole plan.
    Assigning a field (``model.x = v``) first gives the model a set of its own (:meth:`_Model.__setattr__`); a copy
    (``__copy__``, ``model_copy``) has a plain set; pickled, it is a plain set.  Anything else that would change it
    fails loudly instead of changing every model that shares it."""

    __slots__ = ()

    def _read_only(self, *args: Any, **kwargs: Any) -> Any:
        raise TypeError("a shared set of field names is read-only (feuille.core.model.FieldsSet)")

    add = discard = remove = pop = clear = update = _read_only
    difference_update = intersection_update = symmetric_difference_update = _read_only
    __ior__ = __iand__ = __isub__ = __ixor__ = _read_only

    def __copy__(self) -> set[str]:
        return set(self)

    def __deepcopy__(self, memo: Any) -> set[str]:
        return set(self)

    def __reduce__(self) -> Any:
        return set, (list(self),)


_FIELDS_SETS: dict[frozenset[str], FieldsSet] = {}


def shared_fields(names: frozenset[str]) -> FieldsSet:
    """The one :class:`FieldsSet` of ``names`` in this process (made at the first call; the sets of a plan are a few dozen)."""
    found = _FIELDS_SETS.get(names)
    if found is None:
        found = _FIELDS_SETS[names] = FieldsSet(names)
    return found


class EmptyList(list[Any]):
    """The one empty list (:data:`EMPTY`) that the list fields of models read back built share (io/built.py): read-only.

    An action holds about ten empty lists (territories, plans, indicators, sub-actions...), 56 bytes each.  Code builds
    a new list to change a field (the write service, ``model_copy(update=...)``); adding to this one fails loudly
    instead of changing every model that shares it.  Copied, it is a new plain list; pickled, an empty list."""

    __slots__ = ()

    def _read_only(self, *args: Any, **kwargs: Any) -> Any:
        raise TypeError("a shared empty list is read-only (feuille.core.model.EMPTY)")

    append = extend = insert = __setitem__ = __iadd__ = __imul__ = _read_only

    def __copy__(self) -> list[Any]:
        return []

    def __deepcopy__(self, memo: Any) -> list[Any]:
        return []

    def __reduce__(self) -> Any:
        return list, ()


#: The empty list shared by the models read back built (:class:`EmptyList`).
EMPTY = EmptyList()


class _Model(BaseModel):
    # defer_build: pydantic builds a model's validator the first time it validates, not on import
    # (building all of them took ~60 ms of every start-up, also when the answer comes from the cache,
    # whose items need no validation).  Its fields are complete on import all the same, because no
    # model names one declared below it: the audience filter and the field registry read them.
    model_config = ConfigDict(
        extra="forbid",
        coerce_numbers_to_str=True,
        str_strip_whitespace=True,
        validate_default=False,
        use_enum_values=False,
        defer_build=True,
    )

    def __setattr__(self, name: str, value: Any) -> None:
        # a model read back built (io/built.py) shares its set of field names with others: pydantic adds the name to it
        if type(self.__pydantic_fields_set__) is FieldsSet:
            object.__setattr__(self, "__pydantic_fields_set__", set(self.__pydantic_fields_set__))
        super().__setattr__(name, value)


class Status(str, Enum):
    """Where an action stands (eComptes: NON_COMMENCE, EN_COURS, EN_ATTENTE, TERMINE, ANNULE_ABANDONNE)."""

    not_started = "not_started"
    ongoing = "ongoing"
    on_hold = "on_hold"
    done = "done"
    cancelled = "cancelled"


enum_words(
    Status,
    not_started=Word(NC_("status", "not started"), NC_("sheet", "Not started"), (
        "non commencé", "non commencée", "pas commencé", "pas encore commencé", "à faire", "à venir", "prévu", "en création", "à agender",
        "à programmer", "to do", "planned", "to come", "not yet started")),
    ongoing=Word(NC_("status", "ongoing"), NC_("sheet", "Ongoing"), (
        "en cours", "démarré", "commencé", "en exécution", "in progress", "started", "under way", "underway")),
    on_hold=Word(NC_("status", "on hold"), NC_("sheet", "On hold"), ("en attente", "suspendu", "suspendue", "gelé", "suspended", "waiting")),
    done=Word(NC_("status", "done"), NC_("sheet", "Done"), (
        "terminé", "terminée", "fini", "finie", "réalisé", "réalisée", "fait", "faite", "finalisé", "finalisée", "achevé", "achevée",
        "clôturé", "clôturée", "clos", "close", "completed", "complete", "finished", "closed")),
    cancelled=Word(NC_("status", "cancelled"), NC_("sheet", "Cancelled"), (
        "annulé", "annulée", "abandonné", "abandonnée", "supprimé", "supprimée", "canceled", "abandoned", "dropped")),
    # statuses of other tools that say more than a status (read from their spreadsheets)
    readings=(
        Reading(("En retard", "Late", "Delayed", "Behind schedule"), "ongoing", (("health", "at_risk"),), msg("marked 'late' in the sheet")),
        Reading(("À discuter", "A discuter", "To be discussed"), "not_started", (), msg("'to be discussed' according to the sheet")),
        Reading(("En pause", "Paused"), "on_hold", (("health", "paused"),)),
        Reading(("Reporté", "Reportée", "Postponed", "Deferred"), "on_hold", (), msg("postponed according to the sheet")),
        Reading(("Bloqué", "Bloquée", "Blocked"), "on_hold", (("health", "blocked"),)),
    ),
)

class Health(str, Enum):
    """How an action is going (iA.PST's health; eComptes PROBLEME is ``blocked``)."""

    good = "good"
    at_risk = "at_risk"
    blocked = "blocked"
    paused = "paused"


enum_words(
    Health,
    good=Word(NC_("health", "good"), NC_("sheet", "Good"), ("bon", "bonne", "ok", "vert", "green")),
    at_risk=Word(NC_("health", "at risk"), NC_("sheet", "At risk"), ("risque", "à risque", "orange", "attention", "amber")),
    blocked=Word(NC_("health", "blocked"), NC_("sheet", "Blocked"), ("bloqué", "bloquée", "blocage", "rouge", "red")),
    paused=Word(NC_("health", "paused"), NC_("sheet", "Paused"), ("en pause", "pause")),
)

class Volet(str, Enum):
    internal = "internal"
    external = "external"


enum_words(Volet, internal=Word(NC_("volet", "internal"), aka=("interne",)), external=Word(NC_("volet", "external"), aka=("externe",)))


class PriorityLevel(str, Enum):
    """A priority level as plans write it (Territoires en Transitions' « Élevé », « Moyen », « Bas »): kept as a word,
    never mixed with the priority rank (``priority``) nor with the stake score (docs/format.md)."""

    high = "high"
    medium = "medium"
    low = "low"


enum_words(PriorityLevel, high=Word(NC_("priority level", "high"), NC_("sheet", "High"), ("élevé", "élevée", "haute", "haut", "forte", "fort", "prioritaire")),
           medium=Word(NC_("priority level", "medium"), NC_("sheet", "Medium"), ("moyen", "moyenne", "normale", "normal")),
           low=Word(NC_("priority level", "low"), NC_("sheet", "Low"), ("bas", "basse", "faible")))


class Direction(str, Enum):
    increase = "increase"
    decrease = "decrease"
    range = "range"  # stay within a range (``range: {min, max}``)


class Frequency(str, Enum):
    """How often an indicator is measured: a measurement is due one period after the last one."""

    weekly = "weekly"
    monthly = "monthly"
    quarterly = "quarterly"
    half_yearly = "half_yearly"
    yearly = "yearly"


enum_words(Direction, increase=Word(NC_("direction", "increase"), aka=("hausse",)), decrease=Word(NC_("direction", "decrease"), aka=("baisse",)),
           range=Word(NC_("direction", "stay within a range"), aka=("fourchette", "intervalle")))
enum_words(Frequency, weekly=Word(NC_("frequency", "weekly"), aka=("hebdomadaire",)), monthly=Word(NC_("frequency", "monthly"), aka=("mensuelle", "mensuel")),
           quarterly=Word(NC_("frequency", "quarterly"), aka=("trimestrielle", "trimestriel")),
           half_yearly=Word(NC_("frequency", "half-yearly"), aka=("semestrielle", "semestriel")),
           yearly=Word(NC_("frequency", "yearly"), aka=("annuelle", "annuel")))


class BudgetService(str, Enum):
    ordinary = "ordinary"
    extraordinary = "extraordinary"


enum_words(BudgetService, ordinary=Word(NC_("budget service", "ordinary"), aka=("ordinaire",)),
           extraordinary=Word(NC_("budget service", "extraordinary"), aka=("extraordinaire",)))


class Audience(str, Enum):
    """Who may see an item or a field, from the narrowest to the widest audience."""

    internal = "internal"  # the administration
    council = "council"  # elected officials (college, council) and the administration
    public = "public"  # everyone: the citizens' site, open data


enum_words(Audience, internal=Word(NC_("audience", "the administration"), aka=("administration", "interne")),
           council=Word(NC_("audience", "the elected members"), aka=("conseil", "collège", "college", "élus")),
           public=Word(NC_("audience", "everyone"), aka=("publique", "tous", "public")))


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


enum_words(BudgetType, revenue=Word(NC_("budget type", "revenue"), aka=("recette", "recettes")),
           expense=Word(NC_("budget type", "expense"), aka=("dépense", "dépenses")))


class Civility(str, Enum):
    mr = "mr"
    mrs = "mrs"
    mx = "mx"


enum_words(Civility, mr=Word(NC_("civility", "Mr"), aka=("monsieur", "m.")), mrs=Word(NC_("civility", "Mrs"), aka=("madame", "mme")),
           mx=Word(NC_("civility", "Mx")))


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


def _role(neutral: str, mr: str, mrs: str, aka: tuple[str, ...] = ()) -> Word:
    """A role's words: the neutral one (« Direction générale »: a person whose civility is unknown or ``mx``) and
    those that agree with ``mr`` and ``mrs`` (« Directeur général », « Directrice générale »): same English msgid,
    msgctxt ``role``, ``role mr``, ``role mrs``.  :meth:`Person.role_word` chooses."""
    return Word(neutral, aka=aka, forms=(("mr", mr), ("mrs", mrs)))


enum_words(
    Role,
    mayor=_role(NC_("role", "Mayor"), NC_("role mr", "Mayor"), NC_("role mrs", "Mayor"), aka=("bourgmestre", "maire")),
    alderman=_role(NC_("role", "Alderman"), NC_("role mr", "Alderman"), NC_("role mrs", "Alderman"), aka=("échevin", "échevine")),
    cpas_president=_role(NC_("role", "CPAS president"), NC_("role mr", "CPAS president"), NC_("role mrs", "CPAS president")),
    councillor=_role(NC_("role", "Councillor"), NC_("role mr", "Councillor"), NC_("role mrs", "Councillor")),
    director_general=_role(NC_("role", "Director general"), NC_("role mr", "Director general"), NC_("role mrs", "Director general")),
    financial_director=_role(NC_("role", "Financial director"), NC_("role mr", "Financial director"), NC_("role mrs", "Financial director")),
    director=_role(NC_("role", "Director"), NC_("role mr", "Director"), NC_("role mrs", "Director"), aka=("directeur", "directrice")),
    head_of_service=_role(NC_("role", "Head of service"), NC_("role mr", "Head of service"), NC_("role mrs", "Head of service"), aka=("chef de service", "cheffe de service")),
    officer=_role(NC_("role", "Officer"), NC_("role mr", "Officer"), NC_("role mrs", "Officer"), aka=("agent", "agente")),
    other=Word(NC_("role", "Other")),
)

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


enum_words(OrgType, municipality=Word(NC_("organisation type", "municipality"), aka=("commune", "ville")),
           cpas=Word(NC_("organisation type", "CPAS"), aka=("ccas",)), housing=Word(NC_("organisation type", "public housing")),
           province=Word(NC_("organisation type", "province")), epci=Word(NC_("organisation type", "EPCI")),
           department=Word(NC_("organisation type", "department")), region=Word(NC_("organisation type", "region")),
           other=Word(NC_("organisation type", "other")))


# --- plan file -----------------------------------------------------------------


class Organisation(_Model):
    id: Id
    name: ShortText = Field(json_schema_extra=Meta(label=NC_("field-name", "name"), help=N_("Official name.")))
    type: OrgType = Field(OrgType.municipality, json_schema_extra=Meta(label=NC_("field-name", "type"), help=N_(
        "municipality, cpas (CPAS / CCAS), housing (public housing), province, epci, department, region, other.")))
    ins_code: str | None = Field(None, json_schema_extra=Meta(label=NC_("field-name", "INS code"), help=N_("INS / NIS code of the municipality (Belgium, five digits).")))
    # --- national identifiers for open data (issue 26), checked by lint (F901) ---
    bce: str | None = Field(None, json_schema_extra=Meta(label=NC_("field-name", "BCE number"), help=N_("BCE / KBO enterprise number (Belgium, ten digits: 0207.270.729).")))
    insee_code: str | None = Field(None, json_schema_extra=Meta(label=NC_("field-name", "INSEE code"), help=N_("INSEE code (official geographic code) of the municipality (France, five characters: 69123, 2A004).")))
    siren: str | None = Field(None, json_schema_extra=Meta(label=NC_("field-name", "SIREN number"), help=N_("SIREN number (France, nine digits).")))
    siret: str | None = Field(None, json_schema_extra=Meta(label=NC_("field-name", "SIRET number"), help=N_("SIRET number of the establishment carrying the projects (France, fourteen digits).")))


class Term(_Model):
    start: _dt.date = Field(json_schema_extra=Meta(label=NC_("field-name", "start"), help=N_("Start of the term.")))
    end: _dt.date = Field(json_schema_extra=Meta(label=NC_("field-name", "end"), help=N_("End of the term.")))


class Scale(_Model):
    min: Score = Field(1, json_schema_extra=Meta(label=NC_("field-name", "minimum"), help=N_("Lowest score.")))
    max: Score = Field(5, json_schema_extra=Meta(label=NC_("field-name", "maximum"), help=N_("Highest score.")))



def _status_progress() -> dict[str, float]:
    return {"not_started": 0, "done": 100}

class Settings(_Model):
    stale_after_days: Days1 = Field(180, json_schema_extra=Meta(label=NC_("field-name", "days before an action is stale"), help=N_("An action is stale after this many days without review.")))
    due_soon_days: Days = Field(30, json_schema_extra=Meta(label=NC_("field-name", "days for « due soon »"), help=N_("Window for 'due soon', in days.")))
    rollup_weights: str = Field(
        "equal",
        pattern="^(equal|weight|budget)$",
        json_schema_extra=Meta(label=NC_("field-name", "weighting of objectives"), help=N_("How objective progress is weighted: equal, weight or budget.")),
    )
    status_progress: dict[str, Percent] = Field(
        default_factory=_status_progress,
        json_schema_extra=Meta(label=NC_("field-name", "progress by status"), help=N_("Progress implied by a status when nothing else gives it.")),
    )
    actions_at: str = Field(
        "last",
        pattern="^(last|any)$",
        json_schema_extra=Meta(label=NC_("field-name", "place of the actions"), help=N_("Where actions may sit: last (under the last objective level only) or any (under an objective of any level: axes of uneven depth)."),
                               aka=("actions à", "niveau des actions")))
    indicators_in_progress: bool = Field(False, json_schema_extra=Meta(label=NC_("field-name", "indicators in the progress"), 
        help=N_("Count an objective's indicators in its progress, as one more child (off by default; docs/rollup.md).")))


class Weights(_Model):
    stake: Weight = Field(1.0, json_schema_extra=Meta(label=NC_("field-name", "stake"), help=N_("Weight of the stake.")))
    urgency: Weight = Field(1.0, json_schema_extra=Meta(label=NC_("field-name", "urgency"), help=N_("Weight of the urgency.")))
    roi: Weight = Field(1.0, json_schema_extra=Meta(label=NC_("field-name", "return"), help=N_("Weight of the return on investment.")))


class PrioritySettings(_Model):
    method: str = Field("weighted", pattern="^(weighted|matrix|wsjf)$", json_schema_extra=Meta(label=NC_("field-name", "ranking method"), help=N_("Ranking method: weighted (weighted sum), matrix (stake x urgency), wsjf (value / cost)."), aka=("méthode",)))
    weights: Weights = Field(default_factory=Weights)
    derive_urgency: bool = Field(True, json_schema_extra=Meta(label=NC_("field-name", "urgency from the deadline"), help=N_("Derive urgency from the deadline when not scored.")))
    urgency_days: list[Days] = Field(
        default_factory=lambda: [90, 180, 365, 730],
        json_schema_extra=Meta(label=NC_("field-name", "urgency thresholds"), help=N_("Days-to-deadline thresholds, most urgent first.")))
    roi_ratios: list[Ratio] = Field(
        default_factory=lambda: [0.5, 1, 2, 4],
        json_schema_extra=Meta(label=NC_("field-name", "return thresholds"), help=N_("Gain / cost ratio thresholds to derive the ROI score.")))


# --- transmission to the region (eComptes, issue 15) ------------------------------


class ProjetsTE(_Model):
    """How the plan is written in the French national schema of transition projects (feuille export --format projets-te)."""

    per: str = Field("action", pattern="^(action|objective)$", json_schema_extra=Meta(label=NC_("field-name", "one project per"), help=N_(
        "One project per action (action) or per objective of the last level (objective).")))
    programme: str | None = Field(None, min_length=1, max_length=200, json_schema_extra=Meta(label=NC_("field-name", "programme"), help=N_(
        "Programme the projects come from (CRTE, Plan Canopée...), column 'programme'.")))


class Transmission(_Model):
    ecomptes: bool = Field(False, json_schema_extra=Meta(label=NC_("field-name", "transmission to eComptes"), help=N_("The plan is transmitted to the region in the eComptes format (Walloon PST): turns on rules F7xx.")))
    pst_id: str | None = Field(None, min_length=1, max_length=40, json_schema_extra=Meta(label=NC_("field-name", "PST identifier"), help=N_("PST identifier (IdPST, at most 40 characters); by default kind-start-end (PST-2024-2030).")))
    year: Year | None = Field(None, json_schema_extra=Meta(label=NC_("field-name", "financial year"), help=N_("Budget year transmitted; by default the year of the reference date (--as-of).")))
    projets_te: ProjetsTE | None = Field(None, json_schema_extra=Meta(label=NC_("field-name", "Projets TE export"), help=N_(
        "Export to the French national schema of transition projects: one project per action or per objective, programme.")))


class Defaults(_Model):
    fte: Fte | None = Field(None, json_schema_extra=Meta(label=NC_("field-name", "full-time equivalents"), help=N_("FTE of an item that gives none (e.g. 0 where the town does not track them).")))
    organisation: str | None = Field(None, json_schema_extra=Meta(label=NC_("field-name", "organisation"), help=N_("Organisation (id) of objectives that give none, in a joint City + CPAS plan.")))


# --- people registry -------------------------------------------------------------


class Service(_Model):
    id: Id
    name: ShortText
    organisation: str | None = Field(None, json_schema_extra=Meta(label=NC_("field-name", "organisation"), help=N_("Organisation of the service (id).")))
    head: PersonRef | None = Field(None, json_schema_extra=Meta(label=NC_("field-name", "head of the service"), help=N_("Head of service (a person's id).")))
    email: str | None = Field(None, json_schema_extra=Meta(label=NC_("field-name", "e-mail"), help=N_("The service's e-mail: internal by default.")))
    visibility: Visibility | None = Field(None, json_schema_extra=Meta(label=NC_("field-name", "visibility"), help=N_("Who may see it (internal, council, public), or per field; e-mail: internal by default.")))


class Person(_Model):
    id: Id
    first_name: ShortText = Field(json_schema_extra=Meta(label=NC_("field-name", "first name"), help=N_("First name."), aka=("prénom",)))
    last_name: ShortText = Field(json_schema_extra=Meta(label=NC_("field-name", "last name"), help=N_("Last name."), aka=("nom",)))
    civility: Civility | None = Field(None, json_schema_extra=Meta(label=NC_("field-name", "civility"), help=N_("mr, mrs, mx."), aka=("civilité",)))
    role: Role = Field(json_schema_extra=Meta(label=NC_("field-name", "role"), help=N_("Role: mayor, alderman, director, head_of_service..."), aka=("fonction",)))
    portfolio: str | None = Field(None, json_schema_extra=Meta(label=NC_("field-name", "portfolio"), help=N_("Portfolio (for an elected official).")))
    service: ServiceRef | None = Field(None, json_schema_extra=Meta(label=NC_("field-name", "service"), help=N_("Service (id).")))
    organisation: str | None = Field(None, json_schema_extra=Meta(label=NC_("field-name", "organisation"), help=N_("Organisation (id).")))
    email: str | None = Field(None, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$", json_schema_extra=Meta(label=NC_("field-name", "e-mail"), aka=("courriel",)))
    phone: str | None = Field(None, json_schema_extra=Meta(label=NC_("field-name", "phone"), aka=("téléphone",)))
    visibility: Visibility | None = Field(None, json_schema_extra=Meta(label=NC_("field-name", "visibility"), help=N_("Who may see it (internal, council, public), or per field; e-mail and phone: internal by default.")))

    @property
    def political(self) -> bool:
        return self.role in POLITICAL_ROLES

    def role_word(self, lang: str) -> str:
        """Their role, agreeing with their civility (« Échevine », « Directeur général »); a neutral word when
        the civility is unknown or ``mx`` (« Échevinat », « Direction générale »).  The one place that writes a
        person's role: ``show``, ``status``, the site, the reports and the sheet read it."""
        return words_of(Role).word(self.role, lang, self.civility)

    def role_msg(self) -> "RoleWord":
        """:meth:`role_word` in a message whose language is not known yet (a lint rule's)."""
        return RoleWord(self.role, self.civility)

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def short_name(self) -> str:
        return f"{self.first_name[:1]}. {self.last_name}"


class RoleWord(Msg):
    """A person's role in a :class:`Msg` (a diagnostic's argument): :meth:`Person.role_word` in the reader's language."""

    __slots__ = ("role", "civility")

    def __init__(self, role: Role, civility: Civility | None) -> None:
        super().__init__(role.value)
        self.role, self.civility = role, civility

    def __call__(self, lang: str | None) -> str:
        return words_of(Role).word(self.role, lang or "fr", self.civility)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, RoleWord) and (self.role, self.civility) == (other.role, other.civility)

    __hash__ = Msg.__hash__


class PeopleFile(_Model):
    """``people.yaml``: the people and services the plan refers to."""

    services: list[Service] = Field(default_factory=list)
    people: list[Person] = Field(default_factory=list)


# --- objectives and actions ------------------------------------------------------


class Funding(_Model):
    """A funder's share of a budget line (``funders: [{name, amount}]``): a subsidy of the Region, the State, the EU..."""

    name: ShortText = Field(json_schema_extra=Meta(help=N_("Who funds it: Région wallonne, FEDER, own funds..."), label=NC_("field-name", "funder"),
                                                   aka=("nom", "financeur")))
    amount: Money = Field(json_schema_extra=Meta(help=N_("Amount this funder gives."), label=NC_("field-name", "amount"), aka=("montant",)))


class BudgetLine(_Model):
    amount: Money = Field(json_schema_extra=Meta(label=NC_("field-name", "amount"), help=N_("Planned amount."), aka=("montant",)))
    year: Year = Field(json_schema_extra=Meta(label=NC_("field-name", "year"), help=N_("Budget year."), aka=("année", "exercice")))
    source: str | None = Field(None, json_schema_extra=Meta(label=NC_("field-name", "source"), help=N_("Funding source.")))
    service: BudgetService = Field(BudgetService.ordinary, json_schema_extra=Meta(label=NC_("field-name", "budget service"), help=N_("Ordinary or extraordinary budget.")))
    article: str | None = Field(None, json_schema_extra=Meta(label=NC_("field-name", "article"), help=N_("Budget article code.")))
    spent: Money | None = Field(None, json_schema_extra=Meta(label=NC_("field-name", "amount spent"), help=N_("Amount committed or spent, when known.")))
    note: Text | None = None
    visibility: Visibility | None = Field(None, json_schema_extra=Meta(label=NC_("field-name", "visibility"), help=N_("Who may see it (internal, council, public), or per field; inherited from the parent.")))
    # --- eComptes (issue 15) ---
    type: BudgetType | None = Field(None, json_schema_extra=Meta(help=N_("Revenue or expense."), label=NC_("field-name", "type")))
    label: str | None = Field(None, min_length=1, max_length=255, json_schema_extra=Meta(label=NC_("field-name", "line label"), help=N_("Label of the article (at most 255 characters).")))
    economic_group: str | None = Field(None, min_length=1, max_length=50, json_schema_extra=Meta(label=NC_("field-name", "economic group"), help=N_("Economic group (multi-year projection of a line without article).")))
    # --- funding (issue 22) ---
    funder: str | None = Field(None, min_length=1, max_length=500, json_schema_extra=Meta(
        help=N_("Who pays the whole line: for a revenue (a subsidy), its funder (Région wallonne, FEDER...)."), label=NC_("field-name", "funder"),
        aka=("financeur", "subside de"), show="facts"))
    funders: list[Funding] = Field(default_factory=list, json_schema_extra=Meta(
        help=N_("The funders of the line and their amounts: [{name, amount}]."), label=NC_("field-name", "funders"), aka=("financeurs", "financements"),
        show="facts"))


class Measurement(_Model):
    date: _dt.date = Field(json_schema_extra=Meta(label=NC_("field-name", "date"), help=N_("Date of the measurement (the date the value refers to).")))
    value: Measure = Field(json_schema_extra=Meta(label=NC_("field-name", "value"), help=N_("Value measured.")))
    note: Text | None = None
    entered_by: str | None = Field(None, min_length=1, max_length=200, json_schema_extra=Meta(
        help=N_("Who entered the measurement (personal data: internal by default)."), label=NC_("field-name", "entered by"), aka=("saisi par",)))


class Range(_Model):
    """The range an indicator must stay within (``direction: range``); one bound may be left out."""

    min: Measure | None = Field(None, json_schema_extra=Meta(label=NC_("field-name", "minimum"), help=N_("Lower bound."), aka=("minimum", "borne basse")))
    max: Measure | None = Field(None, json_schema_extra=Meta(label=NC_("field-name", "maximum"), help=N_("Upper bound."), aka=("maximum", "borne haute")))


class Indicator(_Model):
    id: Id | None = Field(None, json_schema_extra=Meta(
        help=N_("Identifier of the indicator, unique in the plan: for 'feuille measure' and 'linked_indicators'."), label=NC_("field-name", "id")))
    label: ShortText = Field(json_schema_extra=Meta(label=NC_("field-name", "label"), help=N_("What is measured.")))
    unit: str | None = None
    baseline: Measure | None = Field(None, json_schema_extra=Meta(label=NC_("field-name", "baseline"), help=N_("Starting value."), aka=("base",)))
    baseline_date: _dt.date | None = Field(None, json_schema_extra=Meta(
        help=N_("Date of the starting value."), label=NC_("field-name", "baseline date"), aka=("date de départ", "date de référence")))
    target: Measure | None = Field(None, json_schema_extra=Meta(label=NC_("field-name", "target"), help=N_("Target value."), aka=("cible", "valeur cible")))
    target_date: _dt.date | None = None
    milestones: dict[Year, Measure] = Field(default_factory=dict, json_schema_extra=Meta(
        help=N_("Yearly milestones of the trajectory: {2026: 8.6, 2027: 8.0} (value aimed at on 31 December of the year)."),
        label=NC_("field-name", "yearly milestones"), aka=("jalons", "cibles annuelles", "trajectoire")))
    direction: Direction = Field(Direction.increase, json_schema_extra=Meta(label=NC_("field-name", "direction"), help=N_("increase: more is better; decrease: less is better; range: stay within 'range'."),
                                                                            aka=("sens",)))
    range: Range | None = Field(None, json_schema_extra=Meta(
        help=N_("Range to stay within (direction: range): {min, max}."), label=NC_("field-name", "range"), aka=("fourchette",)))
    source: str | None = Field(None, min_length=1, max_length=500, json_schema_extra=Meta(
        help=N_("Where the measurement comes from (service, database, survey)."), label=NC_("field-name", "source")))
    owner: PersonRef | None = Field(None, json_schema_extra=Meta(
        help=N_("Who measures it (a person's id)."), label=NC_("field-name", "measured by"), kind="person", aka=("mesuré par", "responsable de la mesure")))
    frequency: Frequency | None = Field(None, json_schema_extra=Meta(
        help=N_("How often it is measured: weekly, monthly, quarterly, half_yearly, yearly."), label=NC_("field-name", "frequency"),
        aka=("fréquence", "périodicité")))
    measurements: list[Measurement] = Field(default_factory=list, json_schema_extra=Meta(label=NC_("field-name", "measurements"), help=N_("Dated measurements."), aka=("mesures",)))
    visibility: Visibility | None = Field(None, json_schema_extra=Meta(label=NC_("field-name", "visibility"), help=N_("Who may see it (internal, council, public), or per field; inherited from the parent.")))


class DeclaredProgress(_Model):
    """A progress declared for an objective or a strand itself (eComptes' TauxAvancement of an objective without actions):
    shown « déclaré le … », used only when nothing below it has a progress (docs/rollup.md)."""

    value: Percent = Field(json_schema_extra=Meta(help=N_("Progress in % (0-100)."), label=NC_("field-name", "progress"), kind="percent", aka=("valeur", "taux")))
    date: _dt.date = Field(json_schema_extra=Meta(help=N_("When it was declared (YYYY-MM-DD): it counts from that day."), label=NC_("field-name", "date"),
                                                  aka=("le", "déclaré le")))
    source: str | None = Field(None, min_length=1, max_length=500, json_schema_extra=Meta(
        help=N_("Who or what declared it (the service, a report to the college, eComptes...)."), label=NC_("field-name", "source"), aka=("par", "déclaré par")))


class Share(_Model):
    objective: ObjectiveRef = Field(json_schema_extra=Meta(label=NC_("field-name", "objective"), help=N_("Objective served (id).")))
    percent: Percent = Field(json_schema_extra=Meta(label=NC_("field-name", "percentage"), help=N_("Share of the budget (%).")))


class Reschedule(_Model):
    """A deadline moved (``feuille update --planned-end ... --reason ...``): when, from, to, and why."""

    model_config = ConfigDict(populate_by_name=True)

    date: _dt.date = Field(json_schema_extra=Meta(label=NC_("field-name", "date"), help=N_("When the deadline was moved.")))
    from_: _dt.date | None = Field(None, alias="from", json_schema_extra=Meta(label=NC_("field-name", "former deadline"), help=N_("Previous deadline.")))
    to: _dt.date = Field(json_schema_extra=Meta(label=NC_("field-name", "new deadline"), help=N_("New deadline.")))
    reason: ShortText = Field(json_schema_extra=Meta(label=NC_("field-name", "reason"), help=N_("Why the deadline moved.")))


class _Item(_Model):
    """What objectives and actions share."""

    id: Id = Field(json_schema_extra=Meta(label=NC_("field-name", "id"), kind="id", sheet=Column(
        NC_("sheet", "Id"), at=10, width=11, words=(
            "Identifiant", "Référence", "Réf", "N°", "Numéro", "Code", "Numéro de l'action",
            "ID", "Identifier", "Reference", "Ref", "No.", "Number", "Action ID", "Action no."))))
    title: ShortText = Field(json_schema_extra=Meta(
        help=N_("Title."), label=NC_("field-name", "title"), aka=("titre", "intitule", "libellé"), change="retitled", sheet=Column(
            NC_("sheet", "Action"), at=20, width=48, words=(
                "Action", "Action à mener", "Actions", "Titre de l'action", "Titre", "Intitulé", "Intitulé de l'action", "Libellé",
                "Fiche action", "Titre de la fiche action", "Nom de l'action",
                "Action title", "Title", "Action name", "Name of the action"))))
    description: Text | None = Field(None, json_schema_extra=Meta(
        label=NC_("field-name", "description"), show="description", sheet=Column(
            NC_("sheet", "Description"), at=220, width=40, words=("Descriptif", "Details"))))
    political_owners: list[PersonRef] = Field(default_factory=list, json_schema_extra=Meta(
        help=N_("Political owners (ids)."), label=NC_("field-name", "political owners"), heading=NC_("field-heading", "Political owners"),
        diff=NC_("field", "political owners"), aka=("responsable politique", "responsables politiques", "mandataire"),
        show="owners", change="owners", sheet=Column(NC_("sheet", "Political owner(s)"), at=30, width=22, words=(
            "Responsable politique", "Responsable mandataire", "Élu·e référent·e", "Élu référent", "Élue référente", "Référent",
            "Référent politique", "Échevin", "Mandataire", "Élu",
            "Political owner", "Political lead", "Councillor", "Alderman", "Elected lead", "Portfolio holder"))))
    admin_owner: PersonRef | None = Field(None, json_schema_extra=Meta(
        help=N_("Administrative owner (id)."), label=NC_("field-name", "administrative owner"), aka=("responsable",),
        show="owners", change="owners", sheet=Column(NC_("sheet", "Administrative owner"), at=40, width=20, words=(
            "Personne pilote", "Pilote", "Porteur de l'action", "Porteur", "Responsable", "Chef de projet", "Agent responsable",
            "Administrative lead", "Lead officer", "Officer", "Owner", "Project manager", "Action owner", "Lead"))))
    service: ServiceRef | None = Field(None, json_schema_extra=Meta(
        help=N_("Lead service (id)."), label=NC_("field-name", "service"), diff=NC_("field", "lead service"),
        show="service", change="owners", sheet=Column(NC_("sheet", "Service"), at=60, width=22, words=(
            "Direction ou service pilote", "Service pilote", "Direction", "Département", "Service responsable",
            "Department", "Team", "Lead department"))))
    planned_start: _dt.date | None = Field(None, json_schema_extra=Meta(
        help=N_("Planned start (YYYY-MM-DD)."), label=NC_("field-name", "planned start"), aka=("date début", "début", "date de début"),
        show="planned", change="dates", sheet=Column(NC_("sheet", "Planned start"), at=70, width=12, words=(
            "Date début", "Date de début", "Date de début prévue", "Début", "Date début prévue",
            "Start date", "Start", "Planned start date"))))
    planned_end: _dt.date | None = Field(None, json_schema_extra=Meta(
        help=N_("Planned end, deadline (YYYY-MM-DD)."), label=NC_("field-name", "deadline"), aka=("date fin", "fin", "date de fin", "fin prévue"),
        show="planned", change="dates", sheet=Column(NC_("sheet", "Planned end"), at=80, width=12, end=True, words=(
            "Date fin", "Date de fin", "Date de fin prévue", "Échéance", "Fin", "Date d'échéance", "Date fin prévue",
            "End date", "End", "Due date", "Deadline", "Planned end date", "Due"))))
    reschedules: list[Reschedule] = Field(default_factory=list, json_schema_extra=Meta(
        help=N_("Deadline moves: {date, from, to, reason}."), label=NC_("field-name", "deadline moves"),
        heading=NC_("field-heading", "Deadline moves"), aka=("glissements",), show="reschedules"))
    stake: Score | None = Field(None, json_schema_extra=Meta(
        help=N_("Importance of the stake."), label=NC_("field-name", "stake"), aka=("enjeu",), show="scores"))
    urgency: Score | None = Field(None, json_schema_extra=Meta(
        help=N_("Degree of urgency."), label=NC_("field-name", "urgency"), aka=("urgence",), show="scores"))
    roi: Score | None = Field(None, json_schema_extra=Meta(
        help=N_("Expected return on investment."), label=NC_("field-name", "return"), heading=NC_("field-heading", "ROI"),
        diff=NC_("field", "ROI"), aka=("retour", "rsi", "retour sur investissement"), show="scores"))
    priority: Rank | None = Field(None, json_schema_extra=Meta(
        help=N_("Priority rank decided."), label=NC_("field-name", "priority"), aka=("priorité",)))
    gain: Money | None = Field(None, json_schema_extra=Meta(
        help=N_("Estimated gain in money, to derive the ROI."), label=NC_("field-name", "gain"), diff=NC_("field", "gain"),
        aka=("gain estimé",)))
    gain_score: Score | None = Field(None, json_schema_extra=Meta(
        help=N_("Estimated gain on the plan's scale, to derive the ROI."), label=NC_("field-name", "gain score")))
    weight: Weight | None = Field(None, json_schema_extra=Meta(
        help=N_("Weight in the parent's progress."), label=NC_("field-name", "weight"), aka=("poids",)))
    volet: Volet | None = Field(None, json_schema_extra=Meta(
        help=N_("Internal or external part (PST)."), label=NC_("field-name", "volet"), heading=NC_("field-heading", "Part"), show="tags",
        sheet=Column(at=240, words=("Volet", "Strand"))))
    sdgs: list[Sdg] = Field(default_factory=list, json_schema_extra=Meta(
        help=N_("Sustainable development goals (1-17)."), label=NC_("field-name", "SDGs"), aka=("odd",), show="tags"))
    territories: list[str] = Field(default_factory=list, json_schema_extra=Meta(
        help=N_("Neighbourhoods, sites, territories."), label=NC_("field-name", "territories"), show="tags", sheet=Column(
            NC_("sheet", "Territories"), at=210, width=16, words=(
                "Territoire", "Quartier", "Quartiers", "Site", "Sites", "Secteur",
                "Territory", "Area", "Areas", "Neighbourhood", "Neighbourhoods", "Ward", "Wards"))))
    tags: list[str] = Field(default_factory=list, json_schema_extra=Meta(
        help=N_("Free categories."), label=NC_("field-name", "tags"), show="tags", sheet=Column(
            NC_("sheet", "Tags"), at=200, width=20, words=(
                "Étiquettes", "Mots-clés", "Thématique", "Thème", "Catégories",
                "Keywords", "Theme", "Themes", "Categories", "Category"))))
    linked_indicators: list[Annotated[ShortText, Ref("Indicator")]] = Field(default_factory=list, json_schema_extra=Meta(
        help=N_("Indicators declared elsewhere in the plan that concern it too, by id (or unique label)."), label=NC_("field-name", "linked indicators"),
        aka=("indicateurs liés",), show="indicators"))
    notes: Text | None = Field(None, json_schema_extra=Meta(
        label=NC_("field-name", "notes"), aka=("remarques", "commentaire"), show="texts", sheet=Column(at=260, words=(
            "Observation", "Observations", "Commentaire", "Commentaires", "Remarques", "Notes",
            "Comments", "Comment", "Remarks"))))
    visibility: Visibility | None = Field(None, json_schema_extra=Meta(
        help=N_("Who may see it (internal, council, public), or per field; inherited from the parent."), label=NC_("field-name", "visibility")))
    # --- eComptes (issue 15) ---
    organisation: str | None = Field(None, json_schema_extra=Meta(
        help=N_("Organisation (id): inherited from the parent objective, else from 'defaults' or the plan's only organisation."),
        label=NC_("field-name", "organisation"), kind="id"))
    fte: Fte | None = Field(None, json_schema_extra=Meta(
        help=N_("Full-time equivalents (FTE) assigned."), label=NC_("field-name", "full-time equivalents"), aka=("etp",)))
    plans: list[str] = Field(default_factory=list, json_schema_extra=Meta(
        help=N_("Other plans the item belongs to (rural development, climate plan...)."), label=NC_("field-name", "other plans")))
    # --- what plans track (issue 22; Territoires en Transitions' fiche), written after the description ---
    aims: Text | None = Field(None, json_schema_extra=Meta(
        help=N_("What it aims at, in words (the fiche's own objectives)."), label=NC_("field-name", "aims"), heading=NC_("field-heading", "Aims"),
        aka=("objectifs visés", "objectifs de la fiche", "objectifs de l'action", "buts", "finalités"), after="description", show="texts",
        sheet=Column(words=("Objectifs visés", "Objectifs de l'action", "Aims", "Goals"))))
    means: Text | None = Field(None, json_schema_extra=Meta(
        help=N_("Human and technical means."), label=NC_("field-name", "means"), heading=NC_("field-heading", "Means"),
        aka=("moyens", "moyens humains et techniques", "ressources"), show="texts",
        sheet=Column(words=("Moyens humains et techniques", "Moyens", "Means", "Resources"))))
    participation: Text | None = Field(None, json_schema_extra=Meta(
        help=N_("How citizens take part."), label=NC_("field-name", "citizen participation"), heading=NC_("field-heading", "Citizen participation"),
        aka=("participation citoyenne",), show="texts", sheet=Column(words=("Participation citoyenne", "Participation", "Citizen participation"))))
    governance: list[str] = Field(default_factory=list, json_schema_extra=Meta(
        help=N_("Governance bodies that steer it (steering committee, college...)."), label=NC_("field-name", "governance bodies"),
        heading=NC_("field-heading", "Governance bodies"), aka=("instances de gouvernance", "gouvernance", "instances"), show="facts",
        sheet=Column(words=("Instances de gouvernance", "Gouvernance", "Governance", "Governance bodies"))))
    lead_structure: str | None = Field(None, min_length=1, max_length=500, json_schema_extra=Meta(
        help=N_("Lead structure (the body that carries it: the town, the CPAS, an inter-municipal company...)."), label=NC_("field-name", "lead structure"),
        aka=("structure pilote", "structure porteuse"), show="facts", sheet=Column(words=("Structure pilote", "Structure porteuse", "Lead structure"))))
    priority_level: PriorityLevel | None = Field(None, json_schema_extra=Meta(
        help=N_("Priority level in words: high, medium, low (kept as a word: the rank is 'priority', the stake 'stake')."),
        label=NC_("field-name", "priority level"), aka=("niveau de priorité", "priorité (niveau)"), show="facts",
        sheet=Column(words=("Niveau de priorité", "Priority level"))))


class SubAction(_Model):
    """A sub-action of an action (one level: iA.PST's sub-actions and tasks, Territoires en Transitions' « sous-actions »).

    Its fields are those of an action, declared once there: the same names, words and help everywhere."""

    # (those of its progress, from actual_start to remaining, are declared here and reused by Action below:
    # no model names one declared after it, see _Model)

    id: Id | None = Field(None, json_schema_extra=Meta(
        help=N_("Identifier: by default the action's id followed by .1, .2... in order (write it so that it stays when another is inserted)."),
        label=NC_("field-name", "id")))
    title: ShortText = _Item.model_fields["title"]
    political_owners: list[PersonRef] = _Item.model_fields["political_owners"]
    admin_owner: PersonRef | None = _Item.model_fields["admin_owner"]
    planned_start: _dt.date | None = _Item.model_fields["planned_start"]
    planned_end: _dt.date | None = _Item.model_fields["planned_end"]
    reschedules: list[Reschedule] = _Item.model_fields["reschedules"]
    actual_start: _dt.date | None = Field(None, json_schema_extra=Meta(
        help=N_("Actual start."), label=NC_("field-name", "actual start"), after="reschedules", show="actual", sheet=Column(
            NC_("sheet", "Actual start"), at=90, width=12, words=(
                "Début effectif", "Date de début effective", "Date début effective", "Actual start date"))))
    actual_end: _dt.date | None = Field(None, json_schema_extra=Meta(
        help=N_("Actual end."), label=NC_("field-name", "actual end"), show="actual", sheet=Column(
            NC_("sheet", "Actual end"), at=100, width=12, end=True, words=(
                "Fin effective", "Date de fin effective", "Date fin effective", "Actual end date", "Completion date"))))
    status: Status = Field(Status.not_started, json_schema_extra=Meta(
        help=N_("not_started, ongoing, on_hold, done, cancelled."), label=NC_("field-name", "status"), aka=("état",), show="status",
        change="status", sheet=Column(NC_("sheet", "Status"), at=110, width=14, words=(
            "Statut", "État", "Etat d'avancement", "Statut de l'action", "Situation", "Action status", "State"))))
    progress: Percent | None = Field(None, json_schema_extra=Meta(
        help=N_("Progress in % (0-100)."), label=NC_("field-name", "progress"), show="progress", change="progress",
        sheet=Column(NC_("sheet", "Progress entered (%)"), at=120, width=11, words=(
            "Avancement", "% réalisé", "Progression", "Taux d'avancement", "% d'avancement", "Pourcentage", "Avancement (%)", "% avancement",
            "Progress", "Progress (%)", "% complete", "% done", "Percent complete", "Completion"))))
    achieved: Text | None = Field(None, json_schema_extra=Meta(
        help=N_("What has been achieved."), label=NC_("field-name", "achieved"), heading=NC_("field-heading", "Achieved"),
        aka=("état des réalisations",), show="texts", sheet=Column(NC_("sheet", "Achieved so far"), at=160, width=40, words=(
            "Etat des réalisations", "Réalisations", "Ce qui a été fait", "Achievements", "Done so far", "What has been done"))))
    remaining: Text | None = Field(None, json_schema_extra=Meta(
        help=N_("What remains to be done."), label=NC_("field-name", "remaining"), show="texts", sheet=Column(
            NC_("sheet", "Still to do"), at=170, width=40, words=(
                "Ce qu'il reste à faire pour atteindre l'objectif fixé", "Reste à faire", "Prochaines étapes",
                "Next steps", "Remaining work", "To do"))))
    notes: Text | None = _Item.model_fields["notes"]
    visibility: Visibility | None = _Item.model_fields["visibility"]

    @property
    def derived_id(self) -> bool:
        """Its id is not written in its file (the action's followed by its place)."""
        return "id" not in self.model_fields_set


class Action(_Item):
    # (``after``: where these go in a file, docs/format.md; see feuille.core.fields)
    involved: list[PersonRef] = Field(default_factory=list, json_schema_extra=Meta(
        help=N_("Other people involved (ids)."), label=NC_("field-name", "involved"), diff=NC_("field", "people involved"), after="admin_owner", show="facts", sheet=Column(NC_("sheet", "Political contributor(s)"), at=50, width=20, words=(
            "Intervenants politiques", "Intervenants", "Political contributors", "Contributors", "Involved"))))
    partners: list[str] = Field(default_factory=list, json_schema_extra=Meta(
        help=N_("Partners (free text)."), label=NC_("field-name", "partners"), show="facts", sheet=Column(at=270, words=(
            "Partenaires", "Partenaire", "Partners", "Partner"))))
    actual_start: _dt.date | None = SubAction.model_fields["actual_start"]
    actual_end: _dt.date | None = SubAction.model_fields["actual_end"]
    status: Status = SubAction.model_fields["status"]
    progress: Percent | None = SubAction.model_fields["progress"]
    achieved: Text | None = SubAction.model_fields["achieved"]
    remaining: Text | None = SubAction.model_fields["remaining"]
    health: Health = Field(Health.good, json_schema_extra=Meta(
        help=N_("good, at_risk, blocked, paused."), label=NC_("field-name", "health"), show="health", sheet=Column(
            NC_("sheet", "Health"), at=140, width=11, words=("Indice de santé", "Météo", "RAG", "RAG status"))))
    health_note: Text | None = Field(None, json_schema_extra=Meta(
        help=N_("Explanation when health is not good."), label=NC_("field-name", "health note"), show="health", sheet=Column(
            NC_("sheet", "Health note"), at=150, width=30, words=("Détail de santé", "Détails de santé", "Health notes"))))
    budget: list[BudgetLine] = Field(default_factory=list, json_schema_extra=Meta(
        help=N_("Budget lines."), label=NC_("field-name", "budget lines"), heading=NC_("field-heading", "Budget"), show="budget",
        change="budget"))
    indicators: list[Indicator] = Field(default_factory=list, json_schema_extra=Meta(
        help=N_("Result indicators."), label=NC_("field-name", "indicators"), aka=("indicateurs",), show="indicators", change="measurement"))
    sub_actions: list[SubAction] = Field(default_factory=list, json_schema_extra=Meta(
        help=N_("Sub-actions (one level): each with its title, owners, dates, status, progress; its id is the action's followed by .1, .2..."),
        label=NC_("field-name", "sub-actions"), heading=NC_("field-heading", "Sub-actions"), aka=("sous-actions", "sous actions", "tâches"),
        show="sub_actions", change="sub_actions"))
    serves: list[Share] = Field(default_factory=list, json_schema_extra=Meta(
        help=N_("Objectives served, parent included, with the budget split (sum = 100)."), label=NC_("field-name", "objectives served"),
        show="serves"))
    last_reviewed: _dt.date | None = Field(None, json_schema_extra=Meta(
        help=N_("Date last reviewed."), label=NC_("field-name", "last reviewed"), aka=("dernière revue",), after="tags", show="reviewed",
        sheet=Column(NC_("sheet", "Last updated"), at=230, width=12, words=(
            "Dernière mise à jour", "Mise à jour", "Date de mise à jour", "Last update", "Updated", "Last reviewed"))))


    @model_validator(mode="after")
    def _name_sub_actions(self) -> "Action":
        if self.sub_actions:
            name_sub_actions(self)
        return self


def name_sub_actions(action: Action) -> None:
    """A sub-action without an id gets the action's followed by its place (A1.1.2), not written in its file."""
    for n, sub in enumerate(action.sub_actions, start=1):
        if sub.id is None or sub.derived_id:
            sub.__dict__["id"] = f"{action.id}.{n}"  # derived, not set by the user (model_fields_set unchanged)


class Objective(_Item):
    objectives: list["Objective"] = Field(default_factory=list, json_schema_extra=Meta(
        help=N_("Sub-objectives."), label=NC_("field-name", "sub-objectives"), aka=("objectifs",)))
    indicators: list[Indicator] = Field(default_factory=list, json_schema_extra=Meta(
        help=N_("The objective's result indicators (its weather; its progress when settings.indicators_in_progress)."), label=NC_("field-name", "indicators"),
        aka=("indicateurs",), show="indicators", change="measurement"))
    actions: list[Action] = Field(default_factory=list, json_schema_extra=Meta(help=N_("Actions."), label=NC_("field-name", "actions")))
    partners: list[str] = Field(default_factory=list, json_schema_extra=Meta(
        help=N_("Partners (free text)."), label=NC_("field-name", "partners"), show="facts"))
    # --- issue 22: the objective's own budget, its declared progress (written before its objectives and actions) ---
    budget: list[BudgetLine] = Field(default_factory=list, json_schema_extra=Meta(
        help=N_("The objective's own budget lines (those of its actions are counted with them)."), label=NC_("field-name", "budget lines"),
        heading=NC_("field-heading", "Budget"), after="plans", show="budget", change="budget"))
    progress_declared: DeclaredProgress | None = Field(None, json_schema_extra=Meta(
        help=N_("Progress declared for the objective itself ({value, date, source}): used only when nothing below it has a progress."),
        label=NC_("field-name", "declared progress"), aka=("avancement déclaré", "taux d'avancement déclaré"), show="progress", change="progress"))


class VoletItem(_Model):
    """A strand of the PST (internal or external: eComptes' Volet), with what the town tracks on it: ``volets:`` in plan.yaml.

    Objectives still say which strand they belong to with ``volet: internal|external``."""

    volet: Volet = Field(json_schema_extra=Meta(help=N_("internal or external."), label=NC_("field-name", "volet"), heading=NC_("field-heading", "Part")))
    id: Id | None = Field(None, json_schema_extra=Meta(
        help=N_("Identifier (by default VOLET-INTERNE or VOLET-EXTERNE, as eComptes names them)."), label=NC_("field-name", "id")))
    title: ShortText | None = Field(None, json_schema_extra=Meta(help=N_("Title (by default « Volet interne » or « Volet externe »)."), label=NC_("field-name", "title")))
    description: Text | None = _Item.model_fields["description"]
    political_owners: list[PersonRef] = _Item.model_fields["political_owners"]
    admin_owner: PersonRef | None = _Item.model_fields["admin_owner"]
    service: ServiceRef | None = _Item.model_fields["service"]
    budget: list[BudgetLine] = Field(default_factory=list, json_schema_extra=Meta(
        help=N_("The strand's own budget lines (those of its objectives and actions are counted with them)."), label=NC_("field-name", "budget lines"),
        heading=NC_("field-heading", "Budget"), show="budget", change="budget"))
    progress_declared: DeclaredProgress | None = Field(None, json_schema_extra=Meta(
        help=N_("Progress declared for the strand itself ({value, date, source}): used only when none of its objectives has a progress."),
        label=NC_("field-name", "declared progress"), aka=("avancement déclaré",), show="progress", change="progress"))
    fte: Fte | None = _Item.model_fields["fte"]
    indicators: list[Indicator] = Field(default_factory=list, json_schema_extra=Meta(
        help=N_("The strand's result indicators (those it shares with partners, for instance)."), label=NC_("field-name", "indicators"),
        aka=("indicateurs",), show="indicators", change="measurement"))
    linked_indicators: list[Annotated[ShortText, Ref("Indicator")]] = _Item.model_fields["linked_indicators"]
    # what eComptes carries on a strand too (issue 23: another tool's file, imported and exported again, keeps it)
    planned_start: _dt.date | None = _Item.model_fields["planned_start"]
    planned_end: _dt.date | None = _Item.model_fields["planned_end"]
    plans: list[str] = _Item.model_fields["plans"]
    partners: list[str] = Objective.model_fields["partners"]
    notes: Text | None = _Item.model_fields["notes"]
    visibility: Visibility | None = _Item.model_fields["visibility"]

    @property
    def ident(self) -> str:
        """Its id: its own, else VOLET-INTERNE or VOLET-EXTERNE."""
        return self.id or VOLET_IDS[self.volet.value]


#: A strand's id when it gives none (eComptes' ElementId of the Volet).
VOLET_IDS = {"internal": "VOLET-INTERNE", "external": "VOLET-EXTERNE"}


class PlanFile(_Model):
    """``plan.yaml``: the plan itself."""

    title: ShortText = Field(json_schema_extra=Meta(label=NC_("field-name", "title"), help=N_("Title of the plan.")))
    kind: str | None = Field(None, json_schema_extra=Meta(label=NC_("field-name", "kind of plan"), help=N_("Kind of plan: policy declaration, PST...")))
    organisations: list[Organisation] = Field(min_length=1, json_schema_extra=Meta(label=NC_("field-name", "organisations"), help=N_("The organisations carrying the plan (one or more).")))
    term: Term = Field(json_schema_extra=Meta(label=NC_("field-name", "term"), help=N_("Term covered.")))
    adopted: _dt.date | None = Field(None, json_schema_extra=Meta(
        help=N_("Date the council adopted the plan (by default the start of the term): where the mid-term evaluation starts from."),
        label=NC_("field-name", "adoption date"), aka=("adoption", "date d'adoption", "adopté")))
    locale: str = Field("fr-BE", pattern=r"^[a-z]{2}(-[A-Z]{2})?$", json_schema_extra=Meta(label=NC_("field-name", "language and country"), help=N_("Language and country.")))
    currency: str = Field("EUR", pattern=r"^[A-Z]{3}$", json_schema_extra=Meta(label=NC_("field-name", "currency"), help=N_("Currency (ISO 4217).")))
    levels: list[ShortText] = Field(
        default_factory=lambda: ["Objectif stratégique", "Objectif opérationnel", "Action"],
        min_length=2,
        max_length=6,
        json_schema_extra=Meta(label=NC_("field-name", "levels"), help=N_("Names of the levels, from the top down to the action.")),
    )
    scale: Scale = Field(default_factory=Scale, json_schema_extra=Meta(label=NC_("field-name", "scoring scale"), help=N_("Scale of stake, urgency and ROI scores.")))
    settings: Settings = Field(default_factory=Settings)
    priorities: PrioritySettings = Field(default_factory=PrioritySettings, json_schema_extra=Meta(label=NC_("field-name", "priority settings"), help=N_("Settings of 'feuille prioritise'.")))
    rules: dict[str, str] = Field(
        default_factory=dict,
        json_schema_extra=Meta(label=NC_("field-name", "rules"), help=N_("Severity per rule code: error, warning, info or off.")),
    )
    description: Text | None = None
    notes: Text | None = None
    licence: str | None = Field(None, min_length=1, max_length=100, json_schema_extra=Meta(label=NC_("field-name", "licence"), help=N_("Licence of the open data (feuille export --format opendata): etalab-2.0 (Licence Ouverte 2.0), CC-BY-4.0, CC0-1.0, ODbL-1.0.")))
    visibility: Visibility | None = Field(None, json_schema_extra=Meta(label=NC_("field-name", "visibility"), help=N_("Who may see it (internal, council, public), or per field; for the whole plan, and the fields' defaults.")))
    indicators: list[Indicator] = Field(default_factory=list, json_schema_extra=Meta(
        help=N_("Indicators of the whole plan (macro-indicators), which objectives and actions may cite through 'linked_indicators'."),
        label=NC_("field-name", "indicators"), aka=("indicateurs",)))
    # --- transmission to the region (eComptes, issue 15) ---
    transmission: Transmission | None = Field(None, json_schema_extra=Meta(label=NC_("field-name", "transmission"), help=N_("Transmission of the plan to the region: 'ecomptes: true' turns on rules F7xx.")))
    defaults: Defaults | None = Field(None, json_schema_extra=Meta(label=NC_("field-name", "defaults"), help=N_("Defaults chosen by the town (counted as entered; the export says when it uses them).")))
    volets: list[VoletItem] = Field(default_factory=list, json_schema_extra=Meta(
        help=N_("The PST's strands (internal, external) with their owners, department, budget and description; objectives name theirs with 'volet'."),
        label=NC_("field-name", "strands"), aka=("volets",)))

    @property
    def depth(self) -> int:
        """Number of objective levels above the actions."""
        return len(self.levels) - 1



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
