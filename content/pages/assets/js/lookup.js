/* Progressive enhancement of the lookup table: filter box, sortable columns, live row count.
   Without JavaScript the full table stays readable; nothing here fetches anything. */
(function () {
  "use strict";

  function cellKey(cell) {
    // data-sort holds a numeric key (rating rank, RRL level, dose); otherwise sort by text
    var raw = cell.getAttribute("data-sort");
    if (raw !== null && raw !== "" && !isNaN(Number(raw))) return Number(raw);
    return cell.textContent.trim().toLowerCase();
  }

  function compare(a, b) {
    if (typeof a === "number" && typeof b === "number") return a - b;
    return String(a).localeCompare(String(b));
  }

  function enhance(root) {
    var table = root.querySelector("table");
    var body = table && table.tBodies[0];
    if (!body) return;
    var rows = Array.prototype.slice.call(body.rows);
    var texts = rows.map(function (row) { return row.textContent.toLowerCase(); });
    var total = rows.length;
    var status = root.querySelector("[data-sg-status]");
    var input = root.querySelector("[data-sg-filter]");
    var controls = input && input.closest("[hidden]");
    if (controls) controls.hidden = false;

    function announce(shown) {
      if (status) status.textContent = shown === total ? total + " rows" : shown + " of " + total + " rows shown";
    }

    function filter() {
      var words = (input.value || "").toLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0;
      for (var i = 0; i < rows.length; i++) {
        var ok = words.every(function (w) { return texts[i].indexOf(w) !== -1; });
        rows[i].hidden = !ok;
        if (ok) shown++;
      }
      announce(shown);
    }

    if (input) {
      var timer = null;
      input.addEventListener("input", function () {
        clearTimeout(timer);
        timer = setTimeout(filter, 120);  // debounce: thousands of rows
      });
      if (input.value) filter();
    }

    var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
    headers.forEach(function (th, column) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sg-sort";
      button.textContent = th.textContent;
      th.textContent = "";
      th.appendChild(button);
      th.setAttribute("aria-sort", "none");
      button.addEventListener("click", function () {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        headers.forEach(function (other) { other.setAttribute("aria-sort", "none"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var order = rows.map(function (row, i) { return [cellKey(row.cells[column]), i]; });
        order.sort(function (x, y) { return (ascending ? 1 : -1) * compare(x[0], y[0]) || x[1] - y[1]; });
        var fragment = document.createDocumentFragment();
        order.forEach(function (pair) { fragment.appendChild(rows[pair[1]]); });
        body.appendChild(fragment);
        rows = order.map(function (pair) { return rows[pair[1]]; });
        texts = order.map(function (pair) { return texts[pair[1]]; });
      });
    });
    root.setAttribute("data-sg-ready", "true");  // readiness flag for end-to-end tests
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-sg-table]"), enhance);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
