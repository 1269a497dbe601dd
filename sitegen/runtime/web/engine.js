// The calculator engine: starts Pyodide (from the memory snapshot when it can) and answers requests.
// Classic script, strict and free of module syntax: the page injects it on the main thread (file://),
// the module worker imports it for its side effect. Defines globalThis.CalcEngine.
(function () {
  "use strict";

  // Run after every start: the snapshot froze random's state; the fallback start needs the import.
  var PREPARE = "import random\nrandom.seed()\nimport calculator.browser\n";

  function message(err) {
    return err && err.message ? String(err.message) : String(err);
  }

  // gzip bytes -> bytes; bytes that are not gzip (a server that already decoded them) pass through.
  function gunzip(bytes) {
    if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return Promise.resolve(bytes);
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
    return new Response(stream).arrayBuffer().then(function (buf) {
      return new Uint8Array(buf);
    });
  }

  // The shipped snapshot keeps only its pages that are not all zeros (sitegen/runtime/snapshot.py has the
  // layout): copy them into a zero-filled buffer of the full length.
  function unpackSnapshot(packed) {
    var view = new DataView(packed.buffer, packed.byteOffset, packed.byteLength);
    if (packed.length < 12 || view.getUint32(0, false) !== 0x43534e31) throw new Error("not a packed snapshot");
    var page = view.getUint32(4, true);
    var length = view.getUint32(8, true);
    var count = Math.ceil(length / page);
    var at = 12 + Math.ceil(count / 8);
    var out = new Uint8Array(length);
    for (var i = 0; i < count; i++) {
      if ((packed[12 + (i >> 3)] >> (i & 7)) & 1) {
        var size = Math.min(page, length - i * page);
        out.set(packed.subarray(at, at + size), i * page);
        at += size;
      }
    }
    if (at !== packed.length) throw new Error("the snapshot is damaged: " + packed.length + " bytes, expected " + at);
    return out;
  }

  function fromBase64(text) {
    if (Uint8Array.fromBase64) return Uint8Array.fromBase64(text);
    var raw = atob(text);
    var out = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
    return out;
  }

  // Counts the bytes of every download towards one progress fraction; "start" once all have come.
  function Meter(total, report) {
    var received = 0;
    var shown = -1;
    var started = false;
    this.started = function () {
      if (started) return;
      started = true;
      report({ phase: "start", fraction: 1, message: "Starting the calculator…" });
    };
    this.add = function (n) {
      received += n;
      var fraction = total ? Math.min(1, received / total) : 0;
      var percent = Math.floor(fraction * 100);
      if (percent !== shown && !started) {
        shown = percent;
        report({ phase: "download", fraction: fraction, message: "Downloading the calculator… " + percent + " %" });
      }
      if (received >= total) this.started();
    };
  }

  // The bytes of url, each chunk counted by the meter as it arrives; ``gzipped`` ones are decompressed
  // as they arrive (unless the server already decoded them), which overlaps the two.
  function countedBytes(realFetch, url, meter, gzipped) {
    return realFetch(url)
      .then(function (resp) {
        if (!resp.ok) throw new Error(url + ": HTTP " + resp.status);
        var counter = new TransformStream({
          transform: function (chunk, controller) {
            meter.add(chunk.byteLength);
            controller.enqueue(chunk);
          },
        });
        var body = resp.body.pipeThrough(counter);
        if (gzipped && !/gzip/i.test(resp.headers.get("Content-Encoding") || "")) {
          body = body.pipeThrough(new DecompressionStream("gzip"));
        }
        return new Response(body).arrayBuffer();
      })
      .then(function (buf) {
        return new Uint8Array(buf);
      });
  }

  // The wasm compiled from its untouched response, so that a warm start reuses the browser's code cache.
  function compiledWasm(realFetch, url, meter, size) {
    return WebAssembly.compileStreaming(realFetch(url))
      .catch(function () {
        // a server that sends another Content-Type: compile from the bytes instead
        return realFetch(url)
          .then(function (resp) {
            return resp.arrayBuffer();
          })
          .then(function (buf) {
            return WebAssembly.compile(buf);
          });
      })
      .then(function (module) {
        meter.add(size);
        return module;
      });
  }

  // A response whose body is fetched only if someone reads it (Pyodide's own fallback path does).
  function lazyResponse(realFetch, url, type) {
    var reader = null;
    var body = new ReadableStream({
      pull: function (controller) {
        var next = reader
          ? Promise.resolve(reader)
          : realFetch(url).then(function (resp) {
              reader = resp.body.getReader();
              return reader;
            });
        return next.then(function (r) {
          return r.read().then(function (chunk) {
            if (chunk.done) controller.close();
            else controller.enqueue(chunk.value);
          });
        });
      },
    });
    return new Response(body, { headers: { "Content-Type": type } });
  }

  function respond(bytes, type) {
    return new Response(bytes, { headers: { "Content-Type": type } });
  }

  // Every download starts at once: Pyodide itself would wait for the snapshot before fetching the wasm.
  // Returns {map: url -> () => Promise<Response>, wasm: Promise<WebAssembly.Module>, snapshot, lock}.
  function sources(config, base, meter, realFetch) {
    var map = {};
    var wasm = new URL("pyodide.asm.wasm", base).href;
    var stdlib = new URL("stdlib.zip", base).href;
    if (config.mode === "file") {
      var decoded = {};
      var payload = function (name) {
        if (!decoded[name]) {
          var text = globalThis.CalcPayloads && globalThis.CalcPayloads[name];
          if (!text) return Promise.reject(new Error("the " + name + " payload script is missing"));
          decoded[name] = gunzip(fromBase64(text));
          delete globalThis.CalcPayloads[name]; // a large string: free it once decoded
        }
        return decoded[name];
      };
      var wasmBytes = payload("pyodide.asm.wasm");
      var stdlibBytes = payload("stdlib.zip");
      map[wasm] = function () {
        return wasmBytes.then(function (b) {
          return respond(b, "application/wasm");
        });
      };
      map[stdlib] = function () {
        return stdlibBytes.then(function (b) {
          return respond(b, "application/zip");
        });
      };
      return {
        map: map,
        wasm: wasmBytes.then(function (b) {
          return WebAssembly.compile(b);
        }),
        snapshot: payload("snapshot.pages.gz").then(unpackSnapshot),
        lock: payload("pyodide-lock.json"),
      };
    }
    var sizes = config.sizes || {};
    var snapshot = countedBytes(realFetch, new URL("snapshot.pages.gz", base).href, meter, true).then(unpackSnapshot);
    var module = compiledWasm(realFetch, wasm, meter, sizes["pyodide.asm.wasm"] || 0);
    var stdlibBytes = countedBytes(realFetch, stdlib, meter, false);
    map[wasm] = function () {
      return Promise.resolve(lazyResponse(realFetch, wasm, "application/wasm"));
    };
    map[stdlib] = function () {
      return stdlibBytes.then(function (b) {
        return respond(b, "application/zip");
      });
    };
    return { map: map, wasm: module, snapshot: snapshot, lock: null };
  }

  // Starts Pyodide; resolves to {call(json) -> string}. options: {config, base (absolute URL of the
  // Pyodide directory), loader() -> Promise<{loadPyodide, createPyodideModule?}>, report(progress)}.
  function start(options) {
    var config = options.config;
    var base = options.base;
    var report = options.report;
    var total = 0;
    for (var k in config.sizes || {}) total += config.sizes[k];
    var meter = new Meter(total, report);
    var realFetch = globalThis.fetch;
    var src = sources(config, base, meter, realFetch.bind(globalThis));
    src.snapshot.catch(function () {}); // a refused download is handled where loadPyodide awaits it
    if (config.mode === "file") meter.started(); // the payload scripts are in: nothing left to download
    // Only our known URLs are answered here; everything else goes to the network untouched.
    globalThis.fetch = function (input, init) {
      var url = new URL(typeof input === "string" || input instanceof URL ? input : input.url, location.href).href;
      var serve = src.map[url];
      return serve ? serve() : realFetch.call(globalThis, input, init);
    };
    // Pyodide instantiates the wasm it fetched: hand it the module compiled meanwhile instead.
    var realInstantiate = WebAssembly.instantiateStreaming;
    WebAssembly.instantiateStreaming = function (source, imports) {
      return src.wasm.then(function (module) {
        return WebAssembly.instantiate(module, imports).then(function (instance) {
          return { module: module, instance: instance };
        });
      });
    };
    src.wasm.catch(function () {}); // a failed compile is reported where Pyodide instantiates

    function load(loaded, withSnapshot) {
      var settings = { indexURL: base, stdLibURL: new URL("stdlib.zip", base).href, env: Object.assign({}, config.env) };
      if (withSnapshot) settings._loadSnapshot = src.snapshot;
      // given, Pyodide skips importing its module factory after the snapshot came: imported meanwhile
      if (loaded.createPyodideModule) settings.createPyodideModule = loaded.createPyodideModule;
      if (config.mode === "file") {
        settings.lockFileContents = src.lock.then(function (b) {
          return new TextDecoder().decode(b);
        });
      }
      return loaded.loadPyodide(settings);
    }

    return options
      .loader()
      .then(function (loaded) {
        return load(loaded, true).catch(function (err) {
          console.info("Calculator: the start-up snapshot was refused (" + message(err) + "); starting without it.");
          return load(loaded, false);
        });
      })
      .then(function (py) {
        meter.started();
        py.runPython(PREPARE);
        var handle = py.runPython("calculator.browser.handle");
        return {
          call: function (request) {
            return handle(request);
          },
        };
      })
      .finally(function () {
        globalThis.fetch = realFetch;
        WebAssembly.instantiateStreaming = realInstantiate;
      });
  }

  globalThis.CalcEngine = { start: start, unpackSnapshot: unpackSnapshot };
})();
