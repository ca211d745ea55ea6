// Furo's colour scheme, set before the page is drawn. Furo inlines this line in
// every page; it is a file here so that pages can forbid inline scripts
// (Content-Security-Policy: script-src 'self').
document.body.dataset.theme = localStorage.getItem("theme") || "auto";

// Drawers opened from the keyboard take the focus; Escape, or Tab past their
// last link, closes them (essayist.theme.a11y).
(() => {
  const D = { __toc: ".toc-drawer", __navigation: ".sidebar-drawer" };
  const stops = (d) => [...d.querySelectorAll('a[href],input:not([type="hidden"]),button,[tabindex="0"]')]
    .filter((e) => e.getClientRects().length);
  const open = () => Object.keys(D).map((i) => document.getElementById(i)).find((t) => t && t.checked);
  document.addEventListener("change", (e) => {
    const d = D[e.target.id] && e.target.checked && document.querySelector(D[e.target.id]);
    const first = d && stops(d)[0];
    if (first) first.focus();
  });
  document.addEventListener("keydown", (e) => {
    const t = open();
    if (!t) return;
    if (e.key === "Escape") { t.checked = false; t.focus(); }
    if (e.key !== "Tab") return;
    const all = stops(document.querySelector(D[t.id]));
    if (document.activeElement === (e.shiftKey ? all[0] : all[all.length - 1])) t.checked = false;
  });
  document.addEventListener("focusout", (e) => {
    const t = open();
    const d = t && e.relatedTarget && document.querySelector(D[t.id]);
    const inside = (el) => d.contains(el) || el === t;
    if (d && inside(e.target) && !inside(e.relatedTarget)) t.checked = false;
  });
})();
