"""Text normalisation for the matcher: tokens, light stemming, synonym groups, abbreviations, negation.

A text becomes a set of *terms*: word stems plus one concept term (``~name``) for every phrase of
a synonym group found in it. A phrase (keyword, fact synonym, title) *matches* a text when all of
its required terms are among the text's terms.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["ABBREVIATIONS", "IMPLIES", "Analysis", "Vocabulary", "stem", "tokens"]

STOPWORDS = frozenset(
    (
        "a",
        "an",
        "the",
        "and",
        "or",
        "of",
        "for",
        "in",
        "on",
        "at",
        "by",
        "to",
        "from",
        "with",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "has",
        "have",
        "had",
        "this",
        "that",
        "these",
        "those",
        "patient",
        "pt",
        "who",
        "which",
        "as",
        "his",
        "her",
        "their",
        "its",
        "our",
        "your",
        "my",
        "me",
        "he",
        "she",
        "they",
        "it",
        "there",
        "what",
        "should",
        "i",
        "we",
        "do",
        "does",
        "please",
        "any",
        "some",
    )
)
_NEGATION_SPAN = 3
_CLAUSE = re.compile(r"[,.;:!?()\n]|\bbut\b|\bhowever\b")
_WORD = re.compile(r"[a-z0-9]+")
# Shorthand written with a slash or hyphen, rewritten before tokenising.
_SHORTHAND = (
    (re.compile(r"\bs/p\b"), "status post"),
    (re.compile(r"\bh/o\b"), "history of"),
    (re.compile(r"\bw/o\b"), "without"),
    (re.compile(r"\bw/"), "with "),
    (re.compile(r"\bc/o\b"), "complains of"),
    (re.compile(r"\by/o\b"), "year old"),
)

#: Clinical abbreviations and synonyms built into the matcher; merged with catalog["synonyms"].
ABBREVIATIONS: tuple[tuple[str, ...], ...] = (
    ("v1", "ophthalmic nerve", "ophthalmic division"),
    ("v2", "maxillary nerve", "maxillary division"),
    ("v3", "mandibular nerve", "mandibular division"),
    ("cn v", "cn 5", "cranial nerve v", "cranial nerve 5", "fifth nerve", "trigeminal nerve", "trigeminal"),
    ("cn vii", "cn 7", "cranial nerve vii", "cranial nerve 7", "seventh nerve", "facial nerve"),
    ("cn ix", "cn 9", "glossopharyngeal nerve", "glossopharyngeal"),
    ("cn x", "cn 10", "vagus nerve", "vagus", "recurrent laryngeal nerve"),
    ("cn xi", "cn 11", "accessory nerve", "spinal accessory nerve"),
    ("cn xii", "cn 12", "hypoglossal nerve", "hypoglossal"),
    ("cn", "cranial nerve"),
    ("tn", "trigeminal neuralgia", "tic douloureux"),
    ("bell palsy", "bells palsy", "bell s palsy"),
    ("gbm", "glioblastoma", "glioblastoma multiforme", "grade 4 glioma"),
    ("hgg", "high grade glioma"),
    ("mets", "metastasis", "metastases", "metastatic disease", "secondaries"),
    ("ca", "cancer", "carcinoma", "malignancy", "malignant"),
    ("tumour", "tumor"),
    ("scc", "squamous cell carcinoma", "squamous cell cancer"),
    ("hnscc", "head and neck squamous cell carcinoma", "head and neck scc"),
    ("hnc", "head and neck cancer", "head and neck carcinoma"),
    ("npc", "nasopharyngeal carcinoma", "nasopharyngeal cancer"),
    ("opc", "oropharyngeal carcinoma", "oropharyngeal cancer"),
    ("pns", "perineural spread", "perineural tumor spread", "perineural invasion", "perineural disease"),
    ("rt", "xrt", "radiotherapy", "radiation therapy", "radiation treatment", "irradiation", "irradiated"),
    ("chemo", "chemotherapy"),
    ("crt", "chemoradiotherapy", "chemoradiation"),
    ("tx", "treatment", "treated"),
    ("status post", "post", "after", "following"),
    ("hx", "history"),
    ("fx", "fracture"),
    ("surgery", "operation", "operated", "resection", "resected", "surgical"),
    ("c spine", "cervical spine", "neck spine"),
    ("acdf", "anterior cervical discectomy and fusion", "cervical fusion", "spinal fusion"),
    (
        "numbness",
        "numb",
        "paresthesia",
        "paraesthesia",
        "tingling",
        "hypoesthesia",
        "hypoaesthesia",
        "pins and needles",
        "sensory loss",
    ),
    ("weakness", "weak", "palsy", "paresis", "paralysis"),
    ("face", "facial"),
    ("fever", "febrile", "pyrexia", "pyrexial", "temperature"),
    ("trauma", "injury", "fall", "fell", "mva", "mvc", "rtc", "accident", "collision"),
    ("radiculopathy", "radicular pain", "radiating arm pain", "arm pain", "pinched nerve"),
    ("enhancing", "enhancement", "enhances"),
    ("recurrence", "recurrent", "relapse", "progression", "progressive", "regrowth"),
    ("pseudoprogression", "treatment effect", "radiation necrosis", "treatment related change"),
    ("mri", "mr", "magnetic resonance"),
    ("ct", "cat scan", "computed tomography"),
    ("child", "children", "pediatric", "paediatric", "kid", "infant", "toddler", "adolescent"),
    ("salivary", "salivary gland", "parotid", "submandibular gland"),
)

#: One-way implications: a text naming the left phrase also names the right ones (SCC is a cancer).
IMPLIES: dict[str, tuple[str, ...]] = {
    "scc": ("cancer",),
    "hnscc": ("head and neck cancer", "cancer"),
    "hnc": ("cancer",),
    "npc": ("head and neck cancer", "cancer"),
    "opc": ("head and neck cancer", "cancer"),
    "mets": ("cancer",),
    "gbm": ("tumor", "glioma"),
    "hgg": ("tumor", "glioma"),
    "glioma": ("tumor",),
    "v1": ("trigeminal",),
    "v2": ("trigeminal",),
    "v3": ("trigeminal",),
    "tn": ("trigeminal",),
    "bell palsy": ("facial nerve", "weakness", "face"),
    "cn vii": ("face",),
    "rt": ("treatment",),
    "chemo": ("treatment",),
    "crt": ("treatment",),
    "surgery": ("treatment",),
}


def stem(word: str) -> str:
    """Very light English stemming: plural endings only (deterministic, no dictionary)."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


#: Words that negate the next few words; stored stemmed, as tokens are ("denies" -> "denie").
NEGATORS = frozenset(
    stem(w) for w in ["no", "not", "without", "denies", "denied", "negative", "absent", "never", "nor"]
)


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c)).replace("'", "")
    for pattern, repl in _SHORTHAND:
        text = pattern.sub(repl, text)
    return text


def tokens(text: str) -> list[list[str]]:
    """Split into clauses of stemmed tokens (stopwords kept: negation and phrases need them)."""
    return [[stem(w) for w in _WORD.findall(part)] for part in _CLAUSE.split(_fold(text)) if part]


@dataclass
class Vocabulary:
    """Synonym groups (built-in plus the catalog's), compiled once per catalog."""

    phrases: dict[tuple[str, ...], str]
    implies: dict[str, frozenset[str]]
    longest: int

    @classmethod
    def build(cls, groups: Iterable[Iterable[str]]) -> Vocabulary:
        """Merge overlapping groups (union-find on phrases) and name each by its smallest phrase."""
        parent: dict[tuple[str, ...], tuple[str, ...]] = {}

        def find(p: tuple[str, ...]) -> tuple[str, ...]:
            while parent.setdefault(p, p) != p:
                p = parent[p]
            return p

        for group in groups:
            keys = [k for k in (_key(g) for g in group) if k]
            for k in keys[1:]:
                a, b = find(keys[0]), find(k)
                if a != b:
                    parent[max(a, b)] = min(a, b)
            if keys:
                find(keys[0])
        phrases = {p: "~" + " ".join(find(p)) for p in parent}
        implies: dict[str, frozenset[str]] = {}
        for left, rights in IMPLIES.items():
            lk = _key(left)
            concept = phrases.get(lk, "")
            targets = frozenset(phrases.get(_key(r), " ".join(_key(r))) for r in rights)
            if concept:
                implies[concept] = implies.get(concept, frozenset()) | targets
        return cls(phrases, implies, max((len(p) for p in phrases), default=1))

    def analyse(self, text: str) -> Analysis:
        """Units of a free text by position, plus the words ignored because they follow a negation."""
        found: set[str] = set()
        negated: set[str] = set()
        clauses = []
        for clause in tokens(text):
            neg = [False] * len(clause)
            for i, word in enumerate(clause):
                if word in NEGATORS:
                    for j in range(i + 1, min(i + 1 + _NEGATION_SPAN, len(clause))):
                        neg[j] = True
            slots: list[set[str]] = [set() for _ in clause]
            for i, word in enumerate(clause):
                if word not in STOPWORDS and word not in NEGATORS:
                    (negated if neg[i] else slots[i]).add(word)
            for n in range(1, self.longest + 1):
                for i in range(len(clause) - n + 1):
                    concept = self.phrases.get(tuple(clause[i : i + n]))
                    if concept is not None:
                        # A multi-word concept sits at its last word, so the next unit comes after it.
                        hit = {concept, *self.implies.get(concept, ())}
                        (negated if any(neg[i : i + n]) else slots[i + n - 1]).update(hit)
            content, count = [], -1
            for i, word in enumerate(clause):
                count += word not in STOPWORDS
                content.append((max(count, 0), frozenset(slots[i])))
            clauses.append(tuple(content))
            for slot in slots:
                found |= slot
        return Analysis(frozenset(found), frozenset(negated - found), tuple(clauses))

    def required(self, phrase: str) -> tuple[str, ...]:
        """Units a phrase needs, in order: longest synonym phrases become concepts, other words stems."""
        out: list[str] = []
        for clause in tokens(phrase):
            i = 0
            while i < len(clause):
                for n in range(min(self.longest, len(clause) - i), 0, -1):
                    concept = self.phrases.get(tuple(clause[i : i + n]))
                    if concept is not None:
                        out.append(concept)
                        i += n
                        break
                else:
                    if clause[i] not in STOPWORDS:
                        out.append(clause[i])
                    i += 1
        return tuple(dict.fromkeys(out))


#: Non-stopwords allowed between two consecutive units of a phrase (order always counts).
MAX_GAP = 2


@dataclass(frozen=True)
class Analysis:
    """A text as units: ``terms`` for quick set tests, ``clauses`` of (content index, units) by token."""

    terms: frozenset[str]
    negated: frozenset[str]
    clauses: tuple[tuple[tuple[int, frozenset[str]], ...], ...]

    def has(self, units: tuple[str, ...]) -> bool:
        """True when the units occur in order in one clause, at most MAX_GAP words apart."""
        if not units or not self.terms.issuperset(units):
            return False
        if len(units) == 1:
            return True
        return any(_in_order(c, units, 0, -1, -1) for c in self.clauses)


def _in_order(
    clause: tuple[tuple[int, frozenset[str]], ...], units: tuple[str, ...], k: int, after: int, prev: int
) -> bool:
    for pos in range(after + 1, len(clause)):
        index, here = clause[pos]
        if prev >= 0 and index - prev - 1 > MAX_GAP:
            return False
        if units[k] in here and (k == len(units) - 1 or _in_order(clause, units, k + 1, pos, index)):
            return True
    return False


def _key(phrase: str) -> tuple[str, ...]:
    return tuple(w for clause in tokens(phrase) for w in clause)
