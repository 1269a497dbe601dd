"""Build-scale benchmark: synthetic catalogs of 100 and 1,200 scenarios through the real pipeline.

For each size it copies the project (mkdocs.yml, content/, sitegen/, calculator/, the catalogs and
the real scenarios) into a temporary tree, adds synthetic scenarios shaped like a real one (varied
text, about 8 ratings, 5 FAQs, pitfalls, one topic per 5 scenarios), runs ``mkdocs build`` in a
child process and prints its figures, then checks them against the targets of issue 2. The largest
size is built a second time with Material's offline plugin on (SITEGEN_OFFLINE=true), and the search
is timed in headless Chromium over http (served build) and from file:// (offline build). It prints
figures only; nothing here is a test.

    .venv/bin/python bench/build_scale.py                 # 100 and 1,200 scenarios, plus search timings
    .venv/bin/python bench/build_scale.py --sizes 300 --no-search --keep
"""

from __future__ import annotations

import argparse
import copy
import itertools
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from _local import CHROMIUM, CHROMIUM_ARGS, served  # bench/ is on sys.path when run as a script

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS_PER_TOPIC = 5
RATINGS_PER_SCENARIO = 8
FAQS_PER_SCENARIO = 5
# Targets at 1,200 scenarios on a 2-core machine (issue 2, "Speed and size").
MAX_TOTAL_S = 60.0
MAX_GENERATOR_SHARE = 0.10
MAX_SITE_MB = 150.0
MAX_RATIO = 14.0
MAX_SEARCH_S = 1.0
#: Fresh page loads per search timing (their median is reported) and the term searched for.
SEARCH_LOADS = 3
SEARCH_QUERY = "perineural"
#: Fields whose text is rewritten per synthetic scenario; every other value (ids, enums, dates) is kept.
TEXT_KEYS = frozenset(
    {"title", "summary", "vignette", "fits", "text", "name", "why", "rationale", "question", "answer",
     "escalation", "note", "order_as", "acr_variant", "points", "examples", "positive", "negative",
     "indeterminate", "keywords"}
)  # fmt: skip
OTHER_CATEGORIES = ("may-be-appropriate", "may-be-appropriate-disagreement", "usually-not-appropriate")
YAML_HEADER = "# yaml-language-server: $schema=schema/scenario.schema.json\n"


@dataclass
class Result:
    """Figures of one build."""

    scenarios: int
    topics: int
    total_s: float
    generator_s: float
    site_mb: float
    peak_mb: float
    pages: int
    index_mb: float
    site: Path
    offline_s: float | None = None  # the same project built again with the offline plugin on
    offline_site: Path | None = None


# --- synthetic data ----------------------------------------------------------------------------


class Rewriter:
    """Replaces text with random text of about the same length, drawn from the real scenarios' words."""

    def __init__(self, corpus: str, seed: int) -> None:
        self.words = sorted(set(re.findall(r"[A-Za-z][a-z]{2,}", corpus)))
        self.rng = random.Random(seed)

    def text(self, like: str) -> str:
        count = max(2, len(like.split()))
        words = self.rng.choices(self.words, k=count)
        return " ".join(words).capitalize() + ("." if like.rstrip().endswith(".") else "")

    def walk(self, value: Any, key: str = "") -> Any:
        if isinstance(value, dict):
            return {k: self.walk(v, k) for k, v in value.items()}
        if isinstance(value, list):
            return [self.walk(v, key) for v in value]
        if isinstance(value, str) and key in TEXT_KEYS:
            return self.text(value)
        return value


def synthetic_scenario(
    template: dict[str, Any], n: int, topic: str, procedures: list[str], rw: Rewriter
) -> dict:
    """Scenario number ``n`` of ``topic``: the template's shape with new text, ratings and FAQs."""
    s = rw.walk(copy.deepcopy(template))
    s["id"] = f"bench-scenario-{n:04d}"
    s["topic"] = topic
    s["title"] = f"Bench scenario {n}: {s['title']}"
    rated = {r["procedure"] for r in s["ratings"]}
    spare = [p for p in procedures if p not in rated]
    rw.rng.shuffle(spare)
    for procedure in spare[: max(0, RATINGS_PER_SCENARIO - len(s["ratings"]))]:
        extra = rw.walk(copy.deepcopy(s["ratings"][-1]), "")
        extra.update(procedure=procedure, category=rw.rng.choice(OTHER_CATEGORIES))
        extra["rationale"] = rw.text(extra["rationale"])
        s["ratings"].append(extra)
    for faq in itertools.islice(itertools.cycle(list(s["faq"])), max(0, FAQS_PER_SCENARIO - len(s["faq"]))):
        s["faq"].append({"question": rw.text(faq["question"]), "answer": rw.text(faq["answer"])})
    return s


def make_project(dest: Path, size: int, seed: int = 1) -> int:
    """Copy the project into ``dest`` and add scenarios up to ``size``; return the number of topics."""
    for name in ("mkdocs.yml", "build.py"):
        shutil.copy2(ROOT / name, dest / name)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in ("content", "sitegen", "calculator", "scenarios"):
        shutil.copytree(ROOT / name, dest / name, ignore=ignore)
    if (ROOT / "node_modules").is_dir():  # vendored browser assets, if the build copies any from there
        (dest / "node_modules").symlink_to(ROOT / "node_modules")
    real = sorted((dest / "scenarios").glob("*.yaml"))
    load = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    templates = [yaml.load(p.read_text(encoding="utf-8"), Loader=load) for p in real]
    catalog = dest / "scenarios" / "catalog"
    topics_doc = yaml.load((catalog / "topics.yaml").read_text(encoding="utf-8"), Loader=load)
    procedures_doc = yaml.load((catalog / "procedures.yaml").read_text(encoding="utf-8"), Loader=load)
    procedures = [p["id"] for p in procedures_doc["procedures"]]
    rw = Rewriter(" ".join(p.read_text(encoding="utf-8") for p in real), seed)

    count = max(0, size - len(real))
    topic_count = -(-count // SCENARIOS_PER_TOPIC)
    base_topic = topics_doc["topics"][0]
    for t in range(topic_count):
        topic = rw.walk(copy.deepcopy(base_topic))
        topic.update(id=f"bench-topic-{t:03d}", title=f"Bench topic {t}: {topic['title']}", variants=[])
        topics_doc["topics"].append(topic)
    header = (catalog / "topics.yaml").read_text(encoding="utf-8").split("\n", 1)[0] + "\n"
    (catalog / "topics.yaml").write_text(
        header + yaml.safe_dump(topics_doc, sort_keys=False), encoding="utf-8"
    )
    for n in range(count):
        topic = f"bench-topic-{n // SCENARIOS_PER_TOPIC:03d}"
        s = synthetic_scenario(templates[n % len(templates)], n, topic, procedures, rw)
        text = YAML_HEADER + yaml.safe_dump(s, sort_keys=False, allow_unicode=True)
        (dest / "scenarios" / f"{s['id']}.yaml").write_text(text, encoding="utf-8")
    return len(topics_doc["topics"])


# --- measuring ---------------------------------------------------------------------------------


#: The line sitegen/hook.py logs after loading, validating and generating the pages.
HOOK_LINE = re.compile(r"\d+ pages generated in ([0-9.]+) s")


def run_build(project: Path, site: str = "site", offline: bool = False) -> tuple[float, float, float]:
    """Run ``mkdocs build`` in a child process: wall seconds, our generator's seconds, peak memory in MB.

    ``offline`` turns on Material's offline plugin (search from file://) as the offline bundle does.
    """
    cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(project / "mkdocs.yml"),
           "-d", str(project / site)]  # fmt: skip
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SITEGEN_OFFLINE": "true" if offline else "false"}
    # one runtime cache for every bench project (each would otherwise build its own: not what is measured)
    env.setdefault("SITEGEN_RUNTIME_CACHE", str(ROOT / ".cache" / "bench-runtime"))
    log = project / f"{site}.log"
    start = time.perf_counter()
    with log.open("wb") as out:
        child = subprocess.Popen(cmd, cwd=project, stdout=out, stderr=subprocess.STDOUT, env=env)
        # wait4 gives this child's own resource use, peak resident memory included (KiB on Linux).
        _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    text = log.read_text(encoding="utf-8", errors="replace")
    if child.returncode != 0:
        sys.exit(f"build of {project} failed (exit {child.returncode}):\n{text[-4000:]}")
    found = HOOK_LINE.search(text)
    if found is None:
        sys.exit(f"build of {project}: no timing line from sitegen/hook.py in its log:\n{text[-2000:]}")
    return seconds, float(found.group(1)), usage.ru_maxrss / 1024


def site_figures(site: Path) -> tuple[float, int, float]:
    """Site size in MB, number of HTML pages, search index size in MB."""
    files = [p for p in site.rglob("*") if p.is_file()]
    size = sum(p.stat().st_size for p in files)
    pages = sum(1 for p in files if p.suffix == ".html")
    index = (
        sum(p.stat().st_size for p in (site / "search").glob("search_index.*"))
        if (site / "search").is_dir()
        else 0
    )
    return size / 1e6, pages, index / 1e6


def measure(size: int, workdir: Path, offline: bool) -> Result:
    project = workdir / f"scale-{size}"
    project.mkdir()
    topics = make_project(project, size)
    total, generator, peak = run_build(project)
    site_mb, pages, index_mb = site_figures(project / "site")
    result = Result(size, topics, total, generator, site_mb, peak, pages, index_mb, project / "site")
    if offline:
        result.offline_s = run_build(project, "site-offline", offline=True)[0]
        result.offline_site = project / "site-offline"
    return result


@dataclass
class SearchTimes:
    """Seconds until Material lists a result: first answers (one per fresh page load), warm answers.

    ``first``/``warm`` are measured in the page, from the click into the search box to the moment the
    first result is inserted; ``first_wall`` is the same wait seen from Playwright, which adds the
    round trips of its own click, fill and key press and of its polling.
    """

    first: list[float]
    warm: list[float]
    first_wall: list[float]

    def summary(self) -> str:
        return (
            f"first answer {statistics.median(self.first):.2f} s (median of {len(self.first)} fresh page "
            f"loads: {', '.join(f'{t:.2f}' for t in self.first)}; seen from Playwright "
            f"{statistics.median(self.first_wall):.2f} s), warm {statistics.median(self.warm):.2f} s"
        )


#: Page-side stopwatch: the next pointerdown starts it, the first search result inserted stops it.
_STOPWATCH = """() => {
  window.__sg = {start: null, stop: null};
  document.addEventListener("pointerdown", () => { window.__sg.start = performance.now(); },
                            {capture: true, once: true});
  const list = document.querySelector(".md-search-result__list");
  new MutationObserver((_, observer) => {
    if (list.querySelector(".md-search-result__item")) {
      window.__sg.stop = performance.now();
      observer.disconnect();
    }
  }).observe(list, {childList: true, subtree: true});
}"""


def _time_search(url: str, query: str, loads: int = SEARCH_LOADS) -> SearchTimes:
    """Open ``url`` ``loads`` times, each in a fresh browser context, and time the search for ``query``.

    The clock starts when the search box is clicked (from file:// Material loads the index only then,
    and its worker runs on the page's own thread; over http the index is fetched at page load) and
    stops when a result is listed. The warm answer is a second query on the same page. Nothing may
    touch the search box before the clock starts: focusing it starts loading the index.
    """
    from playwright.sync_api import sync_playwright

    box, result = "input[data-md-component='search-query']", ".md-search-result__item"
    times = SearchTimes([], [], [])
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        for _ in range(loads):
            context = browser.new_context(viewport={"width": 1280, "height": 900}, service_workers="block")
            page = context.new_page()
            page.goto(url)
            for term in (query, query.upper()):
                if term != query:
                    # Material searches on key events: clear, then fill in the whole term and press one key.
                    page.locator(box).fill("")
                    page.locator(box).press("End")
                    page.locator(result).first.wait_for(state="detached", timeout=60_000)
                page.evaluate(_STOPWATCH)
                start = time.perf_counter()
                page.locator(box).click()
                page.locator(box).fill(term)
                page.locator(box).press("End")
                page.locator(result).first.wait_for(timeout=60_000)
                wall = time.perf_counter() - start
                inside = page.evaluate("() => (window.__sg.stop - window.__sg.start) / 1000")
                if term == query:
                    times.first.append(inside)
                    times.first_wall.append(wall)
                else:
                    times.warm.append(inside)
            context.close()
        browser.close()
    return times


def search_report(site: Path, offline_site: Path | None, query: str) -> list[str]:
    """Search answer times over http (served build) and from file:// (offline build), with verdicts."""
    try:
        from playwright.sync_api import Error
    except ImportError:
        return ["not measured: Playwright is not installed (./scripts/test installs it)"]
    if not Path(CHROMIUM).exists():
        return [f"not measured: no browser at {CHROMIUM}"]
    lines = []
    try:
        with served(site) as url:
            lines.append(f"over http://127.0.0.1 (served build): {_time_search(url, query).summary()}")
        if offline_site is None:
            lines.append("from file://: not measured (no offline build; run without --no-offline)")
        elif not (offline_site / "search" / "search_index.js").is_file():
            lines.append("from file://: not measured: the offline build has no search/search_index.js")
        else:
            times = _time_search((offline_site / "index.html").as_uri(), query)
            first = statistics.median(times.first)
            verdict = "met    " if first <= MAX_SEARCH_S else "NOT met"
            lines.append(f"from file:// (offline build): {times.summary()}")
            lines.append(f"  {verdict}  file:// first answer ≤ {MAX_SEARCH_S:.0f} s: {first:.2f} s")
    except Error as exc:
        lines.append(f"not measured: {str(exc).splitlines()[0]}")
    return lines


def report(results: list[Result]) -> None:
    print(f"{'scenarios':>9} {'topics':>6} {'build s':>8} {'ours s':>7} {'ours %':>6} {'site MB':>8} "
          f"{'peak MB':>8} {'pages':>6} {'index MB':>8}")  # fmt: skip
    for r in results:
        print(f"{r.scenarios:>9} {r.topics:>6} {r.total_s:>8.1f} {r.generator_s:>7.2f} "
              f"{100 * r.generator_s / r.total_s:>6.1f} {r.site_mb:>8.1f} {r.peak_mb:>8.0f} {r.pages:>6} "
              f"{r.index_mb:>8.2f}")  # fmt: skip
    small, big = min(results, key=lambda r: r.scenarios), max(results, key=lambda r: r.scenarios)

    def check(name: str, ok: bool, figure: str) -> None:
        print(f"  {'met    ' if ok else 'NOT met'}  {name}: {figure}")

    print(f"targets at {big.scenarios} scenarios:")
    check(f"total build < {MAX_TOTAL_S:.0f} s", big.total_s < MAX_TOTAL_S, f"{big.total_s:.1f} s")
    share = big.generator_s / big.total_s
    check(f"generator < {MAX_GENERATOR_SHARE:.0%} of it", share < MAX_GENERATOR_SHARE, f"{share:.1%}")
    check(f"site < {MAX_SITE_MB:.0f} MB", big.site_mb < MAX_SITE_MB, f"{big.site_mb:.1f} MB")
    if big.offline_s is not None:
        check(f"offline build < {MAX_TOTAL_S:.0f} s", big.offline_s < MAX_TOTAL_S, f"{big.offline_s:.1f} s")
    if big is not small:
        ratio = big.total_s / small.total_s
        check(
            f"{big.scenarios}/{small.scenarios} time ratio ≤ {MAX_RATIO:.0f}",
            ratio <= MAX_RATIO,
            f"{ratio:.1f}",
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1200], help="scenario counts to build")
    parser.add_argument("--no-search", action="store_true", help="skip the search timings")
    parser.add_argument(
        "--no-offline", action="store_true", help="skip the offline build of the largest size"
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary projects and print where")
    args = parser.parse_args(argv)
    workdir = Path(tempfile.mkdtemp(prefix="build-scale-"))
    try:
        results = []
        largest = max(args.sizes)
        for size in args.sizes:
            offline = size == largest and not args.no_offline
            print(f"building {size} scenarios{' (served, then offline)' if offline else ''} …", flush=True)
            results.append(measure(size, workdir, offline))
        print("ours = sitegen's load, validation and page generation (its hook logs the time)")
        print("peak = the build's maximum resident memory")
        report(results)
        big = max(results, key=lambda r: r.scenarios)
        if big.offline_s is not None:
            print(f"offline build (SITEGEN_OFFLINE=true) at {big.scenarios} scenarios: {big.offline_s:.1f} s")
        if not args.no_search:
            print(f"search for {SEARCH_QUERY!r} at {big.scenarios} scenarios:")
            for line in search_report(big.site, big.offline_site, SEARCH_QUERY):
                print(f"  {line}")
    finally:
        if args.keep:
            print(f"projects kept in {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
