"""Load the whole data set and check what spans several files: ids, links, ratings, doses, redirects.

Per-file conversion (types, enums, patterns, unknown and missing fields) is ``sitegen.data.loader``'s.
"""

from __future__ import annotations

import contextlib
import dataclasses
import difflib
import gc
import os
import typing
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import yaml

from sitegen._fork import in_child
from sitegen.data import cites, model
from sitegen.data.loader import BAD, Ctx, converter, describe, line_of, parse_bytes, parse_file, unknown_field
from sitegen.data.reading import catalog_dir_issue, read_scenarios, shown_name
from sitegen.data.vocabulary import check_concepts, check_facts, check_matching_concepts
from sitegen.errors import DataError, Issue

__all__ = ["load_dataset", "load_files"]


# --- the whole data set -----------------------------------------------------------------------

Located = list[tuple[str, str, Any]]  # (file, field path, converted item)


class Trees:
    """Node trees by file, to locate issues: catalogs are kept, a scenario's tree is re-read on demand.

    Keeping 1,200 scenario trees alive would make the cycle collector rescan millions of nodes.
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self.kept: dict[str, yaml.Node | None] = {}
        self.ids: dict[str, str | None] = {}  # scenario file -> its `id:` as written

    def get(self, file: str) -> yaml.Node | None:
        if file not in self.kept:
            self.kept[file] = parse_file(self.root / file, file)[0]
        return self.kept[file]


class _Anything:
    """Stands for the ids of a catalog that could not be read, so its users raise no echo errors."""

    def __contains__(self, value: object) -> bool:
        return True


ANY: Any = _Anything()


def _catalog(root: Path, name: str, issues: list[Issue], trees: Trees) -> Located:
    """The good items of one catalog file with their paths; a bad item is reported and left out."""
    file = f"scenarios/catalog/{name}.yaml"
    if not os.path.lexists(root / file):
        issues.append(Issue(file, None, "", f"a catalog file with a '{name}:' list", "no such file"))
        return []
    node, problems = parse_file(root / file, file)
    trees.kept[file] = node
    issues.extend(problems)
    if node is None:
        return []
    ctx = Ctx(file, issues)
    if not isinstance(node, yaml.MappingNode):
        ctx.add(node, "", f"a top-level field '{name}:' holding a list", describe(node))
        return []
    for key, _ in node.value:
        if getattr(key, "value", None) != name:
            unknown_field(ctx, key, "", getattr(key, "value", ""), [name])
    items = _get(node, name)
    if items is None:
        ctx.add(node, name, f"this required field (the list of {name})", "it missing")
        return []
    if not isinstance(items, yaml.SequenceNode):
        ctx.add(items, name, "a list", describe(items))
        return []
    conv = converter(typing.get_args(typing.get_type_hints(model.Catalogs)[name])[0])
    located = [(file, f"{name}[{i}]", conv(item, f"{name}[{i}]", ctx)) for i, item in enumerate(items.value)]
    return [entry for entry in located if entry[2] is not BAD]


def load_files(root: Path) -> tuple[dict[str, Located], Located, list[Issue], Trees]:
    """Parse and convert every data file: catalog items and scenarios with their places, issues, trees.

    Files or catalog items that fail to convert are left out; their issues are in the list.
    """
    with _gc_paused():
        return _load_files(root)


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cycle collector while loading: node trees are acyclic, and its rescans cost a fifth."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


# One scenario file's outcome: its `id:` as written (None if unreadable), the Scenario or BAD, its issues.
Outcome = tuple[str | None, Any, list[Issue]]
#: Outcomes by root and file, reused while the file's bytes are unchanged (mkdocs serve reloads).
_SEEN: dict[Path, dict[str, tuple[bytes, Outcome]]] = {}


def _scenario(data: bytes, file: str) -> Outcome:
    node, issues = parse_bytes(data, file)
    raw_id = _get(node, "id")
    if node is None:
        return None, BAD, issues
    scenario = converter(model.Scenario)(node, "", Ctx(file, issues))
    return (raw_id.value if isinstance(raw_id, yaml.ScalarNode) else None), scenario, issues


def _stray_files(root: Path) -> list[Issue]:
    """Data files that would otherwise be skipped without a word: a .yml name, an unknown catalog."""
    names = [f.name for f in dataclasses.fields(model.Catalogs)]
    expected = "one of the catalog files " + ", ".join(f"{name}.yaml" for name in names)
    stray = [
        Issue(f"scenarios/{shown_name(p.name)}", None, "", "a file name ending in .yaml", "'.yml'")
        for p in sorted((root / "scenarios").glob("*.yml"))
    ]
    if catalog_dir_issue(root) is not None:
        return stray
    for path in sorted((root / "scenarios" / "catalog").glob("*.y*ml")):
        if path.suffix == ".yml" or path.stem not in names:
            file = f"scenarios/catalog/{shown_name(path.name)}"
            stray.append(Issue(file, None, "", expected, "an unknown file"))
    return stray


def _load_files(root: Path) -> tuple[dict[str, Located], Located, list[Issue], Trees]:
    issues: list[Issue] = []
    trees = Trees(root)
    seen = _SEEN.get(root.resolve(), {})
    files, refused = read_scenarios(root)
    issues.extend(refused)
    trees.ids.update(dict.fromkeys(i.file for i in refused))  # their names count as ids: no echo errors
    todo = [(data, file) for file, data in files.items() if file not in seen or seen[file][0] != data]
    # Half of the files are parsed in a forked child meanwhile: YAML parsing is most of the load.
    mine, theirs = todo[: len(todo) // 2], todo[len(todo) // 2 :]
    wait = in_child(lambda: [_scenario(data, file) for data, file in theirs], len(theirs))
    bad_dir = catalog_dir_issue(root)
    names = [f.name for f in dataclasses.fields(model.Catalogs)]
    catalogs = {name: [] if bad_dir else _catalog(root, name, issues, trees) for name in names}
    if bad_dir is not None:  # nothing under a linked catalog directory is read, not even to locate
        issues.append(bad_dir)
        trees.kept.update({f"scenarios/catalog/{name}.yaml": None for name in names})
    done = [_scenario(data, file) for data, file in mine] + wait()
    outcomes = {file: outcome for (_, file), outcome in zip(todo, done, strict=True)}
    scenarios: Located = []
    fresh = {}
    for file, data in files.items():
        outcome = outcomes[file] if file in outcomes else seen[file][1]
        fresh[file] = (data, outcome)
        raw_id, scenario, file_issues = outcome
        trees.ids[file] = raw_id
        issues.extend(file_issues)
        if scenario is not BAD:
            scenarios.append((file, "", scenario))
    issues.extend(_stray_files(root))
    # Keep only this load's files, for the last few roots (tests load many copies of a fixture).
    _SEEN.pop(root.resolve(), None)
    _SEEN[root.resolve()] = fresh
    while len(_SEEN) > 4:
        del _SEEN[next(iter(_SEEN))]
    return catalogs, scenarios, issues, trees


# --- checks across files ---------------------------------------------------------------------

Entries = list[tuple[str, str, str]]  # (id, file, field path of the id)
_PROCEDURE = "a procedure id from catalog/procedures.yaml"
_SOURCE = "a source id from catalog/sources.yaml"
_FACT = "a fact id from catalog/facts.yaml"
_VARIANT = "the id of a variant in catalog/topics.yaml"


def _get(node: yaml.Node | None, key: str) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        return next((v for k, v in node.value if getattr(k, "value", None) == key), None)
    return None


def _items(node: yaml.Node | None) -> list[yaml.Node]:
    return node.value if isinstance(node, yaml.SequenceNode) else []


def _raw_ids(node: yaml.Node | None, file: str, name: str, sub: str = "", key: str = "id") -> Entries:
    """Ids as written, read from the nodes so that items which failed to convert still count."""
    out: Entries = []
    for i, item in enumerate(_items(_get(node, name))):
        places = [(f"{name}[{i}]", item)]
        if sub:
            places = [(f"{name}[{i}].{sub}[{j}]", child) for j, child in enumerate(_items(_get(item, sub)))]
        for path, child in places:
            value = _get(child, key)
            if isinstance(value, yaml.ScalarNode):
                out.append((value.value, file, f"{path}.{key}"))
    return out


class _Checker:
    """Collects cross-file issues, locating each by its field path in the file's node tree."""

    def __init__(self, trees: Trees, kinds: dict[str, str] | None = None) -> None:
        self.trees = trees
        self.issues: list[Issue] = []
        self.kinds = kinds or {}  # source id -> kind, for the sources that converted

    def add(self, file: str, path: str, expected: str, found: str) -> None:
        self.issues.append(Issue(file, line_of(self.trees.get(file), path), path, expected, found))

    def ref(self, file: str, path: str, value: str, known: typing.Container[str], what: str) -> None:
        if value in known:
            return
        close = difflib.get_close_matches(value, list(known), n=1)  # type: ignore[call-overload]
        self.add(file, path, what + (f" (did you mean '{close[0]}'?)" if close else ""), repr(value))

    def unique(self, entries: Entries) -> dict[str, tuple[str, str]]:
        seen: dict[str, tuple[str, str]] = {}
        for value, file, path in entries:
            if value not in seen:
                seen[value] = (file, path)
                continue
            first, first_path = seen[value]
            line = line_of(self.trees.get(first), first_path)
            at = first if line is None else f"{first}:{line}"
            self.add(file, path, f"an id not used before (already used at {at})", repr(value))
        return seen

    def facts(self, file: str, path: str, ids: Iterable[str], facts: typing.Container[str]) -> None:
        for k, fact in enumerate(ids):
            self.ref(file, f"{path}[{k}]", fact, facts, _FACT)


def _check_procedures(c: _Checker, procedures: Located, bands: dict[int, model.RrlBand], known: Any) -> None:
    # Levels as written, so that a band which failed its own checks raises no echo here.
    written, sources = known["rrl"], known["sources"]
    levels = ", ".join(sorted(written, key=str)) if written is not ANY else ""
    for file, path, p in procedures:
        for name, level in (("rrl_adult", p.rrl_adult), ("rrl_pediatric", p.rrl_pediatric)):
            if level is not None and str(level) not in written:
                c.add(file, f"{path}.{name}", f"a level listed in catalog/rrl.yaml ({levels})", str(level))
        cites.cite(c, file, f"{path}.rrl_cite", p.rrl_cite, sources, "rrl")
        if p.dose is None:
            continue
        d, band = p.dose, bands.get(p.rrl_adult)
        cites.cite(c, file, f"{path}.dose.cite", d.cite, sources, "dose")
        if not d.low_msv <= d.typical_msv <= d.high_msv:
            found = f"low {d.low_msv:g}, typical {d.typical_msv:g}, high {d.high_msv:g}"
            c.add(file, f"{path}.dose", "low_msv <= typical_msv <= high_msv", found)
        if band is not None and not band.adult_min_msv <= d.typical_msv <= band.adult_max_msv:
            edges = f"{band.adult_min_msv:g}-{band.adult_max_msv:g} mSv"
            expected = f"a dose inside the adult band of RRL {p.rrl_adult} ({edges})"
            c.add(file, f"{path}.dose.typical_msv", expected, f"{d.typical_msv:g}")


def _check_exclusions(
    c: _Checker, file: str, prefix: str, exclusions: list[model.Exclusion], known: dict[str, Any]
) -> None:
    for i, e in enumerate(exclusions):
        r, where = e.redirect, f"{prefix}[{i}].redirect"
        targets = [
            (k, v)
            for k, v in (("scenario", r.scenario), ("variant", r.variant), ("external", r.external))
            if v
        ]
        if len(targets) != 1:
            found = " and ".join(k for k, _ in targets) or "none of them"
            c.add(file, where, "exactly one of scenario, variant or external", found)
        elif r.scenario:
            c.ref(file, f"{where}.scenario", r.scenario, known["scenarios"], "the id of a scenario file")
        elif r.variant:
            c.ref(file, f"{where}.variant", r.variant, known["variants"], _VARIANT)
        if r.url and not r.external:
            c.add(file, f"{where}.url", "an address only beside external", repr(r.url))
        c.facts(file, f"{prefix}[{i}].facts", e.facts, known["facts"])


def _check_scenario(c: _Checker, file: str, s: model.Scenario, known: dict[str, Any]) -> None:
    stem = file.removeprefix("scenarios/").removesuffix(".yaml")
    if s.id != stem:
        c.add(file, "id", f"the file name '{stem}'", repr(s.id))
    c.ref(file, "topic", s.topic, known["topics"], "a topic id from catalog/topics.yaml")
    cites.cite(c, file, "acr_cite", s.acr_cite, known["sources"], "variant")
    cites.wording(c, file, "acr_variant_wording", s.acr_variant_wording, s.acr_cite)
    _check_exclusions(c, file, "exclusions", s.exclusions, known)
    rated: dict[str, tuple[int, str]] = {}
    for i, rating in enumerate(s.ratings):
        c.ref(file, f"ratings[{i}].procedure", rating.procedure, known["procedures"], _PROCEDURE)
        cites.cite(c, file, f"ratings[{i}].cite", rating.cite, known["sources"], "rating")
        if rating.procedure in rated:
            expected = f"each procedure rated once (already rated at ratings[{rated[rating.procedure][0]}])"
            c.add(file, f"ratings[{i}].procedure", expected, repr(rating.procedure))
        rated.setdefault(rating.procedure, (i, rating.category))
    top = s.recommendation.procedure
    c.ref(file, "recommendation.procedure", top, known["procedures"], _PROCEDURE)
    if top in known["procedures"] and rated.get(top, (0, ""))[1] != "usually-appropriate":
        how = f"rated '{rated[top][1]}'" if top in rated else "not rated"
        c.add(
            file,
            "recommendation.procedure",
            "a procedure rated 'usually-appropriate' in ratings",
            f"{top!r}, {how}",
        )
    cites.recommendation(c, file, s.recommendation, rated, known)
    links = ANY if known["variants"] is ANY else known["scenarios"] | known["variants"]
    cites.answer_card(c, file, s, rated, known, links)
    cites.claims(c, file, s, known["sources"])
    for k, source in enumerate(s.sources):
        c.ref(file, f"sources[{k}]", source, known["sources"], _SOURCE)
    c.facts(file, "matching.facts_all", s.matching.facts_all, known["facts"])
    c.facts(file, "matching.facts_any", s.matching.facts_any, known["facts"])
    check_matching_concepts(c, file, "matching.concepts", s.matching.concepts, known["concepts"])
    for k, link in enumerate(s.related_scenarios):
        c.ref(file, f"related_scenarios[{k}]", link, links, "the id of a scenario or of a topic variant")


def cross_check(catalogs: dict[str, Located], scenarios: Located, trees: Trees) -> list[Issue]:
    """Every issue that only shows when files are read together (ids, links, ratings, doses)."""
    kinds: dict[str, str] = {}
    for _, _, source in catalogs["sources"]:
        kinds.setdefault(source.id, source.kind)  # a repeated id is reported; the first one counts
    c = _Checker(trees, kinds)
    cat = {name: f"scenarios/catalog/{name}.yaml" for name in catalogs}
    known: dict[str, Any] = {
        name: c.unique(_raw_ids(trees.get(cat[name]), cat[name], name)) if trees.get(cat[name]) else ANY
        for name in ("sources", "procedures", "topics", "facts", "concepts")
    }
    # Scenarios and topic variants share one id namespace: both are pages or anchors.
    scenario_files = sorted(trees.ids)
    raw = [(value, f, "id") for f, value in sorted(trees.ids.items()) if value is not None]
    variants = _raw_ids(trees.get(cat["topics"]), cat["topics"], "topics", "variants")
    c.unique(raw + variants)
    stems = [f.removeprefix("scenarios/").removesuffix(".yaml") for f in scenario_files]
    known["scenarios"] = dict.fromkeys([value for value, _, _ in raw] + stems)
    known["variants"] = dict.fromkeys(value for value, _, _ in variants) if trees.get(cat["topics"]) else ANY
    rrl = trees.get(cat["rrl"])
    known["rrl"] = {v for v, _, _ in _raw_ids(rrl, cat["rrl"], "rrl", key="level")} if rrl else ANY
    bands: dict[int, model.RrlBand] = {}
    for file, path, band in catalogs["rrl"]:
        cites.cite(c, file, f"{path}.cite", band.cite, known["sources"], "rrl")
        if band.level in bands:
            c.add(file, f"{path}.level", "each level listed once", str(band.level))
        bands.setdefault(band.level, band)
    _check_procedures(c, catalogs["procedures"], bands, known)
    for file, path, topic in catalogs["topics"]:
        cites.cite(c, file, f"{path}.cite", topic.cite, known["sources"], "topic")
        for j, v in enumerate(topic.variants):
            where = f"{path}.variants[{j}]"
            cites.variant(c, file, where, v, known)
            if v.top_procedure:
                c.ref(file, f"{where}.top_procedure", v.top_procedure, known["procedures"], _PROCEDURE)
            # A top study without its category (or the reverse) cannot be shown in the guide.
            if bool(v.top_procedure) != (v.top_category is not None):
                given = "top_procedure" if v.top_procedure else "top_category"
                c.add(
                    file, f"{where}.{given}", "top_procedure and top_category given together", f"only {given}"
                )
            c.facts(file, f"{where}.matching.facts_all", v.matching.facts_all, known["facts"])
            c.facts(file, f"{where}.matching.facts_any", v.matching.facts_any, known["facts"])
            check_matching_concepts(
                c, file, f"{where}.matching.concepts", v.matching.concepts, known["concepts"]
            )
            _check_exclusions(c, file, f"{where}.exclusions", v.exclusions, known)
    check_concepts(c, catalogs["concepts"], known["concepts"])
    check_facts(c, catalogs["facts"], known)
    for file, _, scenario in scenarios:
        _check_scenario(c, file, scenario, known)
    return c.issues


def load_dataset(root: Path) -> model.DataSet:
    """Load and validate ``root/scenarios``; raise DataError listing every issue in every file."""
    catalogs, scenarios, issues, trees = load_files(Path(root))
    issues.extend(cross_check(catalogs, scenarios, trees))
    if issues:
        raise DataError(issues)
    ordered = sorted(scenarios, key=lambda entry: entry[2].id)
    return model.DataSet(
        catalogs=model.Catalogs(**{name: [e[2] for e in items] for name, items in catalogs.items()}),
        scenarios=[e[2] for e in ordered],
        files={e[2].id: e[0] for e in ordered},
    )
