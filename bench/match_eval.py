"""How well the scenario matcher answers clinicians' own questions (tests/cases/match_questions.json).

    .venv/bin/python bench/match_eval.py [--half dev|test|both|all] [--failures] [--catalog FILE]
                                         [--questions FILE]

For each half it prints top-1 and top-3 accuracy, the number of unsafe routes and a per-scenario
confusion list. An answer is the top fitting scenario, ``not-covered`` when the matcher refuses the
question as an emergency or trauma presentation, or ``none`` when nothing fits. It is right when it is
the expected id or one the question lists as also acceptable. An *unsafe route* is a top answer whose
exclusions name a red flag the question holds (a red-flag patient sent to a plain variant), or any
scenario given for a question that expects ``not-covered`` or ``none`` (a case outside the catalogue
matched to a neighbour), or an answer without an urgent flag to a question marked ``urgent`` (suspected
cord compression in a patient with cancer). Children missed (no child flag in the result) are counted as
well. Questions that say how they were written (``style``) get a line per style.

The matcher is tuned on the development half only; the test half is what
``tests/calculator/test_match_questions.py`` holds to at least 90 % top-1 and no unsafe route.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = ROOT / "tests" / "cases" / "match_questions.json"
OUTSIDE = ("none", "not-covered")

__all__ = ["Outcome", "Summary", "answer", "evaluate", "load_questions"]


def load_questions(path: Path = QUESTIONS) -> list[dict[str, Any]]:
    """The questions, each with its id, split, text, expected id, accepted ids, red flags and child mark."""
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return list(data["questions"])


def answer(result: Mapping[str, Any]) -> list[str]:
    """The ranked answer of one result: scenario ids best first, or ['not-covered'] (an emergency, or a
    presentation outside the catalogue that calls for urgent imaging) or ['none'] (nothing fits: consult
    radiology, with or without the ACR topic to see)."""
    pressing = [n for n in result.get("not_covered") or [] if n.get("urgency", "emergency") != "consult"]
    if pressing:
        return ["not-covered"]
    if result.get("fits"):
        return [m["id"] for m in result["matches"]]
    return ["none"]


@dataclass
class Outcome:
    """One question's answer and how it was judged."""

    question: Mapping[str, Any]
    ranked: list[str]
    top1: bool
    top3: bool
    unsafe: str
    child_missed: bool


@dataclass
class Summary:
    """Figures for one set of questions."""

    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def n(self) -> int:
        return len(self.outcomes)

    @property
    def top1(self) -> float:
        return sum(o.top1 for o in self.outcomes) / self.n if self.n else 0.0

    @property
    def top3(self) -> float:
        return sum(o.top3 for o in self.outcomes) / self.n if self.n else 0.0

    @property
    def unsafe(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.unsafe]

    @property
    def children_missed(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.child_missed]


def _exclusion_facts(catalog: Mapping[str, Any]) -> dict[str, set[str]]:
    return {
        s["id"]: {f for e in s.get("exclusions", []) for f in e.get("facts", [])}
        for s in catalog.get("scenarios", [])
    }


def judge(q: Mapping[str, Any], result: Mapping[str, Any], excluded_by: Mapping[str, set[str]]) -> Outcome:
    """Judge one result against its question."""
    ranked = answer(result)
    good = {q["expect"], *q.get("accept", [])}
    top = ranked[0]
    unsafe = ""
    if top not in OUTSIDE:
        flags = excluded_by.get(top, set()) & set(q.get("red_flags", []))
        if flags:
            unsafe = f"red flag ({', '.join(sorted(flags))}) sent to {top}"
        elif q["expect"] in OUTSIDE and top not in good:
            unsafe = f"{q['expect']} question matched to {top}"
    if not unsafe and q.get("urgent") and not result.get("urgent"):
        unsafe = f"urgent question answered {top} without an urgent flag"
    child_missed = bool(q.get("child")) and not result.get("child")
    return Outcome(q, ranked, top in good, bool(good & set(ranked[:3])), unsafe, child_missed)


def evaluate(
    questions: Iterable[Mapping[str, Any]],
    run: Callable[[str], Mapping[str, Any]],
    catalog: Mapping[str, Any],
) -> Summary:
    """Answer every question with ``run(text) -> result`` and judge it."""
    excluded_by = _exclusion_facts(catalog)
    return Summary([judge(q, run(q["text"]), excluded_by) for q in questions])


def confusion(summary: Summary) -> list[str]:
    """One line per expected answer: right/total, then what was answered instead."""
    by: dict[str, list[Outcome]] = defaultdict(list)
    for o in summary.outcomes:
        by[o.question["expect"]].append(o)
    lines = []
    for expect in sorted(by):
        outs = by[expect]
        wrong = Counter(o.ranked[0] for o in outs if not o.top1)
        tail = "; ".join(f"{k} x{v}" for k, v in wrong.most_common())
        right = sum(o.top1 for o in outs)
        lines.append(f"  {expect:45s} {right:2d}/{len(outs):<2d} {('-> ' + tail) if tail else ''}")
    return lines


def by_style(summary: Summary) -> list[str]:
    """One line per writing style, for the questions that name theirs: right/total and unsafe routes."""
    by: dict[str, list[Outcome]] = defaultdict(list)
    for o in summary.outcomes:
        if o.question.get("style"):
            by[str(o.question["style"])].append(o)
    lines = []
    for style, outs in sorted(by.items()):
        right, unsafe = sum(o.top1 for o in outs), sum(bool(o.unsafe) for o in outs)
        lines.append(f"  {style:12s} top-1 {right:2d}/{len(outs):<2d}  unsafe {unsafe}")
    return lines


def _runner(catalog: Mapping[str, Any]) -> Callable[[str], Mapping[str, Any]]:
    import calculator

    def run(text: str) -> Mapping[str, Any]:
        out = calculator.run("scenario-match", {"text": text, "limit": 5}, catalog)
        if not out["ok"]:
            raise SystemExit(f"error envelope for {text!r}: {out['errors']}")
        result: Mapping[str, Any] = out["result"]
        return result

    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--half", choices=("dev", "test", "both", "all"), default="both")
    parser.add_argument("--failures", action="store_true", help="list every wrong or unsafe answer")
    parser.add_argument("--catalog", type=Path, help="an exported catalog (default: the packaged one)")
    parser.add_argument("--questions", type=Path, default=QUESTIONS, help="a question file of the same shape")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))  # run from a checkout without relying on the editable install
    from calculator.browser import packaged_catalog

    catalog = json.loads(args.catalog.read_text("utf-8")) if args.catalog else packaged_catalog()
    if catalog is None:
        raise SystemExit("no catalog: run the site build or pass --catalog")
    questions = load_questions(args.questions)
    halves = {"both": ("dev", "test"), "all": ("all",)}.get(args.half, (args.half,))
    run = _runner(catalog)
    for half in halves:
        chosen = [q for q in questions if half in ("all", q.get("split"))]
        s = evaluate(chosen, run, catalog)
        print(f"{half}: {s.n} questions")
        print(
            f"  top-1 {s.top1:6.1%}   top-3 {s.top3:6.1%}   unsafe routes {len(s.unsafe)}   "
            f"children not flagged {len(s.children_missed)}"
        )
        print("  per expected answer (right/total, then wrong top answers):")
        print("\n".join(confusion(s)))
        styles = by_style(s)
        if styles:
            print("  per writing style:")
            print("\n".join(styles))
        if args.failures:
            for o in s.outcomes:
                if not o.top1 or o.unsafe or o.child_missed:
                    marks = [m for m in (o.unsafe, "child not flagged" if o.child_missed else "") if m]
                    print(
                        f"  {o.question['id']} {o.question['text']!r}: expected {o.question['expect']}, "
                        f"got {o.ranked[:3]}{' [' + '; '.join(marks) + ']' if marks else ''}"
                    )
        print()


if __name__ == "__main__":
    main()
