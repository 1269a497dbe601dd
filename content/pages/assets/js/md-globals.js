// Material's page globals, as its partials/javascripts/base.html defines them inline (mkdocs-material
// 9.8), in a file of ours so that pages run no inline script (content/overrides/partials/csp.html).
// The scope is the site root: two levels above this file (assets/js/), which is what the theme's
// base_url points to from every page.
/* eslint-disable no-global-assign */
__md_scope = new URL("../../", document.currentScript.src);
__md_hash = (e) => [...e].reduce((e, _) => (e << 5) - e + _.charCodeAt(0), 0);
__md_get = (e, _ = localStorage, t = __md_scope) => JSON.parse(_.getItem(t.pathname + "." + e));
__md_set = (e, _, t = localStorage, a = __md_scope) => {
  try {
    t.setItem(a.pathname + "." + e, JSON.stringify(_));
  } catch (e) {}
};
