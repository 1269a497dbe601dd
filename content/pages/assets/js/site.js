/* Small helpers of every page, progressive enhancement only: copying (window.SiteCopy, also used by the
   calculators' "Copy report" on site and embed pages), the copy buttons of the articles' answer cards
   (hidden until this script shows them), and the embed builder of the embed page. An external
   file, no inline handler: it runs under the pages' Content-Security-Policy. Nothing here contacts a
   server. */
(function () {
  "use strict";

  function all(root, selector) {
    return Array.prototype.slice.call(root.querySelectorAll(selector));
  }

  // --- copying ---------------------------------------------------------------------------------

  function copyByHand(text) {
    // where the Clipboard API is refused (older browsers, some frames): a selected textarea
    var area = document.createElement("textarea");
    area.className = "sg-offscreen calc-offscreen";  // site.css or, on embed pages, widget.css hides it
    area.setAttribute("readonly", "");
    area.setAttribute("aria-hidden", "true");
    area.value = text;
    document.body.appendChild(area);
    area.select();
    var done = false;
    try { done = document.execCommand("copy"); } catch (e) { done = false; }
    area.remove();
    return done ? Promise.resolve() : Promise.reject(new Error("copy refused"));
  }

  function copyText(text) {
    if (navigator.clipboard && navigator.clipboard.writeText) {
      return navigator.clipboard.writeText(text).catch(function () { return copyByHand(text); });
    }
    return copyByHand(text);
  }

  /** Copy ``text`` and say so in ``notice`` (a status region), keeping the focus where it was. */
  function copy(text, notice) {
    var active = document.activeElement;
    notice.textContent = "";
    return copyText(text).then(function () {
      notice.textContent = "Copied";
    }, function () {
      notice.textContent = "Copying was refused: select the text and copy it by hand";
    }).then(function () {
      if (active && active.focus) active.focus();
    });
  }

  /** Buttons with data-copy-from="<id>": copy that element's text; shown only once they can work. */
  function setUpCopyButtons() {
    all(document, "[data-copy-from]").forEach(function (button) {
      var source = document.getElementById(button.getAttribute("data-copy-from"));
      if (!source) return;
      var notice = button.parentElement.querySelector("[role=status]");
      button.addEventListener("click", function () { copy(source.textContent.trim(), notice); });
      var box = button.closest("[hidden]");
      if (box) box.hidden = false;
    });
  }

  window.SiteCopy = copy;

  // --- the embed builder (embed.md) --------------------------------------------------------------

  // a host name as DNS writes it, an IPv4 address or a bracketed IPv6 one: browsers accept more in a
  // host (quotes, =, parentheses, ; and ,), which would break out of the snippet or split the CSP line
  var HOST = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*|\[[0-9a-f:.]+\])$/i;

  /** The origin of an http(s) address typed by the reader, or null; a placeholder stays as written. */
  function origin(text) {
    var placeholder = /^https:\/\/YOUR-[A-Z]+\/?$/.exec(text.trim());
    if (placeholder) return placeholder[0].replace(/\/$/, "");
    try {
      var url = new URL(text.trim());
      var plain = /^https?:$/.test(url.protocol) && HOST.test(url.hostname) && !url.username && !url.password;
      return plain ? url.origin : null;
    } catch (e) {
      return null;
    }
  }

  /** ``text`` for a double-quoted HTML attribute of the snippet. */
  function attr(text) {
    return String(text).replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  }

  /** The inputs to open the calculator with, from a link (…#dose=<JSON>) or JSON typed in:
      {name, input} ({} when empty), or {error}. */
  function prefill(text, chosen, known) {
    var raw = text.trim();
    if (!raw) return {};
    var at = raw.indexOf("#");
    if (at !== -1 && raw.charAt(0) !== "{") {
      var found = {};
      raw.slice(at + 1).split("&").forEach(function (part) {
        var eq = part.indexOf("=");
        if (eq === -1) return;
        try {
          found[decodeURIComponent(part.slice(0, eq))] = JSON.parse(decodeURIComponent(part.slice(eq + 1)));
        } catch (e) { /* reported below: no readable inputs */ }
      });
      var names = Object.keys(found).filter(function (n) { return known.indexOf(n) !== -1; });
      if (!names.length) return { error: "The link holds no inputs of a calculator this site offers." };
      var name = names.indexOf(chosen) !== -1 ? chosen : names[0];
      return { name: name, input: found[name] };
    }
    try {
      var input = JSON.parse(raw);
      if (!input || typeof input !== "object" || Array.isArray(input)) return { error: "The inputs must be a JSON object, as in the example." };
      return { name: chosen, input: input };
    } catch (e) {
      return { error: "The inputs could not be read as JSON: " + e.message };
    }
  }

  function setUpBuilder(root) {
    var field = function (id) { return document.getElementById(id); };
    var calc = field("sg-b-calc"), site = field("sg-b-site"), host = field("sg-b-host"), inputs = field("sg-b-prefill");
    var status = root.querySelector("[role=status]");
    // served: this very site is the one to embed (Material's __md_scope is its root)
    if (/^https?:$/.test(location.protocol) && window.__md_scope) site.value = String(window.__md_scope.href || window.__md_scope);

    function update() {
      var problems = [];
      var siteOrigin = origin(site.value), hostOrigin = origin(host.value);
      if (!siteOrigin) problems.push("The address of your copy of this site must be a plain web address starting with https:// or http://.");
      if (!hostOrigin) problems.push("The address of your intranet must be a plain web address starting with https:// or http://.");
      var known = Array.prototype.map.call(calc.options, function (o) { return o.value; });
      var filled = prefill(inputs.value, calc.value, known);
      if (filled.error) problems.push(filled.error);
      if (filled.name && filled.name !== calc.value) calc.value = filled.name;  // the link names its calculator
      var option = calc.options[calc.selectedIndex];
      var typed = site.value.trim();
      var base = "https://YOUR-SITE/";
      if (siteOrigin && !/YOUR-SITE/.test(typed)) {
        var url = new URL(typed);
        base = url.origin + url.pathname.replace(/\/?$/, "/");  // the site's folder, with its slash
      }
      var fragment = filled.input ? "#" + calc.value + "=" + encodeURIComponent(JSON.stringify(filled.input)) : "";
      field("sg-b-snippet").textContent =
        '<iframe src="' + attr(base + "embed/" + calc.value + "/" + fragment) + '" title="' + attr(option.getAttribute("data-title")) +
        '" data-calc-embed\n        height="700" loading="lazy" allow="clipboard-write"></iframe>\n' +
        '<script src="' + attr(base + "assets/js/embed-host.js") + '" defer></script>';
      var siteSrc = siteOrigin || "https://YOUR-SITE";
      field("sg-b-host-csp").textContent = "Content-Security-Policy: frame-src " + siteSrc + "; script-src 'self' " + siteSrc;
      field("sg-b-site-csp").textContent = "Content-Security-Policy: default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; " +
        "worker-src 'self'; connect-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors " +
        (hostOrigin || "https://YOUR-INTRANET");
      status.textContent = problems.length ? problems.join(" ") : "Ready to copy: the snippet and both lines match what you entered.";
      root.setAttribute("data-state", problems.length ? "error" : "ready");
    }

    [calc, site, host, inputs].forEach(function (el) {
      el.addEventListener("input", update);
      el.addEventListener("change", update);
    });
    update();
    root.hidden = false;
  }

  function init() {
    setUpCopyButtons();
    all(document, "[data-embed-builder]").forEach(setUpBuilder);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
