// Answer calculator requests under Pyodide in Node, as the browser does (tests/calculator/test_pyodide.py).
//   node pyodide_replay.mjs PYODIDE_DIR STDLIB_ZIP SNAPSHOT_GZ|- ENV_JSON REQUESTS_JSON
// REQUESTS_JSON: [{"request": "<json>", "catalog": "<catalog json text>" | null}, ...]. Prints one JSON
// object: {"responses": [...], "module": calculator.browser.__file__, "snapshot": bool, "missing": the
// message of an import the runtime left out, "seconds": {...}}.
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { gunzipSync } from "node:zlib";

const [pyodideDir, stdlib, snapshot, env, requestsFile] = process.argv.slice(2);
const { loadPyodide } = await import(pathToFileURL(join(resolve(pyodideDir), "pyodide.mjs")).href);
const requests = JSON.parse(readFileSync(requestsFile, "utf8"));

const t0 = performance.now();
const options = {
  indexURL: resolve(pyodideDir) + "/",
  stdLibURL: resolve(stdlib),
  env: JSON.parse(env), // as at snapshot time (the runtime's config)
  lockFileContents: { info: JSON.parse(readFileSync(join(pyodideDir, "pyodide-lock.json"), "utf8")).info, packages: {} },
  stdout: (s) => process.stderr.write(s + "\n"),
  stderr: (s) => process.stderr.write(s + "\n"),
};
// the browser's own unpacking (sitegen/runtime/web/engine.js defines globalThis.CalcEngine), so it is tested too
await import(pathToFileURL(resolve(import.meta.dirname, "../../sitegen/runtime/web/engine.js")).href);
if (snapshot !== "-") {
  const snap = globalThis.CalcEngine.unpackSnapshot(gunzipSync(readFileSync(snapshot)));
  options._loadSnapshot = snap.bytes;
  // as engine.js does once the wasm is instantiated: XOR the instantiation image back in
  const real = WebAssembly.instantiate;
  WebAssembly.instantiate = async function (source, imports) {
    const result = await real.call(this, source, imports);
    const memory = result.instance.exports.memory || imports.env.memory;
    globalThis.CalcEngine.applyImage(snap, new Uint8Array(memory.buffer));
    WebAssembly.instantiate = real;
    return result;
  };
}
const py = await loadPyodide(options);
// the same start as sitegen/runtime/web/engine.js after every start
py.pyimport("_calc_runtime").after_start();
const t1 = performance.now();
const ns = py.globals.get("dict")();
py.runPython(
  `import json, calculator.browser
_catalogs = {}
def answer(request, catalog_text):
    if catalog_text is None:
        return calculator.browser.handle(request)
    if catalog_text not in _catalogs:
        _catalogs[catalog_text] = json.loads(catalog_text)
    return calculator.browser.handle(request, _catalogs[catalog_text])
`,
  { globals: ns },
);
const answer = ns.get("answer");
// undefined, not null: null reaches Python as jsnull, undefined as None
const responses = requests.map(({ request, catalog }) => answer(request, catalog ?? undefined));
const t2 = performance.now();
// a module the trimmed runtime left out: a clear error at once
let missing = null;
try {
  py.runPython("import xml.dom.minidom");
} catch (err) {
  missing = String(err.message).trim().split("\n").pop();
}
process.stdout.write(
  JSON.stringify({
    responses,
    module: py.pyimport("calculator.browser").__file__,
    snapshot: snapshot !== "-",
    missing,
    seconds: { start: (t1 - t0) / 1000, answers: (t2 - t1) / 1000 },
  }),
);
