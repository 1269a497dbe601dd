/* Calculator widgets: brings the static forms of sitegen/pages/templates/widget_form.html.j2 to life.
   A classic script, loaded (deferred) after runtime.js, which defines window.CalcRuntime (state,
   start(), onProgress(cb), call(requestJson) -> Promise<string>), answers.js (and matcher.js), which
   show results (window.CalcAnswers), form.js, which reads and fills the forms (window.CalcForm), and
   links.js, which reads the inputs of a deep link and makes the link a reader asks for
   (window.CalcLinks). Runs a calculation on submit, shows the envelope's errors next to their fields,
   marks a result out of date when the form changes, fills the form from a deep link once it checked
   out, starts the runtime by the page's policy, and on embed pages tells the parent frame its height.
   Nothing here contacts a server. */
(function () {
  "use strict";

  var runtime = window.CalcRuntime;
  var answers = window.CalcAnswers;
  var links = window.CalcLinks;
  var form = window.CalcForm;
  var h = answers.h;
  var all = answers.all;
  var widgets = [];

  // --- running -------------------------------------------------------------------------------

  function calculate(w, byReader) {
    var input = form.collect(w.form);
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
        // the address is never changed: the inputs go into a link only through "Copy a link to this result"
        w.headline = answers.render(w, envelope, function () { return links.url(w, links.linkable(w.form, input)); });
        w.shown = JSON.stringify(input);
        w.linkMessage.hidden = true;  // a result of the reader's own replaces the note about a refused link
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
    var top = head ? parseFloat(getComputedStyle(head).scrollMarginTop) || 0 : 0;  // under the sticky header
    if (box && (box.top < top || box.bottom > window.innerHeight)) head.scrollIntoView({ block: "start" });
  }

  /** After any change to the form, a result that no longer matches it is marked out of date (and
      its copy button turned off) until the reader calculates again; undoing the change restores it. */
  function checkStale(w) {
    if (w.shown === null) return;
    var stale = JSON.stringify(form.collect(w.form)) !== w.shown;
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
    if (prefill) form.fill(w.form, JSON.parse(prefill));
    all(w.form, "[data-kind=rows]").forEach(function (fieldset) {
      if (!form.rowsOf(fieldset).length) form.addRow(fieldset, false);
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
        form.addRow(add.closest("[data-kind=rows]"), true);
      }
      if (remove) form.removeRow(remove.closest("[data-row]"));
      if (add || remove) {
        checkStale(w);
        notifyHeight();
      }
    });
    w.form.addEventListener("change", function (event) {
      var row = event.target.closest("[data-row]");
      form.updateConditions(row || w.form);
      if (event.target.closest("[data-field=population]")) applyPopulation(w);
      checkStale(w);
      notifyHeight();
    });
    w.form.addEventListener("input", function () { checkStale(w); });
    feature(section);
    firstRows(w);
    form.updateConditions(w.form);
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
        form.fill(w.form, input);
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
