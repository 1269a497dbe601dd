/* Calculator forms: reading a widget's form into its JSON input, filling it from one (a deep link, an
   article's starting input), the fields shown only for some choices, and the repeatable rows. A classic
   script loaded (deferred) after answers.js, whose DOM helpers it uses, and before widget.js, which
   calls window.CalcForm. */
(function () {
  "use strict";

  var answers = window.CalcAnswers;
  var h = answers.h;
  var all = answers.all;
  var isShown = answers.isShown;
  var firstControl = answers.firstControl;

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
    // only one of the list's own options: a link's value was checked against them (links.js), and
    // nothing from a link ever becomes a choice on the page
    var found = Array.prototype.some.call(el.options, function (o) { return o.value === value; });
    if (found) el.value = value;
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

  window.CalcForm = {
    collect: collect,
    fill: fill,
    updateConditions: updateConditions,
    rowsOf: rowsOf,
    addRow: addRow,
    removeRow: removeRow,
  };
})();
