// Furo's colour scheme, set before the page is drawn. Furo inlines this line in
// every page; it is a file here so that pages can forbid inline scripts
// (Content-Security-Policy: script-src 'self').
document.body.dataset.theme = localStorage.getItem("theme") || "auto";

// Furo's drawers ("On this page", and the site's navigation on a phone) open
// from a checkbox over a dimmed page, and the focus stayed behind them: the
// next Tab went to the page underneath, and Escape did nothing. Opened, a
// drawer takes the focus; Escape closes it and gives the focus back to its
// toggle; so does the focus leaving it.
(() => {
  const DRAWERS = { __toc: ".toc-drawer", __navigation: ".sidebar-drawer" };
  const FOCUSABLE = 'a[href], input:not([type="hidden"]), button, [tabindex="0"]';
  const opened = () =>
    Object.keys(DRAWERS)
      .map((id) => document.getElementById(id))
      .find((toggle) => toggle && toggle.checked);
  const close = (toggle, focus) => {
    toggle.checked = false;
    if (focus) toggle.focus();
  };
  const stops = (drawer) =>
    [...drawer.querySelectorAll(FOCUSABLE)].filter((el) => el.getClientRects().length > 0);
  document.addEventListener("change", (event) => {
    const selector = DRAWERS[event.target.id];
    if (!selector || !event.target.checked) return;
    const drawer = document.querySelector(selector);
    const first = drawer && stops(drawer)[0];
    if (first) first.focus();
  });
  document.addEventListener("keydown", (event) => {
    const toggle = opened();
    if (!toggle) return;
    if (event.key === "Escape") close(toggle, true);
    if (event.key !== "Tab") return;
    // Tab past the drawer's last stop (or back past its first): it closes.
    const all = stops(document.querySelector(DRAWERS[toggle.id]));
    const edge = event.shiftKey ? all[0] : all[all.length - 1];
    if (document.activeElement === edge) close(toggle, false);
  });
  document.addEventListener("focusout", (event) => {
    const toggle = opened();
    if (!toggle || !event.relatedTarget) return;
    const drawer = document.querySelector(DRAWERS[toggle.id]);
    const inside = (el) => drawer.contains(el) || el === toggle;
    if (inside(event.target) && !inside(event.relatedTarget)) close(toggle, false);
  });
})();
