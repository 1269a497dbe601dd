"""The calculator catalog (format 1): what the in-browser calculators need, exported from a DataSet.

``calculator/data/catalog.json`` is committed and checked fresh, so the bytes must be deterministic.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sitegen._files import write_if_changed
from sitegen.data import model
from sitegen.data.provenance import mark_words

__all__ = ["FORMAT", "calculator_catalog", "catalog_text", "recommended_name", "rrl_symbol", "write_catalog"]

FORMAT = 1


def rrl_symbol(level: int) -> str:
    """A white circle for no ionising radiation (ACR prints an O, which reads as a letter in our fonts),
    otherwise one radiation sign per level; shown beside the level in words, never in a sentence."""
    return "○" if level == 0 else "☢" * level


def recommended_name(s: model.Scenario, names: dict[str, str]) -> str:
    """The recommended study, with the study done in the same examination when there is one."""
    rec = s.recommendation
    name = names.get(rec.procedure, rec.procedure)
    if rec.add_on and rec.add_on in names:
        name += f", with {names[rec.add_on]} in the same examination"
    return name


def _words(c: model.Cite, fact: str, kinds: Mapping[str, str]) -> str:
    """How sure we are of a cited figure, in the words the pages print (for the calculators' reports)."""
    return mark_words(fact, kinds.get(c.source, ""), c.confidence, bool(c.disagrees))


def _one_cite(v: model.SiblingVariant) -> bool:
    """A variant whose one cite covers its top rating too (validation checks it as a rating's)."""
    return bool(v.top_procedure) and v.top_cite is None


def _procedure(p: model.Procedure, kinds: Mapping[str, str]) -> dict[str, Any]:
    dose = None
    if p.dose is not None:
        d = p.dose
        dose = {
            "typical_msv": d.typical_msv,
            "low_msv": d.low_msv,
            "high_msv": d.high_msv,
            # range: low and high are the reported range; sd: typical is a mean, low and high ± 1 SD
            "spread": d.spread,
            "source": d.cite.source,
            "confidence": d.cite.confidence,
            # why a figure is uncertain: the dose calculator shows it beside unchecked figures
            "note": d.cite.note,
            "confidence_words": _words(d.cite, "dose", kinds),
        }
    return {
        "id": p.id,
        "name": p.name,
        "modality": p.modality,
        "region": p.region,
        "contrast": p.contrast,
        "rrl_adult": p.rrl_adult,
        "rrl_pediatric": p.rrl_pediatric,
        "dose": dose,
        "synonyms": list(p.synonyms),
    }


def _redirect(r: model.Redirect, titles: dict[str, str], topics: dict[str, str]) -> dict[str, str]:
    # Validation guarantees exactly one target that exists.
    if r.scenario:
        return {
            "kind": "scenario",
            "id": r.scenario,
            "title": titles[r.scenario],
            "url": f"scenarios/{r.scenario}/",
        }
    if r.variant:
        url = f"topics/{topics[r.variant]}/#{r.variant}"
        return {"kind": "variant", "id": r.variant, "title": titles[r.variant], "url": url}
    return {"kind": "external", "id": "", "title": r.external, "url": ""}


def _exclusions(
    exclusions: list[model.Exclusion], titles: dict[str, str], topics: dict[str, str]
) -> list[dict[str, Any]]:
    return [
        {"text": e.text, "facts": list(e.facts), "redirect": _redirect(e.redirect, titles, topics)}
        for e in exclusions
    ]


def _entry(
    kind: str, ident: str, topic: model.Topic, matching: model.Matching, **rest: Any
) -> dict[str, Any]:
    """Fields that articles and variants share; the URL is the article page or the guide's anchor."""
    url = f"scenarios/{ident}/" if kind == "article" else f"topics/{topic.id}/#{ident}"
    return {
        "id": ident,
        "kind": kind,
        "topic": topic.id,
        "topic_title": topic.title,
        "url": url,
        "facts_all": list(matching.facts_all),
        "facts_any": list(matching.facts_any),
        "keywords": list(matching.keywords),
        "concepts": list(matching.concepts),
        "adults_only": matching.adults_only,
        **rest,
    }


def _scenarios(ds: model.DataSet) -> list[dict[str, Any]]:
    kinds = {s.id: s.kind for s in ds.catalogs.sources}
    topics = {t.id: t for t in ds.catalogs.topics}
    names = {p.id: p.name for p in ds.catalogs.procedures}
    titles = {s.id: s.title for s in ds.scenarios}
    titles.update({v.id: v.acr_variant for t in ds.catalogs.topics for v in t.variants})
    variant_topic = {v.id: t.id for t in ds.catalogs.topics for v in t.variants}
    out = []
    for s in ds.scenarios:
        exclusions = _exclusions(s.exclusions, titles, variant_topic)
        # Validation guarantees the recommended study is rated usually-appropriate.
        rating = next(r for r in s.ratings if r.procedure == s.recommendation.procedure)
        top = {
            "procedure": s.recommendation.procedure,
            "procedure_name": recommended_name(s, names),
            "category": "usually-appropriate",
            "confidence_words": _words(rating.cite, "rating", kinds),
        }
        out.append(
            _entry(
                "article",
                s.id,
                topics[s.topic],
                s.matching,
                title=s.title,
                acr_variant=s.acr_variant,
                summary=s.summary,
                exclusions=exclusions,
                top=top,
                source=s.acr_cite.source,
                confidence=s.acr_cite.confidence,
                confidence_words=_words(s.acr_cite, "variant", kinds),
            )
        )
    for t in ds.catalogs.topics:
        for v in t.variants:
            # A variant's top study is shown only when both the study and its category are sourced.
            variant_top = None
            if v.top_procedure and v.top_category:
                variant_top = {
                    "procedure": v.top_procedure,
                    "procedure_name": names[v.top_procedure],
                    "category": v.top_category,
                    "confidence_words": _words(v.top_cite or v.cite, "rating", kinds),
                }
            out.append(
                _entry(
                    "variant",
                    v.id,
                    t,
                    v.matching,
                    title=v.acr_variant,
                    acr_variant=v.acr_variant,
                    summary="",
                    exclusions=_exclusions(v.exclusions, titles, variant_topic),
                    top=variant_top,
                    source=v.cite.source,
                    confidence=v.cite.confidence,
                    confidence_words=_words(v.cite, "rating" if _one_cite(v) else "variant", kinds),
                )
            )
    return sorted(out, key=lambda entry: entry["id"])


def _fact(f: model.Fact, kinds: Mapping[str, str]) -> dict[str, Any]:
    """A fact with the rules that read it from text (the matcher's vocabulary is ``concepts``)."""
    rules = [
        {
            "concepts": list(r.concepts),
            "facts": list(r.facts),
            "without": list(r.without),
            "scope": r.scope,
            "near": r.near,
            "status": list(r.status),
            "assumed": r.assumed,
        }
        for r in f.when
    ]
    nc, caution = f.not_covered, f.caution
    return {
        "id": f.id,
        "label": f.label,
        "help": f.help,
        "group": f.group,
        "synonyms": list(f.synonyms),
        "when": rules,
        "unless": list(f.unless),
        "counts": list(f.counts),
        "not_covered": None
        if nc is None
        else {
            "text": nc.text,
            "acr_topic": nc.acr_topic,
            "source": nc.cite.source,
            "confidence": nc.cite.confidence,
            "confidence_words": _words(nc.cite, "topic", kinds),
            "urgent": nc.urgent,
            "see": nc.see,
        },
        "caution": None
        if caution is None
        else {
            "text": caution.text,
            "urgent": caution.urgent,
            "see": caution.see,
            "source": caution.cite.source if caution.cite else "",
            "confidence": caution.cite.confidence if caution.cite else "",
            "confidence_words": _words(caution.cite, "claim", kinds) if caution.cite else "",
        },
    }


def _concept(k: model.Concept) -> dict[str, Any]:
    m = k.measure
    return {
        "id": k.id,
        "kind": k.kind,
        "label": k.label,
        "terms": list(k.terms),
        "misspellings": list(k.misspellings),
        "absent_terms": list(k.absent_terms),
        "implies": list(k.implies),
        "modifier": k.modifier,
        "direction": k.direction,
        "reach": k.reach,
        "lists": k.lists,
        "stands_alone": k.stands_alone,
        "measure": None if m is None else {"quantity": m.quantity, "at_least": m.at_least, "below": m.below},
        "guess": None
        if k.guess is None
        else {"endings": list(k.guess.endings), "before": list(k.guess.before), "capitals": k.guess.capitals},
    }


def calculator_catalog(ds: model.DataSet) -> dict[str, Any]:
    """The catalog as a JSON-ready dict, every list sorted by id (RRL bands by level)."""
    c = ds.catalogs
    kinds = {s.id: s.kind for s in c.sources}
    return {
        "format": FORMAT,
        "sources": {s.id: {"title": s.title, "url": s.url, "kind": s.kind} for s in c.sources},
        "rrl": [
            {
                "level": b.level,
                "symbol": rrl_symbol(b.level),
                "adult_msv": [b.adult_min_msv, b.adult_max_msv],
                "pediatric_msv": [b.pediatric_min_msv, b.pediatric_max_msv],
                "source": b.cite.source,
                "confidence": b.cite.confidence,
                "confidence_words": _words(b.cite, "rrl", kinds),
            }
            for b in sorted(c.rrl, key=lambda b: b.level)
        ],
        "procedures": [_procedure(p, kinds) for p in sorted(c.procedures, key=lambda p: p.id)],
        "facts": [_fact(f, kinds) for f in sorted(c.facts, key=lambda f: f.id)],
        "concepts": [_concept(k) for k in sorted(c.concepts, key=lambda k: k.id)],
        "synonyms": [list(group) for group in c.synonyms],
        "scenarios": _scenarios(ds),
    }


def catalog_text(ds: model.DataSet) -> str:
    """The exact text of catalog.json: sorted keys, indent 1, UTF-8 as is, trailing newline."""
    return json.dumps(calculator_catalog(ds), sort_keys=True, indent=1, ensure_ascii=False) + "\n"


def write_catalog(ds: model.DataSet, path: Path) -> bool:
    """Write the catalog to ``path`` unless it already holds the same bytes; True if it changed."""
    return write_if_changed(path, catalog_text(ds))


# python -m sitegen.data.export: refresh calculator/data/catalog.json from the data
if __name__ == "__main__":
    from sitegen.data.validate import load_dataset

    project = Path(__file__).resolve().parents[2]
    changed = write_catalog(load_dataset(project), project / "calculator" / "data" / "catalog.json")
    print("calculator/data/catalog.json", "updated" if changed else "unchanged")
