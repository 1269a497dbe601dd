/* Calculator inputs in the URL fragment (deep links): window.CalcLinks = {read, check, url, ...}.
   A classic script, loaded (deferred) before widget.js, which uses it. The fragment holds one entry
   per widget, `#iene=<JSON>&dose=<JSON>`, each URL-encoded. A link is anybody's to write, so nothing
   in it is trusted: each entry is decoded and parsed on its own, and checked against its form's own
   limits (the fields it has, the rows a list takes, the characters a box takes, the choices it offers,
   finite numbers) before anything of it reaches the form. What cannot be used comes back as a
   sentence for the reader, never as an exception. */
(function () {
  "use strict";

  /** Longest entry read: far above any input a form can make, far below what would slow a page. */
  var MAX_ENTRY = 100000;
  /** Longest text in a field that declares no length (a choice kept as given, for instance). */
  var MAX_TEXT = 200;
  /** Largest number taken: beyond it nothing a calculator accepts, and floats lose whole numbers. */
  var MAX_NUMBER = 1e15;

  function decode(text) {
    try {
      return decodeURIComponent(text);
    } catch (e) {
      return null; // e.g. "%E0": not UTF-8
    }
  }

  /** The fragment's entries in order, undecoded: [{name (decoded, or null), raw}]. */
  function entries() {
    var hash = location.hash.replace(/^#/, "");
    if (!hash) return [];
    return hash.split("&").map(function (raw) {
      var eq = raw.indexOf("=");
      return { name: eq === -1 ? null : decode(raw.slice(0, eq)), raw: raw };
    });
  }

  /** The inputs the fragment holds for each of ``names`` (widget names): {inputs: {name: value},
      problems: {name: sentence}}. An entry that cannot be read is a problem, never an error. */
  function read(names) {
    var out = { inputs: {}, problems: {} };
    entries().forEach(function (entry) {
      var name = entry.name;
      if (name === null || names.indexOf(name) === -1 || name in out.inputs || name in out.problems) return;
      var value = entry.raw.slice(entry.raw.indexOf("=") + 1);
      if (value.length > MAX_ENTRY) {
        out.problems[name] = "they are longer than any input (" + value.length + " characters)";
        return;
      }
      var text = decode(value);
      if (text === null) {
        out.problems[name] = "the address is damaged (it is not valid URL encoding)";
        return;
      }
      try {
        out.inputs[name] = JSON.parse(text);
      } catch (e) {
        out.problems[name] = "they are not valid JSON";
      }
    });
    return out;
  }

  function all(root, selector) {
    return Array.prototype.slice.call(root.querySelectorAll(selector));
  }

  /** The [data-field] controls of a scope, a form (its rows aside) or a row template's content. */
  function controls(scope) {
    var row = scope.nodeType === Node.DOCUMENT_FRAGMENT_NODE ? scope.firstElementChild : null;
    return all(scope, "[data-field]").filter(function (el) { return el.closest("[data-row]") === row; });
  }

  function describe(value) {
    if (value === null) return "nothing";
    if (Array.isArray(value)) return "a list";
    if (typeof value === "object") return "a set of fields";
    if (typeof value === "string") return value.length > 30 ? "a text of " + value.length + " characters" : JSON.stringify(value);
    return String(value);
  }

  function valuesOf(el, selector) {
    return all(el, selector).map(function (o) { return o.value; });
  }

  /** What is wrong with ``value`` for control ``el`` at ``path``, or "" when it can go into the form. */
  function problem(el, value, path) {
    var kind = el.getAttribute("data-kind");
    var max = Number(el.getAttribute("maxlength") || el.getAttribute("data-max-items") || 0);
    if (value === null || value === undefined) return "";
    if (kind === "rows") {
      if (!Array.isArray(value)) return path + ": expected a list of rows, found " + describe(value);
      if (max && value.length > max) return path + ": at most " + max + " rows, found " + value.length;
      var template = el.querySelector("template[data-row-template]").content;
      for (var i = 0; i < value.length; i++) {
        var wrong = check(template, value[i], path + "[" + i + "]");
        if (wrong) return wrong;
      }
      return "";
    }
    if (kind === "checkboxes") {
      var known = valuesOf(el, "input[type=checkbox]");
      if (!Array.isArray(value) || value.length > known.length) return path + ": expected a list of the choices shown, found " + describe(value);
      var odd = value.filter(function (v) { return known.indexOf(v) === -1; })[0];
      return odd === undefined ? "" : path + ": " + describe(odd) + " is not one of the choices";
    }
    if (kind === "radios") {
      return valuesOf(el, "input[type=radio]").indexOf(value) === -1 ? path + ": " + describe(value) + " is not one of the choices" : "";
    }
    if (kind === "checkbox") return typeof value === "boolean" ? "" : path + ": expected true or false, found " + describe(value);
    if (kind === "number" || kind === "integer") {
      var finite = typeof value === "number" && isFinite(value) && Math.abs(value) <= MAX_NUMBER;
      return finite ? "" : path + ": expected a number, found " + describe(value);
    }
    // text boxes and lists of choices: text, no longer than the box takes
    if (typeof value !== "string") return path + ": expected text, found " + describe(value);
    var longest = max || MAX_TEXT;
    return value.length > longest ? path + ": at most " + longest + " characters, found " + value.length : "";
  }

  /** The first reason ``input`` cannot fill ``scope`` (a form, or a row template's content), or "". */
  function check(scope, input, path) {
    var where = path ? path : "the inputs";
    if (!input || typeof input !== "object" || Array.isArray(input)) return where + ": expected a set of fields, found " + describe(input);
    var fields = controls(scope);
    var names = fields.map(function (el) { return el.getAttribute("data-field"); });
    var unknown = Object.keys(input).filter(function (key) { return names.indexOf(key) === -1; })[0];
    if (unknown !== undefined) return (path ? path + "." : "") + unknown.slice(0, 40) + ": no such field";
    for (var i = 0; i < fields.length; i++) {
      var name = fields[i].getAttribute("data-field");
      var wrong = problem(fields[i], input[name], path ? path + "." + name : name);
      if (wrong) return wrong;
    }
    return "";
  }

  /** The link to widget ``w``'s result with ``input`` in its fragment, made only when the reader asks
      for it (the page's address is never changed). An embed links to the calculator's page on the site,
      any other page to itself. */
  function url(w, input) {
    var page = w.embed
      ? new URL(w.siteRoot + "calculators/" + encodeURIComponent(w.name) + "/", location.href).href
      : location.href.replace(/#.*$/, "");
    return page + "#" + encodeURIComponent(w.name) + "=" + encodeURIComponent(JSON.stringify(input));
  }

  // --- privacy: free text stays out of the address unless the reader asks ----------------------

  /** The input as a copied link may hold it: private fields (a free-text question) only when their
      "also put this text in a copied link" box is ticked. */
  function linkable(form, input) {
    var out = {};
    Object.keys(input).forEach(function (key) {
      var control = form.querySelector("[data-field='" + key + "'][data-private]");
      var share = form.querySelector("[data-share-for='" + key + "']");
      if (!control || (share && share.checked)) out[key] = input[key];
    });
    return out;
  }

  /** A link that carried a private field was shared on purpose: keep sharing it, visibly. */
  function markShared(form, input) {
    all(form, "[data-share-for]").forEach(function (box) {
      if (input[box.getAttribute("data-share-for")] !== undefined) box.checked = true;
    });
  }

  /** The note above a widget's form saying why a link's inputs were not used: made hidden. */
  function note(section) {
    var el = document.createElement("p");
    el.className = "calc__link-message";
    el.setAttribute("data-testid", "calc-link-message");
    el.setAttribute("role", "alert");
    el.hidden = true;
    var form = section.querySelector("form");
    form.parentNode.insertBefore(el, form);
    return el;
  }

  function refuse(el, why) {
    el.textContent = "The inputs in this link could not be used: " + why + ". The form shows its usual starting values.";
    el.hidden = false;
  }

  window.CalcLinks = {
    read: read,
    check: function (form, input) { return check(form, input, ""); },
    url: url,
    linkable: linkable,
    markShared: markShared,
    note: note,
    refuse: refuse,
  };
})();
