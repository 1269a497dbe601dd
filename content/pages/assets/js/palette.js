/* The colour scheme, applied before the page is painted: the reader's saved choice (Material's own
   record, __md_get("__palette")) or, with none saved or with "automatic" chosen, the palette whose media
   query matches the system setting. The logic of Material's inline palette script (mkdocs-material
   9.8, partials/javascripts/palette.html), in a file so that it runs under the Content-Security-Policy;
   Material's bundle keeps the toggle working after it. Loaded from the header, after the palette form. */
(function () {
  "use strict";
  var saved = typeof __md_get === "function" ? __md_get("__palette") : null;
  var color = saved && saved.color ? saved.color : null;
  if (!color || color.media === "(prefers-color-scheme)") {
    var dark = window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches;
    var media = dark ? "(prefers-color-scheme: dark)" : "(prefers-color-scheme: light)";
    var input = document.querySelector("[data-md-color-media='" + media + "']");
    if (!input) return;
    color = {
      media: media,
      scheme: input.getAttribute("data-md-color-scheme"),
      primary: input.getAttribute("data-md-color-primary"),
      accent: input.getAttribute("data-md-color-accent"),
    };
  }
  Object.keys(color).forEach(function (key) {
    document.body.setAttribute("data-md-color-" + key, color[key]);
  });
})();
