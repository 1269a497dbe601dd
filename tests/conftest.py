"""Shared fixtures: the project root, the real site built once per session, and a tiny data set."""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
from pathlib import Path

import pytest
from hostile import TEXT_FIELDS, hostile_text

from sitegen.data import model as m
from sitegen.data.review import Fingerprints

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def project_root() -> Path:
    """The repository root (holds mkdocs.yml, scenarios/, content/)."""
    return PROJECT_ROOT


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory, project_root: Path) -> Path:
    """The real site, built once per session with ``build.py build`` into a temporary directory."""
    from sitegen.cli import build

    site = tmp_path_factory.mktemp("built") / "site"
    code = build(project_root, site, refresh_sources=False)
    assert code == 0, "the real site does not build: run `python build.py build` to see why"
    return site


@pytest.fixture(scope="session")
def offline_site(tmp_path_factory: pytest.TempPathFactory, project_root: Path) -> Path:
    """The real site built as the offline bundle builds it: Material's offline plugin on, for file://."""
    from sitegen.cli import build

    site = tmp_path_factory.mktemp("offline") / "site"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SITEGEN_OFFLINE", "true")  # read by mkdocs.yml (!ENV) when the build loads it
        code = build(project_root, site, refresh_sources=False)
    assert code == 0, "the offline site does not build: run `SITEGEN_OFFLINE=true python build.py build`"
    return site


def _cite(source: str = "acr-test", confidence: str = "verified") -> m.Cite:
    return m.Cite(source=source, confidence=confidence)  # type: ignore[arg-type]


def _review(fingerprint: str) -> m.Review:
    day = dt.date(2026, 5, 29)
    return m.Review(reviewer="Dr Test Reviewer", role="Neuroradiologist", date=day, fingerprint=fingerprint)


def tiny_dataset() -> m.DataSet:
    """One topic, two articles, two sibling variants: every branch the templates have, with text that
    needs escaping (<, &, ', ")."""
    rrl = [
        m.RrlBand(
            level=lv, adult_min_msv=a, adult_max_msv=b, pediatric_min_msv=c, pediatric_max_msv=d, cite=_cite()
        )
        for lv, a, b, c, d in [
            (0, 0, 0, 0, 0),
            (1, 0, 0.1, 0, 0.03),
            (2, 0.1, 1, 0.03, 0.3),
            (3, 1, 10, 0.3, 3),
            (4, 10, 30, 3, 10),
            (5, 30, 100, 10, 30),
        ]
    ]
    dose = m.Dose(typical_msv=2.0, low_msv=0.9, high_msv=4.0, cite=_cite("mettler", "recalled"))
    procedures = [
        m.Procedure(
            id="mri-head",
            name="MRI head without and with IV contrast",
            modality="MRI",
            region="head",
            contrast="without-and-with",
            rrl_adult=0,
            rrl_pediatric=0,
            synonyms=["brain MRI"],
        ),
        m.Procedure(
            id="ct-head",
            name="CT head without IV contrast",
            modality="CT",
            region="head",
            contrast="without",
            rrl_adult=3,
            rrl_pediatric=3,
            rrl_cite=_cite(),
            dose=dose,
        ),
        m.Procedure(
            id="pet-ct",
            name="FDG-PET/CT skull base to mid-thigh",
            modality="PET/CT",
            region="skull base to mid-thigh",
            contrast="not-applicable",
            rrl_adult=4,
        ),
    ]
    sources = [
        m.Source(
            id="acr-test",
            title="ACR Appropriateness Criteria: Test Topic.",
            kind="acr",
            url="https://acsearch.acr.org/list",
        ),
        m.Source(
            id="mettler",
            title="Mettler FA Jr et al. Radiology 2008;248:254–263.",
            kind="paper",
            short="Mettler 2008",
        ),
        m.Source(id="seed-test", title="Seed article on headache, 2026.", kind="seed", url="https://example.org/s"),
    ]
    variants = [
        m.SiblingVariant(
            id="headache-child",
            acr_variant="Variant 2: Headache in a child.",
            cite=_cite(),
            top_procedure="mri-head",
            top_category="usually-appropriate",
        ),
        m.SiblingVariant(
            id="headache-other", acr_variant="Variant 3: Other headache.", cite=_cite("seed-test", "seed")
        ),
    ]
    topic = m.Topic(
        id="headache",
        title="Headache",
        panel="Neurologic Imaging",
        acr_topic="Headache (JACR 2019)",
        cite=_cite(),
        summary="Imaging for headache & its red flags.",
        variants=variants,
    )
    facts = [
        m.Fact(
            id="known-cancer", label="Known cancer", group="cancer", when=[m.FactRule(concepts=["cancer"])]
        ),
    ]
    concepts = [m.Concept(id="cancer", kind="cancer", label="cancer", terms=["cancer", "ca"])]
    catalogs = m.Catalogs(
        sources=sources,
        rrl=rrl,
        procedures=procedures,
        topics=[topic],
        facts=facts,
        synonyms=[],
        concepts=concepts,
    )

    def scenario(sid: str, title: str, related: list[str], population: str = "adult") -> m.Scenario:
        return m.Scenario(
            id=sid,
            title=title,
            topic="headache",
            acr_variant=f"Variant 1: {title}",
            acr_cite=_cite(),
            summary="Order MRI head without and with IV contrast; CT only if MRI can't be done.",
            vignette="A 54-year-old with a new headache & a known cancer <stage IV>.",
            fits='Adults whose headache is "new" and whose cancer is known.',
            inclusion=[
                m.Criterion(text="Known cancer.", examples=["lung", "breast"]),
                m.Criterion(text="New headache."),
            ],
            exclusions=[
                m.Exclusion(text="Children.", redirect=m.Redirect(variant="headache-child")),
                m.Exclusion(
                    text="Thunderclap onset.", redirect=m.Redirect(external="ACR Cerebrovascular Disease")
                ),
                m.Exclusion(text="Either article.", redirect=m.Redirect(scenario="headache-cancer")),
            ],
            differential=[m.Diagnosis(name="Brain metastasis", text="The main concern.")],
            recommendation=m.Recommendation(
                procedure="mri-head",
                why="MRI shows small metastases.",
                points=["Enhancing lesions."],
                order_as="MRI brain w/wo",
            ),
            ratings=[
                m.Rating(
                    procedure="pet-ct",
                    category="usually-not-appropriate",
                    rationale="Too coarse.",
                    cite=_cite("seed-test", "seed"),
                ),
                m.Rating(
                    procedure="ct-head",
                    category="may-be-appropriate-disagreement",
                    rationale="Misses small ones.",
                    cite=_cite(),
                ),
                m.Rating(
                    procedure="mri-head", category="usually-appropriate", rationale="Best.", cite=_cite()
                ),
            ],
            workflow=m.Workflow(
                positive=["Tumor board."], negative=["Follow up."], indeterminate=["Repeat MRI."]
            ),
            pitfalls=[m.Pitfall(title="No contrast", text="Misses lesions.")],
            escalation="Call neuroradiology.",
            faq=[
                m.Faq(question="Why not CT?", answer="It's less sensitive."),
                m.Faq(question="Is PET useful?", answer="No."),
            ],
            sources=["acr-test"],
            matching=m.Matching(facts_all=["known-cancer"]),
            related_scenarios=related,
            related_tools=["lookup", "dose"],  # type: ignore[list-item]
            population=population,  # type: ignore[arg-type]
        )

    title = "Which imaging for a new headache in a patient with cancer?"
    first = scenario("headache-cancer", title, ["headache-child"], "all")
    # the first article's answer card has a fallback, red flags (an emergency first) and a redirect
    first = dataclasses.replace(
        first,
        fallbacks=[
            m.Fallback(
                when="no-mri",
                procedure="ct-head",
                text="It misses lesions < 5 mm & small ones.",
                cite=_cite("seed-test", "seed"),
            )
        ],
        red_flags=[
            m.RedFlag(
                flag="Papilloedema",
                then="Image the same day.",
                cite=_cite("seed-test", "seed"),
                urgency="emergency",
            ),
            m.RedFlag(flag="Known brain metastases", then="Compare with the last MRI.", cite=_cite()),
        ],
        not_this_scenario=[
            m.NotThisScenario(
                flag="A child",
                then="Another variant.",
                goes_to="headache-child",
                cite=_cite("seed-test", "seed"),
            ),
        ],
    )
    # the first article's review covers its content as it is; the second's covers an earlier version
    current = Fingerprints(catalogs).of(first)
    scenarios = [
        dataclasses.replace(first, review=_review(current)),
        dataclasses.replace(
            scenario("headache-cancer-two", "A second headache article?", ["headache-cancer"]),
            review=_review("sha256:" + "0" * 64),
        ),
    ]
    files = {s.id: f"scenarios/{s.id}.yaml" for s in scenarios}
    return m.DataSet(catalogs=catalogs, scenarios=scenarios, files=files)


@pytest.fixture()
def tiny() -> m.DataSet:
    """A small hand-made data set for unit tests of the generator."""
    return tiny_dataset()


#: The validation fixture's data: two scenarios and every catalog.
FIXTURE_DATA = PROJECT_ROOT / "tests" / "sitegen" / "fixtures" / "valid" / "scenarios"
#: One runtime cache for every throw-away project of the tests, apart from the project's own.
TEST_RUNTIME_CACHE = PROJECT_ROOT / ".cache" / "test-runtime"


def new_project(root: Path) -> Path:
    """A project at ``root`` with our mkdocs.yml, content and hook, and no data yet."""
    root.mkdir(parents=True)
    shutil.copy(PROJECT_ROOT / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(PROJECT_ROOT / "content", root / "content")
    (root / "sitegen").mkdir()
    shutil.copy(PROJECT_ROOT / "sitegen" / "hook.py", root / "sitegen" / "hook.py")
    return root


@pytest.fixture()
def tmp_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A throw-away project: our mkdocs.yml, content and hook, with the validation fixture's data.
    Its builds (and their subprocesses) use the tests' shared runtime cache."""
    monkeypatch.setenv("SITEGEN_RUNTIME_CACHE", str(TEST_RUNTIME_CACHE))
    root = new_project(tmp_path / "project")
    shutil.copytree(FIXTURE_DATA, root / "scenarios")
    return root


def _hostile(value: object, key: str = "") -> object:
    if isinstance(value, dict):
        return {k: _hostile(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_hostile(v, key) for v in value]
    if isinstance(value, str) and key in TEXT_FIELDS:
        return hostile_text(key)
    return value


@pytest.fixture(scope="session")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The validation fixture with HOSTILE text in every text field, built with ``build.py build``."""
    import yaml

    from sitegen.cli import build

    root = new_project(tmp_path_factory.mktemp("hostile") / "project")
    for path in sorted(FIXTURE_DATA.rglob("*.yaml")):
        target = root / "scenarios" / path.relative_to(FIXTURE_DATA)
        target.parent.mkdir(parents=True, exist_ok=True)
        doc = _hostile(yaml.safe_load(path.read_text(encoding="utf-8")))
        target.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    site = root / "site"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SITEGEN_RUNTIME_CACHE", str(TEST_RUNTIME_CACHE))
        assert build(root, site, refresh_sources=False) == 0, "the hostile fixture does not build"
    return site
