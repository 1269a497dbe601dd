/* The dose chart: each study's share of the cumulative total as one stacked bar, the range of the total
   beneath it, and a scale in years of natural background radiation, drawn as inline SVG from the dose
   calculator's result. A classic script loaded (deferred) before answers.js, which calls
   window.CalcChart.dose(result). Built with DOM calls and classes only (no style attributes, no
   markup from strings), so it runs under the pages' Content-Security-Policy; colours are the style
   sheet's, and every segment is numbered so that colour is never the only cue. */
(function () {
  "use strict";

  var SVG = "http://www.w3.org/2000/svg";
  //: segment colours come from widget.css (.calc-chart__seg--0 … --5), cycled
  var SWATCHES = 6;

  function el(tag, attrs, text) {
    var node = document.createElementNS(SVG, tag);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, String(attrs[key])); });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  /** HTML elements through answers.js's helper (loaded after this file, there by the time a chart is drawn). */
  function html(tag, attrs, children) {
    return window.CalcAnswers.h(tag, attrs, children);
  }

  function msv(value) {
    return String(Number(Number(value).toFixed(3)));
  }

  //: width of a tick label's character in the drawing's units (12 px text), and the least gap between labels
  var CHAR = 7.2, GAP = 8;

  /** Label the ticks of one axis: the last one carries the unit and is always shown, inside the chart; a
      label that would touch its right-hand neighbour is left out, so "20" and "25 years" never read as
      "2025 years" on a narrow screen. */
  function labels(svg, ticks, y, unit) {
    var leftEdge = Infinity;
    for (var i = ticks.length - 1; i >= 0; i--) {
      var last = i === ticks.length - 1;
      var text = ticks[i].text + (last ? unit : "");
      var width = text.length * CHAR;
      var anchor = last ? "end" : i ? "middle" : "start";
      var from = anchor === "end" ? ticks[i].x - width : anchor === "middle" ? ticks[i].x - width / 2 : ticks[i].x;
      if (!last && from + width + GAP > leftEdge) continue;
      svg.appendChild(el("text", { class: "calc-chart__tick", x: ticks[i].x, y: y, "text-anchor": anchor }, text));
      leftEdge = from;
    }
  }

  /** A round step for the mSv axis: about five ticks across ``top``. */
  function step(top) {
    var raw = top / 5;
    var power = Math.pow(10, Math.floor(Math.log10(raw)));
    var unit = [1, 2, 2.5, 5, 10].map(function (m) { return m * power; }).filter(function (s) { return s >= raw; })[0];
    return unit || power * 10;
  }

  /** Which figure the chart draws for one study and for the total: the typical one, or (for a child,
      where catalog studies have no typical value) the top of the range, as the calculator's band does. */
  function basis(r) {
    return r.total_msv.typical === null || r.total_msv.typical === undefined ? "high" : "typical";
  }

  /** The chart of a dose result: {figure (an HTML figure holding the SVG and its legend)} or null when
      nothing uses ionising radiation. */
  function dose(r, width) {
    var key = basis(r);
    var total = r.total_msv[key];
    if (!(total > 0)) return null;
    var rate = r.background.rate_msv_per_year;
    var years = r.total_msv.high / rate;
    // the scale ends at a whole number of background years past the top of the range
    var yearStep = years <= 6 ? 1 : years <= 15 ? 2 : years <= 40 ? 5 : 10;
    var top = Math.max(r.total_msv.high, Math.ceil(years / yearStep) * yearStep * rate);
    // at most 640 units wide, so that a printed A4 page does not shrink its 12 px labels much
    var w = Math.max(280, Math.min(640, Math.round(width || 600)));
    var left = 8, right = 16;
    var scale = function (value) { return left + (w - left - right) * value / top; };
    var svg = el("svg", {
      class: "calc-chart__svg",
      viewBox: "0 0 " + w + " 118",
      width: "100%",
      role: "img",
      focusable: "false",
    });
    var summary = "Bar chart of the total, " + (key === "typical" ? "about " : "up to ") + msv(total) +
      " mSv, split by study, against years of natural background radiation.";
    svg.appendChild(el("title", {}, summary));
    // the mSv axis above the bar
    var mStep = step(top);
    var ticks = [];
    for (var m = 0; m <= top + 1e-9; m += mStep) ticks.push(m);
    ticks.forEach(function (value) {
      svg.appendChild(el("line", { class: "calc-chart__grid", x1: scale(value), x2: scale(value), y1: 18, y2: 66 }));
    });
    labels(svg, ticks.map(function (value) { return { x: scale(value), text: msv(value) }; }), 13, " mSv");
    // one segment per study that adds to the total, numbered as in the legend
    var x = scale(0);
    var rows = r.studies.map(function (s, i) {
      var value = s.subtotal_msv[key] || 0;
      return { study: s, number: i + 1, value: value, share: value / total };
    });
    rows.forEach(function (row) {
      if (!(row.value > 0)) return;
      var span = scale(row.value) - scale(0);
      var cls = "calc-chart__seg calc-chart__seg--" + ((row.number - 1) % SWATCHES);
      svg.appendChild(el("rect", { class: cls, x: x, y: 22, width: Math.max(span, 1), height: 28 }));
      if (span >= 16) {
        svg.appendChild(el("text", { class: "calc-chart__num", x: x + span / 2, y: 41, "text-anchor": "middle" }, String(row.number)));
      }
      x += span;
    });
    // the range of the total, when it is one
    if (r.total_msv.low !== r.total_msv.high) {
      var lo = scale(r.total_msv.low), hi = scale(r.total_msv.high);
      svg.appendChild(el("line", { class: "calc-chart__range", x1: lo, x2: hi, y1: 58, y2: 58 }));
      svg.appendChild(el("line", { class: "calc-chart__range", x1: lo, x2: lo, y1: 54, y2: 62 }));
      svg.appendChild(el("line", { class: "calc-chart__range", x1: hi, x2: hi, y1: 54, y2: 62 }));
    }
    // background years below
    svg.appendChild(el("line", { class: "calc-chart__baseline", x1: scale(0), x2: scale(top), y1: 74, y2: 74 }));
    var yearTicks = [];
    for (var y = 0; y * rate <= top + 1e-9; y += yearStep) yearTicks.push(y);
    yearTicks.forEach(function (value) {
      var at = scale(value * rate);
      svg.appendChild(el("line", { class: "calc-chart__baseline", x1: at, x2: at, y1: 70, y2: 78 }));
    });
    labels(svg, yearTicks.map(function (value) { return { x: scale(value * rate), text: String(value) }; }), 92, " years");
    svg.appendChild(el("text", { class: "calc-chart__axis", x: scale(0), y: 110 },
      "natural background, about " + msv(rate) + " mSv a year"));
    var legend = html("ol", { class: "calc-chart__legend" }, rows.map(function (row) {
      var swatch = html("span", { class: "calc-chart__swatch calc-chart__swatch--" + ((row.number - 1) % SWATCHES), "aria-hidden": "true", text: String(row.number) });
      var words = row.study.label + (row.study.count > 1 ? " ×" + row.study.count : "") + ": " +
        (key === "high" ? "up to " : "") + msv(row.value) + " mSv" +
        (row.value > 0 ? " (" + Math.round(row.share * 100) + " %)" : ", no ionising radiation");
      return html("li", {}, [swatch, " " + words]);
    }));
    var summed = r.studies.some(function (s) { return s.spread === "sd"; });
    var span = summed ? "the low and high ends added up" : "the range of the total";
    var note = html("p", { class: "calc-chart__note", text: "Bar: " + (key === "typical" ? "typical figures" : "top of each range") +
      ". mSv scale above" + (r.total_msv.low !== r.total_msv.high ? "; the line under the bar spans " + span + ", " + msv(r.total_msv.low) + "–" + msv(r.total_msv.high) + " mSv" : "") + "." });
    return html("figure", { class: "calc-chart", "data-testid": "calc-chart" }, [svg, legend, note]);
  }

  window.CalcChart = { dose: dose };
})();
