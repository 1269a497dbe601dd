"""iENE grading rules as data: what each finding can prove, why some never count, and TNM 9 notes.

Every rule carries the ids of its sources (ids of the site's sources catalog) so the trail can cite
them; ``SOURCES`` holds a readable citation for each id so the calculator stays self-contained.
The wording is ours; the criteria follow Kuno et al. 2025 (Table 1 and the grade sections), which
combines the HNCIG 2024 consensus with the AOSNHNR-ASHNR-ESHNR task force refinements.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["ARTERIES", "FINDINGS", "SOURCES", "STAGING", "SUBSITES", "Finding", "Staging"]

#: Readable citations for every source id the calculators cite.
SOURCES: dict[str, str] = {
    "kuno-2025": "Kuno H, Hiyama T, Sasaki T, et al. Imaging-detected extranodal extension in head and "
    "neck cancer: clinical implications, diagnostic criteria, and the potential of photon-counting "
    "detector CT. Jpn J Radiol 2025. doi:10.1007/s11604-025-01894-3",
    "henson-2024": "Henson C, et al. Criteria for imaging-detected extranodal extension in head and neck "
    "cancer: HNCIG international consensus recommendations. Lancet Oncol 2024;25(7):e297-e307. "
    "doi:10.1016/S1470-2045(24)00066-4",
    "ashnr-iene-2025": "Branstetter BF IV, de Graaf P, King AD, Lee JH, Maroldi R, Yu E. Imaging-derived "
    "extranodal extension (iENE) in head and neck cancer: a guide for radiologists. ASHNR 2025. "
    "https://ashnr.org/iene/",
    "icon-n-2025": "Huang SH, et al. ICON-N: imaging-detected ENE in HPV-associated oropharyngeal "
    "carcinoma. JAMA Otolaryngol Head Neck Surg 2025;151(7):655-664",
    "npc9-2024": "Pan JJ, et al. Proposal for the 9th edition of the AJCC/UICC staging of nasopharyngeal "
    "carcinoma. JAMA Oncol 2024;10(12):1627-1635",
    "ndrs-salivary-tnm9": "NHS National Disease Registration Service. TNM 9 staging sheet: major "
    "salivary glands",
    "ncrp-160": "NCRP Report No. 160: Ionizing Radiation Exposure of the Population of the United "
    "States (2009)",
    "radiologyinfo-safety": "RadiologyInfo.org (ACR/RSNA). Radiation Dose in X-Ray and CT Exams",
    "aapm-pp25": "AAPM Position Statement PP 25: Radiation Risks from Medical Imaging Procedures",
    "acr-rrl": "ACR Appropriateness Criteria: Radiation Dose Assessment Introduction (Relative "
    "Radiation Levels)",
}

# Source tuples used below: the review we read, plus the documents it draws the rule from.
_HNCIG = ("kuno-2025", "henson-2024")
_TASK_FORCE = ("kuno-2025", "ashnr-iene-2025")


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
        "an irregular or indistinct capsule alone is not Grade 1: projections or spikes into the "
        "perinodal fat are required",
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
        "Tumour infiltrates muscle (e.g. sternocleidomastoid, strap muscles), ideally on at least "
        "two contiguous sections.",
        3,
        "grade3-muscle",
        "",
        _TASK_FORCE,
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
        "Give the artery and the degrees of its circumference in contact with tumour.",
        3,
        "grade3-artery",
        "",
        _TASK_FORCE,
    ),
    Finding(
        "carotid-bifurcation",
        "Tumour at the carotid bifurcation",
        "Involvement of the bifurcation: a resectability note, not a grading criterion.",
        0,
        "carotid-bifurcation",
        "bifurcation involvement bears on resectability; it does not by itself set the iENE grade",
        ("kuno-2025",),
    ),
    Finding(
        "ijv-obliteration",
        "Internal jugular vein obliterated (no flow)",
        "Complete obliteration of the vein lumen without flow.",
        3,
        "grade3-ijv",
        "",
        _TASK_FORCE,
    ),
    Finding(
        "ijv-thrombus",
        "Tumour thrombus in the internal jugular vein",
        "Tumour within the vein.",
        3,
        "grade3-ijv",
        "",
        _TASK_FORCE,
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
        ("kuno-2025",),
    ),
)

#: Major arteries assessed for encasement; smaller arteries are not assessed.
ARTERIES: dict[str, str] = {
    "common-carotid": "common carotid artery",
    "internal-carotid": "internal carotid artery",
    "external-carotid-origin": "origin of the external carotid artery",
    "vertebral": "vertebral artery",
    "other": "another (smaller) artery",
}

#: Degree thresholds for arterial contact. Table 1 of the review says >= 270; its text says > 270.
ENCASEMENT_DEG = 270.0
INDETERMINATE_DEG = 180.0
EXACTLY_270 = (
    "Contact of exactly 270°: the review's Table 1 counts 270° as encasement while its text asks for more "
    "than 270°; graded as Grade 3 following the table, but the call is borderline."
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

SUBSITES: dict[str, str] = {
    "nasopharynx": "nasopharyngeal carcinoma",
    "hpv-oropharynx": "HPV-associated (p16-positive) oropharyngeal carcinoma",
    "salivary-gland": "major salivary gland carcinoma",
    "other": "another head and neck subsite (e.g. oral cavity, larynx, hypopharynx, p16-negative oropharynx)",
}


@dataclass(frozen=True)
class Staging:
    """What the sources let us say about the TNM 9 N category for one subsite and grade range."""

    subsite: str
    grades: tuple[int, ...]
    n_category: str | None
    text: str
    sources: tuple[str, ...]
    confidence: str


STAGING: tuple[Staging, ...] = (
    Staging(
        "nasopharynx",
        (0,),
        None,
        "iENE-negative: no ENE-based change to the N category.",
        ("kuno-2025",),
        "seed",
    ),
    Staging(
        "nasopharynx",
        (1, 2),
        None,
        "Our sources tie the 9th-edition nasopharyngeal N category to advanced ENE (Grade 3) only; "
        "they do not say that Grade 1 or 2 changes N, so N follows the other nodal criteria.",
        ("kuno-2025", "npc9-2024"),
        "seed",
    ),
    Staging(
        "nasopharynx",
        (3,),
        "N3",
        "Advanced radiological ENE (involvement of muscle, skin or the neurovascular bundle, "
        "i.e. Grade 3) is an N3 criterion in the 9th edition. The exact N3 wording is recalled "
        "from the staging proposal, not re-read: verify in the TNM 9 text.",
        ("kuno-2025", "npc9-2024"),
        "seed",
    ),
    Staging(
        "hpv-oropharynx",
        (0,),
        None,
        "iENE-negative: no ENE-based change to the N category.",
        ("kuno-2025",),
        "seed",
    ),
    Staging(
        "hpv-oropharynx",
        (1, 2),
        None,
        "iENE-positive disease moves up one clinical N category compared with the same nodes "
        "without ENE (adopted in the 9th edition after ICON-N). The resulting category depends on "
        "laterality and size; the exact cN wording is unresolved in our sources.",
        ("kuno-2025", "icon-n-2025"),
        "seed",
    ),
    Staging(
        "hpv-oropharynx",
        (3,),
        "N3",
        "The review states that Grade 3 leads to N3. How this fits the 9th-edition cN wording "
        "(which probably makes unilateral nodes with ENE cN2 and bilateral or contralateral nodes "
        "with ENE cN3) is unresolved: check the TNM 9 book.",
        ("kuno-2025", "icon-n-2025"),
        "unresolved",
    ),
    Staging(
        "salivary-gland",
        (0,),
        None,
        "iENE-negative: no ENE-based change to the N category.",
        ("kuno-2025",),
        "seed",
    ),
    Staging(
        "salivary-gland",
        (1, 2, 3),
        "N2",
        "Unequivocal ENE places major salivary gland carcinoma in N2, the highest category of the "
        "simplified 9th-edition N0-N2 scheme. The review states this explicitly for Grade 3; the full "
        "N1/N2 definitions were not found in our sources.",
        ("kuno-2025", "ndrs-salivary-tnm9"),
        "seed",
    ),
    Staging(
        "other", (0,), None, "iENE-negative: no ENE-based change to the N category.", ("kuno-2025",), "seed"
    ),
    Staging(
        "other",
        (1, 2, 3),
        "N3b",
        "The 9th edition accepts unequivocal imaging evidence as clinical ENE, which places the "
        "disease in N3b.",
        ("kuno-2025",),
        "seed",
    ),
)
