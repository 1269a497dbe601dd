"""The dose of one study of the input: a catalog procedure's, a custom study's as entered, or a custom
CT's estimated from its dose-length product (DLP) with the adult coefficient of its body region.
"""

from __future__ import annotations

import difflib
from typing import Any

from ._contract import FieldError, field_error, found_text
from ._dose_parts import HOW_SURE, MAX_STUDY_MSV, fmt, how_sure

__all__ = ["K_FACTORS", "REGIONS", "resolve"]

#: Adult coefficients from a CT's dose-length product (DLP, mGy·cm) to effective dose (mSv), by body
#: region: ``k`` is the coefficient used (AAPM Report 96, Shrimpton et al.), ``low``-``high`` the span of
#: the published estimates, which differ with the tissue weights and phantoms behind them.
K_FACTORS: dict[str, dict[str, Any]] = {
    "head": {
        "label": "Head",
        "k": 0.0021,
        "low": 0.0017,
        "high": 0.0021,
        "source": "medphys-2012-dlp",
        "confidence": "verified",
        "note": "",
    },
    "neck": {
        "label": "Neck",
        "k": 0.0059,
        "low": 0.0051,
        "high": 0.0059,
        "source": "radclass-dlp-table",
        "confidence": "recalled",
        "note": "The neck coefficient was read only in a secondary web table reproducing AAPM Report 96.",
    },
    "chest": {
        "label": "Chest",
        "k": 0.014,
        "low": 0.014,
        "high": 0.021,
        "source": "medphys-2012-dlp",
        "confidence": "verified",
        "note": "",
    },
    "abdomen-pelvis": {
        "label": "Abdomen and pelvis",
        "k": 0.015,
        "low": 0.015,
        "high": 0.0179,
        "source": "medphys-2012-dlp",
        "confidence": "verified",
        "note": "",
    },
}
#: The body regions a DLP can be converted for, in form order.
REGIONS = tuple(K_FACTORS)


def _suggest(name: str, index: dict[str, Any]) -> str:
    exact = index["aliases"].get(name.casefold())
    if exact:
        return str(exact)
    close = difflib.get_close_matches(name.lower(), index["ids"], n=1, cutoff=0.5)
    return close[0] if close else ""


def _error(
    errors: list[FieldError], path: str, expected: str, value: Any, message: str, found: str = ""
) -> None:
    errors.append(field_error(path, expected, value, message, found=found))


def _plausible(path: str, field: str, msv: float, errors: list[FieldError]) -> bool:
    """A dose of one study between 0 and MAX_STUDY_MSV; else an error naming the likely slip."""
    if msv > MAX_STUDY_MSV:
        _error(
            errors,
            f"{path}.{field}",
            f"a dose <= {MAX_STUDY_MSV:g} mSv",
            msv,
            f"{path}.{field}: {msv:g} mSv is not plausible for one study "
            f"(limit {MAX_STUDY_MSV:g} mSv); check the unit: µSv or mGy·cm are not mSv",
        )
        return False
    return True


def _custom(
    path: str, study: dict[str, Any], population: str, errors: list[FieldError]
) -> dict[str, Any] | None:
    """A study not in the catalog: its dose as entered, or estimated from its DLP and body region."""
    name, dose, dlp, region = study["custom"], study["dose_msv"], study.get("dlp_mgycm"), study.get("region")
    base = {"label": name.strip(), "procedure": None, "how_sure": "", "note": ""}
    if not name.strip():
        _error(
            errors,
            f"{path}.custom",
            "a non-empty name",
            name,
            f"{path}.custom: expected a non-empty name, found {found_text(name)}",
        )
        return None
    if dose is not None and dlp is not None:
        _error(
            errors,
            f"{path}.dlp_mgycm",
            "a dose or a DLP, not both",
            dlp,
            f"{path}.dlp_mgycm: give either 'dose_msv' or 'dlp_mgycm', not both",
        )
        return None
    if dlp is not None:
        return _from_dlp(path, base, dlp, region, population, errors)
    if region is not None:
        _error(
            errors,
            f"{path}.dlp_mgycm",
            "a DLP with its body region",
            None,
            f"{path}.dlp_mgycm: required with 'region'",
            found="nothing",
        )
        return None
    if dose is None:
        _error(
            errors,
            f"{path}.dose_msv",
            "a dose in mSv",
            None,
            f"{path}.dose_msv: required for a custom study",
            found="nothing",
        )
        return None
    if dose < 0:
        _error(
            errors,
            f"{path}.dose_msv",
            "a dose >= 0 mSv",
            dose,
            f"{path}.dose_msv: expected a dose >= 0 mSv, found {dose:g}",
        )
        return None
    if not _plausible(path, "dose_msv", dose, errors):
        return None
    d = float(dose)
    return {
        **base,
        "typical": d,
        "low": d,
        "high": d,
        "basis": "custom dose as entered",
        "source": None,
        "confidence": None,
    }


def _from_dlp(
    path: str, base: dict[str, Any], dlp: float, region: str | None, population: str, errors: list[FieldError]
) -> dict[str, Any] | None:
    """Effective dose from a CT's DLP with the adult coefficient of its body region (and their span)."""
    if population != "adult":
        _error(
            errors,
            f"{path}.dlp_mgycm",
            "an adult patient for a DLP",
            dlp,
            f"{path}.dlp_mgycm: the DLP coefficients are for adults; enter a child's dose in mSv",
        )
        return None
    if region is None:
        _error(
            errors,
            f"{path}.region",
            "a body region with its DLP",
            None,
            f"{path}.region: required with 'dlp_mgycm'",
            found="nothing",
        )
        return None
    # a real CT reports tens to thousands of mGy·cm; below 1 it is a slip (a zero, a wrong unit)
    if dlp < 1:
        _error(
            errors,
            f"{path}.dlp_mgycm",
            "a DLP >= 1 mGy·cm",
            dlp,
            f"{path}.dlp_mgycm: expected a DLP >= 1 mGy·cm, found {dlp:g}",
        )
        return None
    k = K_FACTORS[region]
    typical = round(dlp * k["k"], 6)
    if not _plausible(path, "dlp_mgycm", typical, errors):
        return None
    coefficient = f"{k['k']:g} mSv per mGy·cm"
    return {
        **base,
        "typical": typical,
        "low": round(dlp * k["low"], 6),
        "high": round(dlp * k["high"], 6),
        "basis": f"from a DLP of {fmt(dlp)} mGy·cm x {coefficient} (adult {k['label'].lower()})",
        # the figures themselves, so that a report reader can catch a wrong region
        "calculation": f"DLP {fmt(dlp)} mGy·cm x {coefficient} (adult {k['label'].lower()} coefficient)",
        "source": k["source"],
        "confidence": k["confidence"],
        "how_sure": HOW_SURE[k["confidence"]],
        "note": k["note"],
    }


def resolve(
    i: int, study: dict[str, Any], population: str, index: dict[str, Any], errors: list[FieldError]
) -> dict[str, Any] | None:
    """Per-study dose: {label, procedure, typical, low, high, basis, source, confidence, how_sure, note}
    or None on error (``note``: the catalog's word on the figure)."""
    path = f"studies[{i}]"
    proc_id, custom, dose = study["procedure"], study["custom"], study["dose_msv"]
    if proc_id is not None and custom is not None:
        errors.append(
            field_error(
                path,
                "either 'procedure' or 'custom'",
                None,
                f"{path}: give either 'procedure' or 'custom', not both",
                found="both",
            )
        )
        return None
    if proc_id is None and custom is None:
        errors.append(
            field_error(
                path,
                "'procedure' or 'custom'",
                None,
                f"{path}: give 'procedure' (a catalog id) or 'custom' with 'dose_msv'",
                found="neither",
            )
        )
        return None
    if custom is not None:
        return _custom(path, study, population, errors)
    for key in ("dlp_mgycm", "region"):
        if study.get(key) is not None:
            errors.append(
                field_error(
                    f"{path}.{key}",
                    "no DLP for a catalog procedure",
                    study[key],
                    f"{path}.{key}: only used with 'custom'; the catalog gives the dose of a procedure",
                )
            )
            return None
    if dose is not None:
        errors.append(
            field_error(
                f"{path}.dose_msv",
                "no dose for a catalog procedure",
                dose,
                f"{path}.dose_msv: only used with 'custom'; the catalog gives the dose of a procedure",
            )
        )
        return None
    proc = index["procedures"].get(proc_id)
    if proc is None:
        hint = _suggest(proc_id, index)
        tail = f"; did you mean {hint!r}?" if hint else "; see the procedure list"
        errors.append(
            field_error(
                f"{path}.procedure",
                "a procedure id from the catalog",
                proc_id,
                f"{path}.procedure: unknown procedure {proc_id!r}{tail}",
            )
        )
        return None
    base = {"label": proc["name"], "procedure": proc_id}
    level = proc["rrl_adult"] if population == "adult" else proc.get("rrl_pediatric")
    if level == 0:
        return {
            **base,
            "typical": 0.0,
            "low": 0.0,
            "high": 0.0,
            "basis": "no ionising radiation (RRL 0)",
            "source": "acr-rrl",
            "confidence": "verified",
            "how_sure": HOW_SURE["verified"],
            "note": "",
        }
    if population == "adult":
        if proc.get("dose") is None:
            errors.append(
                field_error(
                    f"{path}.procedure",
                    "a procedure with a typical dose",
                    proc_id,
                    f"{path}.procedure: {proc_id!r} has no typical dose in the catalog; enter it as a custom "
                    "study with its dose in mSv",
                )
            )
            return None
        d = proc["dose"]
        return {
            **base,
            "typical": float(d["typical_msv"]),
            "low": float(d["low_msv"]),
            "high": float(d["high_msv"]),
            "basis": "typical adult dose",
            "source": d["source"],
            "confidence": d["confidence"],
            "how_sure": how_sure(d),
            "note": d.get("note", ""),
        }
    band = next((b for b in index["rrl"] if b["level"] == level), None)
    if band is None:
        errors.append(
            field_error(
                f"{path}.procedure",
                "a procedure with a pediatric RRL",
                proc_id,
                f"{path}.procedure: {proc_id!r} has no pediatric RRL in the catalog; enter it as a custom "
                "study with its dose in mSv",
            )
        )
        return None
    lo, hi = band["pediatric_msv"]
    return {
        **base,
        "typical": None,
        "low": float(lo),
        "high": float(hi),
        "basis": f"pediatric RRL {band['level']} band ({fmt(lo)}-{fmt(hi)} mSv)",
        "source": band.get("source", "acr-rrl"),
        "confidence": band.get("confidence"),
        "how_sure": how_sure(band),
        "note": "",
    }
