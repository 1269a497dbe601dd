/* Calculator answers: what a widget shows for an envelope, a result for each calculator or the
   errors next to their fields, and the copy button. A classic script loaded (deferred) before
   widget.js, which calls window.CalcAnswers; everything from data goes in through textContent,
   never as HTML. */
(function () {
  "use strict";

  var EFFECTS = {
    counted: "Counted",
    "set-aside": "Set aside",
    noted: "Noted",
    flagged: "Flagged for review",
    decided: "Decision",
  };
  // The ACR category labels and icons, as calculator.CATEGORY_LABELS and the site's badges have them.
  var CATEGORIES = {
    "usually-appropriate": ["✔", "Usually appropriate"],
    "may-be-appropriate": ["◐", "May be appropriate"],
    "may-be-appropriate-disagreement": ["⚖", "May be appropriate (Disagreement)"],
    "usually-not-appropriate": ["✘", "Usually not appropriate"],
  };

  // --- small DOM helpers -------------------------------------------------------------------

  function h(tag, attrs, children) {
    var el = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      if (key === "text") el.textContent = attrs[key];
      else el.setAttribute(key, attrs[key]);
    });
    (children || []).forEach(function (child) {
      if (child === null || child === undefined || child === "") return;
      el.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return el;
  }

  function all(root, selector) {
    return Array.prototype.slice.call(root.querySelectorAll(selector));
  }

  var CONTROLS = "input, select, textarea, button";

  /** False for a control whose field is hidden (a detail that does not apply to its row's choice). */
  function isShown(el) {
    var wrap = el.closest("[data-wrap]");
    return !(wrap && wrap.hidden);
  }

  function firstControl(scope) {
    return all(scope, CONTROLS).filter(function (el) { return isShown(el) && !el.disabled; })[0];
  }

  function list(items, render) {
    return h("ul", { class: "calc-answer__list" }, items.map(function (item) {
      return h("li", {}, [].concat(render(item)));
    }));
  }

  function noprint(el) {
    el.classList.add("calc-noprint");
    return el;
  }

  function section(title) {
    return h("p", { class: "calc-answer__section", text: title });
  }

  function msv(value) {
    return String(Number(Number(value).toFixed(3)));
  }

  /** The result's headline: a heading one level below the page's own around the widget (data-heading),
      the one line the status announces. */
  function headline(w, children) {
    var level = Math.min(6, Math.max(2, Number(w.section.getAttribute("data-heading")) || 3));
    var attrs = { class: "calc-answer__headline", "data-testid": "calc-headline", tabindex: "-1" };
    return h("h" + level, attrs, [].concat(children));
  }

  // --- results -------------------------------------------------------------------------------

  // a source is named by its citation; one the page has no citation for is left out, never shown by id
  function sourceText(w, ids) {
    return (ids || []).map(function (id) { return ((w.sources[id] || {}).title || "").replace(/\.$/, ""); })
      .filter(Boolean).join("; ");
  }

  function siteHref(w, url) {
    var hash = "";
    var at = url.indexOf("#");
    if (at !== -1) { hash = url.slice(at); url = url.slice(0, at); }
    if (w.urlStyle === "file" && url.slice(-1) === "/") {
      // offline builds have no directory URLs: topic guides are topics/<id>/index.html, others x/y.html
      url = /^topics\/[^/]+\/$/.test(url) ? url + "index.html" : url.slice(0, -1) + ".html";
    }
    return w.siteRoot + url + hash;
  }

  // a page of this site, as the catalog names it ("scenarios/x/", "topics/y/#z"): nothing else becomes a link
  var SITE_PATH = /^[a-z0-9][a-z0-9-]*(\/[a-z0-9][a-z0-9-]*)*\/(#[A-Za-z0-9_-]+)?$/;

  /** A link to one of the site's own pages, or the text alone when ``url`` is not one. */
  function link(w, url, text) {
    if (typeof url !== "string" || !SITE_PATH.test(url)) return h("span", { text: text });
    var attrs = { href: siteHref(w, url), text: text };
    if (w.embed) { attrs.target = "_blank"; attrs.rel = "noopener"; }  // articles open on the site itself
    return h("a", attrs);
  }

  function category(key) {
    var c = CATEGORIES[key] || ["", key];
    return h("span", { class: "calc-category" }, [h("span", { "aria-hidden": "true", text: c[0] + " " }), c[1]]);
  }

  function ieneAnswer(w, r) {
    var out = [
      headline(w, r.grade_label),
      h("p", { class: "calc-answer__sub", text: r.ene_label }),
      h("p", { class: "calc-answer__note", text: "Graded with the " + r.criteria + "." }),
    ];
    if (r.deciding.length) {
      out.push(section("Deciding finding" + (r.deciding.length > 1 ? "s" : "")));
      out.push(list(r.deciding, function (d) { return d.label; }));
    }
    if (r.review.length) {
      out.push(section("For multidisciplinary review"));
      out.push(list(r.review, function (d) { return d.text; }));
      out.push(section("Pointers from the review"));
      out.push(list(r.pointers, function (text) { return text; }));
    }
    // a finding sent for review is said once, under review
    var reviewed = r.review.map(function (d) { return d.path; });
    var aside = r.set_aside.filter(function (d) { return reviewed.indexOf(d.path) === -1; });
    if (aside.length) {
      out.push(section("Not counted"));
      out.push(list(aside, function (d) { return d.label + " (" + d.certainty + "): " + d.reason + "."; }));
    }
    if (r.cautions.length || r.notes.length) {
      out.push(section("Notes and cautions"));
      out.push(list(r.notes.concat(r.cautions), function (text) { return text; }));
    }
    if (r.staging) {
      var s = r.staging;
      var cited = sourceText(w, s.sources);
      out.push(section("TNM 9th edition: " + s.subsite_label));
      out.push(h("p", { "data-testid": "calc-n-category" }, [
        h("strong", { text: s.summary.charAt(0).toUpperCase() + s.summary.slice(1) + ". " }), s.text]));
      out.push(h("p", { class: "calc-answer__note", text: "How sure: " + s.how_sure + (cited ? " Sources: " + cited + "." : "") }));
    }
    return out;
  }

  // spread "sd": a measured mean with its low and high one standard deviation either side, not a range
  function range(t, spread) {
    if (t.typical !== null && t.typical !== undefined) {
      // a total of means ± 1 SD is not a range: its ends are only added up (calculator/dose.py)
      var what = spread === "sd" ? " (mean ± 1 SD: " : spread === "sum" ? " (low and high ends added up: " : " (range ";
      return "about " + msv(t.typical) + " mSv" + (t.low !== t.high ? what + msv(t.low) + "–" + msv(t.high) + " mSv)" : "");
    }
    return t.low === t.high ? msv(t.low) + " mSv" : msv(t.low) + "–" + msv(t.high) + " mSv";
  }

  var COLUMNS = ["Study", "Times", "Per study", "Subtotal", "Basis and source"];

  function doseAnswer(w, r) {
    var total = r.total_msv;
    var band = r.band;
    var who = band.population === "pediatric" ? "pediatric" : "adult";
    // in words, never the symbols of a single examination: a total is set against the bands as a guide
    var bandText = "As a guide only, the " + band.basis + (band.above_top
      ? " is above the highest " + who + " band, " + band.words
      : " falls in the range of " + who + " " + band.words) + (band.note ? "; " + band.note : "") + ".";
    var bg = r.background;
    var bgText = bg.typical ? bg.typical.text
      : bg.low.text === bg.high.text ? bg.low.text : bg.low.text + " to " + bg.high.text;
    var labels = r.studies.map(function (s) { return s.label; });
    var notes = r.studies.filter(function (s, i) { return s.note && labels.indexOf(s.label) === i; });
    var rows = r.studies.map(function (s) {
      // each value names its column (data-label): on a phone the rows read as cards (widget.css)
      return h("tr", {}, [
        h("th", { scope: "row", text: s.label }),
        h("td", { "data-label": COLUMNS[1], text: String(s.count) }),
        h("td", { "data-label": COLUMNS[2], text: range(s.per_study_msv, s.spread) }),
        h("td", { "data-label": COLUMNS[3], class: "calc-answer__subtotal", text: range(s.subtotal_msv, s.spread) }),
        h("td", { "data-label": COLUMNS[4], text: [s.basis, sourceText(w, [s.source]), s.how_sure].filter(Boolean).join(" · ") }),
      ]);
    });
    var chart = window.CalcChart ? window.CalcChart.dose(r, w.result.clientWidth || w.section.clientWidth) : null;
    return [
      headline(w, "Total: " + range(total, r.studies.some(function (s) { return s.spread === "sd"; }) ? "sum" : "range")),
      // on paper the report repeats the band and the background years, word for word
      noprint(h("p", { class: "calc-answer__sub", "data-testid": "calc-band" }, [bandText + " ",
        h("span", { class: "calc-answer__note", text: "Relative Radiation Levels (RRL) describe the dose of one examination; the total is compared with them only to give a sense of scale." })])),
      noprint(h("p", { text: "Natural background radiation (about " + msv(bg.rate_msv_per_year) + " mSv a year) gives the same dose in " + bgText + "." })),
      chart,
      // on paper the report says the rest: the page keeps to one sheet (result, chart, report, date)
      noprint(section("Studies")),
      noprint(h("div", { class: "calc-answer__scroll calc-answer__scroll--cards", tabindex: "0", role: "region", "aria-label": "Studies" }, [h("table", { class: "calc-answer__table calc-answer__table--cards" }, [
        h("thead", {}, [h("tr", {}, COLUMNS.map(function (t) {
          return h("th", { scope: "col", text: t });
        }))]),
        h("tbody", {}, rows),
      ])])),
      // why a figure is uncertain, beside the table that uses it (a study entered twice is said once)
      notes.length ? noprint(list(notes, function (s) { return s.label + " — " + s.how_sure + ". " + s.note; })) : null,
      noprint(h("p", { class: "calc-answer__note", text: r.risk })),
      noprint(list(r.caveats, function (text) { return text; })),
    ];
  }

  // the matcher's answer registers itself from matcher.js (loaded after this file)
  var ANSWERS = { iene: ieneAnswer, dose: doseAnswer };

  /** For paper only (widget.css shows it in print): what was printed and when, and a blank area for
      the patient's label; the browser's clock gives the date, the calculator itself reads none. */
  function printHeader(w) {
    var when = new Date();
    var date = when.toLocaleDateString(undefined, { day: "numeric", month: "long", year: "numeric" }) +
      ", " + when.toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" });
    var title = w.section.getAttribute("aria-label") || "";
    return h("div", { class: "calc-print", "aria-hidden": "true" }, [
      h("p", { class: "calc-print__title", text: title + " — calculated " + date }),
      h("div", { class: "calc-print__label" }, [h("span", { text: "Patient label" })]),
    ]);
  }

  /** "Copy a link to this result": the inputs go into a link only when the reader asks, and the page
      says that the link holds them (calculating itself never touches the address). */
  function shareBlock(w, linkFor) {
    var id = w.section.id + "-share";
    var notice = h("span", { class: "calc-copied", role: "status", "data-testid": "calc-share-status" });
    var field = h("input", { type: "text", readonly: "", id: id + "-link", class: "calc-share__link",
      "data-testid": "calc-share-link", "aria-describedby": id + "-help" });
    var shown = h("p", { class: "calc-share__shown", hidden: "" }, [
      h("label", { for: id + "-link", text: "Link to this result: " }), field]);
    var button = h("button", { type: "button", class: "calc-button calc-button--quiet", "data-testid": "calc-share",
      "data-result-action": "", "aria-describedby": id + "-help", text: "Copy a link to this result" });
    button.addEventListener("click", function () {
      var url = linkFor();  // when pressed: the "also put this text in a copied link" box counts as it is then
      field.value = url;
      shown.hidden = false;
      copyWithNotice(url, notice).then(function () {
        if (notice.textContent === "Copied") notice.textContent = "Link copied: it contains the details entered above";
      });
    });
    return h("div", { class: "calc-share calc-noprint" }, [
      h("p", {}, [button, " ", notice]),
      h("p", { class: "calc-answer__note", id: id + "-help", text: "The link contains the details entered above. Share it only where patient details may go." }),
      shown,
    ]);
  }

  function renderResult(w, envelope, shareLink) {
    var answer = ANSWERS[w.name] ? ANSWERS[w.name](w, envelope.result) : [];
    // the steps, when there are any: an empty "How this result was reached" is not shown
    var trail = envelope.trail.length ? h("details", { class: "calc-trail" }, [
      h("summary", { text: "How this result was reached" }),
      h("ol", { class: "calc-answer__list" }, envelope.trail.map(function (t) {
        return h("li", {}, [
          h("span", { class: "calc-trail__effect", text: (EFFECTS[t.effect] || t.effect) + ": " }),
          t.text,
          t.sources.length ? h("span", { class: "calc-answer__note", text: " (" + sourceText(w, t.sources) + ")" }) : null,
        ]);
      })),
    ]) : null;
    var copied = h("span", { class: "calc-copied", role: "status", "data-testid": "calc-copy-status" });
    var report = h("pre", { class: "calc-report", "data-testid": "calc-report", text: envelope.report });
    var copy = h("button", { type: "button", class: "calc-button", "data-testid": "calc-copy", "data-result-action": "", text: "Copy report" });
    var print = h("button", { type: "button", class: "calc-button calc-button--quiet", "data-testid": "calc-print", "data-result-action": "", text: "Print" });
    copy.addEventListener("click", function () { copyWithNotice(envelope.report, copied); });
    print.addEventListener("click", function () { window.print(); });
    w.result.textContent = "";
    [printHeader(w), h("div", { class: "calc-answer", "data-testid": "calc-answer" }, answer), trail,
      section("Report, ready to paste"), report, h("p", { class: "calc__result-actions" }, [copy, " ", print, " ", copied]),
      shareLink ? shareBlock(w, shareLink) : null].forEach(function (el) {
      if (el) w.result.appendChild(el);
    });
    w.section.setAttribute("data-result", "shown");
    w.report = envelope.report;
    markStale(w, false);
    var head = w.result.querySelector("[data-testid=calc-headline]");
    return head ? head.textContent.trim().replace(/\s+/g, " ") : "";
  }

  /** Mark the result shown as out of date (the form changed since) or current again: a notice above it,
      and its copy and print buttons off while it is stale, so that no one pastes a report that no
      longer matches the form. */
  function markStale(w, stale) {
    var notice = w.result.querySelector(".calc-stale");
    if (stale && !notice) {
      notice = h("p", { class: "calc-stale", "data-testid": "calc-stale" }, [
        h("strong", { text: "Out of date: " }),
        "the entries above have changed since this result. Press “" + w.submitLabel + "” to recalculate.",
      ]);
      w.result.insertBefore(notice, w.result.firstChild);
    }
    if (!stale && notice) notice.remove();
    // a copied or selected stale report says that it is out of date
    var report = w.result.querySelector("[data-testid=calc-report]");
    if (report) report.textContent = (stale ? STALE_PREFIX : "") + w.report;
    w.result.setAttribute("data-stale", stale ? "true" : "false");
    all(w.result, "[data-result-action]").forEach(function (button) { button.disabled = stale; });
  }

  var STALE_PREFIX = "OUT OF DATE — ";

  function clear(w) {
    w.result.textContent = "";
    w.section.removeAttribute("data-result");
  }

  function say(w, text) {
    w.status.textContent = text;
  }

  // --- errors --------------------------------------------------------------------------------

  function parentPath(path) {
    return path.replace(/(\.[^.[\]]+|\[\d+\])$/, "");
  }

  /** The error slot for ``path``, or for the nearest enclosing field that has one. */
  function slotFor(w, path) {
    for (var p = path; p; p = parentPath(p) === p ? "" : parentPath(p)) {
      var slot = w.section.querySelector("[data-testid='calc-error-" + p.replace(/'/g, "\\'") + "']");
      if (slot) return { slot: slot, path: p };
    }
    return null;
  }

  function clearErrors(w) {
    all(w.section, ".calc-field__error").forEach(function (slot) { slot.textContent = ""; slot.hidden = true; });
    all(w.section, "[aria-invalid]").forEach(function (el) { el.removeAttribute("aria-invalid"); });
    w.summary.hidden = true;
    w.summary.querySelector("ul").textContent = "";
  }

  function showErrors(w, errors) {
    var items = w.summary.querySelector("ul");
    errors.forEach(function (err) {
      var found = slotFor(w, err.path || "");
      var target = null;
      if (found) {
        found.slot.appendChild(h("span", { class: "calc-field__message", text: err.plain || err.message }));
        found.slot.appendChild(document.createTextNode(" "));
        found.slot.hidden = false;
        var owner = w.section.querySelector("[data-path='" + found.path.replace(/'/g, "\\'") + "']");
        target = owner && (owner.matches(CONTROLS) ? owner : firstControl(owner));
        if (target && owner === target) target.setAttribute("aria-invalid", "true");
      }
      var link = h("a", { href: target ? "#" + target.id : "#" + w.section.id, text: err.plain || err.message });
      link.addEventListener("click", function (event) {
        event.preventDefault();  // the fragment holds the inputs: never replace it with an anchor
        (target || w.form).focus();
      });
      items.appendChild(h("li", {}, [link]));
    });
    w.summary.hidden = false;
    w.summary.focus();
  }
  /** On a narrow screen, or when it lies out of sight, bring the answer into view and focus it. */
  function reveal(w) {
    var target = w.result.querySelector("[data-testid=calc-headline]") || w.result;
    var box = w.result.getBoundingClientRect();
    var top = parseFloat(getComputedStyle(target).scrollMarginTop) || 0;  // under the sticky header
    var narrow = window.matchMedia && window.matchMedia("(max-width: 44.984375em)").matches;
    if (!narrow && box.top >= top && box.top < window.innerHeight - 40) return;
    if (!target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
    var still = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    target.scrollIntoView({ block: "start", behavior: still ? "auto" : "smooth" });
    target.focus({ preventScroll: true });
  }

  // --- copying: the site's own helper (site.js, on every page and embed page), which falls back to a
  // text selection where the Clipboard API is refused

  function copyWithNotice(text, notice) {
    if (window.SiteCopy) return window.SiteCopy(text, notice);
    notice.textContent = "Copying is not available here: select the text and copy it by hand";
    return Promise.resolve();
  }

  window.CalcAnswers = {
    h: h,
    all: all,
    isShown: isShown,
    firstControl: firstControl,
    render: renderResult,
    markStale: markStale,
    clear: clear,
    say: say,
    reveal: reveal,
    clearErrors: clearErrors,
    showErrors: showErrors,
    copy: copyWithNotice,
    // for the answers of other files (matcher.js)
    register: function (name, answer) { ANSWERS[name] = answer; },
    headline: headline,
    link: link,
    list: list,
    section: section,
    category: category,
    sourceText: sourceText,
  };
})();
