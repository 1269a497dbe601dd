/* The scenario matcher's answer: the best fit or why none, with its safety notes (urgent warnings
   first, cautions beside the answer, the red flags a scenario presumes absent, ticked facts the text
   denies). A classic script loaded (deferred) after answers.js, whose helpers it uses and to which it
   registers; everything from data goes in through textContent, links only to the site's own pages. */
(function () {
  "use strict";

  var a = window.CalcAnswers;
  var h = a.h;
  var link = a.link;
  var list = a.list;
  var section = a.section;

  // How a modifier found on a word reads (calculator/_explain.py MODIFIER_WORDS says the same).
  var MODIFIERS = {
    negated: "negated",
    historical: "in the history",
    hypothetical: "hypothetical",
    suspected: "suspected",
    family: "about a relative",
    other: "about another person",
  };

  function quoted(text) {
    return "“" + text + "”";
  }

  /** "Known cancer (“hx breast ca”, in the history)": a fact with the words typed for it. */
  function factRead(f) {
    var notes = [];
    (f.quotes || []).forEach(function (q) {
      if (q.read_as) notes.push(quoted(q.text) + " read as " + quoted(q.read_as));
      q.modifiers.forEach(function (m) {
        var note = (MODIFIERS[m.kind] || m.kind) + ": " + quoted(m.text);
        if (notes.indexOf(note) === -1) notes.push(note);
      });
    });
    return f.label + " (" + [quoted(f.phrase)].concat(notes).join("; ") + ")";
  }

  function matchItem(w, m, child) {
    var parts = [link(w, m.url, m.title), " — " + m.topic_title + ". "];
    if (m.top) {
      parts.push("Top-rated study: " + m.top.procedure_name + " ", a.category(m.top.category), ". ");
      // how sure that rating is, in the words the pages use (the report says it too)
      if (m.top.confidence_words) parts.push(h("span", { "data-testid": "calc-top-how-sure", text: "How sure: " + m.top.confidence_words + ". " }));
    } else parts.push("No top-rated study recorded on this site yet: see the ACR table for it. ");
    var met = m.criteria_met.map(function (c) { return c.label + (c.via === "text" ? " (from your text)" : ""); });
    if (met.length) parts.push("Fits: " + met.join("; ") + ". ");
    var missing = m.criteria_missing.map(function (c) { return c.label; });
    if (missing.length) parts.push("Missing: " + missing.join("; ") + ". ");
    if (child && m.adults_only) parts.push(h("strong", { text: "Written for adults." }));
    return parts;
  }

  /** " Article on this site: <link>." when the item names one of the site's pages. */
  function see(w, item, words) {
    var to = item.see;
    if (!to || !to.url) return [];
    var title = to.title.replace(/\.$/, "");
    return [" " + words + ": ", link(w, to.url, title), /[?!]$/.test(title) ? "" : "."];
  }

  /** A caution: its label, its text, the source it rests on and the article it points to. */
  function caution(w, c, head) {
    var cited = a.sourceText(w, [c.source]);
    return [h("strong", { text: head + c.label + ". " }), c.text,
      cited ? h("span", { class: "calc-answer__note", text: " (Source: " + cited + ".)" }) : null]
      .concat(see(w, c, "Article on this site"));
  }

  /** Urgent warnings, before anything else the answer says: in words, not only in colour. */
  function urgentBox(w, cautions) {
    return h("div", { class: "calc-answer__urgent", "data-testid": "calc-urgent" },
      cautions.map(function (c) { return h("p", {}, caution(w, c, "Urgent: ")); }));
  }

  /** The other cautions, the ticked facts the text denies and the red flags to check: after the answer. */
  function notes(w, r, later) {
    var out = [];
    if (later.length) {
      out.push(section("Cautions"));
      out.push(h("ul", { class: "calc-answer__list", "data-testid": "calc-cautions" }, later.map(function (c) {
        return h("li", {}, caution(w, c, ""));
      })));
    }
    (r.conflicts || []).forEach(function (c) {
      out.push(h("p", { class: "calc-answer__check", "data-testid": "calc-conflict" }, [h("strong", { text: "Check: " }), c.text]));
    });
    var checks = r.checks;
    if (checks && (checks.ruled_out.length || checks.not_mentioned.length)) {
      var lines = [];
      if (checks.ruled_out.length) {
        lines.push("Ruled out in your question: " + checks.ruled_out.map(function (c) {
          return c.label + (c.phrase ? " (" + quoted(c.phrase) + ")" : "");
        }).join("; ") + ".");
      }
      if (checks.not_mentioned.length) {
        lines.push("Not mentioned, so check them: " + checks.not_mentioned.map(function (c) { return c.label; }).join("; ") + ".");
      }
      out.push(h("p", { class: "calc-answer__check", "data-testid": "calc-checks" },
        ["This scenario presumes none of these red flags. " + lines.join(" ")]));
    }
    return out;
  }

  function notCovered(w, r) {
    return list(r.not_covered, function (n) {
      var parts = [h("strong", { text: n.label + ". " }), n.text + " "];
      if (n.acr_topic) parts.push("ACR Appropriateness Criteria topic to consult: " + n.acr_topic + ". ");
      if (n.phrase) parts.push("From your words: " + quoted(n.phrase) + ".");
      return parts.concat(see(w, n, "Closest article on this site"));
    });
  }

  /** The headline: "Urgent: …" when a caution is urgent (the one line the status announces). */
  function head(w, r, urgent) {
    var el;
    if (urgent.length) {
      el = a.headline(w, "Urgent: " + urgent.map(function (c) { return c.label; }).join("; "));
    } else if (r.not_covered && r.not_covered.length) {
      el = a.headline(w, r.message);
    } else if (r.fits) {
      return a.headline(w, ["Best fit: ", link(w, r.matches[0].url, r.matches[0].title)]);
    } else {
      return a.headline(w, r.message);
    }
    el.classList.add("calc-answer__warning");
    return el;
  }

  function matchAnswer(w, r) {
    var cautions = r.cautions || [];
    var urgent = cautions.filter(function (c) { return c.urgent; });
    var out = [head(w, r, urgent)];
    if (urgent.length) out.push(urgentBox(w, urgent));
    if (r.not_covered && r.not_covered.length) {
      if (urgent.length) out.push(h("p", { class: "calc-answer__sub", text: r.message }));
      out.push(notCovered(w, r));
    } else if (r.fits) {
      if (urgent.length) out.push(h("p", { class: "calc-answer__sub" }, ["Best fit: ", link(w, r.matches[0].url, r.matches[0].title)]));
      out.push(h("ol", { class: "calc-answer__list" }, r.matches.map(function (m) {
        return h("li", {}, matchItem(w, m, r.child));
      })));
    } else {
      if (urgent.length) out.push(h("p", { class: "calc-answer__sub", text: r.message }));
      if (r.closest.length) {
        out.push(section("Closest scenarios"));
        out.push(list(r.closest, function (m) { return matchItem(w, m, r.child); }));
      }
    }
    out = out.concat(notes(w, r, cautions.filter(function (c) { return !c.urgent; })));
    if (r.child) out.push(h("p", { class: "calc-answer__note", "data-testid": "calc-child", text: r.child.text }));
    if (r.redirects.length) {
      out.push(section("Excluded, and why"));
      out.push(list(r.redirects, function (d) {
        var to = d.to.url ? link(w, d.to.url, d.to.title) : d.to.title;
        var because = (d.because || []).map(function (b) { return b.label + (b.phrase ? " (" + quoted(b.phrase) + ")" : ""); });
        return ["Not “" + d.from_title + "”: " + d.text + (because.length ? " You gave: " + because.join("; ") + "." : "") + " See ", to,
          /\.$/.test(d.to.title) ? "" : "."];
      }));
    }
    var q = r.query;
    if (q.facts_from_text.length) {
      out.push(section("Read from your text"));
      out.push(list(q.facts_from_text, factRead));
    }
    if (q.set_aside && q.set_aside.length) {
      out.push(h("p", { text: "Not counted: " + q.set_aside.map(function (s) {
        return quoted(s.text) + " (" + (MODIFIERS[s.modifier] || s.modifier) + ": " + quoted(s.trigger) + ")";
      }).join("; ") + "." }));
    }
    return out;
  }

  a.register("scenario-match", matchAnswer);
})();
