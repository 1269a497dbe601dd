"""Checks of the matcher's vocabulary across files: concepts (catalog/concepts.yaml), the rules that read
facts from them (catalog/facts.yaml) and the concepts scenarios name in ``matching``.

Called by ``sitegen.data.validate.cross_check``; every problem is reported, none stops the others.
"""

from __future__ import annotations

import typing
from collections.abc import Iterable
from typing import Any, Protocol

from sitegen.data import cites

__all__ = ["check_concepts", "check_facts", "check_matching_concepts"]

CONCEPT = "a concept id from catalog/concepts.yaml"
#: Fact groups whose facts answer instead of a scenario (emergency: always; outside: when none fits).
_ANSWERED = ("emergency", "outside")
Located = list[tuple[str, str, Any]]


class Checker(cites.Reporter, Protocol):
    """What the validator's collector offers (see ``sitegen.data.validate._Checker``)."""

    def facts(self, file: str, path: str, ids: Iterable[str], facts: typing.Container[str]) -> None: ...


def _refs(c: Checker, file: str, path: str, ids: Iterable[str], known: typing.Container[str]) -> None:
    for k, value in enumerate(ids):
        c.ref(file, f"{path}[{k}]", value, known, CONCEPT)


def check_concepts(c: Checker, concepts: Located, known: typing.Container[str]) -> None:
    """Implied concepts exist; modifiers only on modifier concepts; every concept can be reached."""
    implied = {target for _, _, concept in concepts for target in concept.implies}
    for file, path, concept in concepts:
        _refs(c, file, f"{path}.implies", concept.implies, known)
        if concept.kind == "modifier" and not concept.modifier:
            c.add(
                file, f"{path}.modifier", "what the trigger does, for a concept of kind modifier", "nothing"
            )
        if concept.kind != "modifier" and concept.modifier:
            c.add(file, f"{path}.modifier", "no modifier outside kind modifier", repr(concept.modifier))
        m = concept.measure
        if m is not None and m.at_least is None and m.below is None:
            c.add(file, f"{path}.measure", "at_least, below or both", "neither")
        words = [*concept.terms, *concept.misspellings, *concept.absent_terms]
        seen: set[str] = set()
        for name in ("terms", "misspellings", "absent_terms"):
            for k, term in enumerate(getattr(concept, name)):
                where = f"{path}.{name}[{k}]"
                if not term.strip():
                    c.add(file, where, "a word or phrase", "an empty term")
                elif term.casefold() in seen:
                    c.add(file, where, "each term once in a concept", repr(term))
                seen.add(term.casefold())
        g = concept.guess
        if g is not None and concept.kind in ("modifier", "word"):
            c.add(file, f"{path}.guess", "a guess only on a concept that means a finding", repr(concept.kind))
        if g is not None and not (g.endings or g.before or g.capitals):
            c.add(file, f"{path}.guess", "endings, before or capitals", "none of them")
        reachable = words or m is not None or g is not None or concept.id in implied or concept.kind == "word"
        if not reachable:
            c.add(file, path, "terms, a measure or another concept that implies this one", "none of them")


def check_facts(c: Checker, facts: Located, known: dict[str, Any]) -> None:
    """Rules name existing concepts and facts, without circles; emergency facts say what to do instead."""
    needs: dict[str, set[str]] = {}
    for file, path, fact in facts:
        for i, rule in enumerate(fact.when):
            where = f"{path}.when[{i}]"
            if not rule.concepts and not rule.facts:
                c.add(file, where, "concepts, facts or both", "neither")
            _refs(c, file, f"{where}.concepts", rule.concepts, known["concepts"])
            _refs(c, file, f"{where}.without", rule.without, known["concepts"])
            c.facts(file, f"{where}.facts", rule.facts, known["facts"])
            needs.setdefault(fact.id, set()).update(rule.facts)
        c.facts(file, f"{path}.unless", fact.unless, known["facts"])
        needs.setdefault(fact.id, set()).update(fact.unless)
        _check_answers(c, file, path, fact, known)
    places = {fact.id: (file, path) for file, path, fact in facts}
    for fid, circle in _circles(needs):
        file, path = places[fid]
        c.add(
            file,
            f"{path}.when",
            "rules that do not lead back to their own fact",
            "a circle: " + " -> ".join(circle),
        )


def _check_answers(c: Checker, file: str, path: str, fact: Any, known: dict[str, Any]) -> None:
    """Emergency and outside facts say what to do instead; cautions and pointers name real pages."""
    nc = fact.not_covered
    if fact.group in _ANSWERED and nc is None:
        expected = f"the answer given instead, for a fact of group {fact.group}"
        c.add(file, f"{path}.not_covered", expected, "none")
    if fact.group not in _ANSWERED and nc is not None:
        c.add(file, f"{path}.not_covered", "no not_covered outside groups emergency and outside", "one")
    if nc is not None:
        # the cite names the ACR topic to consult
        cites.cite(c, file, f"{path}.not_covered.cite", nc.cite, known["sources"], "topic")
        if nc.urgent and fact.group != "outside":
            c.add(file, f"{path}.not_covered.urgent", "urgent only for a fact of group outside", "true")
        _page(c, file, f"{path}.not_covered.see", nc.see, known)
    if fact.caution is not None:
        cites.cite(c, file, f"{path}.caution.cite", fact.caution.cite, known["sources"], "claim")
        if fact.caution.urgent and fact.caution.cite is None:
            c.add(file, f"{path}.caution.cite", "a source for an urgent warning", "none")
        _page(c, file, f"{path}.caution.see", fact.caution.see, known)


def _page(c: Checker, file: str, path: str, ident: str, known: dict[str, Any]) -> None:
    if ident and ident not in known.get("scenarios", {}) and ident not in known.get("variants", {}):
        c.add(file, path, "the id of a scenario or of a topic variant", repr(ident))


def _circles(needs: dict[str, set[str]]) -> list[tuple[str, list[str]]]:
    """Each fact that depends on itself through its rules, with the shortest such path."""
    out = []
    for start in sorted(needs):
        paths = [[start, n] for n in sorted(needs[start])]
        seen: set[str] = set()
        while paths:
            path = paths.pop(0)
            if path[-1] == start:
                out.append((start, path))
                break
            if path[-1] in seen:
                continue
            seen.add(path[-1])
            paths.extend([*path, n] for n in sorted(needs.get(path[-1], ())))
    return out


def check_matching_concepts(c: Checker, file: str, path: str, ids: Iterable[str], known: Any) -> None:
    """The concepts a scenario's or variant's ``matching`` names exist."""
    _refs(c, file, path, ids, known)


def false_friends(catalog: dict[str, Any], words: Iterable[str]) -> list[str]:
    """English words that the matcher would read as a vocabulary word one slip away: the candidates for
    the ordinary-words concept (so that "fewer" never becomes "fever")."""
    from calculator._lexicon import MIN_TYPO, Lexicon
    from calculator._text import fold, stem

    lexicon = Lexicon(catalog)
    out = set()
    for raw in words:
        w = raw.strip()
        if not w.isalpha() or not w.islower():
            continue
        word = stem(fold(w))
        if len(word) >= MIN_TYPO and word not in lexicon.known and lexicon.correct(word) != word:
            out.add(word)
    return sorted(out)


# python -m sitegen.data.vocabulary /usr/share/dict/american-english ...: the words to add to the
# ordinary-words concept of scenarios/catalog/concepts.yaml (Debian's wamerican and wbritish lists)
if __name__ == "__main__":
    import json
    import sys
    from pathlib import Path

    project = Path(__file__).resolve().parents[2]
    catalog = json.loads((project / "calculator" / "data" / "catalog.json").read_text("utf-8"))
    lines = [line for name in sys.argv[1:] for line in Path(name).read_text("utf-8").splitlines()]
    print(", ".join(false_friends(catalog, lines)))
