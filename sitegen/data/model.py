"""Declarations of the data files: one dataclass per YAML shape, one documented field per line.

These classes only declare. Loading and checking live in ``sitegen.data.validate``; the JSON Schema
that editors get in their editor is generated from these declarations by ``sitegen.data.schema``.

Every text field is plain text: pages show it exactly as written, never as Markdown or HTML
(``sitegen.pages.text``), and no field allows formatting. Links come only from ``url`` fields.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from typing import Any, Literal, get_args

__all__ = [
    "CATEGORIES",
    "CONCEPT_KINDS",
    "CONFIDENCES",
    "CONTRASTS",
    "FACT_GROUPS",
    "FALLBACK_WHEN",
    "MODALITIES",
    "MODIFIERS",
    "PHASES",
    "POPULATIONS",
    "SOURCE_KINDS",
    "SPREADS",
    "STATUSES",
    "TOOLS",
    "URGENCIES",
    "WORDINGS",
    "Catalogs",
    "Cite",
    "Claim",
    "Concept",
    "Criterion",
    "DataSet",
    "Diagnosis",
    "Dose",
    "Exclusion",
    "Fact",
    "FactRule",
    "Fallback",
    "Faq",
    "Matching",
    "Measure",
    "NotCovered",
    "NotThisScenario",
    "Pitfall",
    "Procedure",
    "Rating",
    "Recommendation",
    "RedFlag",
    "Redirect",
    "Review",
    "RrlBand",
    "Scenario",
    "SiblingVariant",
    "Source",
    "Topic",
    "Workflow",
    "doc",
]

#: The four ACR appropriateness categories, as written in the data files.
CATEGORIES = (
    "usually-appropriate",
    "may-be-appropriate",
    "may-be-appropriate-disagreement",
    "usually-not-appropriate",
)
#: How sure we are of a figure: read in the source, stated only in a seed article, recalled from
#: the named source without re-reading, or conflicting between sources.
CONFIDENCES = ("verified", "seed", "recalled", "unresolved")
#: What sort of document a source is; ``sitegen.data.provenance`` says which marks each kind supports.
SOURCE_KINDS = ("acr", "paper", "report", "seed", "secondary", "superseded")
#: Whether variant wording is the ACR's own words, read in an ACR document, or ours.
WORDINGS = ("verbatim", "paraphrase")
#: Whom an ACR variant covers: its pediatric radiation levels are shown only when it covers children.
POPULATIONS = ("adult", "pediatric", "all")
MODALITIES = ("MRI", "CT", "US", "XR", "NM", "PET/CT", "Fluoroscopy")
CONTRASTS = ("none", "with", "without", "without-and-with", "not-applicable")
#: Calculator and lookup tools an article can point to.
TOOLS = ("scenario-match", "iene", "dose", "lookup")
Category = Literal[
    "usually-appropriate",
    "may-be-appropriate",
    "may-be-appropriate-disagreement",
    "usually-not-appropriate",
]
Confidence = Literal["verified", "seed", "recalled", "unresolved"]
SourceKind = Literal["acr", "paper", "report", "seed", "secondary", "superseded"]
Wording = Literal["verbatim", "paraphrase"]
Population = Literal["adult", "pediatric", "all"]
Phase = Literal["before-treatment", "after-treatment", "any"]
Spread = Literal["range", "sd", "editions", "sources", "activity"]
Modality = Literal["MRI", "CT", "US", "XR", "NM", "PET/CT", "Fluoroscopy"]
Contrast = Literal["none", "with", "without", "without-and-with", "not-applicable"]
Tool = Literal["scenario-match", "iene", "dose", "lookup"]
FallbackWhen = Literal["no-mri", "no-contrast", "no-mri-no-contrast"]
Urgency = Literal["emergency", "urgent"]
#: The values of the newer vocabularies, read from their types (one list to keep, not two):
#: when a variant's imaging is done (an article about imaging after treatment starts its iENE helper so);
PHASES: tuple[str, ...] = get_args(Phase)
#: what a dose's low and high figures are (a reported range, a measured mean ± 1 SD, ...);
SPREADS: tuple[str, ...] = get_args(Spread)
#: when the recommended study cannot be done: no MRI, no IV contrast, or neither;
FALLBACK_WHEN: tuple[str, ...] = get_args(FallbackWhen)
#: how time-critical a red flag is, most urgent first: only as its cited source says.
URGENCIES: tuple[str, ...] = get_args(Urgency)
#: Relative Radiation Level: 0 is ACR's "O", no ionising radiation (shown as ○); 1-5 radiation symbols.
RrlLevel = Literal[0, 1, 2, 3, 4, 5]


#: The id of an item with a page of its own: not "index", which names the list of them (procedures/).
PAGE_ID = r"^(?!index$)[a-z0-9][a-z0-9-]*$"


def doc(text: str, **extra: Any) -> Any:
    """Declare a field with its documentation (shown in the editor and in error messages)."""
    default = extra.pop("default", ...)
    factory = extra.pop("default_factory", None)
    meta = {"doc": text, **extra}
    if factory is not None:
        return field(default_factory=factory, metadata=meta)
    if default is not ...:
        return field(default=default, metadata=meta)
    return field(metadata=meta)


# --- shared pieces ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Cite:
    """Where a fact comes from and how sure we are of it."""

    source: str = doc("Id of an entry in catalog/sources.yaml.", pattern=r"^[a-z0-9][a-z0-9-]*$")
    confidence: Confidence = doc(
        "verified | seed | recalled | unresolved (see methodology); must be one the source's kind supports."
    )
    note: str = doc(
        "What exactly the source says, or why it is uncertain; required (and shown to readers) for "
        "recalled and unresolved.",
        default="",
    )
    disagrees: list[str] = doc(
        "Ids of sources that say otherwise; a cite with any must be marked unresolved.", default_factory=list
    )


@dataclass(frozen=True)
class Source:
    """A document that facts are taken from: a seed article, a paper, an ACR page."""

    id: str = doc("Stable id used by `source:` fields.", pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: str = doc("Full citation as a reader would look it up: authors or publisher, title, date.")
    kind: SourceKind = doc(
        "acr: an ACR document (AC publication, appendix table, ACR manual) | paper: peer-reviewed paper | "
        "report: report, guideline or position statement of a professional or government body | "
        "seed: one of the seed articles | secondary: someone else's summary of a document | "
        "superseded: a document (or summary of one) that a newer version replaced."
    )
    url: str = doc(
        "Public address, if there is one.", default="", pattern=r"^(https?://[^\s/?#]+([/?#]\S*)?)?$"
    )
    note: str = doc("Anything a reader should know about this source.", default="")
    short: str = doc("Short citation for tables, e.g. 'Mettler et al. 2008'; else the title.", default="")


# --- catalogs --------------------------------------------------------------------------------


@dataclass(frozen=True)
class RrlBand:
    """One Relative Radiation Level and the effective-dose band it stands for."""

    level: RrlLevel = doc("0 for no ionising radiation (ACR's O), 1-5 for the number of radiation symbols.")
    adult_min_msv: float = doc("Lower edge of the adult band in mSv (inclusive).", minimum=0)
    adult_max_msv: float = doc("Upper edge of the adult band in mSv.", minimum=0)
    pediatric_min_msv: float = doc("Lower edge of the pediatric band in mSv.", minimum=0)
    pediatric_max_msv: float = doc("Upper edge of the pediatric band in mSv.", minimum=0)
    cite: Cite = doc("Source of both bands.")


@dataclass(frozen=True)
class Dose:
    """Typical adult effective dose of one examination."""

    typical_msv: float = doc("Typical effective dose in mSv (the mean, when spread is sd).", minimum=0)
    low_msv: float = doc("Low end of the reported range in mSv (mean - 1 SD, when spread is sd).", minimum=0)
    high_msv: float = doc(
        "High end of the reported range in mSv (mean + 1 SD, when spread is sd).", minimum=0
    )
    cite: Cite = doc("Source of the figures.")
    spread: Spread = doc(
        "range: low and high are the range the source reports | sd: typical is a measured mean and low and "
        "high are the mean minus and plus one standard deviation | editions: low and high are the figures "
        "of the older and newer editions of one chart | sources: low and high are the figures of two "
        "different sources | activity: low and high follow from the usual range of administered activity.",
        default="range",
    )


@dataclass(frozen=True)
class Procedure:
    """An imaging examination as the ACR tables name it."""

    id: str = doc("Slug used by ratings, e.g. mri-head-without-and-with.", pattern=PAGE_ID)
    name: str = doc("Display name exactly as ACR tables word it.")
    modality: Modality = doc("Imaging modality.")
    region: str = doc("Body region, e.g. head, neck, cervical spine, whole body.")
    contrast: Contrast = doc("IV contrast use.")
    rrl_adult: RrlLevel = doc("Adult Relative Radiation Level (0 = O).")
    rrl_pediatric: RrlLevel | None = doc("Pediatric RRL; null when ACR gives none.", default=None)
    rrl_cite: Cite | None = doc("Source of the RRL values.", default=None)
    dose: Dose | None = doc("Typical adult effective dose; omit when none is sourced.", default=None)
    synonyms: list[str] = doc("Other names clinicians use (for search and matching).", default_factory=list)


@dataclass(frozen=True)
class Matching:
    """Machine-readable facts the scenario matcher uses."""

    facts_all: list[str] = doc("Fact ids that must all be present.", default_factory=list)
    facts_any: list[str] = doc("Fact ids of which at least one must be present.", default_factory=list)
    keywords: list[str] = doc("Terms a clinician may type for this scenario.", default_factory=list)
    concepts: list[str] = doc(
        "Concept ids that make this scenario a better fit when the question names them.", default_factory=list
    )
    adults_only: bool = doc(
        "True when the scenario is written for adults only (children are told so).", default=False
    )


@dataclass(frozen=True)
class Redirect:
    """Where a patient excluded from a scenario belongs instead: exactly one of the three."""

    scenario: str = doc("Id of a scenario file.", default="")
    variant: str = doc("Id of a sibling variant declared in a topic.", default="")
    external: str = doc("Name of an ACR variant or pathway we have no page for.", default="")
    url: str = doc(
        "Where a reader finds the external pathway (e.g. the ACR topic list); only with external.",
        default="",
        pattern=r"^(https?://[^\s/?#]+([/?#]\S*)?)?$",
    )


@dataclass(frozen=True)
class Exclusion:
    """A patient who does not fit, and where they belong instead."""

    text: str = doc("Who is excluded and why, in our words.")
    redirect: Redirect = doc("Where the patient belongs instead.")
    facts: list[str] = doc("Fact ids that trigger this redirect in the matcher.", default_factory=list)


@dataclass(frozen=True)
class SiblingVariant:
    """Another ACR variant of the same topic that we list without a full article."""

    id: str = doc("Slug, unique across scenarios and variants.", pattern=r"^[a-z0-9][a-z0-9-]*$")
    acr_variant: str = doc("The variant as ACR words it, or our paraphrase (see wording).")
    cite: Cite = doc("Where the variant was read (and its top rating, when top_cite is not given).")
    top_procedure: str = doc("Procedure id of the top-rated study, if sourced.", default="")
    top_category: Category | None = doc("Its category, if sourced.", default=None)
    top_cite: Cite | None = doc("Where the top rating was read, if not where the variant was.", default=None)
    wording: Wording = doc(
        "verbatim only when acr_variant is the ACR's exact wording, read there.", default="paraphrase"
    )
    population: Population = doc("Whom the variant covers: adult, pediatric or all.", default="adult")
    matching: Matching = doc("Facts for the matcher.", default_factory=Matching)
    exclusions: list[Exclusion] = doc("Who does not fit and where they go instead.", default_factory=list)


@dataclass(frozen=True)
class Topic:
    """An ACR Appropriateness Criteria topic: the parent guide of its variants."""

    id: str = doc("Slug used by scenarios' `topic:` field.", pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: str = doc("Topic title as ACR words it.")
    panel: str = doc("ACR expert panel, e.g. Neurologic Imaging.")
    acr_topic: str = doc("ACR topic name and publication, e.g. 'Cranial Neuropathy (JACR 2022)'.")
    cite: Cite = doc("Source of the topic (ACR page or publication).")
    summary: str = doc("Two or three sentences introducing the guide, in our words.")
    variants: list[SiblingVariant] = doc("Variants without an article of their own.", default_factory=list)


@dataclass(frozen=True)
class Catalogs:
    """Everything under scenarios/catalog/."""

    sources: list[Source] = doc("catalog/sources.yaml")
    rrl: list[RrlBand] = doc("catalog/rrl.yaml")
    procedures: list[Procedure] = doc("catalog/procedures.yaml")
    topics: list[Topic] = doc("catalog/topics.yaml")
    facts: list[Fact] = doc("catalog/facts.yaml")
    concepts: list[Concept] = doc("catalog/concepts.yaml: the matcher's vocabulary.")
    synonyms: list[list[str]] = doc("catalog/synonyms.yaml: groups of words that mean the same.")


# --- one scenario ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Criterion:
    """One inclusion criterion, optionally with examples."""

    text: str = doc("The criterion.")
    examples: list[str] = doc("Sub-points that illustrate it.", default_factory=list)


@dataclass(frozen=True)
class Diagnosis:
    """One diagnosis the imaging is meant to confirm or exclude."""

    name: str = doc("Diagnosis name.")
    text: str = doc("Why it matters here, in our words.")


@dataclass(frozen=True)
class Recommendation:
    """The study to order and why."""

    procedure: str = doc("Procedure id; must be rated usually-appropriate below.")
    why: str = doc("Paragraph explaining the choice.")
    points: list[str] = doc("Key findings or reasons, one per item.", default_factory=list)
    order_as: str = doc("Exact wording to use on the order, if it matters.", default="")
    add_on: str = doc(
        "Procedure id of a study done in the same examination (e.g. perfusion added to a contrast MRI); "
        "must be rated usually-appropriate too.",
        default="",
    )
    cite: Cite | None = doc("Whose first choice this is among the Usually appropriate studies.", default=None)


@dataclass(frozen=True)
class Rating:
    """One rated procedure for this variant."""

    procedure: str = doc("Procedure id from catalog/procedures.yaml.")
    category: Category = doc("ACR appropriateness category.")
    rationale: str = doc("Short reason for the rating, in our words.")
    cite: Cite = doc("Where the rating was read.")


@dataclass(frozen=True)
class Workflow:
    """What happens after the recommended study."""

    positive: list[str] = doc("Steps when the study is positive.")
    negative: list[str] = doc("Steps when it is negative.")
    indeterminate: list[str] = doc("Steps when it is indeterminate.")


@dataclass(frozen=True)
class Pitfall:
    """A mistake to avoid."""

    title: str = doc("Short name of the pitfall.")
    text: str = doc("What goes wrong and how to avoid it.")


@dataclass(frozen=True)
class Faq:
    """One question and answer."""

    question: str = doc("The question as a clinician asks it.")
    answer: str = doc("The answer, in our words.")


@dataclass(frozen=True)
class Review:
    """A clinician's review of this scenario's content, tied to exactly what was reviewed."""

    reviewer: str = doc("The reviewer's name, as it should be printed.")
    role: str = doc("Their role, e.g. 'Consultant neuroradiologist'.")
    date: _dt.date = doc("Review date, YYYY-MM-DD.")
    fingerprint: str = doc(
        "Fingerprint of the content reviewed: print it with `python build.py fingerprint <id>`.",
        pattern=r"^sha256:[0-9a-f]{64}$",
    )


@dataclass(frozen=True)
class Claim:
    """A statement in the article's text and the source it rests on."""

    at: str = doc("Field path of the text making the statement, e.g. workflow.positive[1] or faq[3].answer.")
    statement: str = doc("The statement in a few words, for editors.")
    cite: Cite = doc("Where the statement was read and how sure we are.")


@dataclass(frozen=True)
class Fallback:
    """What to do when the recommended study cannot be done (shown in the article's answer card)."""

    when: FallbackWhen = doc("no-mri | no-contrast | no-mri-no-contrast: what cannot be done.")
    text: str = doc("What to order or do instead, and what it misses, in our words (one or two sentences).")
    cite: Cite = doc("Where this advice was read.")
    procedure: str = doc("Id of the study to order instead, if any; it must be rated here.", default="")


@dataclass(frozen=True)
class NotThisScenario:
    """A finding that puts the patient in another scenario (shown after the red flags, as a plain list)."""

    flag: str = doc("The finding, as a clinician notices it, in a few words.")
    then: str = doc("Where the patient belongs instead, in our words (one sentence).")
    cite: Cite = doc("Where this was read.")
    goes_to: str = doc("Id of the scenario or topic variant the patient belongs to instead.", default="")


@dataclass(frozen=True)
class RedFlag(NotThisScenario):
    """A finding that changes the answer (shown in the article's answer card): a redirect's fields, with
    what follows in other words and an urgency."""

    then: str = doc("How the answer changes, in our words (one sentence).")
    urgency: Urgency | None = doc(
        "emergency | urgent, only when the cited source itself calls the finding so (quote it in the cite's"
        " note); shown as a word before the finding. Code checks the order, not the source: editors do.",
        default=None,
    )


@dataclass(frozen=True)
class Scenario:
    """One ACR variant written up as an article: scenarios/<id>.yaml."""

    id: str = doc("Slug and URL of the article; must equal the file name.", pattern=PAGE_ID)
    title: str = doc("The clinical question as the article title.")
    topic: str = doc("Topic id from catalog/topics.yaml.")
    acr_variant: str = doc("The variant as ACR words it, or our paraphrase (see acr_variant_wording).")
    acr_cite: Cite = doc("Source of the variant wording.")
    summary: str = doc("One or two sentences: what to order and why (used in search and guides).")
    vignette: str = doc("A short clinical vignette.")
    fits: str = doc("Paragraph on who this scenario is for.")
    inclusion: list[Criterion] = doc("Inclusion criteria.")
    exclusions: list[Exclusion] = doc("Who does not fit and where they go instead.")
    differential: list[Diagnosis] = doc("Diagnoses the imaging works up.")
    recommendation: Recommendation = doc("The recommended study.")
    ratings: list[Rating] = doc("Every rated procedure.")
    workflow: Workflow = doc("Downstream workflow.")
    pitfalls: list[Pitfall] = doc("Pitfalls to avoid.")
    escalation: str = doc("When and whom to call for help.")
    faq: list[Faq] = doc("Frequently asked questions.")
    sources: list[str] = doc("Source ids the article draws on.")
    matching: Matching = doc("Facts for the scenario matcher.")
    related_scenarios: list[str] = doc("Ids of related scenarios or sibling variants.", default_factory=list)
    related_tools: list[Tool] = doc("Tools worth linking from the article.", default_factory=list)
    acr_variant_wording: Wording = doc(
        "verbatim only when acr_variant is the ACR's exact wording, read in an ACR document.",
        default="paraphrase",
    )
    population: Population = doc("Whom the variant covers: adult, pediatric or all.", default="adult")
    imaging_phase: Phase = doc(
        "before-treatment (staging), after-treatment (surveillance, recurrence) or any; an article about "
        "imaging after treatment starts its iENE helper with 'Imaging after surgery or radiotherapy' ticked.",
        default="any",
    )
    claims: list[Claim] = doc("Statements in the text with a source of their own.", default_factory=list)
    fallbacks: list[Fallback] = doc(
        "What to do when the recommended study cannot be done: one entry per case at most.",
        default_factory=list,
    )
    red_flags: list[RedFlag] = doc(
        "Findings that change the answer: those marked emergency first, then urgent, then the rest.",
        default_factory=list,
    )
    not_this_scenario: list[NotThisScenario] = doc(
        "Findings that mean another scenario fits instead (scope redirects, not red flags).",
        default_factory=list,
    )
    review: Review | None = doc("A clinician's review of this content, if there has been one.", default=None)


@dataclass(frozen=True)
class DataSet:
    """A validated data set: catalogs plus scenarios, each scenario with the file it came from."""

    catalogs: Catalogs
    scenarios: list[Scenario]
    files: dict[str, str] = field(default_factory=dict)


# The matcher's vocabulary and facts are declared in their own module, which needs `doc` and `Cite`
# from this one: import it only through this module.
from sitegen.data.model_matcher import (  # noqa: E402
    CONCEPT_KINDS,
    FACT_GROUPS,
    MODIFIERS,
    STATUSES,
    Concept,
    Fact,
    FactRule,
    Measure,
    NotCovered,
)
