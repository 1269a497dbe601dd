// Web workers for pages opened from file:// (offline builds; content/overrides/hooks/offline_shim.py
// adds this file to their polyfills). Browsers refuse workers there, so Material's search worker runs
// in a hidden frame instead, as the iframe-worker package does, but without its inline script: the
// pages' Content-Security-Policy allows scripts from files only. The frame is a blank page of this
// one's origin; the worker's postMessage, importScripts and error reports are set from here.
(function () {
  "use strict";
  if (location.protocol !== "file:") return;

  function loadScript(doc, url) {
    return new Promise(function (resolve, reject) {
      var script = doc.createElement("script");
      script.src = url;
      script.onload = resolve;
      script.onerror = function () {
        reject(new Error("could not load " + url));
      };
      doc.body.appendChild(script);
    });
  }

  class IFrameWorker extends EventTarget {
    constructor(url) {
      super();
      this.url = String(url);
      this.onmessage = null;
      this.onerror = null;
      this.frame = document.createElement("iframe");
      this.frame.hidden = true;
      document.body.appendChild(this.frame);
      var scope = this.frame.contentWindow;
      var self = this;
      // the worker's own globals: what it posts comes here, copied, as a worker's message would
      scope.postMessage = function (data) {
        var copy = structuredClone(data);
        setTimeout(function () {
          self.emit(new MessageEvent("message", { data: copy }));
        });
      };
      scope.importScripts = function () {
        var urls = Array.prototype.slice.call(arguments);
        return urls.reduce(function (done, url) {
          return done.then(function () {
            return loadScript(scope.document, url);
          });
        }, Promise.resolve());
      };
      scope.addEventListener("error", function (event) {
        self.emit(new ErrorEvent("error", { message: event.message, filename: self.url, error: event.error }));
      });
      this.ready = loadScript(scope.document, this.url);
      this.ready.catch(function (error) {
        self.emit(new ErrorEvent("error", { message: error.message, filename: self.url, error: error }));
      });
    }

    emit(event) {
      this.dispatchEvent(event);
      var handler = event.type === "message" ? this.onmessage : this.onerror;
      if (handler) handler.call(this, event);
    }

    postMessage(data) {
      var frame = this.frame;
      var copy = structuredClone(data);
      this.ready.then(function () {
        if (frame.contentWindow) frame.contentWindow.dispatchEvent(new MessageEvent("message", { data: copy }));
      });
    }

    terminate() {
      this.frame.remove();
    }
  }

  window.IFrameWorker = IFrameWorker;
  window.Worker = IFrameWorker;
})();
