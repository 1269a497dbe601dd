/* Calculator widgets: brings the static forms of sitegen/pages/templates/widget_form.html.j2 to life.
   A classic script, loaded (deferred) after runtime.js, which defines window.CalcRuntime (state,
   start(), onProgress(cb), call(requestJson) -> Promise<string>), answers.js, which shows
   results (window.CalcAnswers), and links.js, which reads and writes the inputs in the URL fragment
   (window.CalcLinks). Reads the form through its data-field / data-kind / data-path attributes,
   shows the envelope's errors next to their fields, fills the form from a deep link once it checked
   out, starts the runtime by the page's policy, and on embed pages tells the parent frame its height.
   Nothing here contacts a server. */
(function () {
  "use strict";

  var runtime = window.CalcRuntime;
  var answers = window.CalcAnswers;
  var links = window.CalcLinks;
  var h = answers.h;
  var all = answers.all;
  var isShown = answers.isShown;
  var firstControl = answers.firstControl;
  var widgets = [];

  // --- reading and filling the form --------------------------------------------------------

  /** The [data-field] controls of one scope: the form itself or one repeatable row. */
  function fieldsOf(scope) {
    var row = scope.matches("[data-row]") ? scope : null;
    return all(scope, "[data-field]").filter(function (el) { return el.closest("[data-row]") === row; });
  }

  function rowsOf(fieldset) {
    return Array.prototype.slice.call(fieldset.querySelector("[data-rows]").children);
  }

  function readNumber(text) {
    var clean = text.trim();
    if (clean === "") return undefined;
    // a decimal comma is how much of the world writes 2.5
    if (/^-?\d+,\d+$/.test(clean)) clean = clean.replace(",", ".");
    var value = Number(clean);
    // what is not a number goes as typed: the calculator's message then says what was expected
    return isFinite(value) ? value : text.trim();
  }

  function readField(el) {
    var kind = el.getAttribute("data-kind");
    if (kind === "rows") return rowsOf(el).map(collect);
    if (kind === "checkboxes") {
      return all(el, "input[type=checkbox]:checked").map(function (box) { return box.value; });
    }
    if (kind === "radios") {
      var checked = el.querySelector("input[type=radio]:checked");
      return checked ? checked.value : undefined;
    }
    if (kind === "checkbox") return el.checked ? true : undefined;
    if (kind === "select") {
      var option = el.options[el.selectedIndex];
      return !option || option.value === "" || option.hasAttribute("data-omit") ? undefined : option.value;
    }
    if (kind === "number" || kind === "integer") return readNumber(el.value);
    var text = el.value.trim();
    return text === "" ? undefined : text;
  }

  /** The JSON input of a scope (form or row): shown fields only, empty ones left out. */
  function collect(scope) {
    var out = {};
    fieldsOf(scope).forEach(function (el) {
      if (!isShown(el)) return;
      var value = readField(el);
      if (value !== undefined) out[el.getAttribute("data-field")] = value;
    });
    return out;
  }

  function setSelect(el, value) {
    var found = Array.prototype.some.call(el.options, function (o) { return o.value === value; });
    if (!found) el.appendChild(h("option", { value: value, text: value }));  // kept, so the calculator can name it
    el.value = value;
  }

  /** Put ``data`` (a JSON input) into a scope. What it leaves out takes the form's own default (as
      built), and a detail that is given selects the choice it needs (another study: its dose). */
  function fill(scope, data) {
    fieldsOf(scope).forEach(function (el) {
      var name = el.getAttribute("data-field");
      var kind = el.getAttribute("data-kind");
      var value = data[name] === null ? undefined : data[name];
      if (kind === "rows") {
        if (!Array.isArray(value)) return;
        rowsOf(el).forEach(function (row) { row.remove(); });
        value.forEach(function (item) { fill(addRow(el, false, true), item && typeof item === "object" ? item : {}); });
        renumber(el);  // once for all the rows: once per row would take seconds for a hundred
      } else if (kind === "checkboxes") {
        all(el, "input[type=checkbox]").forEach(function (box) {
          box.checked = Array.isArray(value) ? value.indexOf(box.value) !== -1 : box.defaultChecked;
        });
      } else if (kind === "radios") {
        all(el, "input[type=radio]").forEach(function (radio) {
          radio.checked = value === undefined ? radio.defaultChecked : radio.value === value;
        });
      } else if (kind === "checkbox") {
        el.checked = value === undefined ? el.defaultChecked : value === true;
      } else if (kind === "select") {
        if (value !== undefined) {
          setSelect(el, String(value));
          return;
        }
        var dependent = all(scope, "[data-show-if-field='" + name + "']").filter(function (wrap) {
          var inner = wrap.querySelector("[data-field]");
          return inner && data[inner.getAttribute("data-field")] !== undefined;
        })[0];
        if (dependent) el.value = dependent.getAttribute("data-show-if").split(" ")[0];
        else Array.prototype.forEach.call(el.options, function (o) { o.selected = o.defaultSelected; });
      } else {
        el.value = value === undefined ? el.defaultValue : String(value);
      }
    });
    updateConditions(scope);
  }

  /** Show each field only while the sibling it depends on has one of its values. */
  function updateConditions(scope) {
    var scopes = [scope].concat(all(scope, "[data-row]"));
    scopes.forEach(function (one) {
      all(one, "[data-show-if-field]").forEach(function (wrap) {
        if (wrap.closest("[data-row]") !== (one.matches("[data-row]") ? one : null)) return;
        var sibling = fieldsOf(one).filter(function (el) {
          return el.getAttribute("data-field") === wrap.getAttribute("data-show-if-field");
        })[0];
        var value = sibling ? sibling.value : "";
        wrap.hidden = wrap.getAttribute("data-show-if").split(" ").indexOf(value) === -1;
      });
    });
  }

  // --- repeatable rows -----------------------------------------------------------------------

  function escapeRe(text) {
    return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  }

  /** Give every row its index again (ids, paths, test ids, labels) after a row came or went. */
  function renumber(fieldset) {
    var name = fieldset.getAttribute("data-path");
    var pathRe = new RegExp(escapeRe(name) + "\\[(?:\\d+|__i__)\\]", "g");
    var idRe = new RegExp("-" + escapeRe(name) + "-(?:\\d+|__i__)(?=-|\\s|$)", "g");
    rowsOf(fieldset).forEach(function (row, i) {
      [row].concat(all(row, "*")).forEach(function (el) {
        ["id", "for", "aria-describedby", "data-path", "data-testid", "name"].forEach(function (attr) {
          var value = el.getAttribute(attr);
          if (value === null) return;
          var next = value.replace(pathRe, name + "[" + i + "]").replace(idRe, "-" + name + "-" + i);
          if (next !== value) el.setAttribute(attr, next);
        });
      });
      all(row, "[data-row-number]").forEach(function (span) { span.textContent = String(i + 1); });
    });
    var max = Number(fieldset.getAttribute("data-max-items") || 0);
    var add = fieldset.querySelector("[data-add-row]");
    if (add) add.disabled = max > 0 && rowsOf(fieldset).length >= max;
  }

  function addRow(fieldset, focus, later) {
    var template = fieldset.querySelector("template[data-row-template]");
    var row = template.content.firstElementChild.cloneNode(true);
    fieldset.querySelector("[data-rows]").appendChild(row);
    if (!later) renumber(fieldset);
    updateConditions(row);
    if (focus) firstControl(row).focus();
    return row;
  }

  function removeRow(row) {
    var fieldset = row.closest("[data-kind=rows]");
    var next = row.nextElementSibling || row.previousElementSibling;
    row.remove();
    renumber(fieldset);
    (next ? firstControl(next) : fieldset.querySelector("[data-add-row]")).focus();
  }

  // --- running -------------------------------------------------------------------------------

  function calculate(w, byReader) {
    var input = collect(w.form);
    var seq = ++w.seq;
    answers.clearErrors(w);
    if (!runtime) {
      answers.say(w, "The calculator could not load. Reload the page to try again.");
      return;
    }
    w.pending = true;
    answers.say(w, runtime.state === "ready" ? "Calculating…" : "Starting the calculator…");
    runtime.call(JSON.stringify({ calculator: w.name, input: input })).then(function (text) {
      if (seq !== w.seq) return;  // a newer calculation was asked for meanwhile
      w.pending = false;
      var envelope = JSON.parse(text);
      if (envelope.ok) {
        w.headline = answers.render(w, envelope);
        w.shown = JSON.stringify(input);
        links.keep(w.name, links.linkable(w.form, input), widgets.map(function (one) { return one.name; }));
        w.linkMessage.hidden = true;  // the link now holds these inputs
        // the status is the one live region: it says the headline only, never the whole result
        answers.say(w, "Result: " + w.headline);
        if (byReader) answers.reveal(w);
        else if (w.linked) revealLinked(w);
      } else {
        answers.clear(w);
        w.shown = null;
        var n = envelope.errors.length;
        answers.say(w, "No result: " + (n === 1 ? "one entry needs" : n + " entries need") + " checking, marked above.");
        answers.showErrors(w, envelope.errors);
      }
      notifyHeight();
    }, function (err) {
      if (seq !== w.seq) return;
      w.pending = false;
      answers.say(w, "The calculation could not run: " + (err && err.message ? err.message : String(err)));
      notifyHeight();
    });
  }

  /** A deep link's result, once shown, is brought into view (not focused): the reader came for it. */
  function revealLinked(w) {
    w.linked = false;
    var head = w.result.querySelector("[data-testid=calc-headline]");
    var box = head && head.getBoundingClientRect();
    if (box && (box.top < 0 || box.bottom > window.innerHeight)) head.scrollIntoView({ block: "start" });
  }

  /** After any change to the form, a result that no longer matches it is marked out of date (and
      its copy button turned off) until the reader calculates again; undoing the change restores it. */
  function checkStale(w) {
    if (w.shown === null) return;
    var stale = JSON.stringify(collect(w.form)) !== w.shown;
    if (stale === (w.result.getAttribute("data-stale") === "true")) return;
    answers.markStale(w, stale);
    answers.say(w, stale ? "The entries changed: the result below is out of date." : "Result: " + w.headline);
    notifyHeight();
  }

  /** The dose form for a child: each study's pediatric level in its label, and the studies the
      calculator would refuse for a child turned off (and back for an adult). */
  function applyPopulation(w) {
    var chosen = w.form.querySelector("[data-field=population] input:checked");
    if (!chosen) return;
    var child = chosen.value === "pediatric";
    var selects = all(w.form, "select[data-choices=procedures]");
    all(w.form, "template[data-row-template]").forEach(function (template) {
      selects = selects.concat(all(template.content, "select[data-choices=procedures]"));
    });
    selects.forEach(function (select) {
      all(select, "option[data-child]").forEach(function (option) {
        if (!option.hasAttribute("data-adult")) option.setAttribute("data-adult", option.textContent);
        option.textContent = option.getAttribute(child ? "data-child" : "data-adult");
        option.disabled = option.hasAttribute(child ? "data-child-off" : "data-adult-off");
      });
    });
  }

  var lastPercent = -1;

  function statusText(w, p) {
    if (p.phase === "ready") return w.pending ? "Calculating…" : "Ready: fill in the form, then press “" + w.submitLabel + "”.";
    if (p.phase === "failed") return (p.message || "The calculator could not start.") + " Reload the page to try again.";
    if (p.phase === "start") return "Starting the calculator…";
    // in megabytes on the wire when the runtime knows them: on a slow link the reader sees it move
    if (p.total) return "Loading the calculator… " + (p.loaded / 1e6).toFixed(1) + " of " + (p.total / 1e6).toFixed(1) + " MB";
    return "Loading the calculator… " + Math.round((p.fraction || 0) * 100) + " %";
  }

  function onProgress(p) {
    var state = runtime.state;
    var percent = Math.floor((p.fraction || 0) * 10);
    // one status line per 10 %: screen readers announce every change of a status
    var quiet = p.phase === "download" && percent === lastPercent;
    lastPercent = p.phase === "download" ? percent : -1;
    widgets.forEach(function (w) {
      w.section.setAttribute("data-state", state);
      // a result or its errors already said what happened: the runtime's progress no longer speaks
      if (state !== "idle" && !quiet && !w.shown && w.summary.hidden) w.status.textContent = statusText(w, p);
    });
  }

  function start() {
    if (!runtime || runtime.state !== "idle") return;
    runtime.start().catch(function (err) {
      console.warn("calculator: the runtime did not start", err);
    });
  }

  var USE = ["focusin", "pointerdown", "keydown", "input"];

  /** Whether to fetch the runtime before the reader asks: not when the browser says data is scarce. */
  function mayPrefetch() {
    var link = navigator.connection;
    return !(link && (link.saveData || /(^|-)2g$/.test(link.effectiveType || "")));
  }

  /** Once the page has loaded and the browser has nothing else to do. */
  function whenIdle(run) {
    var later = function () {
      if (window.requestIdleCallback) window.requestIdleCallback(run, { timeout: 4000 });
      else setTimeout(run, 1500);
    };
    if (document.readyState === "complete") later();
    else window.addEventListener("load", later, { once: true });
  }

  /** Inline widgets (home, guides, articles: the calculator is not what the reader came for) start the
      runtime when the reader starts using the form, or while the form is in view and the browser is
      idle, so that it never competes with the page itself. */
  function startWhenWanted(w) {
    var observer = null;
    var begin = function () {
      start();
      USE.forEach(function (type) { w.section.removeEventListener(type, begin); });
      if (observer) observer.disconnect();
    };
    USE.forEach(function (type) { w.section.addEventListener(type, begin); });
    if (!window.IntersectionObserver || !mayPrefetch()) return;
    observer = new IntersectionObserver(function (entries) {
      if (entries.some(function (e) { return e.isIntersecting; })) whenIdle(begin);
    });
    observer.observe(w.section);
  }

  // --- embed pages: the height protocol -------------------------------------------------------

  var lastHeight = 0;

  function notifyHeight() {
    var w = widgets.filter(function (one) { return one.embed; })[0];
    if (!w || window.parent === window) return;
    var height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (height === lastHeight) return;
    lastHeight = height;
    // only a height goes out, never an input: any origin may embed the page and receive it
    window.parent.postMessage({ type: "calc-embed:height", calculator: w.name, height: height }, "*");
  }

  function watchHeight() {
    if (!widgets.some(function (w) { return w.embed; })) return;
    notifyHeight();
    window.addEventListener("load", notifyHeight);
    if (window.ResizeObserver) new ResizeObserver(notifyHeight).observe(document.documentElement);
  }

  // --- the snippet of calculator pages --------------------------------------------------------

  function setUpSnippets() {
    all(document, "[data-calc-copy]").forEach(function (button) {
      var code = document.getElementById(button.getAttribute("data-calc-copy"));
      var notice = button.parentElement.querySelector(".calc-copied");
      if (!code) return;
      if (/^https?:$/.test(location.protocol) && widgets[0]) {
        // served: this site's own address in place of the placeholder, in the frame and the script
        var root = new URL(widgets[0].siteRoot, location.href).href;
        code.textContent = code.textContent.split("https://YOUR-SITE/").join(root);
      }
      button.addEventListener("click", function () { answers.copy(code.textContent, notice); });
    });
  }

  // --- setting up ------------------------------------------------------------------------------

  /** An article's own studies first: its data-featured ids move into a group at the top of each
      procedure choice (in the row template, so that every row has them). */
  function feature(section) {
    var ids = (section.getAttribute("data-featured") || "").split(" ").filter(Boolean);
    if (!ids.length) return;
    all(section, "template[data-row-template]").forEach(function (template) {
      all(template.content, "select[data-choices=procedures]").forEach(function (select) {
        var group = h("optgroup", { label: "Studies rated in this article" });
        ids.forEach(function (id) {
          var option = Array.prototype.filter.call(select.options, function (o) { return o.value === id; })[0];
          if (option) group.appendChild(option);
        });
        all(select, "optgroup").forEach(function (g) { if (!g.children.length) g.remove(); });
        if (group.children.length) select.insertBefore(group, select.querySelector("optgroup"));
      });
    });
  }

  /** The rows a form opens with: the page's starting input (an article's recommended study), else one
      empty row, since a list that opens empty only asks for an extra click. */
  function firstRows(w) {
    var prefill = w.section.getAttribute("data-prefill");
    if (prefill) fill(w.form, JSON.parse(prefill));
    all(w.form, "[data-kind=rows]").forEach(function (fieldset) {
      if (!rowsOf(fieldset).length) addRow(fieldset, false);
    });
  }

  function setUp(section) {
    var name = section.getAttribute("data-calculator");
    // an inline widget (article, guide, home): its form comes from the shared forms file (forms.js)
    var shared = (window.CalcForms || {})[name];
    if (!section.querySelector("form") && shared) section.innerHTML = shared.html;
    if (!section.querySelector("form")) {
      console.error("calculator " + name + ": no form on the page and none in the shared forms file");
      return null;
    }
    var w = {
      section: section,
      name: name,
      form: section.querySelector("form"),
      linkMessage: links.note(section),
      summary: section.querySelector("[data-testid=calc-errors]"),
      status: section.querySelector("[data-testid=calc-status]"),
      result: section.querySelector("[data-testid=calc-result]"),
      siteRoot: section.getAttribute("data-site-root") || "./",
      urlStyle: section.getAttribute("data-url-style"),
      embed: section.getAttribute("data-embed") === "true",
      sources: JSON.parse(section.getAttribute("data-sources") || "null") || (shared && shared.sources) || {},
      seq: 0,
      // the inputs of the result on show (JSON), its headline, and whether a calculation is under way
      shown: null,
      headline: "",
      pending: false,
      linked: false,
    };
    w.submitLabel = w.form.querySelector("[data-testid=calc-submit]").textContent.trim();
    w.form.addEventListener("submit", function (event) {
      event.preventDefault();
      calculate(w, true);
    });
    w.form.addEventListener("click", function (event) {
      var add = event.target.closest("[data-add-row]");
      var remove = event.target.closest("[data-remove-row]");
      if (add) {
        applyPopulation(w);
        addRow(add.closest("[data-kind=rows]"), true);
      }
      if (remove) removeRow(remove.closest("[data-row]"));
      if (add || remove) {
        checkStale(w);
        notifyHeight();
      }
    });
    w.form.addEventListener("change", function (event) {
      var row = event.target.closest("[data-row]");
      updateConditions(row || w.form);
      if (event.target.closest("[data-field=population]")) applyPopulation(w);
      checkStale(w);
      notifyHeight();
    });
    w.form.addEventListener("input", function () { checkStale(w); });
    feature(section);
    firstRows(w);
    updateConditions(w.form);
    applyPopulation(w);
    w.form.querySelector("[data-testid=calc-submit]").disabled = false;
    return w;
  }

  function init() {
    widgets = all(document, "section.calc[data-calculator]").map(setUp).filter(Boolean);
    setUpSnippets();
    if (!widgets.length) return;
    if (!runtime) {
      widgets.forEach(function (w) {
        w.section.setAttribute("data-state", "failed");
        w.status.textContent = "The calculator could not load. Reload the page to try again.";
      });
    } else {
      runtime.onProgress(onProgress);
    }
    var linked = links.read(widgets.map(function (w) { return w.name; }));
    var eager = false;
    widgets.forEach(function (w) {
      var input = linked.inputs[w.name];
      var wrong = linked.problems[w.name] || (input !== undefined ? links.check(w.form, input) : "");
      if (linked.problems[w.name] || input !== undefined) {
        // a deep link: its inputs, then the result as soon as the runtime is ready; or why not
        var details = w.section.closest("details");
        if (details) details.open = true;
        // a shared link lands on its calculator (a calculator page has it at the top already), and on its
        // result once shown
        if (w.section.getAttribute("data-start") !== "load") w.section.scrollIntoView({ block: "start" });
      }
      if (wrong) {
        links.refuse(w.linkMessage, wrong);
      } else if (input !== undefined) {
        fill(w.form, input);
        links.markShared(w.form, input);
        applyPopulation(w);
        w.linked = true;
        eager = true;
        calculate(w);
      }
      if (w.section.getAttribute("data-start") === "load") {
        eager = true;
      } else {
        startWhenWanted(w);
      }
    });
    // a calculator page, an embed or a deep link: the reader came for the result, so start at once
    if (eager) start();
    watchHeight();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
