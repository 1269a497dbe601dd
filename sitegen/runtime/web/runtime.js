// The calculators' runtime client: window.CalcRuntime = {state, start(), onProgress(cb), call(json)}.
// Classic script (file:// refuses module scripts). Over http(s) Python runs in a module Web Worker;
// from file://, or when no worker is configured (offline builds), on the page itself.
(function () {
  "use strict";

  // Baked in by the build (sitegen/runtime/assets.py): URLs in it are relative to this script.
  var CONFIG = "__CALC_CONFIG__";
  var WORKER = "__URL(worker.mjs)__";
  var ENGINE = "__URL(engine.js)__";
  // The service worker sits at the site root (its scope), two levels above this script (assets/calc/).
  var SERVICE_WORKER = "../../sw.js";

  var script = document.currentScript;
  var here = (script && script.src) || location.href;
  var base = new URL(CONFIG.base, here).href;
  var listeners = [];
  var current = { phase: "download", fraction: 0, message: "The calculator has not started loading yet." };
  var starting = null;
  var worker = null;
  var engine = null;
  var pending = {};
  var seq = 0;

  function message(err) {
    return err && err.message ? String(err.message) : String(err);
  }

  function emit(progress) {
    // downloads still reporting after the start ended (a damaged file ends it early) change nothing
    if ((progress.phase === "download" || progress.phase === "start") && api.state !== "loading") return;
    current = progress;
    for (var i = 0; i < listeners.length; i++) {
      try {
        listeners[i](progress);
      } catch (err) {
        console.error(err); // one broken listener must not stop the others or the start
      }
    }
  }

  function useWorker() {
    return CONFIG.mode === "http" && /^https?:$/.test(location.protocol) && typeof Worker !== "undefined";
  }

  function rejectPending(text) {
    var ids = Object.keys(pending);
    for (var i = 0; i < ids.length; i++) {
      pending[ids[i]].reject(new Error(text));
      delete pending[ids[i]];
    }
  }

  function startWorker() {
    return new Promise(function (resolve, reject) {
      var ready = false;
      var w = new Worker(new URL(WORKER, here), { type: "module", name: "calculator" });
      w.onmessage = function (event) {
        var data = event.data;
        if (data.type === "progress") {
          emit(data.progress);
        } else if (data.type === "ready") {
          ready = true;
          resolve();
        } else if (data.type === "failed") {
          reject(new Error(data.message));
        } else if (data.type === "result" && pending[data.id]) {
          var p = pending[data.id];
          delete pending[data.id];
          if (data.ok) p.resolve(data.value);
          else p.reject(new Error(data.message));
        }
      };
      w.onerror = function (event) {
        event.preventDefault();
        var text = "the calculator worker failed" + (event.message ? ": " + event.message : "");
        if (ready) rejectPending(text);
        else reject(new Error(text));
      };
      worker = w; // it starts loading by itself, from the same baked-in config
    });
  }

  function loadScript(url) {
    return new Promise(function (resolve, reject) {
      var el = document.createElement("script");
      el.src = url;
      el.async = false; // keep the order: each one needs the ones before it
      el.onload = function () {
        resolve();
      };
      el.onerror = function () {
        reject(new Error("could not load " + url));
      };
      document.head.appendChild(el);
    });
  }

  function startPage() {
    var names = CONFIG.mode === "file" ? CONFIG.scripts : ["pyodide.js"];
    var urls = names.map(function (n) {
      return new URL(n, base).href;
    });
    urls.push(new URL(ENGINE, here).href);
    var loaded = 0;
    return Promise.all(
      urls.map(function (url) {
        return loadScript(url).then(function () {
          loaded += 1;
          var fraction = loaded / urls.length;
          var text = "Loading the calculator… " + Math.floor(fraction * 100) + " %";
          emit({ phase: "download", fraction: fraction, message: text });
        });
      }),
    )
      .then(function () {
        return globalThis.CalcEngine.start({
          config: CONFIG,
          base: base,
          loader: function () {
            // file:// payload scripts define the factory; over http Pyodide imports it itself
            var factory = globalThis.createPyodideModule;
            return Promise.resolve({ loadPyodide: globalThis.loadPyodide, createPyodideModule: factory });
          },
          report: emit,
          loadScript: loadScript,
        });
      })
      .then(function (e) {
        engine = e;
      });
  }

  // Once a calculator has started over http(s), a service worker keeps this build's runtime files so that
  // the next visit, and a visit without a network, start from them. Registered only now: the files are
  // in the browser's cache, so it stores them without downloading them again.
  function keepForNextVisit() {
    if (CONFIG.mode !== "http" || !/^https?:$/.test(location.protocol) || !navigator.serviceWorker) return;
    var sw = navigator.serviceWorker;
    sw.register(new URL(SERVICE_WORKER, here).href)
      .then(function () {
        return sw.ready;
      })
      .then(function (registration) {
        // this page and what it loaded came before the worker: it keeps copies of them too
        var urls = performance.getEntriesByType("resource").map(function (entry) {
          return entry.name;
        });
        urls.push(location.href.split("#")[0]);
        if (registration.active) registration.active.postMessage({ type: "calc-keep", urls: urls });
      })
      .catch(function (err) {
        console.info("Calculator: no offline copy (" + message(err) + ").");
      });
  }

  function start() {
    if (starting) return starting;
    api.state = "loading";
    emit({ phase: "download", fraction: 0, message: "Loading the calculator… 0 %" });
    var run = useWorker()
      ? startWorker().catch(function (err) {
          // e.g. a policy that refuses workers: the page itself can still run the calculator
          console.info("Calculator: the worker did not start (" + message(err) + "); running on the page.");
          if (worker) worker.terminate();
          worker = null;
          return startPage();
        })
      : startPage();
    starting = run.then(
      function () {
        api.state = "ready";
        emit({ phase: "ready", fraction: 1, message: "Ready" });
        keepForNextVisit();
      },
      function (err) {
        api.state = "failed";
        emit({ phase: "failed", fraction: 0, message: "The calculator could not start: " + message(err) });
        throw err;
      },
    );
    return starting;
  }

  function call(request) {
    var text = typeof request === "string" ? request : JSON.stringify(request);
    return start().then(function () {
      if (worker) {
        return new Promise(function (resolve, reject) {
          seq += 1;
          pending[seq] = { resolve: resolve, reject: reject };
          worker.postMessage({ type: "call", id: seq, request: text });
        });
      }
      return engine.call(text); // a Python error here rejects the promise with its message
    });
  }

  function onProgress(cb) {
    listeners.push(cb);
    cb(current);
  }

  var api = { state: "idle", start: start, onProgress: onProgress, call: call };
  window.CalcRuntime = api;
  // a calculator or embed page: start now, while the rest of the page loads (widget.js attaches later)
  if (script && script.getAttribute("data-calc-start") === "load") start();
})();
