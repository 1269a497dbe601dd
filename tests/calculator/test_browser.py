"""The JSON-string boundary the Pyodide worker calls."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from calculator import browser

FIXTURE = json.loads((Path(__file__).parent.parent / "cases" / "fixture_catalog.json").read_text("utf-8"))
PACKAGED = Path(browser.__file__).parent / "data" / "catalog.json"


def ask(request: object, catalog: dict | None = None) -> dict:  # type: ignore[type-arg]
    text = request if isinstance(request, str) else json.dumps(request)
    return json.loads(browser.handle(text, catalog))  # type: ignore[no-any-return]


def test_iene_round_trip() -> None:
    out = ask(
        {
            "calculator": "iene",
            "input": {"findings": [{"finding": "fat-projections", "certainty": "unequivocal"}]},
        }
    )
    assert (out["ok"], out["result"]["grade"], out["calculator"], out["version"]) == (True, 1, "iene", 1)


def test_dose_with_given_catalog() -> None:
    out = ask({"calculator": "dose", "input": {"studies": [{"procedure": "xr-chest"}]}}, FIXTURE)
    assert out["result"]["band"]["symbol"] == "☢☢"


def test_output_is_plain_utf8_json() -> None:
    text = browser.handle(
        json.dumps({"calculator": "dose", "input": {"studies": [{"procedure": "xr-chest"}]}}), FIXTURE
    )
    assert "☢" in text and "NaN" not in text


@pytest.mark.parametrize(
    ("request_text", "path", "message"),
    [
        (
            "{oops",
            "",
            "request: not valid JSON (Expecting property name enclosed in double quotes: line 1 column 2 "
            "(char 1))",
        ),
        ("[1, 2]", "", "request: expected a JSON object"),
        ('{"input": {}}', "calculator", "calculator: expected the name of a calculator"),
        (
            '{"calculator": "x"}',
            "calculator",
            "calculator: unknown calculator 'x' (known: 'scenario-match', 'iene', 'dose')",
        ),
        ('{"calculator": "iene", "input": "text"}', "", 'input: expected an object, found "text"'),
    ],
)
def test_bad_requests(request_text: str, path: str, message: str) -> None:
    out = ask(request_text)
    assert out["ok"] is False
    assert (out["errors"][0]["path"], out["errors"][0]["message"]) == (path, message)


def test_missing_catalog_is_an_error_not_a_crash(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(browser, "_catalog", None)
    out = ask({"calculator": "scenario-match", "input": {"text": "neck pain"}})
    assert out["errors"][0]["message"] == "scenario-match: the scenario catalog is not available"


def test_specs_json_describes_every_form() -> None:
    specs = json.loads(browser.specs_json())
    assert [c["name"] for c in specs["calculators"]] == ["scenario-match", "iene", "dose"]
    iene = specs["calculators"][1]
    finding = iene["fields"][0]["items"][0]
    assert finding["name"] == "finding" and finding["values"][0] == {
        "value": "necrosis",
        "label": "Central nodal necrosis",
    }
    dose_fields = {f["name"]: f for f in specs["calculators"][2]["fields"][1]["items"]}
    assert (
        dose_fields["dose_msv"]["unit"] == "mSv" and dose_fields["procedure"]["values_from"] == "procedures"
    )


def test_packaged_catalog_smoke(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(browser, "_catalog", browser._UNSET)
    catalog = browser.packaged_catalog()
    assert catalog is not None and catalog["format"] == 1
    proc = next(p for p in catalog["procedures"] if p["dose"] is not None)
    out = ask({"calculator": "dose", "input": {"studies": [{"procedure": proc["id"], "count": 2}]}})
    assert out["ok"], out
    assert out["result"]["total_msv"]["typical"] == round(2 * proc["dose"]["typical_msv"], 6)
    facts = [f["id"] for f in catalog["facts"]]
    out = ask({"calculator": "scenario-match", "input": {"facts": facts[:2], "text": "new neck pain"}})
    assert out["ok"], out
    for scenario in catalog["scenarios"]:
        out = ask(
            {
                "calculator": "scenario-match",
                "input": {
                    "facts": scenario["facts_all"] + scenario["facts_any"][:1],
                    "text": scenario["title"],
                },
            }
        )
        assert out["ok"], out


def test_declared_examples_run_on_the_packaged_catalog() -> None:
    for spec in json.loads(browser.specs_json())["calculators"]:
        for example in spec["examples"]:
            out = ask({"calculator": spec["name"], "input": example})
            assert out["ok"], out


def test_cited_sources_exist_in_the_site_catalog() -> None:
    # the calculator's own citations and the site's sources catalog must name the same documents
    from calculator._iene_rules import SOURCES

    catalog = json.loads(PACKAGED.read_text(encoding="utf-8"))
    assert sorted(set(SOURCES) - set(catalog["sources"])) == []
