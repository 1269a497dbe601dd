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

  // answers.js (loaded before this file) has the helper
  var all = window.CalcAnswers.all;

  /** The [data-field] controls of a scope, a form (its rows aside) or a row template's content. */
  function controls(scope) {
    var row = scope.nodeType === Node.DOCUMENT_FRAGMENT_NODE ? scope.firstElementChild : null;
    return all(scope, "[data-field]").filter(function (el) { return el.closest("[data-row]") === row; });
  }

  function valuesOf(el, selector) {
    return all(el, selector).map(function (o) { return o.value; });
  }

  /** The words a reader sees for control ``el`` of ``scope``: its label or its legend, without unit
      or "(required)"; never the JSON name, which readers are not shown. */
  function labelOf(scope, el) {
    var own = el.matches("fieldset") ? el.querySelector("legend")
      : el.id ? scope.querySelector("label[for='" + el.id.replace(/'/g, "\\'") + "']") : null;
    var text = own && own.firstChild ? own.firstChild.textContent.trim() : "";
    return text || "One of the entries";
  }

  /** The words for row ``i`` of a list: its legend's title ("Study") and its number, as the form shows it. */
  function rowTitle(template, i) {
    var legend = template.querySelector("legend");
    var title = legend && legend.firstChild ? legend.firstChild.textContent.trim() : "Row";
    return title + " " + (i + 1);
  }

  /** What is wrong with ``value`` for control ``el`` (called ``where``, in the form's words), or "" when
      it can go into the form. Nothing of the link's own text is repeated: only counts. */
  function problem(el, value, where) {
    var kind = el.getAttribute("data-kind");
    var max = Number(el.getAttribute("maxlength") || el.getAttribute("data-max-items") || 0);
    if (value === null || value === undefined) return "";
    if (kind === "rows") {
      if (!Array.isArray(value)) return where + ": must be a list";
      if (max && value.length > max) return where + ": at most " + max + " can be entered, the link has " + value.length;
      var template = el.querySelector("template[data-row-template]").content;
      for (var i = 0; i < value.length; i++) {
        var wrong = check(template, value[i], rowTitle(template, i));
        if (wrong) return wrong;
      }
      return "";
    }
    if (kind === "checkboxes") {
      var known = valuesOf(el, "input[type=checkbox]");
      if (!Array.isArray(value) || value.length > known.length) return where + ": must be a list of the choices shown";
      var odd = value.filter(function (v) { return known.indexOf(v) === -1; })[0];
      return odd === undefined ? "" : where + ": one of them is not a choice shown";
    }
    if (kind === "radios") {
      return valuesOf(el, "input[type=radio]").indexOf(value) === -1 ? where + ": not one of the choices shown" : "";
    }
    if (kind === "select") {
      // checked against the list's own options, like radio buttons: a link never adds a choice
      return valuesOf(el, "option").indexOf(value) === -1 ? where + ": not one of the choices in the list" : "";
    }
    if (kind === "checkbox") return typeof value === "boolean" ? "" : where + ": must be ticked or not (true or false)";
    if (kind === "number" || kind === "integer") {
      var finite = typeof value === "number" && isFinite(value) && Math.abs(value) <= MAX_NUMBER;
      return finite ? "" : where + ": must be a number";
    }
    // text boxes: text, no longer than the box takes
    if (typeof value !== "string") return where + ": must be text";
    var longest = max || MAX_TEXT;
    return value.length > longest ? where + ": at most " + longest + " characters, the link has " + value.length : "";
  }

  /** The first reason ``input`` cannot fill ``scope`` (a form, or a row template's content, called
      ``row`` in the form's words), or "". */
  function check(scope, input, row) {
    if (!input || typeof input !== "object" || Array.isArray(input)) return row ? row + ": not a set of entries" : "they are not a set of this form's entries";
    var fields = controls(scope);
    var names = fields.map(function (el) { return el.getAttribute("data-field"); });
    var unknown = Object.keys(input).filter(function (key) { return names.indexOf(key) === -1; })[0];
    if (unknown !== undefined) return row ? row + ": it names an entry the form does not have" : "they name an entry this form does not have";
    for (var i = 0; i < fields.length; i++) {
      var label = labelOf(scope, fields[i]);
      var wrong = problem(fields[i], input[fields[i].getAttribute("data-field")], row ? row + ", " + label : label);
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
