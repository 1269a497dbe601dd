/* For the intranet page that embeds a calculator (see embed.md), not for this site's own pages: sizes
   every <iframe data-calc-embed> to its calculator. Each embed page posts its height to its parent
   ({type: "calc-embed:height", calculator, height}); a message is believed only from the frame's own
   origin and window. Width and border are set through the style object, never a style attribute, so
   the host page needs no 'unsafe-inline' in its Content-Security-Policy. Load it with
   <script src="https://YOUR-SITE/assets/js/embed-host.js" defer></script>, or from a copy on the
   intranet's own server. */
(function () {
  "use strict";

  function frames() {
    return Array.prototype.slice.call(document.querySelectorAll("iframe[data-calc-embed]"));
  }

  function origin(frame) {
    try {
      return new URL(frame.src, location.href).origin;
    } catch (e) {
      return "";
    }
  }

  function fit(frame) {
    frame.style.width = "100%";
    frame.style.border = "0";
  }

  window.addEventListener("message", function (event) {
    var data = event.data;
    if (!data || data.type !== "calc-embed:height" || typeof data.height !== "number" || !(data.height > 0)) return;
    frames().forEach(function (frame) {
      if (event.source !== frame.contentWindow || event.origin !== origin(frame)) return;
      frame.style.height = Math.min(Math.ceil(data.height), 20000) + "px";
    });
  });

  function init() {
    frames().forEach(fit);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
