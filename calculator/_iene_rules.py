"""iENE grading rules as data: what each finding can prove, why some never count, and the notes.

Every rule carries the ids of its sources (ids of the site's sources catalog) so the trail can cite
them; ``SOURCES`` holds a readable citation for each id so the calculator stays self-contained.
The wording is ours; the criteria follow Kuno et al. 2025 (Table 1 and the grade sections), which
combines the HNCIG 2024 consensus with the AOSNHNR-ASHNR-ESHNR task-force refinements. We read the
review only: the consensus paper and the task-force guide are cited as the review cites them.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "ARTERIES",
    "ARTERY_NAMES",
    "ARTERY_POINTERS",
    "ARTERY_SIGNS",
    "BIFURCATION",
    "CAUTIONS",
    "CRITERIA",
    "DETAILS",
    "FINDINGS",
    "FLARE_CAUTION",
    "ONE_SECTION",
    "SECTIONS",
    "SIGNS_OF_INVASION",
    "SOURCES",
    "UNSETTLED_TAILS",
    "Finding",
    "original_hncig_note",
]

#: Readable citations for every source id the calculators cite.
SOURCES: dict[str, str] = {
    "kuno-2025": "Kuno H, Hiyama T, Sasaki T, et al. Imaging-detected extranodal extension in head and "
    "neck cancer: clinical implications, diagnostic criteria, and the potential of photon-counting "
    "detector CT. Jpn J Radiol 2025. doi:10.1007/s11604-025-01894-3",
    "henson-2024": "Henson C, et al. HNCIG consensus criteria for imaging-detected extranodal extension. "
    "Lancet Oncol 2024;25(7):e297-e307 (not read for this site: cited as Kuno et al. 2025 cite it)",
    "ashnr-iene-2025": "Branstetter BF IV, de Graaf P, King AD, Lee JH, Maroldi R, Yu E. Imaging-derived "
    "extranodal extension (iENE) in head and neck cancer: a guide for radiologists. ASHNR 2025 (not read "
    "for this site: cited as Kuno et al. 2025 cite it)",
    "icon-n-2025": "Huang SH, et al. The ICON-N study. JAMA Otolaryngol Head Neck Surg "
    "2025;151(7):655-664 (its results as Kuno et al. 2025 report them)",
    "npc9-2024": "Pan JJ, et al. The 9th-edition staging of nasopharyngeal carcinoma. JAMA Oncol "
    "2024;10(12):1627-1635 (not read for this site)",
    "ndrs-salivary-tnm9": "NHS National Disease Registration Service. TNM 9 staging sheet: major "
    "salivary glands",
    "glastonbury-2017": "Glastonbury CM, Mukherji SK, O'Sullivan B, Lydiatt WM. Setting the stage for "
    "2018: how the changes in the AJCC/UICC Cancer Staging Manual eighth edition impact radiologists. "
    "AJNR Am J Neuroradiol 2017",
    "uicc-tnm8-unknown-primary": "UICC TNM Classification of Malignant Tumours, 8th edition: Unknown "
    "primary, cervical nodes (TNM help copy)",
    "uicc-tnm9": "Brierley JD, Giuliani M, O'Sullivan B, Rous B, Van Eycken E (eds). TNM Classification of "
    "Malignant Tumours, 9th edition (UICC). Wiley-Blackwell (not read for this site)",
    "ncrp-160": "NCRP Report No. 160: Ionizing Radiation Exposure of the Population of the United "
    "States (2009)",
    "radiologyinfo-safety": "RadiologyInfo.org (ACR/RSNA). Radiation Dose in X-Ray and CT Exams",
    "aapm-pp25c": "AAPM Position Statement on Radiation Risks from Medical Imaging Procedures, PP 25-C "
    "(10 April 2018; sunset date 31 December 2023, renewal not found)",
    "acr-rrl": "ACR Appropriateness Criteria: Radiation Dose Assessment Introduction (Relative "
    "Radiation Levels)",
}

# Source tuples used below: the review we read, plus the documents it draws the rule from.
_HNCIG = ("kuno-2025", "henson-2024")
_TASK_FORCE = ("kuno-2025", "ashnr-iene-2025")
_REVIEW = ("kuno-2025",)
#: The criteria the grade follows, as the report names them.
CRITERIA = "HNCIG 2024 criteria as refined by the AOSNHNR-ASHNR-ESHNR task force"


@dataclass(frozen=True)
class Finding:
    """One kind of imaging finding the reader can enter."""

    kind: str
    label: str
    help: str
    #: Grade an unequivocal finding proves; 0 = never raises the grade (it is set aside).
    grade: int
    rule: str
    #: Why the finding is set aside when it does not count (empty for counting findings).
    reason: str
    sources: tuple[str, ...]
    #: For Grade 3 findings, the adjacent structure invaded (TNM rules name structures).
    structure: str = ""


FINDINGS: tuple[Finding, ...] = (
    Finding(
        "necrosis",
        "Central nodal necrosis",
        "Necrotic centre of the node.",
        0,
        "never-necrosis",
        "nodal necrosis is not a diagnostic feature of iENE under the HNCIG consensus",
        _HNCIG,
    ),
    Finding(
        "capsular-thickening",
        "Capsular thickening or enhancement",
        "Thick or enhancing nodal rim.",
        0,
        "never-capsule",
        "capsular thickening or enhancement is not a diagnostic feature of iENE under the HNCIG consensus",
        _HNCIG,
    ),
    Finding(
        "irregular-capsule",
        "Irregular or indistinct margin, no projections",
        "Irregular contour with the capsule still intact and no spikes into the fat.",
        0,
        "irregular-capsule-alone",
        "under the task-force refinement an irregular or indistinct margin alone is not Grade 1 "
        "(projections or spikes into the perinodal fat are required)",
        _TASK_FORCE,
    ),
    Finding(
        "fat-projections",
        "Projections or spikes into perinodal fat",
        "Tumour extends beyond the node into the surrounding fat only.",
        1,
        "grade1-fat",
        "",
        _TASK_FORCE,
    ),
    Finding(
        "flare-sign",
        "MRI flare sign",
        "High signal around and extending from the node on fat-suppressed T2 or STIR.",
        1,
        "grade1-flare",
        "",
        _TASK_FORCE,
    ),
    Finding(
        "coalescent-nodes",
        "Coalescent (matted) nodes",
        "Two or more adjoining nodes that cannot be separated; tick the three criteria.",
        2,
        "grade2-coalescence",
        "",
        _TASK_FORCE,
    ),
    Finding(
        "muscle-infiltration",
        "Direct muscle infiltration",
        "Tumour infiltrates muscle (e.g. sternocleidomastoid, strap muscles); say on how many "
        "contiguous sections.",
        3,
        "grade3-muscle",
        "",
        _TASK_FORCE,
        "muscle",
    ),
    Finding(
        "muscle-fat-plane-loss",
        "Fat plane to muscle lost, no infiltration",
        "The fat between node and muscle is gone but the muscle itself is not infiltrated.",
        0,
        "muscle-plane-only",
        "loss of the fat plane next to a muscle is not muscle invasion",
        _TASK_FORCE,
    ),
    Finding(
        "artery-contact",
        "Contact with or encasement of an artery",
        "Give the artery, the degrees of its circumference in contact with tumour and any other sign.",
        3,
        "grade3-artery",
        "",
        _TASK_FORCE,
        "artery",
    ),
    Finding(
        "carotid-bifurcation",
        "Tumour at the carotid bifurcation",
        "Involvement of the bifurcation. The review regards it as unresectable, but its grading criteria "
        "give no rule for it: definite involvement leaves the grade unsettled.",
        0,
        "carotid-bifurcation",
        "the review's grading criteria give no rule for the carotid bifurcation",
        _REVIEW,
    ),
    Finding(
        "ijv-obliteration",
        "Internal jugular vein obliterated (no flow)",
        "Complete obliteration of the vein lumen without flow.",
        3,
        "grade3-ijv",
        "",
        _TASK_FORCE,
        "vein",
    ),
    Finding(
        "ijv-thrombus",
        "Tumour thrombus in the internal jugular vein",
        "Tumour within the vein.",
        3,
        "grade3-ijv",
        "",
        _TASK_FORCE,
        "vein",
    ),
    Finding(
        "ijv-compression",
        "Internal jugular vein compressed or displaced",
        "The vein is narrowed or pushed aside but still open.",
        0,
        "ijv-compression-only",
        "compression or displacement of the internal jugular vein is not invasion",
        _TASK_FORCE,
    ),
    Finding(
        "skin-invasion",
        "Skin invasion with loss of subcutaneous fat",
        "Subcutaneous fat stripe lost, with focal skin thickening or ulceration next to the node.",
        3,
        "grade3-skin",
        "",
        _TASK_FORCE,
        "skin",
    ),
    Finding(
        "skin-abutment",
        "Node close to skin, subcutaneous fat preserved",
        "The node approaches the skin but the subcutaneous fat is still seen.",
        0,
        "skin-fat-kept",
        "skin invasion needs loss of the subcutaneous fat",
        _TASK_FORCE,
    ),
    Finding(
        "gland-invasion",
        "Gland parenchyma invaded",
        "Tumour crosses the gland capsule into the parenchyma (e.g. submandibular, parotid).",
        3,
        "grade3-gland",
        "",
        _TASK_FORCE,
        "gland",
    ),
    Finding(
        "gland-displacement",
        "Gland displaced or distorted only",
        "The gland is pushed or deformed without invasion of its parenchyma.",
        0,
        "gland-displaced-only",
        "displacement or distortion of a gland is not invasion",
        _TASK_FORCE,
    ),
    Finding(
        "nerve-invasion",
        "Nerve invasion with thickening or denervation",
        "Perineural fat effaced by the node plus nerve thickening or denervation signs "
        "(e.g. tongue oedema with hypoglossal involvement).",
        3,
        "grade3-nerve",
        "",
        _TASK_FORCE,
        "nerve",
    ),
    Finding(
        "nerve-fat-effacement",
        "Perineural fat effaced, no thickening or denervation",
        "The fat around a nerve is effaced but the nerve is not thickened and there is no denervation.",
        0,
        "nerve-fat-only",
        "effaced perineural fat without nerve thickening or denervation signs is not nerve invasion",
        _TASK_FORCE,
    ),
    Finding(
        "perineural-spread",
        "Classic perineural spread from the primary",
        "Spread along a nerve from the primary tumour.",
        0,
        "classic-pns",
        "classic perineural spread from the primary tumour is assessed separately from nodal ENE",
        _REVIEW,
    ),
)

#: The detail fields each finding takes (all other findings take none).
DETAILS: dict[str, tuple[str, ...]] = {
    "artery-contact": ("artery", "degrees", "adventitia_lost", "lumen_narrowed", "moves_on_ultrasound"),
    "coalescent-nodes": ("fat_planes_lost", "convexity_lost", "boundaries_merged", "single_node_possible"),
    "muscle-infiltration": ("sections",),
}

#: Major arteries assessed for encasement; smaller arteries are not assessed.
ARTERIES: dict[str, str] = {
    "common-carotid": "common carotid artery",
    "internal-carotid": "internal carotid artery",
    "external-carotid-origin": "origin of the external carotid artery",
    "vertebral": "vertebral artery",
    "other": "another (smaller) artery",
}
#: How a report names an artery after "the" or "a": a smaller artery is not named.
ARTERY_NAMES: dict[str, str] = {**{k: f"the {v}" for k, v in ARTERIES.items()}, "other": "a smaller artery"}

#: Degree thresholds for arterial contact. Table 1 of the review says >= 270; its text says > 270.
ENCASEMENT_DEG = 270.0
INDETERMINATE_DEG = 180.0
EXACTLY_270 = (
    "Contact of exactly 270°: the review's Table 1 counts 270° as encasement while its text asks for more "
    "than 270°; graded as Grade 3 following the table, but the call is borderline."
)

#: The arterial signs besides the angle of contact (review, Grade 3 section): field -> how reports name it.
ARTERY_SIGNS: dict[str, str] = {
    "adventitia_lost": "focal loss of the fat or adventitial plane around the artery",
    "lumen_narrowed": "narrowing or deformity of the lumen",
}
#: What the review says about preserved mobility on real-time ultrasound (its Fig. 12 case).
MOBILE = (
    "the tumour moves freely against the artery on real-time ultrasound, which helped exclude arterial "
    "invasion in one of the review's cases"
)
#: The review's pointers when arterial involvement is uncertain (said once per report).
ARTERY_POINTERS: tuple[str, ...] = (
    "T2-weighted MRI is more specific than contrast-enhanced CT, which tends to overestimate arterial "
    "invasion, particularly at 180° to 270° of contact.",
    "Other signs of invasion: focal loss of the fat or adventitial plane around the artery (sensitivity "
    "83–91%, specificity 80–95% in the studies the review cites) and narrowing or deformity of the lumen "
    "(specificity about 100%, sensitivity 35–70%).",
    "Involvement of the carotid bifurcation is regarded as unresectable whatever the angle of contact.",
    "Real-time ultrasound showing the tumour moving freely against the artery helped exclude invasion in "
    "one of the review's cases.",
)

#: How many contiguous sections show muscle infiltration: value -> label.
SECTIONS: dict[str, str] = {
    "two-or-more": "At least two contiguous sections",
    "one": "One section only",
}
ONE_SECTION = (
    "Direct muscle infiltration seen on one section only: not counted as Grade 3 under the strict rule "
    "the review advises (unequivocal infiltration on at least two contiguous sections, so that stranding "
    "is not taken for invasion). Re-check the adjacent sections."
)
SECTIONS_NOT_GIVEN = (
    "Direct muscle infiltration counted without the number of sections: the review advises requiring "
    "unequivocal infiltration on at least two contiguous sections so that stranding is not taken for "
    "invasion."
)

#: What the review says of the arterial signs besides the angle (its Grade 3 section, for the carotid).
SIGNS_OF_INVASION = (
    "The review counts these signs, with more than 270° of contact, among the three CT and MRI signs "
    "established as reliable indicators of carotid invasion (luminal narrowing or deformity is highly "
    "specific, about 100%; figures below), but its Grade 3 criterion for arteries is encasement of 270° "
    "or more."
)
#: Definite involvement of the carotid bifurcation, graded below Grade 3 by the other findings.
BIFURCATION = (
    "Definite involvement of the carotid bifurcation: the review, discussing Grade 3 arterial invasion, "
    "regards it as unresectable whatever the angle of contact, but its grading criteria give no rule for "
    "it (the arterial criterion is encasement of 270° or more of a major artery)."
)
#: What a flag that can unsettle the grade adds: (when the grade is below 3, when it is 3 anyway).
UNSETTLED_TAILS: dict[str, tuple[str, str]] = {
    "muscle-infiltration": (" Until then the grade is not settled.", ""),
    "artery-contact": (
        " The calculator's sources therefore do not settle the grade: discuss at multidisciplinary review.",
        " Discuss at multidisciplinary review.",
    ),
    "carotid-bifurcation": (
        " The calculator's sources therefore do not settle the grade: discuss at multidisciplinary review.",
        " Discuss at multidisciplinary review.",
    ),
}

FLARE_CAUTION = (
    "MRI flare sign: the review's table calls it highly specific, but its text says it still needs "
    "validation under the updated HNCIG criteria, and Grade 1 findings can be mimicked by post-biopsy, "
    "post-treatment or inflammatory change."
)


def original_hncig_note(grade: int) -> str:
    """Said when the original HNCIG 2024 wording would grade higher than the task-force refinement."""
    return (
        f"Under the original HNCIG 2024 wording, unequivocally irregular or ill-defined nodal margins "
        f"alone would be Grade 1; this grade (Grade {grade}) follows the task-force refinement, under "
        "which such margins without projections or spikes into the perinodal fat are Grade 0."
    )


#: Cautions, keyed by the input that triggers them.
CAUTIONS: dict[str, str] = {
    "recent_biopsy_yes": "A recent core biopsy can produce changes around the node that mimic Grade 1; "
    "interpret perinodal fat findings with care.",
    "recent_biopsy_unknown": "Whether a recent core biopsy was done is unknown: the HNCIG panel noted "
    "that accuracy suffers when this is not known.",
    "post_treatment": "After surgery or radiotherapy, treatment change in the fat can mimic Grade 1.",
    "inflammatory_change": "Inflammatory or infective change around the node can mimic Grade 1.",
}
