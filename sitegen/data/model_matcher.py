"""Declarations of the matcher's vocabulary (catalog/concepts.yaml) and of the patient facts read from it
(catalog/facts.yaml). Import them from ``sitegen.data.model``, which re-exports them."""

from __future__ import annotations

import typing
from dataclasses import dataclass
from typing import Literal

from sitegen.data.model import Cite, doc

__all__ = [
    "CONCEPT_KINDS",
    "FACT_GROUPS",
    "MODIFIERS",
    "STATUSES",
    "Caution",
    "Concept",
    "Fact",
    "FactRule",
    "Guess",
    "Measure",
    "NotCovered",
]

#: Kinds of matcher concepts. Sites and times attach to the nearest other concept of their clause;
#: modifiers are ConText triggers; words are ordinary English words never read as a typing slip.
ConceptKind = Literal[
    "cancer",
    "lesion",
    "condition",
    "symptom",
    "site",
    "treatment",
    "time",
    "imaging",
    "red-flag",
    "age",
    "modifier",
    "word",
]
#: What a ConText trigger does to the concepts in its scope ("end" closes scopes, "pseudo" is a phrase
#: that holds a trigger word but is none, e.g. "no change").
Modifier = Literal[
    "", "negated", "historical", "hypothetical", "suspected", "family", "other", "end", "pseudo"
]
#: The status of a concept as written: affirmed (no modifier) or the modifier found on it (a fact that
#: counts "negated" holds when the text denies its concept: "no red flags").
Status = Literal["affirmed", "historical", "suspected", "hypothetical", "family", "other", "negated"]
#: Where a fact appears in the matcher's form; emergency facts answer "not covered", outside facts
#: name what to consult when no scenario fits, internal facts only help to read others.
FactGroup = Literal["cancer", "symptom", "finding", "red-flag", "age", "emergency", "outside", "internal"]
CONCEPT_KINDS, MODIFIERS = typing.get_args(ConceptKind), typing.get_args(Modifier)
STATUSES, FACT_GROUPS = typing.get_args(Status), typing.get_args(FactGroup)


@dataclass(frozen=True)
class Measure:
    """A number the matcher reads from the text (an age, a duration, a temperature) that means the concept."""

    quantity: Literal["age", "duration", "duration-ago", "temperature"] = doc(
        "age in years, duration in weeks (how long a symptom has lasted, or how long ago), temperature in °C."
    )
    at_least: float | None = doc("The concept holds from this value on.", default=None)
    below: float | None = doc("The concept holds below this value.", default=None)


@dataclass(frozen=True)
class Guess:
    """How a word the vocabulary lacks is still read as this concept (so that an unknown sign never
    counts as the absence of one)."""

    endings: list[str] = doc(
        "Endings of medical words, e.g. reflexia, plegia: an unknown word with one of them.",
        default_factory=list,
    )
    before: list[str] = doc(
        "Words that follow the name of a sign or test, e.g. sign, positive: the unknown word before one.",
        default_factory=list,
    )
    capitals: bool = doc(
        "An unknown abbreviation typed in capitals (two to five letters) is read as this concept too.",
        default=False,
    )


@dataclass(frozen=True)
class Concept:
    """One entry of the matcher's vocabulary (catalog/concepts.yaml): a meaning and the words for it."""

    id: str = doc(
        "Slug used by facts' rules and by other concepts, e.g. numbness.", pattern=r"^[a-z0-9][a-z0-9-]*$"
    )
    kind: ConceptKind = doc("What sort of concept it is (sites and times attach to their nearest concept).")
    label: str = doc("Plain words for the concept, shown in explanations.")
    terms: list[str] = doc("Words, phrases and abbreviations clinicians type for it.", default_factory=list)
    misspellings: list[str] = doc(
        "Frequent misspellings (others one typing slip away are found anyway).", default_factory=list
    )
    absent_terms: list[str] = doc(
        "Words that say the concept is absent, e.g. afebrile.", default_factory=list
    )
    implies: list[str] = doc(
        "Concept ids that this one entails (SCC of the tongue is a cancer).", default_factory=list
    )
    modifier: Modifier = doc(
        "For kind modifier: what the trigger does to the concepts in its scope.", default=""
    )
    direction: Literal["forward", "backward", "both"] = doc(
        "For kind modifier: whether the trigger looks at the words after it, before it or both.",
        default="forward",
    )
    reach: int = doc(
        "For kind modifier: at most this many words in scope; 0 for the whole clause.", default=0, minimum=0
    )
    lists: bool = doc(
        "For a negation: it carries over commas into a list of findings "
        '("denies fever, chills, weight loss").',
        default=False,
    )
    stands_alone: bool = doc(
        'Words that state a finding on their own ("febrile", "immunosuppressed"): after a comma they start '
        "a new statement and are never taken as one more item of a negated list.",
        default=False,
    )
    measure: Measure | None = doc("A number read from the text that also means this concept.", default=None)
    guess: Guess | None = doc("How words the vocabulary lacks are read as this concept.", default=None)
    note: str = doc("Why the concept is there or what to watch for (editors only).", default="")


@dataclass(frozen=True)
class FactRule:
    """One way to read a fact from a question: concepts found together, and facts already read."""

    concepts: list[str] = doc(
        "Concept ids that must all be found, in one clause unless the scope is the whole question; in a "
        "clause, sites and times must be the ones nearest to the first concept.",
        default_factory=list,
    )
    facts: list[str] = doc("Fact ids that must also hold.", default_factory=list)
    without: list[str] = doc("Concept ids that must not be found in the same scope.", default_factory=list)
    scope: Literal["clause", "question"] = doc("Where the concepts must be found together.", default="clause")
    near: int = doc(
        "At most this many content words between the first concept and a site or time attached to it.",
        default=3,
        minimum=0,
    )
    status: list[Status] = doc(
        "Read only when the first concept has one of these statuses (default: the fact's `counts`).",
        default_factory=list,
    )
    assumed: str = doc(
        "When the text implies the fact without saying it: the words explanations show instead of the "
        "fact's label (e.g. 'Salivary gland cancer, no treatment mentioned').",
        default="",
    )


@dataclass(frozen=True)
class NotCovered:
    """A presentation this site does not cover: the matcher says so instead of offering a scenario."""

    text: str = doc("What the clinician should do instead, in our words.")
    cite: Cite = doc("Where the topic name comes from.")
    acr_topic: str = doc("The ACR Appropriateness Criteria topic to consult, if there is one.", default="")
    urgent: bool = doc(
        "For an outside fact: the question calls for urgent imaging, discussed with radiology.", default=False
    )
    see: str = doc(
        "Id of the scenario or variant on this site closest to the presentation, if one is relevant.",
        default="",
    )


@dataclass(frozen=True)
class Caution:
    """A warning given with any answer when the fact is read: a red flag that changes how urgent the
    question is, or what a matching scenario can be taken to mean."""

    text: str = doc("The warning, in our words, stating no more than its source.")
    cite: Cite | None = doc(
        "Where the warning's clinical content comes from; omit only for a note about the question itself.",
        default=None,
    )
    urgent: bool = doc("The fact calls for urgent imaging: the answer says so first.", default=False)
    see: str = doc("Id of the scenario or variant that covers the imaging, if there is one.", default="")


@dataclass(frozen=True)
class Fact:
    """A patient fact that scenario matching can ask about."""

    id: str = doc("Slug, e.g. known-cancer.", pattern=r"^[a-z0-9][a-z0-9-]*$")
    label: str = doc("Checkbox label shown to clinicians.")
    help: str = doc("One sentence of help text.", default="")
    group: FactGroup = doc("Where the fact sits in the matcher's form.", default="symptom")
    synonyms: list[str] = doc(
        "Words and phrases that on their own mean this fact (each is read like a one-concept rule).",
        default_factory=list,
    )
    when: list[FactRule] = doc(
        "Rules that read the fact from a question; any one is enough.", default_factory=list
    )
    unless: list[str] = doc("Fact ids that, when present, cancel this one.", default_factory=list)
    counts: list[Status] = doc(
        "Statuses of a concept that make the fact (a negated one never does).",
        default_factory=lambda: ["affirmed", "historical", "suspected"],
    )
    not_covered: NotCovered | None = doc(
        "For an emergency fact: the answer given instead of any scenario; for an outside fact: the answer "
        "given when no scenario fits.",
        default=None,
    )
    caution: Caution | None = doc("A warning given with any answer when the fact is read.", default=None)
