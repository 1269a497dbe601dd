// Build-time runtime maker, run by sitegen/runtime/pyodide.py:
//   node sitegen/runtime/node/make_runtime.mjs PYODIDE_DIR WORK_DIR ZIP_MODULE
// WORK_DIR/pkg/ holds the packages to ship (calculator/ with data/catalog.json); WORK_DIR/base.zip, when
// present, is the standard library compiled earlier (made here otherwise: the slow part, cached by
// runtime.py). Writes WORK_DIR/stdlib.zip (the standard library and the packages byte-compiled by Pyodide
// itself) and WORK_DIR/snapshot.bin (a memory snapshot taken after importing and warming the calculator),
// then prints one JSON line of facts on stdout. ZIP_MODULE is sitegen/runtime/stdlib_zip.py (runs in Pyodide).
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

// The same environment must be given when the snapshot is loaded (runtime config "env").
const ENV = { PYTHONHASHSEED: "0" };
// What Python sees as its program (sys.executable, sys.argv[0], the `_` variable of os.environ): under
// Node, Emscripten would take the path of this script, and the snapshot would carry the build machine's
// directory into every copy of the site. The browser's own name for it, the same on every machine.
const PROGRAM = "./this.program";
const WARM = "import calculator.browser\ncalculator.browser.warm()\n";

const [pyodideDir, workDir, zipModule] = process.argv.slice(2).map((p) => resolve(p));
const { loadPyodide } = await import(pathToFileURL(join(pyodideDir, "pyodide.mjs")).href);
const indexURL = pyodideDir + "/";
// Python's own output goes to stderr: stdout carries only the JSON result line.
const quiet = { stdout: (s) => process.stderr.write(s + "\n"), stderr: (s) => process.stderr.write(s + "\n") };

// A Pyodide with the zip compiler loaded and WORK_DIR mounted at /host.
async function compiler(options) {
  const py = await loadPyodide({ indexURL, env: { ...ENV }, _sysExecutable: PROGRAM, ...quiet, ...options });
  py.FS.mkdirTree("/host");
  py.FS.mount(py.FS.filesystems.NODEFS, { root: workDir }, "/host");
  const ns = py.globals.get("dict")();
  py.runPython(readFileSync(zipModule, "utf8"), { globals: ns });
  const [major, minor] = py.runPython("import sys; sys.version_info[:2]").toJs();
  const run = (call, args) => {
    ns.set("args", py.toPy(args));
    return py.runPython(`${call}(*args)`, { globals: ns });
  };
  return { py, run, python: `${major}.${minor}`, mount: `/lib/python${major}${minor}.zip` };
}

async function compileZip() {
  const base = join(workDir, "base.zip");
  const baseBuilt = !existsSync(base);
  if (baseBuilt) {
    const stock = await compiler({});
    stock.run("compile_stdlib", [stock.mount, "/host/base.zip", stock.mount]);
  }
  // always a fresh interpreter on the compiled stdlib: the packages' bytecode must not depend on
  // whether this run also compiled the standard library
  const c = await compiler({ stdLibURL: base });
  const modules = c.run("add_packages", ["/host/base.zip", "/host/pkg", "/host/stdlib.zip", c.mount]);
  return { modules, python: c.python, version: c.py.version, mount: c.mount, base_built: baseBuilt };
}

async function snapshot(mount) {
  const stdLibURL = join(workDir, "stdlib.zip");
  const py = await loadPyodide({
    indexURL,
    env: { ...ENV },
    _sysExecutable: PROGRAM,
    stdLibURL,
    _makeSnapshot: true,
    ...quiet,
  });
  py.runPython(WARM);
  // the package must come from the compiled zip, not from anywhere else on a path
  const where = py.runPython("calculator.browser.__file__");
  if (!where.startsWith(mount + "/")) throw new Error(`calculator imported from ${where}, not ${mount}`);
  const bytes = py.makeMemorySnapshot();
  writeFileSync(join(workDir, "snapshot.bin"), bytes);
  return { snapshot_bytes: bytes.length, module_file: where };
}

const t0 = performance.now();
const compiled = await compileZip();
const t1 = performance.now();
const snap = await snapshot(compiled.mount);
const t2 = performance.now();
process.stdout.write(
  JSON.stringify({
    ...compiled,
    ...snap,
    env: ENV,
    compile_seconds: +((t1 - t0) / 1000).toFixed(2),
    snapshot_seconds: +((t2 - t1) / 1000).toFixed(2),
  }) + "\n",
);
