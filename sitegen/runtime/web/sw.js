// The site's service worker, published at the site root as sw.js (sitegen/runtime/assets.py) and
// registered by runtime.js over http(s) once a calculator has started (never from file://). It keeps the
// runtime files of this build, so that the next visit, and a visit without a network, start from them:
// - the runtime and the glue files (content-hashed names, never changed) come from its cache first;
// - pages and every other file come from the network first; for use offline it keeps only the pages that
//   name this build's runtime and the files such a page loaded (runtime.js names them): never HTML of
//   another build, and nothing of another application that shares the origin;
// - its cache is named after its scope and the build; a new build's worker deletes the older caches of
//   the same scope when it takes over.
"use strict";

const CONFIG = "__CALC_CONFIG__";
const BUILD = "__BUILD__";
// Cache Storage is shared by the whole origin: caches are named after this copy's scope as well as its
// build, so that two copies of the site on one host (/a/ and /b/) never delete each other's.
function scopeKey(text) {
  let h = 0x811c9dc5; // FNV-1a, 32 bits
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(16).padStart(8, "0");
}
const PREFIX = "calc-" + scopeKey(self.registration.scope) + "-";
const CACHE = PREFIX + BUILD;
const CALC = new URL("assets/calc/", self.registration.scope);
const RUNTIME_DIR = new URL(CONFIG.base, CALC).href;
const GLUE = ["__URL(runtime.js)__", "__URL(engine.js)__", "__URL(worker.mjs)__", "__URL(widget.js)__", "__URL(answers.js)__"];
const RUNTIME_JS = GLUE[0];
// What a start from the snapshot downloads (stdlib.zip only serves a start without it: cached when used).
const KEEP = ["pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm"]
  .map((name) => new URL(name, RUNTIME_DIR).href)
  .concat(GLUE.map((name) => new URL(name, CALC).href), new URL("__URL(widget.css)__", CALC).href);
// The snapshot as engine.js takes it: snapshot.pages when the server sent it with Content-Encoding (kept
// decoded: a warm start then decompresses nothing), else its gzip copy.
const SNAPSHOT = new URL("snapshot.pages", RUNTIME_DIR).href;
const SNAPSHOT_GZ = new URL("snapshot.pages.gz", RUNTIME_DIR).href;

// A response worth keeping; never snapshot.pages sent unencoded (engine.js stops that download).
function keepable(url, response) {
  return response.ok && response.status === 200 && (url !== SNAPSHOT || Boolean(response.headers.get("Content-Encoding")));
}

// The snapshot the page has just downloaded: snapshot.pages only if the browser's cache has it (a server
// that sent it unencoded had that download stopped), else the gzip copy, as for the files above.
function keepSnapshot(cache) {
  return fetch(SNAPSHOT, { cache: "only-if-cached", mode: "same-origin" })
    .catch(() => null)
    .then((response) => {
      if (response && keepable(SNAPSHOT, response)) return cache.put(SNAPSHOT, response);
      return cache.add(new Request(SNAPSHOT_GZ, { cache: "force-cache" }));
    })
    .catch(() => undefined); // the next start downloads it again, nothing worse
}

self.addEventListener("install", (event) => {
  // from the browser's cache: the page that registered this worker has just downloaded them
  const requests = KEEP.map((url) => new Request(url, { cache: "force-cache" }));
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => Promise.all([cache.addAll(requests), keepSnapshot(cache)]))
      .then(() => self.skipWaiting()),
  );
});

// The page that registered this worker, and what it loaded, were not fetched through it: runtime.js
// names them in a message ({type: "calc-keep", urls}), and a copy of each is kept from the browser's cache.
self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type !== "calc-keep" || !Array.isArray(data.urls)) return;
  const urls = data.urls.filter((url) => typeof url === "string" && new URL(url).origin === self.location.origin);
  event.waitUntil(
    caches.open(CACHE).then((cache) =>
      Promise.all(
        urls.map((url) =>
          fetch(url, { cache: "force-cache" })
            .then((response) => keep(cache, new Request(url), response, true))
            .catch(() => null),
        ),
      ),
    ),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith(PREFIX) && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.registration.navigationPreload && self.registration.navigationPreload.enable())
      .then(() => self.clients.claim()),
  );
});

function immutable(url) {
  return url.startsWith(RUNTIME_DIR) || url.startsWith(CALC.href);
}

function fromCacheFirst(request) {
  return caches.open(CACHE).then((cache) =>
    cache.match(request).then(
      (hit) =>
        hit ||
        fetch(request).then((response) => {
          if (keepable(request.url, response)) cache.put(request, response.clone());
          return response;
        }),
    ),
  );
}

// A page is kept for use offline only when it names this build's runtime.js; other files (a page's
// style sheets, scripts, search index) only when runtime.js named them or they were kept before.
function worthKeeping(cache, request, response) {
  if (/text\/html/i.test(response.headers.get("Content-Type") || "")) {
    return response.text().then((text) => text.includes("assets/calc/" + RUNTIME_JS));
  }
  return cache.match(request).then((kept) => Boolean(kept));
}

// Keep a copy of a good response for use offline; ``named``: runtime.js named it (see "message").
function keep(cache, request, response, named) {
  if (!response.ok || response.status !== 200 || response.type !== "basic") return Promise.resolve();
  const html = /text\/html/i.test(response.headers.get("Content-Type") || "");
  const decided = named && !html ? Promise.resolve(true) : worthKeeping(cache, request, response.clone());
  return decided.then((mine) => (mine ? cache.put(request, response) : undefined));
}

function fromNetworkFirst(event) {
  const request = event.request;
  const network = (event.preloadResponse || Promise.resolve(null)).then((preloaded) => preloaded || fetch(request));
  return network.then(
    (response) => {
      const copy = response.clone();
      event.waitUntil(caches.open(CACHE).then((cache) => keep(cache, request, copy, false)));
      return response;
    },
    (offline) =>
      caches.open(CACHE).then((cache) => cache.match(request)).then((hit) => {
        if (hit) return hit;
        throw offline;
      }),
  );
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || new URL(request.url).origin !== self.location.origin) return;
  // another application's files on this origin (the site served from its root) are left to the browser
  if (!request.url.startsWith(self.registration.scope)) return;
  if (request.headers.has("Range")) return; // partial responses are the browser's business
  event.respondWith(immutable(request.url) ? fromCacheFirst(request) : fromNetworkFirst(event));
});
