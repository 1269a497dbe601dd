// The calculator's module Web Worker (pages served over http(s)); runtime.js creates it.
// It starts loading at once, from the config baked in at build time (URLs relative to this file).
// In:  {type: "call", id, request}
// Out: {type: "progress", progress}, {type: "ready"}, {type: "failed", message},
//      {type: "result", id, ok: true, value} or {type: "result", id, ok: false, message}
import "./__URL(engine.js)__";

const CONFIG = "__CALC_CONFIG__";
const base = new URL(CONFIG.base, import.meta.url).href;

function message(err) {
  return err && err.message ? String(err.message) : String(err);
}

// Both Pyodide modules are imported while the downloads run: Pyodide would import its factory only
// once the snapshot has come.
const started = globalThis.CalcEngine.start({
  config: CONFIG,
  base,
  loader: () =>
    Promise.all([import(new URL("pyodide.mjs", base).href), import(new URL("pyodide.asm.mjs", base).href)]).then(
      ([main, factory]) => ({ loadPyodide: main.loadPyodide, createPyodideModule: factory.default }),
    ),
  report: (progress) => postMessage({ type: "progress", progress }),
}).then(
  (engine) => {
    postMessage({ type: "ready" });
    return engine;
  },
  (err) => {
    postMessage({ type: "failed", message: message(err) });
    throw err;
  },
);
started.catch(() => {}); // reported above; calls made meanwhile get the error themselves

self.onmessage = async (event) => {
  const data = event.data;
  if (data.type !== "call") return;
  try {
    const engine = await started;
    postMessage({ type: "result", id: data.id, ok: true, value: engine.call(data.request) });
  } catch (err) {
    postMessage({ type: "result", id: data.id, ok: false, message: message(err) });
  }
};
