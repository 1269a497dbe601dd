"""Validation of the data files: one case per kind of error, each with its exact message."""

# ruff: noqa: E501 - the exact messages are clearer unbroken

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from sitegen import _fork
from sitegen.data.validate import load_dataset
from sitegen.errors import DataError

FIXTURE = Path(__file__).parent / "fixtures" / "valid"


def _copy(tmp_path: Path, source: Path = FIXTURE) -> Path:
    root = tmp_path / "site"
    shutil.copytree(source, root)
    return root


def _patch(root: Path, file: str, old: str | None, new: str | None) -> None:
    """Replace ``old`` (which must occur once) by ``new``; no ``old`` writes ``new``; no ``new`` deletes."""
    path = root / "scenarios" / file
    if new is None:
        path.unlink()
        return
    if old is None:
        path.write_text(new, encoding="utf-8")
        return
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} must occur once in {file}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def _messages(root: Path) -> list[str]:
    with pytest.raises(DataError) as caught:
        load_dataset(root)
    return [str(issue) for issue in caught.value.issues]


def test_fixture_is_valid() -> None:
    ds = load_dataset(FIXTURE)
    assert [s.id for s in ds.scenarios] == ["facial-numbness", "neck-lump"]
    assert ds.files == {
        "facial-numbness": "scenarios/facial-numbness.yaml",
        "neck-lump": "scenarios/neck-lump.yaml",
    }
    assert str(ds.scenarios[0].review.date) == "2026-01-15"
    assert ds.catalogs.procedures[1].dose is not None
    assert ds.catalogs.procedures[1].dose.typical_msv == 2.0
    assert ds.catalogs.synonyms == [["numbness", "paresthesia", "tingling"]]


# (file under scenarios/, text to replace or None, replacement or None to delete, exact message)
CASES = [
    pytest.param(
        "catalog/concepts.yaml",
        "    terms: [face, facial, cheek]\n",
        "    terms: [face, facial, cheek]\n    implies: [numbnes]\n",
        "scenarios/catalog/concepts.yaml:12: concepts[1].implies[0]: expected a concept id from catalog/concepts.yaml (did you mean 'numbness'?), found 'numbnes'",
        id="concept-implies-unknown",
    ),
    pytest.param(
        "catalog/concepts.yaml",
        "    modifier: negated\n",
        "",
        "scenarios/catalog/concepts.yaml:12: concepts[2].modifier: expected what the trigger does, for a concept of kind modifier, found nothing",
        id="modifier-missing",
    ),
    pytest.param(
        "catalog/concepts.yaml",
        "  - id: face\n    kind: site\n",
        "  - id: face\n    kind: site\n    modifier: negated\n",
        "scenarios/catalog/concepts.yaml:10: concepts[1].modifier: expected no modifier outside kind modifier, found 'negated'",
        id="modifier-outside-kind",
    ),
    pytest.param(
        "catalog/concepts.yaml",
        "measure: {quantity: temperature, at_least: 38}",
        "measure: {quantity: temperature}",
        "scenarios/catalog/concepts.yaml:22: concepts[3].measure: expected at_least, below or both, found neither",
        id="measure-without-bounds",
    ),
    pytest.param(
        "catalog/concepts.yaml",
        "    kind: symptom\n",
        "    kind: symptoms\n",
        "scenarios/catalog/concepts.yaml:4: concepts[0].kind: expected one of 'cancer', 'lesion', 'condition', 'symptom', 'site', 'treatment', 'time', 'imaging', 'red-flag', 'age', 'modifier', 'word', found 'symptoms'",
        id="concept-kind-unknown",
    ),
    pytest.param(
        "catalog/concepts.yaml",
        "    terms: [numbness, numb, tingling]\n",
        "    terms: [numbness, numb, Numb]\n",
        "scenarios/catalog/concepts.yaml:6: concepts[0].terms[2]: expected each term once in a concept, found 'Numb'",
        id="term-twice",
    ),
    pytest.param(
        "catalog/concepts.yaml",
        "    label: face\n    terms: [face, facial, cheek]\n",
        "    label: face\n",
        "scenarios/catalog/concepts.yaml:8: concepts[1]: expected terms, a measure or another concept that implies this one, found none of them",
        id="concept-unreachable",
    ),
    pytest.param(
        "catalog/facts.yaml",
        "      - concepts: [numbness, face]",
        "      - concepts: [numbness, fase]",
        "scenarios/catalog/facts.yaml:14: facts[2].when[0].concepts[1]: expected a concept id from catalog/concepts.yaml (did you mean 'face'?), found 'fase'",
        id="rule-unknown-concept",
    ),
    pytest.param(
        "catalog/facts.yaml",
        "      - concepts: [numbness, face]",
        "      - scope: question",
        "scenarios/catalog/facts.yaml:14: facts[2].when[0]: expected concepts, facts or both, found neither",
        id="rule-empty",
    ),
    pytest.param(
        "catalog/facts.yaml",
        "      - concepts: [numbness, face]",
        "      - concepts: [numbness]\n        facts: [trigeminal-symptoms]",
        "scenarios/catalog/facts.yaml:14: facts[2].when: expected rules that do not lead back to their own fact, found a circle: trigeminal-symptoms -> trigeminal-symptoms",
        id="rule-circle",
    ),
    pytest.param(
        "catalog/facts.yaml",
        "    group: red-flag",
        "    group: emergency",
        "scenarios/catalog/facts.yaml:5: facts[1].not_covered: expected the answer given instead, for a fact of group emergency, found none",
        id="emergency-without-answer",
    ),
    pytest.param(
        "catalog/facts.yaml",
        "    group: red-flag",
        "    group: outside",
        "scenarios/catalog/facts.yaml:5: facts[1].not_covered: expected the answer given instead, for a fact of group outside, found none",
        id="outside-without-answer",
    ),
    pytest.param(
        "catalog/facts.yaml",
        "    help: Placeholder help text.",
        "    help: Placeholder help text.\n    not_covered:\n      text: Go elsewhere.\n      cite: {source: acr-cranial, confidence: verified}",
        "scenarios/catalog/facts.yaml:10: facts[1].not_covered: expected no not_covered outside groups emergency and outside, found one",
        id="answer-outside-its-groups",
    ),
    pytest.param(
        "catalog/facts.yaml",
        "    group: red-flag\n    help: Placeholder help text.",
        "    group: emergency\n    help: Placeholder help text.\n    not_covered:\n      text: Go elsewhere.\n      urgent: true\n      cite: {source: acr-cranial, confidence: verified}",
        "scenarios/catalog/facts.yaml:11: facts[1].not_covered.urgent: expected urgent only for a fact of group outside, found true",
        id="emergency-answer-urgent",
    ),
    pytest.param(
        "catalog/facts.yaml",
        "    group: red-flag\n    help: Placeholder help text.",
        "    group: emergency\n    help: Placeholder help text.\n    not_covered:\n      text: Go elsewhere.\n      see: neck-lumps\n      cite: {source: acr-cranial, confidence: verified}",
        "scenarios/catalog/facts.yaml:11: facts[1].not_covered.see: expected the id of a scenario or of a topic variant, found 'neck-lumps'",
        id="answer-points-to-an-unknown-page",
    ),
    pytest.param(
        "catalog/facts.yaml",
        "    help: Placeholder help text.",
        "    help: Placeholder help text.\n    caution:\n      text: Act now.\n      urgent: true",
        "scenarios/catalog/facts.yaml:10: facts[1].caution.cite: expected a source for an urgent warning, found none",
        id="urgent-caution-without-source",
    ),
    pytest.param(
        "catalog/concepts.yaml",
        '    terms: ["no", denies]',
        '    terms: ["no", denies]\n    guess: {endings: [pathy]}',
        "scenarios/catalog/concepts.yaml:17: concepts[2].guess: expected a guess only on a concept that means a finding, found 'modifier'",
        id="guess-on-a-modifier",
    ),
    pytest.param(
        "catalog/concepts.yaml",
        "    terms: [face, facial, cheek]\n",
        "    terms: [face, facial, cheek]\n    guess: {}\n",
        "scenarios/catalog/concepts.yaml:12: concepts[1].guess: expected endings, before or capitals, found none of them",
        id="guess-empty",
    ),
    pytest.param(
        "catalog/facts.yaml",
        "      - concepts: [numbness, face]",
        "      - concepts: [numbness, face]\n        status: [denied]",
        "scenarios/catalog/facts.yaml:15: facts[2].when[0].status[0]: expected one of 'affirmed', 'historical', 'suspected', 'hypothetical', 'family', 'other', 'negated', found 'denied'",
        id="rule-status-unknown",
    ),
    pytest.param(
        "neck-lump.yaml",
        "  facts_any: [fever]",
        "  facts_any: [fever]\n  concepts: [feber]",
        "scenarios/neck-lump.yaml:37: matching.concepts[0]: expected a concept id from catalog/concepts.yaml (did you mean 'fever'?), found 'feber'",
        id="matching-concept-unknown",
    ),
    pytest.param(
        "facial-numbness.yaml",
        "summary: Order the placeholder MRI.",
        "summary: Order: the MRI",
        "scenarios/facial-numbness.yaml:7: expected valid YAML, found a syntax error (mapping values are not allowed in this context)",
        id="yaml-syntax",
    ),
    pytest.param(
        "catalog/facts.yaml",
        "  - id: fever\n",
        "  - id: fever\n   bad",
        "scenarios/catalog/facts.yaml:6: expected valid YAML, found a syntax error (did not find expected '-' indicator)",
        id="yaml-syntax-catalog",
    ),
    pytest.param(
        "neck-lump.yaml",
        None,
        "",
        "scenarios/neck-lump.yaml: expected a mapping of fields, found an empty file",
        id="empty-file",
    ),
    pytest.param(
        "facial-numbness.yaml",
        "vignette: A placeholder patient.\n",
        "",
        "scenarios/facial-numbness.yaml:2: vignette: expected this required field (A short clinical vignette.), found it missing",
        id="missing-field",
    ),
    pytest.param(
        "neck-lump.yaml",
        "  reviewer: Placeholder Reviewer, MD\n",
        "",
        "scenarios/neck-lump.yaml:30: review.reviewer: expected this required field (The reviewer's name, as it should be printed.), found it missing",
        id="missing-nested-field",
    ),
    pytest.param(
        "facial-numbness.yaml",
        "related_tools:",
        "related_tool:",
        "scenarios/facial-numbness.yaml:62: related_tool: expected a known field (did you mean 'related_tools'?), found an unknown field 'related_tool'",
        id="unknown-field",
    ),
    pytest.param(
        "neck-lump.yaml",
        "fits: Placeholder.",
        "fits: Placeholder.\ncolour: blue",
        "scenarios/neck-lump.yaml:10: colour: expected a known field (one of id, title, topic, acr_variant, acr_cite, summary, vignette, fits, inclusion, exclusions, differential, recommendation, ratings, workflow, pitfalls, escalation, faq, sources, matching, related_scenarios, related_tools, acr_variant_wording, population, imaging_phase, claims, fallbacks, red_flags, not_this_scenario, review), found an unknown field 'colour'",
        id="unknown-field-no-match",
    ),
    pytest.param(
        "catalog/procedures.yaml",
        "typical_msv: 2.0",
        "typical_msv: two",
        "scenarios/catalog/procedures.yaml:19: procedures[1].dose.typical_msv: expected a number, found 'two'",
        id="wrong-type-number",
    ),
    pytest.param(
        "neck-lump.yaml",
        "pitfalls: []",
        "pitfalls: none",
        "scenarios/neck-lump.yaml:26: pitfalls: expected a list, found 'none'",
        id="wrong-type-list",
    ),
    pytest.param(
        "neck-lump.yaml",
        "  why: Placeholder why.\n",
        "  why: [a, b]\n",
        "scenarios/neck-lump.yaml:16: recommendation.why: expected text, found a list",
        id="wrong-type-mapping",
    ),
    pytest.param(
        "facial-numbness.yaml",
        "category: may-be-appropriate",
        "category: maybe",
        "scenarios/facial-numbness.yaml:34: ratings[1].category: expected one of 'usually-appropriate', 'may-be-appropriate', 'may-be-appropriate-disagreement', 'usually-not-appropriate', found 'maybe'",
        id="unknown-category",
    ),
    pytest.param(
        "neck-lump.yaml",
        "acr_cite: {source: acr-cranial, confidence: recalled,",
        "acr_cite: {source: acr-cranial, confidence: sure,",
        "scenarios/neck-lump.yaml:6: acr_cite.confidence: expected one of 'verified', 'seed', 'recalled', 'unresolved', found 'sure'",
        id="unknown-confidence",
    ),
    pytest.param(
        "catalog/procedures.yaml",
        "rrl_adult: 3",
        "rrl_adult: 7",
        "scenarios/catalog/procedures.yaml:17: procedures[1].rrl_adult: expected one of 0, 1, 2, 3, 4, 5, found 7",
        id="unknown-rrl",
    ),
    pytest.param(
        "catalog/procedures.yaml",
        "rrl_adult: 3",
        "rrl_adult: 4",
        "scenarios/catalog/procedures.yaml:17: procedures[1].rrl_adult: expected a level listed in catalog/rrl.yaml (0, 1, 3), found 4",
        id="rrl-not-in-catalog",
    ),
    pytest.param(
        "facial-numbness.yaml",
        "  - procedure: us-neck",
        "  - procedure: us-nek",
        "scenarios/facial-numbness.yaml:37: ratings[2].procedure: expected a procedure id from catalog/procedures.yaml (did you mean 'us-neck'?), found 'us-nek'",
        id="unknown-procedure",
    ),
    pytest.param(
        "neck-lump.yaml",
        "topic: cranial-neuropathy",
        "topic: cranial-neuropathies",
        "scenarios/neck-lump.yaml:4: topic: expected a topic id from catalog/topics.yaml (did you mean 'cranial-neuropathy'?), found 'cranial-neuropathies'",
        id="unknown-topic",
    ),
    pytest.param(
        "neck-lump.yaml",
        "sources: [acr-cranial]",
        "sources: [acr-cranal]",
        "scenarios/neck-lump.yaml:34: sources[0]: expected a source id from catalog/sources.yaml (did you mean 'acr-cranial'?), found 'acr-cranal'",
        id="unknown-source",
    ),
    pytest.param(
        "facial-numbness.yaml",
        "facts: [fever]",
        "facts: [fevr]",
        "scenarios/facial-numbness.yaml:16: exclusions[0].facts[0]: expected a fact id from catalog/facts.yaml (did you mean 'fever'?), found 'fevr'",
        id="unknown-fact",
    ),
    pytest.param(
        "neck-lump.yaml",
        "acr_cite: {source: acr-cranial,",
        "acr_cite: {source: ACR cranial,",
        "scenarios/neck-lump.yaml:6: acr_cite.source: expected an id of lowercase letters, digits and hyphens, found 'ACR cranial'",
        id="bad-id-pattern",
    ),
    pytest.param(
        "catalog/sources.yaml",
        "url: https://example.org/acr/cranial",
        "url: example.org",
        "scenarios/catalog/sources.yaml:6: sources[0].url: expected a web address starting with http:// or https://, found 'example.org'",
        id="bad-url",
    ),
    pytest.param(
        "catalog/rrl.yaml",
        "pediatric_min_msv: 0.3",
        "pediatric_min_msv: -0.3",
        "scenarios/catalog/rrl.yaml:18: rrl[2].pediatric_min_msv: expected a number of at least 0, found -0.3",
        id="below-minimum",
    ),
    pytest.param(
        "catalog/sources.yaml",
        "    kind: seed\n",
        "    kind: seed\n  - id: seed-a\n    title: Again\n    kind: paper\n",
        "scenarios/catalog/sources.yaml:10: sources[2].id: expected an id not used before (already used at scenarios/catalog/sources.yaml:7), found 'seed-a'",
        id="duplicate-id",
    ),
    pytest.param(
        "catalog/topics.yaml",
        "          facts_all: [facial-weakness]\n",
        "          facts_all: [facial-weakness]\n      - id: neck-lump\n        acr_variant: Same id.\n        cite: {source: seed-a, confidence: seed}\n",
        "scenarios/catalog/topics.yaml:17: topics[0].variants[1].id: expected an id not used before (already used at scenarios/neck-lump.yaml:2), found 'neck-lump'",
        id="duplicate-scenario-variant",
    ),
    pytest.param(
        "neck-lump.yaml",
        "id: neck-lump",
        "id: neck-lumps",
        "scenarios/neck-lump.yaml:2: id: expected the file name 'neck-lump', found 'neck-lumps'",
        id="file-name-mismatch",
    ),
    pytest.param(
        "facial-numbness.yaml",
        "{scenario: neck-lump}",
        "{scenario: neck-lamp}",
        "scenarios/facial-numbness.yaml:15: exclusions[0].redirect.scenario: expected the id of a scenario file (did you mean 'neck-lump'?), found 'neck-lamp'",
        id="unknown-scenario-link",
    ),
    pytest.param(
        "facial-numbness.yaml",
        "{variant: facial-palsy-variant}",
        "{variant: facial-palsy}",
        "scenarios/facial-numbness.yaml:18: exclusions[1].redirect.variant: expected the id of a variant in catalog/topics.yaml (did you mean 'facial-palsy-variant'?), found 'facial-palsy'",
        id="unknown-variant-link",
    ),
    pytest.param(
        "catalog/topics.yaml",
        "{scenario: neck-lump}",
        "{scenario: neck-lamp}",
        "scenarios/catalog/topics.yaml:19: topics[0].variants[0].exclusions[0].redirect.scenario: expected the id of a scenario file (did you mean 'neck-lump'?), found 'neck-lamp'",
        id="unknown-scenario-link-from-variant",
    ),
    pytest.param(
        "facial-numbness.yaml",
        "related_scenarios: [neck-lump,",
        "related_scenarios: [neck,",
        "scenarios/facial-numbness.yaml:61: related_scenarios[0]: expected the id of a scenario or of a topic variant (did you mean 'neck-lump'?), found 'neck'",
        id="unknown-related",
    ),
    pytest.param(
        "catalog/procedures.yaml",
        "typical_msv: 2.0",
        "typical_msv: 0.95",
        "scenarios/catalog/procedures.yaml:19: procedures[1].dose.typical_msv: expected a dose inside the adult band of RRL 3 (1-10 mSv), found 0.95",
        id="dose-outside-band",
    ),
    pytest.param(
        "catalog/procedures.yaml",
        "low_msv: 0.9",
        "low_msv: 2.5",
        "scenarios/catalog/procedures.yaml:19: procedures[1].dose: expected low_msv <= typical_msv <= high_msv, found low 2.5, typical 2, high 4",
        id="dose-order",
    ),
    pytest.param(
        "catalog/procedures.yaml",
        "      high_msv: 4.0\n",
        "      high_msv: 4.0\n      spread: charts\n",
        "scenarios/catalog/procedures.yaml:22: procedures[1].dose.spread: expected one of 'range', 'sd', 'editions', 'sources', 'activity', found 'charts'",
        id="dose-spread-unknown",
    ),
    pytest.param(
        "facial-numbness.yaml",
        "date: 2026-01-15",
        "date: 2026-13-40",
        "scenarios/facial-numbness.yaml:54: review.date: expected a date YYYY-MM-DD, found '2026-13-40'",
        id="malformed-date",
    ),
    pytest.param(
        "neck-lump.yaml",
        'date: "2026-02-01"',
        "date: 1 Feb 2026",
        "scenarios/neck-lump.yaml:31: review.date: expected a date YYYY-MM-DD, found '1 Feb 2026'",
        id="malformed-date-text",
    ),
    pytest.param(
        "facial-numbness.yaml",
        "  procedure: mri-head-without-and-with\n  why",
        "  procedure: ct-head-without\n  why",
        "scenarios/facial-numbness.yaml:25: recommendation.procedure: expected a procedure rated 'usually-appropriate' in ratings, found 'ct-head-without', rated 'may-be-appropriate'",
        id="recommendation-not-ua",
    ),
    pytest.param(
        "neck-lump.yaml",
        "  procedure: us-neck\n  why",
        "  procedure: ct-head-without\n  why",
        "scenarios/neck-lump.yaml:15: recommendation.procedure: expected a procedure rated 'usually-appropriate' in ratings, found 'ct-head-without', not rated",
        id="recommendation-not-rated",
    ),
    pytest.param(
        "facial-numbness.yaml",
        "  - procedure: us-neck",
        "  - procedure: ct-head-without",
        "scenarios/facial-numbness.yaml:37: ratings[2].procedure: expected each procedure rated once (already rated at ratings[1]), found 'ct-head-without'",
        id="rated-twice",
    ),
    pytest.param(
        "facial-numbness.yaml",
        "redirect: {external: Placeholder ACR pathway}",
        "redirect: {}",
        "scenarios/facial-numbness.yaml:20: exclusions[2].redirect: expected exactly one of scenario, variant or external, found none of them",
        id="redirect-none",
    ),
    pytest.param(
        "facial-numbness.yaml",
        "{scenario: neck-lump}",
        "{scenario: neck-lump, external: Elsewhere}",
        "scenarios/facial-numbness.yaml:15: exclusions[0].redirect: expected exactly one of scenario, variant or external, found scenario and external",
        id="redirect-two",
    ),
    pytest.param(
        "catalog/synonyms.yaml",
        None,
        None,
        "scenarios/catalog/synonyms.yaml: expected a catalog file with a 'synonyms:' list, found no such file",
        id="missing-catalog",
    ),
    pytest.param(
        "neck-lump.yaml",
        "fits: Placeholder.\n",
        "fits: Placeholder.\nfits: Again.\n",
        "scenarios/neck-lump.yaml:10: fits: expected each key once (first given at line 9), found 'fits' again",
        id="duplicate-field",
    ),
    pytest.param(
        "stray.yml",
        None,
        "id: stray\n",
        "scenarios/stray.yml: expected a file name ending in .yaml, found '.yml'",
        id="yml-file-name",
    ),
    pytest.param(
        "catalog/procedure.yaml",
        None,
        "procedure: []\n",
        "scenarios/catalog/procedure.yaml: expected one of the catalog files sources.yaml, rrl.yaml, procedures.yaml, topics.yaml, facts.yaml, concepts.yaml, synonyms.yaml, found an unknown file",
        id="unknown-catalog-file",
    ),
    pytest.param(
        "catalog/topics.yaml",
        "        top_category: usually-appropriate\n",
        "",
        "scenarios/catalog/topics.yaml:13: topics[0].variants[0].top_procedure: expected top_procedure and top_category given together, found only top_procedure",
        id="variant-top-without-category",
    ),
    pytest.param(
        "neck-lump.yaml",
        None,
        "- id: neck-lump\n",
        "scenarios/neck-lump.yaml:1: expected a mapping of fields, found a list",
        id="scenario-not-mapping",
    ),
    pytest.param(
        "catalog/synonyms.yaml",
        "synonyms:\n",
        "synonym:\n  - [a, b]\nsynonyms:\n",
        "scenarios/catalog/synonyms.yaml:2: synonym: expected a known field (did you mean 'synonyms'?), found an unknown field 'synonym'",
        id="catalog-unknown-top-level-field",
    ),
    pytest.param(
        "catalog/synonyms.yaml",
        "synonyms:\n  - [numbness, paresthesia, tingling]\n",
        "synonyms: numbness\n",
        "scenarios/catalog/synonyms.yaml:2: synonyms: expected a list, found 'numbness'",
        id="catalog-not-a-list",
    ),
]


_RATING = "    cite: {source: acr-cranial, confidence: recalled, note: Placeholder reason.}"
_VARIANT_CITE = "        cite: {source: seed-a, confidence: seed}\n        top_procedure"
_CLAIMS = "claims:\n  - at: {at}\n    statement: A statement.\n    cite: {{source: {source}, confidence: {mark}}}\nrelated_tools:"

# Provenance: which source kind can support which mark, for which fact (sitegen.data.provenance).
PROVENANCE_CASES = [
    pytest.param(
        "neck-lump.yaml",
        _RATING,
        "    cite: {source: seed-a, confidence: verified}",
        "scenarios/neck-lump.yaml:21: ratings[0].cite.confidence: expected 'seed' or 'unresolved' for a rating from a seed article, found 'verified'",
        id="rating-verified-from-seed",
    ),
    pytest.param(
        "neck-lump.yaml",
        _RATING,
        "    cite: {source: paper-a, confidence: verified}",
        "scenarios/neck-lump.yaml:21: ratings[0].cite.confidence: expected 'recalled' or 'unresolved' for a rating from a peer-reviewed paper (only an ACR document can verify a rating), found 'verified'",
        id="rating-verified-from-paper",
    ),
    pytest.param(
        "neck-lump.yaml",
        _RATING,
        "    cite: {source: summary-a, confidence: verified}",
        "scenarios/neck-lump.yaml:21: ratings[0].cite.confidence: expected 'recalled' or 'unresolved' for a rating from a secondary summary, found 'verified'",
        id="rating-verified-from-secondary",
    ),
    pytest.param(
        "catalog/procedures.yaml",
        "cite: {source: paper-a, confidence: recalled, note: fixture figure}",
        "cite: {source: old-a, confidence: verified}",
        "scenarios/catalog/procedures.yaml:22: procedures[1].dose.cite.confidence: expected 'recalled' or 'unresolved' for a dose figure from a superseded document, found 'verified'",
        id="dose-verified-from-superseded",
    ),
    pytest.param(
        "catalog/rrl.yaml",
        "    cite: {source: acr-cranial, confidence: verified}\n  - level: 1",
        "    cite: {source: seed-a, confidence: verified}\n  - level: 1",
        "scenarios/catalog/rrl.yaml:8: rrl[0].cite.confidence: expected 'seed' or 'unresolved' for a radiation level from a seed article, found 'verified'",
        id="rrl-band-verified-from-seed",
    ),
    pytest.param(
        "neck-lump.yaml",
        "acr_cite: {source: acr-cranial, confidence: recalled, note: Placeholder reason.}",
        "acr_cite: {source: acr-cranial, confidence: seed}",
        "scenarios/neck-lump.yaml:6: acr_cite.confidence: expected 'verified', 'recalled' or 'unresolved' for variant wording from an ACR document ('seed' is for seed articles only), found 'seed'",
        id="seed-mark-from-acr",
    ),
    pytest.param(
        "neck-lump.yaml",
        _RATING,
        "    cite: {source: acr-cranial, confidence: recalled}",
        "scenarios/neck-lump.yaml:21: ratings[0].cite.note: expected the reason for the mark 'recalled', shown to readers beside it, found no note",
        id="recalled-without-reason",
    ),
    pytest.param(
        "neck-lump.yaml",
        _RATING,
        "    cite: {source: acr-cranial, confidence: recalled, note: x, disagrees: [paper-a]}",
        "scenarios/neck-lump.yaml:21: ratings[0].cite.confidence: expected 'unresolved' for a cite whose sources disagree (disagrees: paper-a), found 'recalled'",
        id="conflict-not-unresolved",
    ),
    pytest.param(
        "neck-lump.yaml",
        _RATING,
        "    cite: {source: acr-cranial, confidence: unresolved, note: x, disagrees: [paper-b]}",
        "scenarios/neck-lump.yaml:21: ratings[0].cite.disagrees[0]: expected a source id from catalog/sources.yaml (did you mean 'paper-a'?), found 'paper-b'",
        id="conflict-with-unknown-source",
    ),
    pytest.param(
        "neck-lump.yaml",
        _RATING,
        "    cite: {source: acr-cranial, confidence: unresolved, note: x, disagrees: [acr-cranial]}",
        "scenarios/neck-lump.yaml:21: ratings[0].cite.disagrees[0]: expected a source other than the cite's own, found 'acr-cranial'",
        id="conflict-with-itself",
    ),
    pytest.param(
        "facial-numbness.yaml",
        "acr_cite: {source: seed-a, confidence: seed}\n",
        "acr_cite: {source: seed-a, confidence: seed}\nacr_variant_wording: verbatim\n",
        "scenarios/facial-numbness.yaml:7: acr_variant_wording: expected 'paraphrase' unless the wording was read, and marked 'verified', in an ACR document, found 'verbatim' with a cite marked 'seed' from a seed article",
        id="verbatim-wording-from-seed",
    ),
    pytest.param(
        "catalog/topics.yaml",
        "        cite: {source: seed-a, confidence: seed}\n",
        "        cite: {source: seed-a, confidence: seed}\n        wording: verbatim\n",
        "scenarios/catalog/topics.yaml:13: topics[0].variants[0].wording: expected 'paraphrase' unless the wording was read, and marked 'verified', in an ACR document, found 'verbatim' with a cite marked 'seed' from a seed article",
        id="verbatim-variant-wording-from-seed",
    ),
    pytest.param(
        "catalog/topics.yaml",
        _VARIANT_CITE,
        "        cite: {source: summary-a, confidence: verified}\n        top_procedure",
        "scenarios/catalog/topics.yaml:12: topics[0].variants[0].cite.confidence: expected 'recalled' or 'unresolved' for a rating from a secondary summary, found 'verified'",
        id="variant-top-rating-verified-from-secondary",
    ),
    pytest.param(
        "catalog/topics.yaml",
        _VARIANT_CITE,
        "        cite: {source: acr-cranial, confidence: verified}\n        top_cite: {source: summary-a, confidence: verified}\n        top_procedure",
        "scenarios/catalog/topics.yaml:13: topics[0].variants[0].top_cite.confidence: expected 'recalled' or 'unresolved' for a rating from a secondary summary, found 'verified'",
        id="variant-top-cite-verified-from-secondary",
    ),
    pytest.param(
        "catalog/topics.yaml",
        "        top_procedure: mri-head-without-and-with\n        top_category: usually-appropriate\n",
        "        top_cite: {source: seed-a, confidence: seed}\n",
        "scenarios/catalog/topics.yaml:13: topics[0].variants[0].top_cite: expected top_cite only beside top_procedure, found top_cite alone",
        id="top-cite-without-top",
    ),
    pytest.param(
        "facial-numbness.yaml",
        "  points: [Placeholder point]\n",
        "  points: [Placeholder point]\n  add_on: ct-head-without\n",
        "scenarios/facial-numbness.yaml:28: recommendation.add_on: expected another procedure rated 'usually-appropriate', found 'ct-head-without', not rated 'usually-appropriate'",
        id="add-on-not-usually-appropriate",
    ),
    pytest.param(
        "facial-numbness.yaml",
        "  points: [Placeholder point]\n",
        "  points: [Placeholder point]\n  add_on: mri-head-without-and-with\n",
        "scenarios/facial-numbness.yaml:28: recommendation.add_on: expected another procedure rated 'usually-appropriate', found 'mri-head-without-and-with', the recommended study itself",
        id="add-on-is-the-recommended-study",
    ),
    pytest.param(
        "facial-numbness.yaml",
        "  points: [Placeholder point]\n",
        "  points: [Placeholder point]\n  cite: {source: summary-a, confidence: seed}\n",
        "scenarios/facial-numbness.yaml:28: recommendation.cite.confidence: expected 'recalled' or 'unresolved' for a clinical statement from a secondary summary ('seed' is for seed articles only), found 'seed'",
        id="first-choice-from-summary-marked-seed",
    ),
    pytest.param(
        "facial-numbness.yaml",
        "related_tools:",
        _CLAIMS.format(at="title", source="paper-a", mark="verified"),
        "scenarios/facial-numbness.yaml:63: claims[0].at: expected the path of a text that can carry a citation: summary, vignette, fits, inclusion[].text, differential[].text, recommendation.why, recommendation.points[], workflow.positive[], workflow.negative[], workflow.indeterminate[], pitfalls[].text, escalation, faq[].answer, fallbacks[].text, red_flags[].then, not_this_scenario[].then, found 'title'",
        id="claim-on-a-title",
    ),
    pytest.param(
        "facial-numbness.yaml",
        "related_tools:",
        _CLAIMS.format(at="faq[3].answer", source="paper-a", mark="verified"),
        "scenarios/facial-numbness.yaml:63: claims[0].at: expected the path of a text in this scenario, found 'faq[3].answer', which is not in this scenario",
        id="claim-on-a-missing-answer",
    ),
    pytest.param(
        "facial-numbness.yaml",
        "related_tools:",
        _CLAIMS.format(at="faq[0].answer", source="summary-a", mark="verified"),
        "scenarios/facial-numbness.yaml:65: claims[0].cite.confidence: expected 'recalled' or 'unresolved' for a clinical statement from a secondary summary, found 'verified'",
        id="claim-verified-from-summary",
    ),
    pytest.param(
        "facial-numbness.yaml",
        "redirect: {external: Placeholder ACR pathway}",
        "redirect: {scenario: neck-lump, url: https://example.org/acr}",
        "scenarios/facial-numbness.yaml:20: exclusions[2].redirect.url: expected an address only beside external, found 'https://example.org/acr'",
        id="redirect-address-without-external",
    ),
    pytest.param(
        "neck-lump.yaml",
        "  fingerprint: sha256:0",
        "  fingerprint: sha1:0",
        "scenarios/neck-lump.yaml:33: review.fingerprint: expected a fingerprint as `python build.py fingerprint <id>` prints it (sha256:...), found 'sha1:0000000000000000000000000000000000000000000000000000...'",
        id="review-fingerprint-malformed",
    ),
    pytest.param(
        "catalog/sources.yaml",
        "    kind: seed\n",
        "    kind: web\n",
        "scenarios/catalog/sources.yaml:9: sources[1].kind: expected one of 'acr', 'paper', 'report', 'seed', 'secondary', 'superseded', found 'web'",
        id="unknown-source-kind",
    ),
]


@pytest.mark.parametrize(("file", "old", "new", "message"), CASES + PROVENANCE_CASES)
def test_one_error(tmp_path: Path, file: str, old: str | None, new: str | None, message: str) -> None:
    root = _copy(tmp_path)
    _patch(root, file, old, new)
    assert _messages(root) == [message]


def test_errors_from_several_files_come_together(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    _patch(root, "facial-numbness.yaml", "category: may-be-appropriate", "category: maybe")
    _patch(root, "neck-lump.yaml", 'date: "2026-02-01"', "date: 2026-02-30")
    _patch(root, "catalog/procedures.yaml", "typical_msv: 2.0", "typical_msv: two")
    _patch(root, "catalog/topics.yaml", "top_procedure: mri-head-without-and-with", "top_procedure: mri-head")
    with pytest.raises(DataError) as caught:
        load_dataset(root)
    assert str(caught.value).splitlines() == [
        "4 errors in the data files:",
        "  scenarios/catalog/procedures.yaml:19: procedures[1].dose.typical_msv: expected a number, found 'two'",
        "  scenarios/catalog/topics.yaml:13: topics[0].variants[0].top_procedure: expected a procedure id from catalog/procedures.yaml, found 'mri-head'",
        "  scenarios/facial-numbness.yaml:34: ratings[1].category: expected one of 'usually-appropriate',"
        " 'may-be-appropriate', 'may-be-appropriate-disagreement', 'usually-not-appropriate', found 'maybe'",
        "  scenarios/neck-lump.yaml:31: review.date: expected a date YYYY-MM-DD, found '2026-02-30'",
    ]


def test_plain_words_yaml_reads_as_booleans_are_text_in_text_fields(tmp_path: Path) -> None:
    # YAML 1.1 reads a bare `No` as false; an editor means the word.
    root = _copy(tmp_path)
    _patch(root, "neck-lump.yaml", "escalation: Placeholder.", "escalation: No")
    assert load_dataset(root).scenarios[1].escalation == "No"


def test_one_file_with_several_errors_reports_each(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    _patch(root, "neck-lump.yaml", "escalation: Placeholder.\n", "escalaton: Placeholder.\n")
    _patch(root, "neck-lump.yaml", "  - procedure: us-neck\n", "  - procedure: us-neck\n    rrl: 3\n")
    assert _messages(root) == [
        "scenarios/neck-lump.yaml:2: escalation: expected this required field"
        " (When and whom to call for help.), found it missing",
        "scenarios/neck-lump.yaml:19: ratings[0].rrl: expected a known field (one of procedure, category, rationale, cite), found an unknown field 'rrl'",
        "scenarios/neck-lump.yaml:28: escalaton: expected a known field (did you mean 'escalation'?),"
        " found an unknown field 'escalaton'",
    ]


def test_reload_sees_each_edit(tmp_path: Path) -> None:
    # Unchanged files are reused between loads (mkdocs serve); an edit must still show at once.
    root = _copy(tmp_path)
    assert load_dataset(root).scenarios[1].summary == "Order the placeholder ultrasound."
    _patch(root, "neck-lump.yaml", "summary: Order the placeholder ultrasound.", "summary: Order an US.")
    assert load_dataset(root).scenarios[1].summary == "Order an US."
    _patch(root, "neck-lump.yaml", "category: usually-appropriate", "category: maybe")
    assert _messages(root)[0].startswith("scenarios/neck-lump.yaml:19: ratings[0].category: expected one of")
    _patch(root, "neck-lump.yaml", "category: maybe", "category: usually-appropriate")
    assert load_dataset(root).scenarios[1].ratings[0].category == "usually-appropriate"


@pytest.mark.skipif(not hasattr(_fork.os, "fork"), reason="no fork on this platform")
def test_files_parsed_in_a_forked_child_give_the_same_data_and_messages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Large data sets parse half their files in a child; every fixture is far below that size.
    serial = load_dataset(_copy(tmp_path / "serial"))
    monkeypatch.setattr(_fork, "MIN_ITEMS", 1)
    monkeypatch.setattr(_fork, "_can_fork", lambda: True)
    assert load_dataset(_copy(tmp_path / "forked")) == serial
    root = _copy(tmp_path / "broken")
    _patch(root, "neck-lump.yaml", "category: usually-appropriate", "category: maybe")
    _patch(root, "facial-numbness.yaml", "escalation: Placeholder", "escalaton: Placeholder")
    forked = _messages(root)
    monkeypatch.setattr(_fork, "MIN_ITEMS", 10**9)
    assert forked == _messages(_copy(tmp_path / "broken-serial", root))


def test_answer_card_rules_each_name_their_field(tmp_path: Path) -> None:
    # issue 11: fallbacks and red flags are declared, validated and cited like every clinical claim
    root = _copy(tmp_path)
    card = (
        "pitfalls: []\n"
        "fallbacks:\n"
        "  - {when: no-mri, text: Order the other study., procedure: mri-head-without-and-with,\n"
        "     cite: {source: acr-cranial, confidence: verified}}\n"
        "  - {when: no-mri, text: Ask radiology., cite: {source: acr-cranial, confidence: seed}}\n"
        "red_flags:\n"
        "  - {flag: Fever, then: Think of infection., goes_to: no-such-variant,\n"
        "     cite: {source: acr-cranial, confidence: recalled}}\n"
    )
    _patch(root, "neck-lump.yaml", "pitfalls: []\n", card)
    assert _messages(root) == [
        "scenarios/neck-lump.yaml:28: fallbacks[0].procedure: expected a procedure rated in this scenario's"
        " ratings, found 'mri-head-without-and-with'",
        "scenarios/neck-lump.yaml:30: fallbacks[1].cite.confidence: expected 'verified', 'recalled' or"
        " 'unresolved' for a clinical statement from an ACR document ('seed' is for seed articles only),"
        " found 'seed'",
        "scenarios/neck-lump.yaml:30: fallbacks[1].when: expected one entry per case (already given at"
        " fallbacks[0]), found 'no-mri'",
        "scenarios/neck-lump.yaml:32: red_flags[0].goes_to: expected the id of a scenario or of a topic"
        " variant, found 'no-such-variant'",
        "scenarios/neck-lump.yaml:33: red_flags[0].cite.note: expected the reason for the mark 'recalled',"
        " shown to readers beside it, found no note",
    ]
    _patch(root, "neck-lump.yaml", "when: no-mri, text: Ask", "when: no-scanner, text: Ask")
    assert _messages(root) == [
        "scenarios/neck-lump.yaml:30: fallbacks[1].when: expected one of 'no-mri', 'no-contrast',"
        " 'no-mri-no-contrast', found 'no-scanner'"
    ]


def test_red_flags_run_by_urgency_and_redirects_are_checked_like_them(tmp_path: Path) -> None:
    # phone review 9: emergencies first, then urgent, then the rest; redirects are a list of their own
    root = _copy(tmp_path)
    card = (
        "pitfalls: []\n"
        "red_flags:\n"
        "  - {flag: Fever, then: Think of infection., cite: {source: acr-cranial, confidence: verified}}\n"
        "  - {flag: Weak legs, urgency: emergency, then: Refer now.,\n"
        "     cite: {source: acr-cranial, confidence: verified}}\n"
        "  - {flag: Weight loss, urgency: urgent, then: Image soon., cite: {source: acr-cranial, confidence: verified}}\n"
        "  - {flag: Incontinence, urgency: emergency, then: Refer now.,\n"
        "     cite: {source: acr-cranial, confidence: verified}}\n"
        "not_this_scenario:\n"
        "  - {flag: A child, then: Another variant., goes_to: no-such-variant,\n"
        "     cite: {source: acr-cranial, confidence: recalled}}\n"
    )
    _patch(root, "neck-lump.yaml", "pitfalls: []\n", card)
    assert _messages(root) == [
        "scenarios/neck-lump.yaml:29: red_flags[1].urgency: expected red flags ordered emergency, then urgent,"
        " then the rest (red_flags[0] above it has no urgency), found 'emergency'",
        "scenarios/neck-lump.yaml:32: red_flags[3].urgency: expected red flags ordered emergency, then urgent,"
        " then the rest (red_flags[2] above it is marked 'urgent'), found 'emergency'",
        "scenarios/neck-lump.yaml:35: not_this_scenario[0].goes_to: expected the id of a scenario or of a topic"
        " variant, found 'no-such-variant'",
        "scenarios/neck-lump.yaml:36: not_this_scenario[0].cite.note: expected the reason for the mark"
        " 'recalled', shown to readers beside it, found no note",
    ]
    # an urgency belongs to a red flag only, and takes one of two words
    _patch(root, "neck-lump.yaml", "urgency: urgent, then: Image", "urgency: soon, then: Image")
    _patch(root, "neck-lump.yaml", "A child, then:", "A child, urgency: urgent, then:")
    assert _messages(root) == [
        "scenarios/neck-lump.yaml:31: red_flags[2].urgency: expected one of 'emergency', 'urgent', found 'soon'",
        "scenarios/neck-lump.yaml:35: not_this_scenario[0].urgency: expected a known field (one of flag, then,"
        " cite, goes_to), found an unknown field 'urgency'",
    ]
