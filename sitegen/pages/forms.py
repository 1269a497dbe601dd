"""Build-time calculator forms: each calculator's field declaration (``calculator.specs()``) turned
into static HTML (``widget_form.html.j2``), with the catalog supplying the values of ``values_from``
fields, wrapped per page in a ``<section>`` that says how the widget sits there (``widget.html.j2``).

The form of a calculator is the same on every page, so it is rendered once per build: at 1,200
articles a form per page would cost seconds and tens of megabytes. What differs between pages is in
the section's attributes: the start policy, the way back to the site root, the studies an article
rates (``data-featured``) and the inputs it starts from (``data-prefill``). widget.js applies them and
builds the list rows from each list's ``<template>``; it reads the controls through their
``data-field`` (the JSON key), ``data-kind`` (how to read it) and ``data-path`` (the envelope's error
path) attributes, so that the form and the calculator's contract cannot disagree.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from markupsafe import Markup

import calculator
from sitegen.data.model import Catalogs, Procedure, RrlBand
from sitegen.pages.render import format_msv, msv_band, render

__all__ = [
    "FACT_GROUPS",
    "OTHER_STUDY",
    "PLACEHOLDER_INDEX",
    "PLACEHOLDER_NUMBER",
    "PRIVATE_FIELDS",
    "Forms",
    "Placement",
    "calculator_specs",
]

#: The index the row template carries in ids and paths; widget.js puts the row's index in its place.
PLACEHOLDER_INDEX = "__i__"
#: The row number (1-based) shown in the row template's legend and buttons, replaced the same way.
PLACEHOLDER_NUMBER = "__n__"
#: The choice in a procedure list that means "a study not in the catalogue": never sent as a value.
OTHER_STUDY = "other"

#: A field that only applies when a sibling field of its row has one of these values:
#: (calculator, list field, item field) -> (sibling, values). Hidden fields are neither shown nor sent.
SHOW_IF: dict[tuple[str, str, str], tuple[str, tuple[str, ...]]] = {
    **{
        ("iene", "findings", key): ("finding", ("artery-contact",))
        for key in ("artery", "degrees", "adventitia_lost", "lumen_narrowed", "moves_on_ultrasound")
    },
    **{
        ("iene", "findings", key): ("finding", ("coalescent-nodes",))
        for key in ("fat_planes_lost", "convexity_lost", "boundaries_merged", "single_node_possible")
    },
    ("iene", "findings", "sections"): ("finding", ("muscle-infiltration",)),
    **{
        ("dose", "studies", key): ("procedure", (OTHER_STUDY,))
        for key in ("custom", "dose_msv", "dlp_mgycm", "region")
    },
}
#: Help written for the form where the declaration's help speaks of ids: (calculator, field path) -> help.
FORM_HELP = {
    ("scenario-match", "facts"): "Tick every fact that applies to the patient.",
    (
        "dose",
        "studies",
    ): "Each study the patient had or will have: one from the list, or another study with its dose.",
    ("dose", "studies.procedure"): (
        "With its typical adult dose (for a child, its pediatric level). A study without a sourced figure "
        "is listed but cannot be chosen: enter it as another study."
    ),
    ("dose", "studies.custom"): "The name of a study that is not in the list, as the report should give it.",
    ("dose", "studies.dose_msv"): (
        "The effective dose in mSv, if the study's report or dose record states one. For a CT, enter its "
        "DLP below instead."
    ),
    ("dose", "studies.dlp_mgycm"): (
        "For a CT: the dose-length product (DLP, in mGy·cm) from the examination's dose report; ask the "
        "radiology department if you cannot find it. It is converted with a published adult coefficient "
        "for the body region, and the result says which."
    ),
    ("dose", "studies.region"): "For a CT entered by its DLP: the region it covered.",
}
#: The groups of patient facts in the matcher's form, in order, with their headings; facts of other
#: groups (emergencies, internal helpers) are read from the text only.
FACT_GROUPS = {
    "cancer": "Cancer history",
    "symptom": "Symptoms",
    "finding": "Imaging findings and known conditions",
    "red-flag": "Red flags",
    "age": "Age",
}
#: Free-text fields kept out of a copied link unless the reader asks for it: (calculator, field).
PRIVATE_FIELDS = frozenset({("scenario-match", "text")})
#: What one row of a list field is called, for legends and the Add and Remove buttons.
ITEM_NOUN = {"findings": "finding", "studies": "study"}
#: The submit button's words: what the calculator does.
SUBMIT_LABEL = {"scenario-match": "Find matching scenarios", "iene": "Grade", "dose": "Add up the dose"}
#: Enumerations with at most this many values read best as radio buttons (outside repeatable rows).
MAX_RADIOS = 3
#: Strings longer than this get a multi-line box.
TEXTAREA_FROM = 200


@cache
def calculator_specs() -> dict[str, dict[str, Any]]:
    """Every calculator's declaration by name, in the order the site lists them."""
    return {spec["name"]: spec for spec in calculator.specs()}


@dataclass(frozen=True)
class Placement:
    """How one widget sits on its page.

    ``start`` is the runtime start policy widget.js applies: ``load`` (calculator and embed pages: at once) or
    ``visible`` (inline widgets: when scrolled into view, focused or pointed at). ``featured``
    procedure ids come first in procedure choices (the studies an article rates); ``prefill`` is the
    input the form starts from (one row per list item) instead of the declared defaults; ``sources``
    are the ids whose titles the result may name (others are shown by id).
    """

    site_root: str
    start: str = "visible"
    embed: bool = False
    featured: tuple[str, ...] = ()
    prefill: Mapping[str, Any] | None = None
    sources: tuple[str, ...] = ()
    heading: int = 3


def _id(base: str, path: str) -> str:
    # findings[0].degrees -> calc-iene-findings-0-degrees: valid in ids and CSS selectors alike
    return base + "-" + path.replace("[", "-").replace("].", "-").replace("]", "").replace(".", "-")


def _kind(field: Mapping[str, Any], in_row: bool) -> str:
    kind = field["type"]
    if kind == "list":
        return "rows" if field.get("items") else "checkboxes"
    if kind == "enum":
        few = len(field["values"]) <= MAX_RADIOS and field["default"] is not None
        return "radios" if few and not in_row else "select"
    if kind == "string" and field.get("values_from") == "procedures":
        return "select"
    if kind == "string":
        return "textarea" if (field.get("max_length") or 0) > TEXTAREA_FROM else "text"
    return {"boolean": "checkbox", "integer": "integer", "number": "number"}[kind]


def _option(
    value: str, label: str, selected: bool, omit: bool = False, help: str = "", **alt: Any
) -> dict[str, Any]:
    """One choice; ``alt`` (procedures only): ``disabled``, and ``child``/``child_off``, its label and
    state when the patient is a child (widget.js swaps them)."""
    view = {"value": value, "label": label, "selected": selected, "omit": omit, "help": help}
    return {**view, "disabled": False, "child": "", "child_off": False, **alt}


def _value_text(value: Any) -> str:
    """A default as a text box shows it: 5, 2.5, or nothing."""
    if value is None or isinstance(value, bool):
        return ""
    return format_msv(value) if isinstance(value, int | float) else str(value)


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


class Forms:
    """The calculator forms of one build: the catalog's choices prepared once, each form rendered once."""

    def __init__(self, catalogs: Catalogs, directory_urls: bool = True) -> None:
        self.directory_urls = directory_urls
        self.facts = sorted(catalogs.facts, key=lambda f: (f.label.lower(), f.id))
        self.procs = sorted(catalogs.procedures, key=lambda p: (p.modality, p.name.lower(), p.id))
        self.sources = {s.id: {"title": s.title, "url": s.url} for s in catalogs.sources}
        self.rrl: dict[int, RrlBand] = {band.level: band for band in catalogs.rrl}
        self._bodies: dict[str, Markup] = {}

    def body(self, name: str) -> Markup:
        """The HTML of calculator ``name``'s form, status line and result region (the same on every page)."""
        if name not in self._bodies:
            self._bodies[name] = Markup(render("widget_form.html.j2", form=self.form_view(name)).strip("\n"))
        return self._bodies[name]

    def sources_of(self, ids: Iterable[str]) -> dict[str, dict[str, str]]:
        """Title and address of each known source in ``ids``, in their order (results name them)."""
        return {s: self.sources[s] for s in dict.fromkeys(ids) if s in self.sources}

    def section_view(self, name: str, where: Placement, *, with_sources: bool = True) -> dict[str, Any]:
        """The attributes of the ``<section>`` around the form on one page (its cited sources unless the
        widget takes them from the shared forms file)."""
        spec = calculator_specs()[name]
        return {
            "name": name,
            "title": spec["title"],
            "id": f"calc-{name}",
            "start": where.start,
            "heading": where.heading,
            "embed": where.embed,
            "site_root": where.site_root,
            "url_style": "directory" if self.directory_urls else "file",
            "sources_json": _json(self.sources_of(where.sources)) if with_sources else "",
            "featured": " ".join(where.featured),
            "prefill_json": _json(where.prefill) if where.prefill else "",
        }

    def form_view(self, name: str) -> dict[str, Any]:
        """The view of calculator ``name``'s form for ``widget_form.html.j2``."""
        spec = calculator_specs()[name]
        base = f"calc-{name}"
        return {
            "name": name,
            "id": base,
            "fields": [self._field(name, base, f, f["name"]) for f in spec["fields"]],
            "submit": SUBMIT_LABEL.get(name, "Calculate"),
        }

    def _field(self, calc: str, base: str, field: Mapping[str, Any], path: str) -> dict[str, Any]:
        """The view of one control (or group of controls) at ``path``, showing the declared default."""
        fid = _id(base, path)
        kind = _kind(field, in_row="[" in path)
        default = field["default"]
        view: dict[str, Any] = {
            "kind": kind,
            "name": field["name"],
            "path": path,
            "id": fid,
            "label": field["label"],
            "help": FORM_HELP.get((calc, re.sub(r"\[[^\]]*\]", "", path)), field["help"]),
            "help_id": f"{fid}-help",
            "error_id": f"{fid}-error",
            "unit": field.get("unit", ""),
            "required": field["required"],
            "value": "",
            "checked": default is True,
            "options": [],
            "groups": [],
            "choices": field.get("values_from", ""),
            "show_if": None,
            "maxlength": field.get("max_length") or "",
            "private": (calc, path) in PRIVATE_FIELDS,
        }
        rule = SHOW_IF.get((calc, path.split("[", 1)[0], field["name"])) if "[" in path else None
        if rule:
            view["show_if"] = {"field": rule[0], "values": " ".join(rule[1])}
        if kind == "rows":
            view.update(self._rows(calc, base, field, path))
        elif kind == "checkboxes" and field.get("values_from") == "facts":
            view["groups"] = self._fact_groups(default or [])
        elif kind == "checkboxes":
            view["options"] = self._choices(field, default or [])
        elif kind == "select" and field.get("values_from") == "procedures":
            view.update(self._procedures())
        elif kind in ("select", "radios"):
            view["options"] = _enum_options(field, default, blank=kind == "select")
        elif kind not in ("checkbox",):
            view["value"] = _value_text(default)
        return view

    def _choices(self, field: Mapping[str, Any], chosen: Iterable[str]) -> list[dict[str, Any]]:
        chosen = list(chosen)
        return [_option(v["value"], v["label"], v["value"] in chosen) for v in field.get("values", [])]

    def _fact_groups(self, chosen: Iterable[str]) -> list[dict[str, Any]]:
        """The facts a reader can tick, by group (cancer history, symptoms, findings, red flags, age)."""
        chosen = list(chosen)
        return [
            {
                "label": heading,
                "options": [
                    _option(f.id, f.label, f.id in chosen, help=f.help)
                    for f in self.facts
                    if f.group == group
                ],
            }
            for group, heading in FACT_GROUPS.items()
            if any(f.group == group for f in self.facts)
        ]

    def _procedures(self) -> dict[str, Any]:
        """A procedure choice: the catalogue by modality, then "another study" (widget.js puts an
        article's own studies first)."""
        by_modality: dict[str, list[dict[str, Any]]] = {}
        for p in self.procs:
            by_modality.setdefault(p.modality, []).append(_procedure_option(p, self.rrl))
        groups = [{"label": modality, "options": options} for modality, options in by_modality.items()]
        other = _option(OTHER_STUDY, "Another study: enter its name and dose", False, omit=True)
        groups.append({"label": "Not in the list", "options": [other]})
        return {"options": [_option("", "Choose a study…", True)], "groups": groups}

    def _rows(self, calc: str, base: str, field: Mapping[str, Any], path: str) -> dict[str, Any]:
        noun = ITEM_NOUN.get(field["name"], "item")
        rpath = f"{path}[{PLACEHOLDER_INDEX}]"
        rid = _id(base, rpath)
        template = {
            "path": rpath,
            "id": rid,
            "error_id": f"{rid}-error",
            "title": noun.capitalize(),
            "noun": noun,
            "number": PLACEHOLDER_NUMBER,
            "fields": [self._field(calc, base, sub, f"{rpath}.{sub['name']}") for sub in field["items"]],
        }
        return {
            "template": template,
            "noun": noun,
            "add_label": f"Add a {noun}",
            "max_items": field.get("max_items") or "",
        }


#: Why a study cannot be chosen, in its label: the calculator would refuse it.
NO_DOSE = "no typical dose on this site: enter it as another study"
NO_CHILD = "no pediatric level on this site: enter it as another study"


def _procedure_option(p: Procedure, rrl: Mapping[int, RrlBand]) -> dict[str, Any]:
    """A study as a clinician picks it: its name and what it adds to the total, for an adult and for a
    child; one the calculator would refuse is shown disabled, with the reason."""
    if p.rrl_adult == 0:
        label = child = f"{p.name} (no ionising radiation)"
    else:
        dose = f"(about {format_msv(p.dose.typical_msv)} mSv)" if p.dose else f"— {NO_DOSE}"
        label = f"{p.name} {dose}"
        band = rrl.get(p.rrl_pediatric) if p.rrl_pediatric is not None else None
        where = msv_band(band.pediatric_min_msv, band.pediatric_max_msv) if band else ""
        child = f"{p.name} (child: RRL {p.rrl_pediatric}, {where})" if band else f"{p.name} — {NO_CHILD}"
    return _option(
        p.id,
        label,
        False,
        disabled=p.rrl_adult != 0 and p.dose is None,
        child=child if child != label else "",
        child_off=p.rrl_adult != 0 and (p.rrl_pediatric is None or p.rrl_pediatric not in rrl),
    )


def _enum_options(field: Mapping[str, Any], value: Any, blank: bool) -> list[dict[str, Any]]:
    options = [_option(v["value"], v["label"], v["value"] == value) for v in field["values"]]
    if blank:
        label = "Choose…" if field["required"] else "Not given"
        options.insert(0, _option("", label, value in (None, "")))
    return options
