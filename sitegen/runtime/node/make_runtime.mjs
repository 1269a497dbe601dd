// Build-time runtime maker, run by sitegen/runtime/pyodide.py:
//   node sitegen/runtime/node/make_runtime.mjs PYODIDE_DIR WORK_DIR PY_DIR
// WORK_DIR/pkg/ holds the packages to ship (calculator/ with data/catalog.json, _calc_runtime.py);
// WORK_DIR/cases/, when present, the case tables (tests/cases) replayed while tracing;
// WORK_DIR/base.zip, when present, is the standard library compiled earlier (made here otherwise: the slow
// part, cached by pyodide.py). PY_DIR is sitegen/runtime/, whose stdlib_zip.py and trace.py run inside
// Pyodide.
// Writes WORK_DIR/stdlib.zip (only the entries the traced run used), WORK_DIR/snapshot.bin (a memory
// snapshot taken on that zip after importing all of it and warming the calculators) and WORK_DIR/image.bin
// (the wasm memory as instantiated, before anything ran: snapshot.py stores the snapshot relative to it),
// then prints one JSON line of facts on stdout.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

// The same environment must be given when the snapshot is loaded (runtime config "env"); without debug
// ranges, code objects carry no column tables: smaller snapshot, tracebacks without ^^^ markers.
const ENV = { PYTHONHASHSEED: "0", PYTHONNODEBUGRANGES: "1" };
// What Python sees as its program (sys.executable, sys.argv[0], the `_` variable of os.environ): under
// Node, Emscripten would take the path of this script, and the snapshot would carry the build machine's
// directory into every copy of the site. The browser's own name for it, the same on every machine.
const PROGRAM = "./this.program";
const PACKAGES = ["calculator", "_calc_runtime"];

const [pyodideDir, workDir, pyDir] = process.argv.slice(2).map((p) => resolve(p));
const cases = existsSync(join(workDir, "cases")) ? "/host/cases" : null;
const { loadPyodide } = await import(pathToFileURL(join(pyodideDir, "pyodide.mjs")).href);
const indexURL = pyodideDir + "/";
// Python's own output goes to stderr: stdout carries only the JSON result line.
const quiet = { stdout: (s) => process.stderr.write(s + "\n"), stderr: (s) => process.stderr.write(s + "\n") };

// A Pyodide with WORK_DIR mounted at /host and our build modules (``name`` of PY_DIR) loaded.
async function python(options, ...modules) {
  const py = await loadPyodide({ indexURL, env: { ...ENV }, _sysExecutable: PROGRAM, ...quiet, ...options });
  py.FS.mkdirTree("/host");
  py.FS.mount(py.FS.filesystems.NODEFS, { root: workDir }, "/host");
  const ns = py.globals.get("dict")();
  for (const name of modules) py.runPython(readFileSync(join(pyDir, name), "utf8"), { globals: ns });
  const [major, minor] = py.runPython("import sys; sys.version_info[:2]").toJs();
  const run = (call, args) => {
    ns.set("args", py.toPy(args));
    const value = py.runPython(`${call}(*args)`, { globals: ns });
    return value && value.toJs ? value.toJs({ dict_converter: Object.fromEntries }) : value;
  };
  return { py, run, python: `${major}.${minor}`, mount: `/lib/python${major}${minor}.zip` };
}

// The standard library (compiled once, kept by pyodide.py) plus our packages: /host/full.zip.
async function compileZip() {
  const base = join(workDir, "base.zip");
  const baseBuilt = !existsSync(base);
  if (baseBuilt) {
    const stock = await python({}, "stdlib_zip.py");
    stock.run("compile_stdlib", [stock.mount, "/host/base.zip", stock.mount]);
  }
  // always a fresh interpreter on the compiled stdlib: the packages' bytecode must not depend on
  // whether this run also compiled the standard library
  const c = await python({ stdLibURL: base }, "stdlib_zip.py");
  const total = c.run("add_packages", ["/host/base.zip", "/host/pkg", "/host/full.zip", c.mount]);
  return { compiler: c, total, base_built: baseBuilt };
}

// Run the calculators on the full zip and list the entries they (and Pyodide's own start) used.
async function traceEntries(mount) {
  const t = await python({ stdLibURL: join(workDir, "full.zip") }, "trace.py");
  const counts = t.run("exercise", ["/host/pkg", cases]);
  // an error crossing into JavaScript, as a failed call would: its formatting imports modules too
  try {
    t.py.runPython("raise ValueError('traced')");
  } catch {
    // expected
  }
  t.py.runPython("import zipfile; _entries = zipfile.ZipFile('/host/full.zip').namelist()", { globals: t.py.globals });
  const entries = t.py.globals.get("_entries").toJs();
  const keep = t.run("needed", [t.py.pyimport("sys").modules, mount, entries, PACKAGES]);
  return { keep, modules: t.run("module_names", [keep]), counts };
}

// The wasm memory right after instantiation (data segments applied, nothing run yet), captured once.
function captureImage() {
  const real = WebAssembly.instantiate;
  let image = null;
  WebAssembly.instantiate = async function (source, imports) {
    const result = await real.call(this, source, imports);
    if (!image) {
      const instance = result.instance || result;
      const memory = instance.exports.memory || (imports && imports.env && imports.env.memory);
      const bytes = new Uint8Array(memory.buffer);
      let end = bytes.length;
      while (end > 0 && bytes[end - 1] === 0) end--;
      image = bytes.slice(0, end);
    }
    return result;
  };
  return () => {
    WebAssembly.instantiate = real;
    return image;
  };
}

async function snapshot(mount, modules) {
  const stdLibURL = join(workDir, "stdlib.zip");
  const release = captureImage();
  const py = await loadPyodide({
    indexURL,
    env: { ...ENV },
    _sysExecutable: PROGRAM,
    stdLibURL,
    _makeSnapshot: true,
    ...quiet,
  });
  const image = release();
  py.pyimport("_calc_runtime").before_snapshot(py.toPy(modules));
  // the package must come from the compiled zip, not from anywhere else on a path
  const where = py.runPython("import calculator.browser; calculator.browser.__file__");
  if (!where.startsWith(mount + "/")) throw new Error(`calculator imported from ${where}, not ${mount}`);
  const bytes = py.makeMemorySnapshot();
  writeFileSync(join(workDir, "snapshot.bin"), bytes);
  writeFileSync(join(workDir, "image.bin"), image);
  // Pyodide's own header comes first, then the memory
  return { snapshot_bytes: bytes.length, memory_offset: bytes.length - py._module.HEAP8.length, module_file: where };
}

const t0 = performance.now();
const compiled = await compileZip();
const t1 = performance.now();
const mount = compiled.compiler.mount;
const traced = await traceEntries(mount);
const kept = compiled.compiler.run("trim", ["/host/full.zip", traced.keep, "/host/stdlib.zip"]);
const t2 = performance.now();
const snap = await snapshot(mount, traced.modules);
const t3 = performance.now();
process.stdout.write(
  JSON.stringify({
    ...snap,
    base_built: compiled.base_built,
    python: compiled.compiler.python,
    version: compiled.compiler.py.version,
    mount,
    modules: traced.modules.length,
    entries: kept,
    modules_total: compiled.total,
    kept: traced.keep,
    traced: traced.counts,
    env: ENV,
    compile_seconds: +((t1 - t0) / 1000).toFixed(2),
    trace_seconds: +((t2 - t1) / 1000).toFixed(2),
    snapshot_seconds: +((t3 - t2) / 1000).toFixed(2),
  }) + "\n",
);
