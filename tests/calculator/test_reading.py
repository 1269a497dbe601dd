"""How the matcher reads a question: tokens and quantities, the vocabulary and its typing slips, the
ConText modifiers, and the facts read from concepts (packaged catalog)."""

from __future__ import annotations

from typing import Any

import pytest

from calculator import _cache
from calculator._context import apply_context
from calculator._rank import build
from calculator._text import quantities, tokenize
from calculator.browser import packaged_catalog

CATALOG = packaged_catalog()
assert CATALOG is not None


def _index() -> Any:
    return _cache.per_catalog(CATALOG, "match", build)


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        (
            "72F hx cSCC, s/p WLE",
            [("72", 0, 0), ("f", 0, 0), ("hx", 0, 0), ("cscc", 0, 0), ("s/p", 1, 0), ("wle", 1, 0)],
        ),
        ("?PNS; c/o pain", [("?", 0, 0), ("pns", 0, 0), ("c/o", 1, 1), ("pain", 1, 1)]),
        ("recurrence? GBM", [("recurrence", 0, 0), ("?", 0, 0), ("gbm", 1, 0)]),
        ("numb but no fever", [("numb", 0, 0), ("no", 1, 1), ("fever", 1, 1)]),
        ("Bell's palsies - 72 y.o.", [("bell", 0, 0), ("palsy", 0, 0), ("72", 1, 1), ("yo", 1, 1)]),
    ],
)
def test_tokens_keep_shorthand_and_clauses(text: str, tokens: list[tuple[str, int, int]]) -> None:
    assert [(t.text, t.clause, t.sentence) for t in tokenize(text)] == tokens


def test_tokens_keep_their_place_in_the_text() -> None:
    text = "Numbness over the CHEEK, V2"
    assert [text[t.start : t.end] for t in tokenize(text)] == ["Numbness", "over", "the", "CHEEK", "V", "2"]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("72F", [("age", 72.0)]),
        ("55 M", []),
        ("10 yo boy", [("age", 10.0)]),
        ("a 10-year-old", [("age", 10.0)]),
        ("aged 8", [("age", 8.0)]),
        ("18 month old", [("age", 1.5)]),
        ("neck pain x3 wks", [("duration", 3.0)]),
        ("for 2 months", [("duration", 52 / 12 * 2)]),
        ("3/52", [("duration", 3.0)]),
        ("2 mo after chemoRT", []),
        ("stroke 5 years ago", [("duration-ago", 260.0)]),
        ("temp 38.9", [("temperature", 38.9)]),
        ("101.3F", [("temperature", 38.5)]),
        ("WBC 18", []),
        ("5 mm nodule", [("size", 5.0)]),
    ],
)
def test_quantities(text: str, found: list[tuple[str, float]]) -> None:
    assert [(q.kind, round(q.value, 3)) for q in quantities(tokenize(text))] == [
        (k, round(v, 3)) for k, v in found
    ]


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("trigemminal", "trigeminal"),
        ("feverr", "fever"),
        ("radiculopaty", "radiculopathy"),
        ("hypoglosal", "hypoglossal"),
        ("glossopharyngael", "glossopharyngeal"),
        # ordinary English words are taken as typed, never as the red flag one slip away
        ("fewer", "fewer"),
        ("cancel", "cancel"),
        ("check", "check"),
        ("care", "care"),
        # short words and strangers stay as they are
        ("pain", "pain"),
        ("xyzzy", "xyzzy"),
    ],
)
def test_typing_slips(typed: str, read: str) -> None:
    assert _index().lexicon.correct(typed) == read


def _statuses(text: str) -> dict[str, list[str]]:
    lexicon = _index().lexicon
    tokens, found = lexicon.read(text)
    apply_context(tokens, found, lexicon.info)
    return {
        text[o.start : o.end]: sorted(o.status) or ["affirmed"]
        for o in found
        if not any(lexicon.info[c].kind == "modifier" for c in o.own)
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("no fever, neck pain", {"fever": ["negated"], "neck pain": ["affirmed"]}),
        (
            "denies fever, chills, weight loss",
            {"fever": ["negated"], "chills": ["negated"], "weight loss": ["negated"]},
        ),
        (
            "no trauma neck pain 3 weeks",
            {"trauma": ["negated"], "neck pain": ["affirmed"], "3 weeks": ["affirmed"]},
        ),
        ("no fever or neck pain", {"fever": ["negated"], "neck pain": ["negated"]}),
        ("no fever, 10 kg weight loss", {"fever": ["negated"], "weight loss": ["affirmed"]}),
        # a plain "no" is not carried over a comma; a list-taking "denies" is, unless the next clause states
        # a finding of its own (an adjective, or a trigger of another kind)
        ("no fever, IVDU", {"fever": ["negated"], "IVDU": ["affirmed"]}),
        (
            "no fever, chills or night sweats",
            {"fever": ["negated"], "chills": ["negated"], "night sweats": ["negated"]},
        ),
        ("denies trauma, febrile", {"trauma": ["negated"], "febrile": ["affirmed"]}),
        ("denies trauma and febrile", {"trauma": ["negated"], "febrile": ["affirmed"]}),
        ("denies trauma, hx breast ca", {"trauma": ["negated"], "breast ca": ["historical"]}),
        ("no fever with rigors", {"fever": ["negated"], "rigors": ["affirmed"]}),
        ("no fever but neck pain", {"fever": ["negated"], "neck pain": ["affirmed"]}),
        ("afebrile, neck pain", {"afebrile": ["negated"], "neck pain": ["affirmed"]}),
        ("CRP normal", {"CRP": ["negated"]}),
        ("hx of breast ca", {"breast ca": ["historical"]}),
        ("no hx of cancer", {"cancer": ["negated"]}),
        ("NHL in remission", {"NHL": ["historical"]}),
        ("?PNS", {"PNS": ["suspected"]}),
        ("PNS?", {"PNS": ["suspected"]}),
        ("r/o discitis", {"discitis": ["suspected"]}),
        ("mother had lymphoma", {"lymphoma": ["family"]}),
        ("breast ca in her mother", {"breast ca": ["family"]}),
        ("if fever develops", {"fever": ["hypothetical"]}),
        ("Bell palsy not improving", {"Bell palsy": ["affirmed"]}),
        ("triple negative breast cancer", {"triple negative breast cancer": ["affirmed"]}),
        ("ER negative breast ca", {"breast ca": ["affirmed"]}),
        ("stroke 5 years ago", {"stroke": ["historical"]}),
        ("benign tumour", {"tumour": ["negated"]}),
        # a term listed both ways looks towards the nearer finding of its clause
        ("cancer excluded on PET", {"cancer": ["negated"], "PET": ["affirmed"]}),
        ("ruled out malignancy", {"malignancy": ["negated"]}),
        ("malignancy ruled out", {"malignancy": ["negated"]}),
        ("negative for malignancy", {"malignancy": ["negated"]}),
        ("absence of fever", {"fever": ["negated"]}),
        ("no longer febrile", {"febrile": ["negated"]}),
        ("fever resolved", {"fever": ["negated"]}),
        # "not yet treated" is one statement, never "treated"; a treatment to come is hypothetical
        ("not yet treated parotid ca", {"not yet treated": ["affirmed"], "parotid ca": ["affirmed"]}),
        ("pre-SRS planning", {"SRS": ["hypothetical"]}),
        ("starting chemoradiation", {"chemoradiation": ["hypothetical"]}),
        # pseudo-negations negate nothing
        ("Bell palsy not yet improved", {"Bell palsy": ["affirmed"]}),
        ("no increase in weakness", {"weakness": ["affirmed"]}),
    ],
)
def test_context_modifiers(text: str, expected: dict[str, list[str]]) -> None:
    assert _statuses(text) == expected


def _facts(text: str) -> set[str]:
    index = _index()
    lexicon = index.lexicon
    tokens, found = lexicon.read(text)
    apply_context(tokens, found, lexicon.info)
    present = index.book.read(tokens, found, [])
    return {f for f in present if index.facts[f]["group"] != "internal"}


@pytest.mark.parametrize(
    ("text", "facts"),
    [
        # word order free within a clause, sites attached to their nearest symptom
        ("cheek numbness", {"trigeminal-symptoms", "cranial-neuropathy"}),
        ("numbness over the cheek in V2", {"trigeminal-symptoms", "cranial-neuropathy"}),
        ("neck mass and facial pain", {"trigeminal-symptoms", "cranial-neuropathy"}),
        ("neck and arm pain", {"neck-pain", "radiculopathy"}),
        ("L5 radiculopathy", {"lumbar-outside"}),
        ("pain radiating to the L thumb", {"radiculopathy"}),
        (
            "numb chin after tongue SCC",
            {"trigeminal-symptoms", "cranial-neuropathy", "head-neck-cancer", "known-cancer"},
        ),
        ("path shows large-nerve PNI", {"perineural-spread", "head-neck-cancer", "known-cancer"}),
        ("PNI on histology", {"known-cancer"}),
        # treatment status of a salivary cancer: a histology word alone is not a treatment
        (
            "mucoepidermoid carcinoma of the parotid",
            {"salivary-cancer-untreated", "head-neck-cancer", "known-cancer"},
        ),
        (
            "s/p parotidectomy for mucoepidermoid ca",
            {"salivary-cancer-treated", "head-neck-cancer", "known-cancer"},
        ),
        ("hx of parotid ACC", {"salivary-cancer-treated", "head-neck-cancer", "known-cancer"}),
        # red flags as clinicians write them
        ("febrile 38.9", {"fever"}),
        ("temp 39.2", {"fever"}),
        ("IVDU", {"fever"}),
        ("poorly controlled DM", {"fever"}),
        ("DM", set()),
        ("fell yesterday", {"recent-trauma"}),
        ("remote hx of trauma", set()),
        ("s/p C5-6 ACDF", {"prior-spine-surgery"}),
        ("s/p neck dissection", set()),
        # children
        ("10 yo", {"pediatric"}),
        ("70 yo", set()),
        ("paeds", {"pediatric"}),
        # time course
        ("neck pain for 6 months", {"neck-pain", "chronic-neck-pain"}),
        ("neck pain 2 weeks", {"neck-pain"}),
        # presentations the site does not cover
        (
            "sudden facial droop and arm weakness",
            {"acute-stroke", "facial-weakness", "cranial-neuropathy", "radiculopathy"},
        ),
        ("hx of stroke", set()),
        ("thunderclap headache", {"thunderclap-headache"}),
        ("saddle anaesthesia", {"cauda-equina"}),
        # signs of the spinal cord, however written; without a known cancer, not covered here
        ("Hoffmann positive", {"myelopathy", "myelopathy-outside"}),
        ("brisk reflexes", {"myelopathy", "myelopathy-outside"}),
        ("clumsy hands", {"myelopathy", "myelopathy-outside"}),
        ("weak legs", {"myelopathy", "myelopathy-outside"}),
        ("numbness in both hands", {"myelopathy", "myelopathy-outside", "radiculopathy"}),
        ("neck pain, urinary retention", {"myelopathy", "myelopathy-outside", "neck-pain"}),
        ("sensory level", {"cord-compression", "myelopathy", "myelopathy-outside"}),
        # with a cancer of any kind: metastatic cord compression (an internal fact with an urgent caution)
        ("breast ca, weak legs", {"known-cancer", "myelopathy"}),
        ("on chemo", {"known-cancer"}),
        # other neurology, and words the vocabulary lacks that look like a sign
        ("neck ache, dysdiadochokinesia", {"neck-pain", "neuro-outside", "neuro-signs"}),
        ("neck pain, RA", {"inflammatory-arthritis", "neck-pain"}),
        ("neck pain, HTN", {"neck-pain"}),
        # outside the catalogue
        ("ascending weakness", {"guillain-barre"}),
        ("bilateral facial palsy", {"guillain-barre"}),
        (
            "neck pain after chiropractic manipulation, vertigo",
            {"arterial-dissection", "neck-pain", "neuro-outside", "neuro-signs"},
        ),
        (
            "IVDU, fever, weak legs",
            {"epidural-abscess-deficit", "fever", "myelopathy", "myelopathy-outside"},
        ),
        # a skin cancer or melanoma is of the head and neck only when no other site is named
        (
            "melanoma, facial numbness",
            {"cranial-neuropathy", "head-neck-cancer", "known-cancer", "trigeminal-symptoms"},
        ),
        (
            "melanoma of the back, facial numbness",
            {"cranial-deficit-outside", "cranial-neuropathy", "known-cancer", "trigeminal-symptoms"},
        ),
        # treatment status: stated, stated as not given, implied by the question
        ("?recurrence, parotid ca", {"head-neck-cancer", "known-cancer", "salivary-cancer-treated"}),
        ("new dx GBM, not yet operated", {"brain-lesion-untreated", "known-cancer"}),
        ("radiation necrosis, GBM", {"brain-tumor-treated", "known-cancer", "new-enhancing-lesion"}),
    ],
)
def test_facts_read_from_text(text: str, facts: set[str]) -> None:
    assert _facts(text) == facts


@pytest.mark.parametrize(
    ("text", "guessed"),
    [
        ("neck ache and bradykinesia", ["bradykinesia"]),  # the ending of a sign's name
        ("neck pain, Froment sign", ["Froment"]),  # a name before "sign", "test", "positive" ...
        ("neck pain, ?UMN lesion, PMH HTN", []),  # UMN is a known term, HTN an ordinary abbreviation
        ("neck pain, XYZ noted", ["XYZ"]),  # an unknown abbreviation in capitals
        ("catastrophic neck pain", []),  # an ordinary word with a medical ending
    ],
)
def test_unknown_words_that_look_like_a_sign_are_read_as_one(text: str, guessed: list[str]) -> None:
    _, found = _index().lexicon.read(text)
    assert [text[o.start : o.end] for o in found if o.own == ("unrecognised-word",)] == guessed
