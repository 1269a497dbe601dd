// The calculator engine: starts Pyodide (from the memory snapshot when it can) and answers requests.
// Classic script, strict and free of module syntax: the page injects it on the main thread (file://),
// the module worker imports it for its side effect. Defines globalThis.CalcEngine.
// It never waits forever: a file that fails to download or arrives damaged ends the start at once with a
// message naming it, and a start still running STUCK_MS after every file came is given up.
(function () {
  "use strict";

  var STUCK_MS = 10000;
  var WASM = "pyodide.asm.wasm";
  var RAW_SNAPSHOT = "snapshot.pages";
  var SNAPSHOT = "snapshot.pages.gz";
  var STDLIB = "stdlib.zip";
  // What each file is, for messages.
  var WHAT = {};
  WHAT[WASM] = "the calculator's program file";
  WHAT[SNAPSHOT] = WHAT[RAW_SNAPSHOT] = "the calculator's start-up snapshot";
  WHAT[STDLIB] = "the calculator's Python library";

  function message(err) {
    return err && err.message ? String(err.message) : String(err);
  }

  // An error that ends the start: no other way of starting can help (the program file is damaged).
  function fatal(text) {
    var err = new Error(text);
    err.fatal = true;
    return err;
  }

  // A file that could not be had, named; only the snapshot can be done without (a slower start).
  function damaged(name, err) {
    var text = WHAT[name] + " (" + name + ") did not load or is damaged: " + message(err);
    return name === SNAPSHOT || name === RAW_SNAPSHOT ? new Error(text) : fatal(text);
  }

  function deferred() {
    var d = {};
    d.promise = new Promise(function (resolve, reject) {
      d.resolve = resolve;
      d.reject = reject;
    });
    d.promise.catch(function () {}); // handled where it is raced
    return d;
  }

  var crcTable = null;
  // CRC-32 of bytes (the snapshot, and the instantiation image it was packed against, are checked with
  // it), eight bytes a step ("slicing by 8": about four times faster than a byte a step on 10 MB).
  function crc32(bytes) {
    var t = crcTable;
    if (!t) {
      t = crcTable = new Int32Array(256 * 8);
      for (var n = 0; n < 256; n++) {
        var c = n;
        for (var k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
        t[n] = c;
      }
      for (var m = 256; m < 2048; m++) t[m] = t[t[m - 256] & 255] ^ (t[m - 256] >>> 8);
    }
    var crc = -1;
    var i = 0;
    var end = bytes.length - 7;
    for (; i < end; i += 8) {
      var a = crc ^ (bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24));
      crc =
        t[1792 + (a & 255)] ^ t[1536 + ((a >>> 8) & 255)] ^ t[1280 + ((a >>> 16) & 255)] ^ t[1024 + (a >>> 24)] ^
        t[768 + bytes[i + 4]] ^ t[512 + bytes[i + 5]] ^ t[256 + bytes[i + 6]] ^ t[bytes[i + 7]];
    }
    for (; i < bytes.length; i++) crc = t[(crc ^ bytes[i]) & 255] ^ (crc >>> 8);
    return (crc ^ -1) >>> 0;
  }

  // gzip bytes -> bytes (the trailer's CRC is checked); bytes that are not gzip pass through.
  function gunzip(bytes) {
    if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return Promise.resolve(bytes);
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
    return new Response(stream).arrayBuffer().then(function (buf) {
      return new Uint8Array(buf);
    });
  }

  // The shipped snapshot (sitegen/runtime/snapshot.py has the layout): its kept pages copied into a
  // zero-filled buffer of the full length. The instantiation image is XORed in later (applyImage).
  function unpackSnapshot(packed) {
    var view = new DataView(packed.buffer, packed.byteOffset, packed.byteLength);
    if (packed.length < 24 || view.getUint32(0, false) !== 0x43534e32) throw new Error("not a packed snapshot");
    var page = view.getUint32(4, true);
    var length = view.getUint32(8, true);
    var count = Math.ceil(length / page);
    var at = 24 + Math.ceil(count / 8);
    var out = new Uint8Array(length);
    for (var i = 0; i < count; i++) {
      if ((packed[24 + (i >> 3)] >> (i & 7)) & 1) {
        var size = Math.min(page, length - i * page);
        if (at + size > packed.length) throw new Error("the snapshot is cut short");
        out.set(packed.subarray(at, at + size), i * page);
        at += size;
      }
    }
    if (at !== packed.length) throw new Error("the snapshot is damaged: " + packed.length + " bytes, expected " + at);
    var snap = { bytes: out, offset: view.getUint32(12, true), baseLength: view.getUint32(16, true) };
    snap.baseCrc = view.getUint32(20, true);
    snap.applied = false;
    return snap;
  }

  // XOR the wasm memory as instantiated (its static data) back into the unpacked snapshot, once.
  function applyImage(snap, memory) {
    if (snap.applied) return;
    var n = snap.baseLength;
    var image = memory.subarray(0, n);
    if (image.length !== n || crc32(image) !== snap.baseCrc) {
      throw new Error("the snapshot was made for another build of the program file");
    }
    var out = snap.bytes.subarray(snap.offset, snap.offset + n);
    var words = (out.byteOffset & 3) === 0 ? n >> 2 : 0;
    if (words) {
      var a = new Int32Array(out.buffer, out.byteOffset, words);
      var b = new Int32Array(image.buffer, image.byteOffset, words);
      for (var w = 0; w < words; w++) a[w] ^= b[w];
    }
    for (var i = words << 2; i < n; i++) out[i] ^= image[i];
    snap.applied = true;
  }

  function fromBase64(text) {
    if (Uint8Array.fromBase64) return Uint8Array.fromBase64(text);
    var raw = atob(text);
    var out = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
    return out;
  }

  // Progress over every download, in bytes on the wire: each file's share received (of its size on
  // disk) times its transfer size (Content-Length once known, else the build's gzip size).
  function Meter(report) {
    var files = {};
    var shown = -1;
    var started = false;
    function update() {
      if (started) return;
      var total = 0;
      var done = 0;
      for (var name in files) {
        var f = files[name];
        total += f.wire;
        done += f.bytes ? f.wire * Math.min(1, f.got / f.bytes) : 0;
      }
      var fraction = total ? done / total : 0;
      var tenth = Math.floor(done / 1e5);
      if (tenth === shown) return;
      shown = tenth;
      report({
        phase: "download",
        fraction: fraction,
        loaded: done,
        total: total,
        message: "Downloading the calculator… " + (done / 1e6).toFixed(1) + " of " + (total / 1e6).toFixed(1) + " MB",
      });
    }
    this.expect = function (name, info) {
      files[name] = { got: 0, bytes: info.bytes || 0, wire: info.wire || info.bytes || 0 };
    };
    this.drop = function (name) {
      delete files[name];
    };
    this.wire = function (name, bytes) {
      if (files[name] && bytes > 0) files[name].wire = bytes;
    };
    this.add = function (name, n) {
      if (!files[name]) return;
      files[name].got += n;
      update();
    };
    this.started = function () {
      if (started) return;
      started = true;
      report({ phase: "start", fraction: 1, message: "Starting the calculator…" });
    };
  }

  // fetch url, refusing an error status; the transfer size goes to the meter.
  function download(realFetch, url, name, meter) {
    return realFetch(url).then(function (resp) {
      if (!resp.ok) throw new Error("HTTP " + resp.status);
      var length = Number(resp.headers.get("Content-Length") || 0);
      if (length) meter.wire(name, length);
      return resp;
    });
  }

  function counted(body, name, meter) {
    return body.pipeThrough(
      new TransformStream({
        transform: function (chunk, controller) {
          meter.add(name, chunk.byteLength);
          controller.enqueue(chunk);
        },
      }),
    );
  }

  // The bytes of a file; ``gzipped`` ones are decompressed as they arrive unless the server already
  // decoded them. ``expected``: the size the body must have (a cut-short download is refused).
  function fileBytes(realFetch, url, name, meter, gzipped, expected) {
    return download(realFetch, url, name, meter)
      .then(function (resp) {
        var body = counted(resp.body, name, meter);
        var decoded = /gzip/i.test(resp.headers.get("Content-Encoding") || "");
        if (gzipped && !decoded) body = body.pipeThrough(new DecompressionStream("gzip"));
        return new Response(body).arrayBuffer();
      })
      .then(function (buf) {
        var bytes = new Uint8Array(buf);
        if (expected && bytes.length !== expected) throw new Error(bytes.length + " bytes, expected " + expected);
        return bytes;
      });
  }

  // The packed snapshot. snapshot.pages comes as the server sends it with Content-Encoding (Brotli or
  // gzip: the browser decodes it, and a service worker keeps it decoded), checked against its size and
  // CRC-32. A server that sends it unencoded would send 10 MB: that download is stopped as soon as its
  // headers come and the gzip copy is taken instead (decompressed here, its trailer's CRC checked); so
  // is a failed request (offline, the service worker may hold only the gzip copy).
  function snapshotBytes(realFetch, url, meter, files) {
    var info = files[RAW_SNAPSHOT] || {};
    var stop = new AbortController();
    var fallback = false;
    function gzipCopy() {
      fallback = true;
      meter.drop(RAW_SNAPSHOT);
      meter.expect(SNAPSHOT, files[SNAPSHOT] || {});
      return fileBytes(realFetch, url(SNAPSHOT), SNAPSHOT, meter, true, 0);
    }
    return realFetch(url(RAW_SNAPSHOT), { signal: stop.signal })
      .then(function (resp) {
        if (!resp.ok) throw new Error("HTTP " + resp.status);
        if (!/\S/.test(resp.headers.get("Content-Encoding") || "")) {
          stop.abort();
          return gzipCopy();
        }
        var length = Number(resp.headers.get("Content-Length") || 0);
        if (length) meter.wire(RAW_SNAPSHOT, length);
        return new Response(counted(resp.body, RAW_SNAPSHOT, meter)).arrayBuffer().then(function (buf) {
          var bytes = new Uint8Array(buf);
          if (info.bytes && bytes.length !== info.bytes) throw new Error(bytes.length + " bytes, expected " + info.bytes);
          if (info.crc !== undefined && crc32(bytes) !== info.crc) throw new Error("its CRC-32 differs from the build's");
          return bytes;
        });
      }, gzipCopy)
      .then(unpackSnapshot)
      .catch(function (err) {
        throw damaged(fallback ? SNAPSHOT : RAW_SNAPSHOT, err);
      });
  }

  // The wasm compiled from its untouched response (a warm start then reuses the browser's code cache);
  // a clone of the response only counts the bytes for the progress.
  function compiledWasm(realFetch, url, meter) {
    return download(realFetch, url, WASM, meter).then(function (resp) {
      var tally = counted(resp.clone().body, WASM, meter).getReader();
      (function drain() {
        tally.read().then(function (r) {
          if (!r.done) drain();
        }, function () {});
      })();
      if (!/application\/wasm/i.test(resp.headers.get("Content-Type") || "")) {
        // a server that sends another Content-Type: compile from the bytes instead
        return resp.arrayBuffer().then(function (buf) {
          return WebAssembly.compile(buf);
        });
      }
      return WebAssembly.compileStreaming(resp);
    });
  }

  // The wasm compiled while it is decompressed (file://, where its gzip comes from a payload script).
  function compileGzipped(bytes) {
    if (bytes[0] !== 0x1f || bytes[1] !== 0x8b || !WebAssembly.compileStreaming) {
      return gunzip(bytes).then(WebAssembly.compile);
    }
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
    return WebAssembly.compileStreaming(new Response(stream, { headers: { "Content-Type": "application/wasm" } }));
  }

  function respond(bytes, type) {
    return new Response(bytes, { headers: { "Content-Type": type } });
  }

  function once(make) {
    var made = null;
    return function () {
      if (!made) made = make();
      return made;
    };
  }

  // Every download starts at once (Pyodide itself would fetch them one after another); the zip only
  // when a start without the snapshot needs it. Returns {wasm, snapshot, stdlib()}: promises of the
  // compiled module, the unpacked snapshot and the zip's bytes, each rejected with a message naming
  // the file when it cannot be had.
  function sources(config, base, meter, realFetch, loadScript) {
    var named = function (name, promise) {
      return promise.catch(function (err) {
        throw damaged(name, err);
      });
    };
    if (config.mode === "file") {
      var payload = function (name, raw) {
        var text = globalThis.CalcPayloads && globalThis.CalcPayloads[name];
        if (!text) return Promise.reject(new Error("its payload script is missing"));
        delete globalThis.CalcPayloads[name]; // a large string: free it once decoded
        var bytes = Promise.resolve(text).then(fromBase64);
        return raw ? bytes : bytes.then(gunzip);
      };
      return {
        wasm: named(WASM, payload(WASM, true).then(compileGzipped)),
        snapshot: named(SNAPSHOT, payload(SNAPSHOT).then(unpackSnapshot)),
        stdlib: once(function () {
          var ready = globalThis.CalcPayloads && globalThis.CalcPayloads[STDLIB];
          var script = ready ? Promise.resolve() : loadScript(new URL(config.fallback, base).href);
          return named(STDLIB, script.then(function () {
            return payload(STDLIB);
          }));
        }),
      };
    }
    var files = config.files || {};
    var url = function (name) {
      return new URL(name, base).href;
    };
    meter.expect(WASM, files[WASM] || {});
    meter.expect(RAW_SNAPSHOT, files[RAW_SNAPSHOT] || {});
    return {
      wasm: named(WASM, compiledWasm(realFetch, url(WASM), meter)),
      snapshot: snapshotBytes(realFetch, url, meter, files),
      stdlib: once(function () {
        meter.expect(STDLIB, files[STDLIB] || {});
        var size = (files[STDLIB] || {}).bytes || 0;
        return named(STDLIB, fileBytes(realFetch, url(STDLIB), STDLIB, meter, false, size));
      }),
    };
  }

  function memoryOf(instance, imports) {
    var memory = instance.exports.memory || (imports && imports.env && imports.env.memory);
    return new Uint8Array(memory.buffer);
  }

  // Starts Pyodide; resolves to {call(json) -> string}. options: {config, base (absolute URL of the
  // Pyodide directory), loader() -> Promise<{loadPyodide, createPyodideModule?}>, report(progress),
  // loadScript(url) -> Promise (file:// only: the zip's payload script, for a start without snapshot)}.
  function start(options) {
    var config = options.config;
    var base = options.base;
    var meter = new Meter(options.report);
    var realFetch = globalThis.fetch;
    var src = sources(config, base, meter, realFetch.bind(globalThis), options.loadScript);
    src.snapshot.catch(function () {}); // a refused snapshot is handled where loadPyodide awaits it
    var attempt = null; // {snapshot: bool, abort: deferred}
    var wasmURL = new URL(WASM, base).href;
    var stdlibURL = new URL(STDLIB, base).href;
    var emptyZip = new Uint8Array(0);

    // Only our known URLs are answered here; everything else goes to the network untouched. Pyodide
    // fetches the wasm (our compiled module is used instead) and the zip (unused after a snapshot start).
    globalThis.fetch = function (input, init) {
      var target = new URL(typeof input === "string" || input instanceof URL ? input : input.url, location.href).href;
      if (target === wasmURL) return Promise.resolve(respond(emptyZip, "application/wasm"));
      if (target === stdlibURL) {
        if (attempt && attempt.snapshot) return Promise.resolve(respond(emptyZip, "application/zip"));
        var current = attempt;
        return src.stdlib().then(
          function (bytes) {
            return respond(bytes, "application/zip");
          },
          function (err) {
            if (current) current.abort.reject(err); // Pyodide would only log it and stall
            throw err;
          },
        );
      }
      return realFetch.call(globalThis, input, init);
    };
    // Pyodide instantiates the wasm it fetched: the module compiled meanwhile is used instead, and a
    // start from the snapshot gets the instantiation image XORed in (snapshot.py says why).
    var realInstantiate = WebAssembly.instantiateStreaming;
    WebAssembly.instantiateStreaming = function (source, imports) {
      var current = attempt;
      var fail = function (err) {
        if (current) current.abort.reject(err); // Pyodide would only warn and never finish
        throw err;
      };
      return src.wasm.then(function (module) {
        return WebAssembly.instantiate(module, imports).then(function (instance) {
          if (!current || !current.snapshot) return { module: module, instance: instance };
          return src.snapshot.then(function (snap) {
            applyImage(snap, memoryOf(instance, imports));
            return { module: module, instance: instance };
          });
        }, fail);
      }, fail).catch(fail);
    };

    // Gives up on a start still running STUCK_MS after its files came.
    var timers = [];
    function watchdog(current, files) {
      Promise.all(files).then(function () {
        meter.started();
        timers.push(
          setTimeout(function () {
            var text = "the calculator did not finish starting within " + STUCK_MS / 1000 + " s";
            current.abort.reject(current.snapshot ? new Error(text) : fatal(text));
          }, STUCK_MS),
        );
      }, function () {});
    }

    function load(loaded, withSnapshot) {
      var current = { snapshot: withSnapshot, abort: deferred() };
      attempt = current;
      var settings = {
        indexURL: base,
        stdLibURL: stdlibURL,
        env: Object.assign({}, config.env),
        lockFileContents: JSON.parse(JSON.stringify(config.lock)),
      };
      if (withSnapshot) {
        settings._loadSnapshot = src.snapshot.then(function (snap) {
          return snap.bytes;
        });
      }
      // given, Pyodide skips importing its module factory after the snapshot came: imported meanwhile
      if (loaded.createPyodideModule) settings.createPyodideModule = loaded.createPyodideModule;
      src.wasm.catch(function (err) {
        current.abort.reject(err); // nothing can start without it
      });
      watchdog(current, [src.wasm, withSnapshot ? src.snapshot : src.stdlib()]);
      return Promise.race([loaded.loadPyodide(settings), current.abort.promise]);
    }

    return options
      .loader()
      .then(function (loaded) {
        return load(loaded, true).catch(function (err) {
          if (err && err.fatal) throw err;
          console.info("Calculator: the start-up snapshot was refused (" + message(err) + "); starting without it.");
          return load(loaded, false);
        });
      })
      .then(function (py) {
        meter.started();
        var handle = py.pyimport("_calc_runtime").after_start();
        return {
          call: function (request) {
            return handle(request);
          },
        };
      })
      .finally(function () {
        timers.forEach(clearTimeout);
        attempt = null;
        globalThis.fetch = realFetch;
        WebAssembly.instantiateStreaming = realInstantiate;
      });
  }

  globalThis.CalcEngine = { start: start, unpackSnapshot: unpackSnapshot, applyImage: applyImage, crc32: crc32 };
})();
