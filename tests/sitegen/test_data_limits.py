"""Hostile or careless data files (issue 9, findings 8 to 11): each refused with one exact message.

Repeated keys at any level, links and other entries that are no regular file (never read, never
echoed), ids and addresses with a trailing newline, runaway aliases, oversized files, control
characters in text.
"""

# ruff: noqa: E501 - the exact messages are clearer unbroken

from __future__ import annotations

import dataclasses
import os
import shutil
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from test_validate import _copy, _messages

from sitegen.data.model import DataSet
from sitegen.data.validate import load_dataset
from sitegen.pages.build import build_pages

SECRET = "SECRET-FIRST-LINE of a file outside the data"
LINK = "expected a regular file (not a link, directory or device), found"


def _after_edit(tmp_path: Path, file: str, old: str, new: str) -> list[str]:
    """The messages once ``old`` (which must occur once) is replaced by ``new`` in a copy of the fixture."""
    root = _copy(tmp_path)
    path = root / "scenarios" / file
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} must occur once in {file}"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return _messages(root)


# --- finding 8: a key written twice, at any level -------------------------------------------------

REPEATED = [
    pytest.param(
        "catalog/sources.yaml",
        "    kind: superseded\n",
        "    kind: superseded\nsources:\n  - id: lost\n    title: A second list\n    kind: paper\n",
        ["scenarios/catalog/sources.yaml:19: sources: expected each key once (first given at line 2), found 'sources' again"],
        id="catalog-top-level",
    ),
    pytest.param(
        "catalog/sources.yaml",
        "    kind: acr\n",
        "    kind: acr\n    kind: web\n",
        ["scenarios/catalog/sources.yaml:6: sources[0].kind: expected each key once (first given at line 5), found 'kind' again"],
        id="catalog-item",
    ),
    pytest.param(
        "neck-lump.yaml",
        "acr_cite: {source: acr-cranial, confidence: recalled, note: Placeholder reason.}",
        "acr_cite: {source: acr-cranial, confidence: recalled, note: Placeholder reason., source: seed-a}",
        ["scenarios/neck-lump.yaml:6: acr_cite.source: expected each key once (first given at line 6), found 'source' again"],
        id="flow-mapping",
    ),
]


@pytest.mark.parametrize(("file", "old", "new", "messages"), REPEATED)
def test_finding_8_a_key_written_twice_is_an_error_naming_both_lines(
    tmp_path: Path, file: str, old: str, new: str, messages: list[str]
) -> None:
    assert _after_edit(tmp_path, file, old, new) == messages


# --- finding 9: only regular files are read ---------------------------------------------------------


def _outside(tmp_path: Path) -> Path:
    secret = tmp_path / "outside" / "secret.yaml"
    secret.parent.mkdir()
    secret.write_text(f"{SECRET}\nid: x\n", encoding="utf-8")
    return secret


def _link_scenario(root: Path, tmp_path: Path) -> None:
    (root / "scenarios" / "evil.yaml").symlink_to(_outside(tmp_path))


def _dangling(root: Path, tmp_path: Path) -> None:
    (root / "scenarios" / "gone.yaml").symlink_to(tmp_path / "nowhere.yaml")


def _directory(root: Path, tmp_path: Path) -> None:
    (root / "scenarios" / "folder.yaml").mkdir()


def _pipe(root: Path, tmp_path: Path) -> None:
    os.mkfifo(root / "scenarios" / "pipe.yaml")  # opening it for reading would wait for a writer


def _link_catalog(root: Path, tmp_path: Path) -> None:
    facts = root / "scenarios" / "catalog" / "facts.yaml"
    shutil.move(facts, tmp_path / "facts.yaml")
    facts.symlink_to(tmp_path / "facts.yaml")


def _link_catalog_dir(root: Path, tmp_path: Path) -> None:
    catalog = root / "scenarios" / "catalog"
    shutil.move(catalog, tmp_path / "elsewhere")
    catalog.symlink_to(tmp_path / "elsewhere", target_is_directory=True)


ENTRIES = [
    pytest.param(_link_scenario, [f"scenarios/evil.yaml: {LINK} a symbolic link"], id="link-to-outside"),
    pytest.param(_dangling, [f"scenarios/gone.yaml: {LINK} a symbolic link"], id="dangling-link"),
    pytest.param(_directory, [f"scenarios/folder.yaml: {LINK} a directory"], id="directory"),
    pytest.param(_pipe, [f"scenarios/pipe.yaml: {LINK} a named pipe"], id="named-pipe"),
    pytest.param(_link_catalog, [f"scenarios/catalog/facts.yaml: {LINK} a symbolic link"], id="catalog-link"),
    pytest.param(
        _link_catalog_dir,
        ["scenarios/catalog: expected a directory, found a symbolic link"],
        id="catalog-directory-link",
    ),
]


@pytest.mark.parametrize(("make", "messages"), ENTRIES)
def test_finding_9_links_directories_and_pipes_are_refused_unread(
    tmp_path: Path, make: Callable[[Path, Path], None], messages: list[str]
) -> None:
    root = _copy(tmp_path)
    make(root, tmp_path)
    # in a thread: opening a pipe for reading waits for a writer, for ever
    got: list[list[str]] = []
    loading = threading.Thread(target=lambda: got.append(_messages(root)), daemon=True)
    loading.start()
    loading.join(timeout=60)
    assert got, "loading the data did not finish"
    assert got[0] == messages
    assert SECRET not in "\n".join(got[0])


def test_a_file_name_with_control_characters_is_shown_escaped(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    (root / "scenarios" / "\x1b[2Jx.yaml").mkdir()
    assert _messages(root) == [f"scenarios/\\x1b[2Jx.yaml: {LINK} a directory"]


# --- finding 10: ids and addresses are matched in full (and a page's id never names a list page) ------------------------------------------------

FULL_MATCH = [
    pytest.param(
        "neck-lump.yaml",
        "id: neck-lump",
        'id: "neck-lump\\n"',
        ["scenarios/neck-lump.yaml:2: id: expected an id of lowercase letters, digits and hyphens other than 'index', found 'neck-lump\\n'"],
        id="id-newline",
    ),
    pytest.param(
        "catalog/procedures.yaml",
        "  - id: us-neck\n",
        "  - id: index\n    name: A page in place of the list\n    modality: US\n    region: neck\n    contrast: none\n    rrl_adult: 0\n  - id: us-neck\n",
        ["scenarios/catalog/procedures.yaml:23: procedures[2].id: expected an id of lowercase letters, digits and hyphens other than 'index', found 'index'"],
        id="page-id-index",
    ),
    pytest.param(
        "catalog/sources.yaml",
        "url: https://example.org/acr/cranial",
        'url: "https://example.org/acr/cranial\\n"',
        ["scenarios/catalog/sources.yaml:6: sources[0].url: expected a web address starting with http:// or https://, found 'https://example.org/acr/cranial\\n'"],
        id="url-newline",
    ),
    pytest.param(
        "catalog/sources.yaml",
        "url: https://example.org/acr/cranial",
        "url: https:///acr/cranial",
        ["scenarios/catalog/sources.yaml:6: sources[0].url: expected a web address starting with http:// or https://, found 'https:///acr/cranial'"],
        id="url-without-host",
    ),
    pytest.param(
        "neck-lump.yaml",
        'date: "2026-02-01"',
        'date: "2026-02-01\\n"',
        ["scenarios/neck-lump.yaml:31: review.date: expected a date YYYY-MM-DD, found '2026-02-01\\n'"],
        id="date-newline",
    ),
]


@pytest.mark.parametrize(("file", "old", "new", "messages"), FULL_MATCH)
def test_finding_10_ids_and_addresses_with_a_trailing_newline_are_refused(
    tmp_path: Path, file: str, old: str, new: str, messages: list[str]
) -> None:
    assert _after_edit(tmp_path, file, old, new) == messages


# --- finding 11: aliases and file size are bounded ------------------------------------------------------

#: Nine lists of ten aliases each: ten lines that would expand to more than a thousand million strings.
LAUGHS = "synonyms:\n  - &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"  - &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]\n" for i in range(8)
)


def test_finding_11_aliases_that_expand_past_the_limit_are_refused(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    (root / "scenarios" / "catalog" / "synonyms.yaml").write_text(LAUGHS, encoding="utf-8")
    assert _messages(root) == [
        "scenarios/catalog/synonyms.yaml: expected at most 100,000 values repeated through aliases (*name), found 1,234,567,880"
    ]


def test_a_file_over_the_size_limit_is_refused_unread(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _copy(tmp_path)
    monkeypatch.setattr("sitegen.data.reading.MAX_BYTES", 3000)  # above every file of the fixture
    (root / "scenarios" / "catalog" / "synonyms.yaml").write_text(
        "synonyms:\n" + "  - [a, b]\n" * 500, encoding="utf-8"
    )
    assert _messages(root) == [
        "scenarios/catalog/synonyms.yaml: expected a file of at most 3,000 bytes, found 5,510 bytes"
    ]


def test_a_recursive_alias_is_refused(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    (root / "scenarios" / "catalog" / "synonyms.yaml").write_text("synonyms: &s [*s]\n", encoding="utf-8")
    assert _messages(root) == [
        "scenarios/catalog/synonyms.yaml:1: synonyms[0]: expected no recursive alias, found an alias inside the node it names"
    ]


def test_a_few_aliases_are_fine(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    (root / "scenarios" / "catalog" / "synonyms.yaml").write_text(
        "synonyms:\n  - &numb [numbness, paresthesia, tingling]\n  - *numb\n", encoding="utf-8"
    )
    assert load_dataset(root).catalogs.synonyms == [["numbness", "paresthesia", "tingling"]] * 2


@pytest.mark.parametrize("blank", ['""', '" "', '"\\t\\n"'])
def test_a_required_text_left_blank_is_refused(tmp_path: Path, blank: str) -> None:
    assert _after_edit(tmp_path, "neck-lump.yaml", "fits: Placeholder.", f"fits: {blank}") == [
        "scenarios/neck-lump.yaml:9: fits: expected text (the field is required), found only blanks"
    ]


# --- numbers: finite ones only -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "shown"), [(".inf", ".inf"), (".nan", ".nan"), ("1" + "0" * 400, "1" + "0" * 56 + "...")]
)
def test_numbers_no_page_can_show_are_refused(tmp_path: Path, written: str, shown: str) -> None:
    assert _after_edit(tmp_path, "catalog/procedures.yaml", "typical_msv: 2.0", f"typical_msv: {written}") == [
        f"scenarios/catalog/procedures.yaml:19: procedures[1].dose.typical_msv: expected a finite number, found {shown}"
    ]


# --- text: no control characters ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ('"A\\x07B"', "U+0007 at character 2"),
        ('"\\x1b[31mred"', "U+001B at character 1"),
        ('"dose \\u202Eoof"', "U+202E at character 6"),
    ],
)
def test_control_characters_in_text_are_refused(tmp_path: Path, text: str, found: str) -> None:
    assert _after_edit(tmp_path, "neck-lump.yaml", "fits: Placeholder.", f"fits: {text}") == [
        f"scenarios/neck-lump.yaml:9: fits: expected text without control characters, found {found}"
    ]


def test_two_pages_with_one_address_stop_the_build(tiny: DataSet) -> None:
    # should an id get past validation, a page must still never replace another in silence
    procs = tiny.catalogs.procedures
    clash = dataclasses.replace(procs[0], id="index")
    ds = dataclasses.replace(tiny, catalogs=dataclasses.replace(tiny.catalogs, procedures=[*procs, clash]))
    with pytest.raises(ValueError, match=r"^generated pages clash: procedures/index\.md$"):
        build_pages(ds)
