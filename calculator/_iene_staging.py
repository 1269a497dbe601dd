"""What the calculator's sources say about the TNM 9th-edition N category, as data plus one pure function.

The review followed ties the N category to Grade 3 only ("Grade 3 iENE resulting in upstaging to
the highest N categories": N2 for salivary gland, N3 for HPV-associated oropharyngeal and N3b for most
other subsites; Grade 3 adopted as the nasopharyngeal N3 criterion). For Grades 1 and 2 these sources do
not settle the N category, so none is given; nor when the grade itself is not settled, or the two
criteria sets grade the node differently. After treatment no TNM statement is made at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["CONFLICT", "POST_TREATMENT", "STAGING", "SUBSITES", "UNSETTLED", "Staging", "staging_for"]

SUBSITES: dict[str, str] = {
    "nasopharynx": "nasopharyngeal carcinoma",
    "hpv-oropharynx": "HPV-associated (p16-positive) oropharyngeal carcinoma",
    "salivary-gland": "major salivary gland carcinoma",
    "squamous-other": "squamous cell carcinoma of the oral cavity, p16-negative oropharynx, larynx or "
    "hypopharynx, or of unknown primary negative for EBV and HPV/p16",
    "other": "another head and neck cancer, not one of the subsites listed",
}

_REVIEW_WORDS = "Stated in the review article by Kuno et al. (2025); not checked against the TNM 9 book."
_OPEN_WORDS = "Not settled by the calculator's sources, for the reason given; check the TNM 9 book."


@dataclass(frozen=True)
class Staging:
    """One statement about the N category: for a subsite, a grade range and (Grade 3) the structures."""

    subsite: str
    grades: tuple[int, ...]
    n_category: str | None
    text: str
    sources: tuple[str, ...]
    #: The site's confidence mark (verified, seed, recalled, unresolved) ...
    confidence: str
    #: ... and the same in words, as readers see it.
    how_sure: str
    #: Grade 3 only: the rule applies when one of these structures is invaded (empty: any structure).
    structures: frozenset[str] = frozenset()
    #: What a report says in place of an N category when there is none.
    summary: str = "no N category given"


_NO_CHANGE = "no change from ENE"
_NEGATIVE = (
    "Imaging shows no unequivocal ENE, so it gives no reason to change the N category; clinical signs of "
    "ENE, if any, are judged separately."
)
#: The nasopharyngeal N3 criterion names muscle, skin and the neurovascular bundle; the HNCIG Grade 3
#: list groups vessels and nerves as the neurovascular bundle, and names glands apart.
_NPC_N3_STRUCTURES = frozenset({"muscle", "skin", "artery", "vein", "nerve"})
_OTHER_OPEN = (
    "The review places most head and neck subsites other than nasopharynx, HPV-associated oropharynx and "
    "salivary gland in N3b at Grade 3, without naming them, and the calculator's sources do not say whether "
    "this primary is one of them (thyroid and skin cancers, for example, are not covered by these sources). "
    "Check the TNM 9 chapter for this primary site."
)

STAGING: tuple[Staging, ...] = (
    *(
        Staging(site, (0,), None, _NEGATIVE, ("kuno-2025",), "seed", _REVIEW_WORDS, summary=_NO_CHANGE)
        for site in SUBSITES
    ),
    Staging(
        "nasopharynx",
        (1, 2),
        None,
        "The calculator's sources name advanced ENE (Grade 3 with muscle, skin or neurovascular bundle "
        "involvement) as the 9th-edition nasopharyngeal N3 criterion and do not say whether Grade 1 or 2 "
        "changes the N category.",
        ("kuno-2025", "npc9-2024"),
        "unresolved",
        _OPEN_WORDS,
    ),
    Staging(
        "nasopharynx",
        (3,),
        "N3",
        "Grade 3 with involvement of muscle, skin or the neurovascular bundle is an N3 criterion for "
        "nasopharyngeal carcinoma in the 9th edition. The calculator takes the neurovascular bundle to "
        "mean a major artery, the internal jugular vein or a nerve, as the review speaks of neurovascular "
        "invasion for nerves; its sources do not define it.",
        ("kuno-2025", "npc9-2024"),
        "seed",
        "Stated in the review article by Kuno et al. (2025); the structures named are taken from the "
        "9th-edition nasopharynx proposal (Pan et al. 2024) as cited, without reading it; which structures "
        "make the neurovascular bundle is the calculator's own reading. Not checked against the TNM 9 book.",
        _NPC_N3_STRUCTURES,
    ),
    Staging(
        "nasopharynx",
        (3,),
        None,
        "Grade 3 here rests on invasion of a gland only. The review adopts Grade 3 as the nasopharyngeal "
        "N3 criterion, but that criterion, as the calculator's sources word it, names muscle, skin or the "
        "neurovascular bundle, not glands, and neither source says whether gland invasion alone "
        "qualifies.",
        ("kuno-2025", "npc9-2024"),
        "unresolved",
        _OPEN_WORDS,
    ),
    Staging(
        "hpv-oropharynx",
        (1, 2),
        None,
        "The review reports that, after the ICON-N study, the 9th edition moves iENE-positive disease "
        "(from Grade 1) one clinical N category higher than the same nodes without ENE; the category "
        "reached depends on the size and side of the nodes, which this calculator does not ask, and the "
        "exact cN wording was not checked against the TNM 9 book.",
        ("kuno-2025", "icon-n-2025"),
        "unresolved",
        _OPEN_WORDS,
    ),
    Staging(
        "hpv-oropharynx",
        (3,),
        None,
        "The review states that Grade 3 upstages HPV-associated oropharyngeal carcinoma to N3. The "
        "9th-edition cN wording after ICON-N, as the calculator recalls it (its source for that wording was "
        "not re-read or checked against the TNM 9 book), would make unilateral nodes with ENE cN2 and "
        "contralateral or bilateral nodes with ENE cN3, so the category for unilateral nodes is in doubt.",
        ("kuno-2025", "icon-n-2025"),
        "unresolved",
        "Stated in the review article, but in conflict with the cN wording as the calculator recalls it "
        "without re-reading its source: not settled until checked against the TNM 9 book.",
        summary="N2 or N3: the sources conflict",
    ),
    Staging(
        "salivary-gland",
        (1, 2),
        None,
        "The review ties N2 for major salivary gland carcinoma to Grade 3; it says iENE now counts in the "
        "9th-edition salivary N categories without saying what Grade 1 or 2 does, and the N1 and N2 "
        "definitions were not found.",
        ("kuno-2025", "ndrs-salivary-tnm9"),
        "unresolved",
        _OPEN_WORDS,
    ),
    Staging(
        "salivary-gland",
        (3,),
        "N2",
        "The review states that Grade 3 upstages major salivary gland carcinoma to N2, the highest "
        "category of the simplified 9th-edition N0 to N2 scheme; the N1 and N2 definitions themselves "
        "were not found.",
        ("kuno-2025", "ndrs-salivary-tnm9"),
        "seed",
        _REVIEW_WORDS,
    ),
    Staging(
        "squamous-other",
        (1, 2),
        None,
        "The review ties N3b to Grade 3; its general statement that imaging findings are accepted as "
        "clinical ENE (N3b) does not say which grades qualify.",
        ("kuno-2025",),
        "unresolved",
        _OPEN_WORDS,
    ),
    Staging(
        "squamous-other",
        (3,),
        "N3b",
        "The review states that Grade 3 is accepted as clinical ENE in the 9th edition and places most "
        "head and neck subsites other than nasopharynx, HPV-associated oropharynx and salivary gland in "
        "N3b. It does not name them; these squamous cell carcinomas are the group in which clinical ENE "
        "already gave N3b in the 8th edition.",
        ("kuno-2025", "glastonbury-2017", "uicc-tnm8-unknown-primary"),
        "seed",
        "Stated in the review article for most other subsites without naming them; that these subsites "
        "are among them rests on the 8th-edition grouping (clinical ENE in the N category of head and "
        "neck squamous cell carcinomas other than HPV-associated oropharynx and nasopharynx, and of an "
        "unknown primary negative for EBV and HPV/p16). Not checked against the TNM 9 book.",
    ),
    Staging("other", (1, 2, 3), None, _OTHER_OPEN, ("kuno-2025",), "unresolved", _OPEN_WORDS),
)

#: After surgery or radiotherapy no TNM statement is made (whatever the subsite and grade).
POST_TREATMENT = Staging(
    "",
    (0, 1, 2, 3),
    None,
    "The clinical N category is assigned from findings before treatment, and after surgery or "
    "radiotherapy treatment change can mimic the signs of iENE.",
    ("uicc-tnm9", "kuno-2025"),
    "recalled",
    "A general rule of the TNM classification, given without re-reading the TNM book; that treatment "
    "change mimics iENE is stated in the review article.",
    summary="no TNM statement for imaging after treatment",
)


#: Below Grade 3, when a finding the review treats as a sign of invasion falls outside its grading
#: criteria: the grade is not settled, so neither is the N category.
UNSETTLED = Staging(
    "",
    (0, 1, 2),
    None,
    "The grade itself is not settled (see the findings sent for multidisciplinary review), and the N "
    "category depends on the grade: settle the grade first.",
    ("kuno-2025",),
    "unresolved",
    "Not settled: a finding entered here suggests invasion of an adjacent structure but does not meet the "
    "grading criteria as the review states them.",
    summary="N category not settled",
)

#: An irregular margin alone: Grade 0 under the task-force refinement, Grade 1 under the original wording.
CONFLICT = Staging(
    "",
    (0,),
    None,
    "The two criteria sets grade this node differently. Under the task-force refinement an irregular "
    "margin without projections into the fat is Grade 0, and imaging gives no reason to change the N "
    "category. Under the original HNCIG 2024 wording it is Grade 1, and at Grade 1",
    ("kuno-2025",),
    "unresolved",
    "Not settled: the original HNCIG 2024 wording and the task-force refinement, both as the review "
    "reports them, disagree on this finding.",
    summary="N category not settled: the two criteria sets disagree",
)
#: What the review adds for HPV-associated oropharyngeal carcinoma when Grade 0 is in question.
TORS = (
    "The review also reports that a confirmed iENE-negative (Grade 0) status is an eligibility criterion "
    "for transoral robotic surgery (TORS) in HPV-associated oropharyngeal carcinoma in the 2025 ASCO "
    "guideline, so the difference can matter for that decision."
)


def _rule(subsite: str, grade: int, structures: frozenset[str]) -> Staging:
    return next(
        s
        for s in STAGING
        if s.subsite == subsite and grade in s.grades and (not s.structures or s.structures & structures)
    )


def staging_for(
    subsite: str | None,
    grade: int,
    structures: frozenset[str],
    post_treatment: bool,
    *,
    unsettled: bool = False,
    original_grade: int | None = None,
) -> dict[str, Any] | None:
    """The N-category statement for ``subsite`` at ``grade`` (``structures``: those invaded at Grade 3).

    ``unsettled``: a finding below Grade 3 suggests invasion the criteria do not cover;
    ``original_grade``: the grade under the original HNCIG wording, when it differs.
    """
    if subsite is None:
        return None
    text = ""
    if post_treatment:
        rule = POST_TREATMENT
    elif unsettled and grade < 3:
        rule = UNSETTLED
    elif original_grade is not None and original_grade != grade:
        rule = CONFLICT
        # what Grade 1 would mean for this subsite, and (HPV oropharynx) why Grade 0 matters
        grade_1 = _rule(subsite, original_grade, structures).text
        text = f"{rule.text} {grade_1[:1].lower()}{grade_1[1:]}"
        if subsite == "hpv-oropharynx":
            text += " " + TORS
    else:
        rule = _rule(subsite, grade, structures)
    return {
        "subsite": subsite,
        "subsite_label": SUBSITES[subsite],
        "n_category": rule.n_category,
        "summary": rule.n_category or rule.summary,
        "text": text or rule.text,
        "sources": list(rule.sources),
        "confidence": rule.confidence,
        "how_sure": rule.how_sure,
    }
