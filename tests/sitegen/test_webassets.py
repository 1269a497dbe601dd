"""Glue files: content-hashed names, placeholder substitution, references between files, errors."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

from sitegen.runtime.assets import CALC_DIR, WEB_DIR, WebAssetError, WebRefs, emit_web, hashed_name


def _h8(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:8]


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("runtime.js", b"", "runtime.e3b0c442.js"),
        ("worker.mjs", b"x", "worker.2d711642.mjs"),
        ("widget.min.css", b"x", "widget.min.2d711642.css"),
        ("LICENSE", b"x", "LICENSE.2d711642"),
    ],
)
def test_hashed_name(name: str, data: bytes, expected: str) -> None:
    assert hashed_name(name, data) == expected


def _web(tmp_path: Path, files: dict[str, bytes]) -> Path:
    web = tmp_path / "web"
    web.mkdir()
    for name, data in files.items():
        (web / name).write_bytes(data)
    return web


def test_placeholders_are_replaced_before_hashing(tmp_path: Path) -> None:
    web = _web(
        tmp_path,
        {
            "a.js": b'var C = "__CALC_CONFIG__"; var B = "__URL(b.js)__";\n',
            "b.js": b"// b\n",
            "c.bin": b'"__CALC_CONFIG__" __URL(b.js)__',  # not a text file: left as it is
            ".hidden.js": b"ignored",
        },
    )
    out = emit_web({"z": 1, "base": "../pyodide/x/", "é": "ü"}, web)
    b_name = hashed_name("b.js", b"// b\n")
    a_text = f'var C = {{"base":"../pyodide/x/","z":1,"é":"ü"}}; var B = "{b_name}";\n'.encode()
    a_name = f"a.{_h8(a_text)}.js"
    c_name = f"c.{_h8(web.joinpath('c.bin').read_bytes())}.bin"
    assert out.refs.urls == {
        "a.js": f"{CALC_DIR}/{a_name}",
        "b.js": f"{CALC_DIR}/{b_name}",
        "c.bin": f"{CALC_DIR}/{c_name}",
    }
    assert out.files == {
        f"{CALC_DIR}/{a_name}": a_text,
        f"{CALC_DIR}/{b_name}": b"// b\n",
        f"{CALC_DIR}/{c_name}": b'"__CALC_CONFIG__" __URL(b.js)__',
    }


def test_a_change_in_a_named_file_renames_the_file_naming_it(tmp_path: Path) -> None:
    web = _web(tmp_path, {"a.js": b'"__URL(b.js)__"', "b.js": b"1"})
    before = emit_web({}, web).refs.urls
    (web / "b.js").write_bytes(b"2")
    after = emit_web({}, web).refs.urls
    assert before["a.js"] != after["a.js"] and before["b.js"] != after["b.js"]
    # and the configuration is part of what is hashed
    (web / "a.js").write_bytes(b'"__CALC_CONFIG__"')
    assert emit_web({"x": 1}, web).refs.url("a.js") != emit_web({"x": 2}, web).refs.url("a.js")


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({"a.js": b"__URL(nope.js)__"}, "web/a.js: __URL(nope.js)__ names no file in web/"),
        ({"a.js": b"__URL()__"}, "web/a.js: __URL()__ names no file in web/"),
        ({"a.js": b"__URL(a.js)__"}, "web/: __URL()__ names form a cycle: a.js -> a.js"),
        (
            {"a.js": b"__URL(b.js)__", "b.js": b"__URL(c.js)__", "c.js": b"__URL(a.js)__"},
            "web/: __URL()__ names form a cycle: a.js -> b.js -> c.js -> a.js",
        ),
    ],
)
def test_bad_references_are_errors(tmp_path: Path, files: dict[str, bytes], message: str) -> None:
    with pytest.raises(WebAssetError) as err:
        emit_web({}, _web(tmp_path, files))
    assert str(err.value) == message


def test_plain_refs_list_the_real_glue_files_unhashed() -> None:
    refs = WebRefs.plain()
    names = sorted(p.name for p in WEB_DIR.iterdir() if p.is_file() and not p.name.startswith("."))
    assert sorted(refs.urls) == names
    assert refs.url("runtime.js") == "assets/calc/runtime.js"
    assert refs.url("not-there.js") == "assets/calc/not-there.js"


def test_the_real_glue_files_link_up(tmp_path: Path) -> None:
    config = {"mode": "http", "base": "../pyodide/abc/", "env": {}, "version": "0"}
    out = emit_web(config, WEB_DIR)
    texts = {name: out.files[url].decode() for name, url in out.refs.urls.items()}
    assert not [n for n, t in texts.items() if "__CALC_CONFIG__" in t or "__URL(" in t]
    worker, engine = (Path(out.refs.url(n)).name for n in ("worker.mjs", "engine.js"))
    assert f'import "./{engine}";' in texts["worker.mjs"]
    assert f'var WORKER = "{worker}";' in texts["runtime.js"]
    assert '"base":"../pyodide/abc/"' in texts["runtime.js"]
    hashed = {name: url for name, url in out.refs.urls.items() if name != "sw.js"}
    assert all(re.fullmatch(r"assets/calc/[\w.-]+\.[0-9a-f]{8}\.\w+", url) for url in hashed.values())
    # the service worker: at the site root under its own name, its cache named after its content
    assert out.refs.url("sw.js") == "sw.js"
    build = re.search(r'const BUILD = "([0-9a-f]{8})";', texts["sw.js"])
    assert build is not None and "__BUILD__" not in texts["sw.js"]
    assert f'"{Path(out.refs.url("runtime.js")).name}"' in texts["sw.js"]
    other = emit_web({**config, "base": "../pyodide/def/"}, WEB_DIR)
    assert build.group(1) not in other.files["sw.js"].decode()


def test_file_builds_carry_no_service_worker() -> None:
    out = emit_web({"mode": "file", "base": "../pyodide/abc/file/"}, WEB_DIR)
    assert "sw.js" not in out.refs.urls and "sw.js" not in out.files


def test_install_writes_only_changed_files(tmp_path: Path) -> None:
    out = emit_web({}, _web(tmp_path, {"a.js": b"1", "b.js": b"2"}))
    site = tmp_path / "site"
    assert out.install(site) == 2
    assert out.install(site) == 0
    (site / out.refs.url("a.js")).write_bytes(b"other")
    assert out.install(site) == 1
    assert (site / out.refs.url("a.js")).read_bytes() == b"1"
