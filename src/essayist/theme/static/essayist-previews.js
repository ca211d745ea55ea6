/*
 * essayist previews: hovering (with a mouse) or keyboard-focusing a concept
 * reference shows the concept's definition; an essay link shows its title,
 * date and excerpt; a citation (essayist.scholarship) shows the work it cites.
 *
 * The data is one small JSON file per page, written at build time next to the
 * site (_previews/<page>.json) and fetched from the site itself. No inline
 * script, no other origin. On touch screens nothing happens: a tap follows the
 * link as usual. Escape closes the preview.
 */
(function () {
  "use strict";

  // Citations: see "Citations" below.
  var REFERENCE_SELECTOR = "a.cite-ref";
  var SELECTOR = "a.concept-ref, a.essay-ref, " + REFERENCE_SELECTOR;
  var SHOW_DELAY = 250;
  var HIDE_DELAY = 200;
  var root = new URL(document.documentElement.dataset.content_root || "./", document.baseURI);
  var cache = new Map();
  var tip = null;
  var region = null;
  var current = null;
  var showTimer = 0;
  var hideTimer = 0;

  function previewUrl(link) {
    if (link.matches(REFERENCE_SELECTOR)) return referencePreviewUrl(link);
    var url;
    try {
      url = new URL(link.getAttribute("href") || "", document.baseURI);
    } catch (e) {
      return null;
    }
    if (url.origin !== root.origin || url.pathname.indexOf(root.pathname) !== 0) {
      return null;
    }
    var rel = url.pathname.slice(root.pathname.length);
    if (rel === "" || rel.slice(-1) === "/") {
      rel += "index";
    } else if (rel.slice(-5) === ".html") {
      rel = rel.slice(0, -5);
    }
    return new URL("_previews/" + rel + ".json", root).href;
  }

  function load(href) {
    if (!cache.has(href)) {
      cache.set(
        href,
        fetch(href, { credentials: "same-origin" })
          .then(function (r) { return r.ok ? r.json() : null; })
          .catch(function () { return null; })
      );
    }
    return cache.get(href);
  }

  function ensureTip() {
    if (!tip) {
      tip = document.createElement("div");
      tip.id = "essayist-preview";
      tip.className = "essayist-preview";
      tip.setAttribute("role", "tooltip");
      // The preview stays while the pointer is over it (WCAG 1.4.13).
      tip.addEventListener("pointerenter", function () { clearTimeout(hideTimer); });
      tip.addEventListener("pointerleave", scheduleHide);
      // In a landmark of its own, there only while shown (axe: region).
      region = document.createElement("aside");
      region.className = "essayist-preview-region";
      region.setAttribute("aria-label", "Link preview");
      region.hidden = true;
      region.appendChild(tip);
      document.body.appendChild(region);
    }
    return tip;
  }

  function para(cls, text) {
    var p = document.createElement("p");
    p.className = cls;
    p.textContent = text;
    return p;
  }

  function render(data) {
    var t = ensureTip();
    t.replaceChildren();
    t.dataset.kind = data.kind || "";
    if (data.kind === "reference") return renderReference(t, data);
    t.appendChild(para("essayist-preview-title", data.title || ""));
    if (data.date) t.appendChild(para("essayist-preview-date", data.date));
    if (data.text) t.appendChild(para("essayist-preview-text", data.text));
  }

  // -- Citations and "Cite this essay" (essayist.scholarship) -----------
  // A citation links to the work's entry in the essay's references,
  // "#ref-<slug>", or "#ref-<slug>--2" when the page had that id already (a
  // slug never holds "--"); the preview is _previews/references/<slug>.json.
  // The BibTeX under "Cite this essay" gets a button that copies it.

  function referencePreviewUrl(link) {
    var m = /#ref-([a-z0-9-]+?)(?:--[0-9]+)?$/.exec(link.getAttribute("href") || "");
    return m ? new URL("_previews/references/" + m[1] + ".json", root).href : null;
  }

  function renderReference(t, data) {
    t.appendChild(para("essayist-preview-title", data.title || ""));
    var by = [data.authors, data.date].filter(Boolean).join(" · ");
    if (by) t.appendChild(para("essayist-preview-date", by));
    if (data.text) t.appendChild(para("essayist-preview-text", data.text));
  }

  function selectText(el) {
    var range = document.createRange();
    range.selectNodeContents(el);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  function copyButton(box) {
    var code = box.querySelector(".cite-bibtex-code code");
    if (!code) return;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "cite-copy";
    button.textContent = "Copy BibTeX";
    var status = document.createElement("span");
    status.className = "cite-copy-status";
    status.setAttribute("role", "status");
    button.addEventListener("click", function () {
      var done = function (text) { status.textContent = text; };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(code.textContent).then(
          function () { done("Copied."); },
          function () { selectText(code); done("Selected: press Ctrl+C or \u2318C to copy."); }
        );
      } else {
        selectText(code);
        done("Selected: press Ctrl+C or \u2318C to copy.");
      }
    });
    box.appendChild(button);
    box.appendChild(status);
  }

  document.querySelectorAll("details.cite-bibtex").forEach(copyButton);

  // ---------------------------------------------------------------------

  function position(link) {
    var r = link.getBoundingClientRect();
    var doc = document.documentElement;
    tip.style.left = "0px";
    tip.style.top = "0px";
    var w = tip.offsetWidth;
    var h = tip.offsetHeight;
    var left = Math.max(8, Math.min(r.left, doc.clientWidth - w - 8));
    var top = r.bottom + 6;
    if (top + h > doc.clientHeight - 8 && r.top - h - 6 > 8) top = r.top - h - 6;
    tip.style.left = left + window.scrollX + "px";
    tip.style.top = top + window.scrollY + "px";
  }

  function show(link) {
    var href = previewUrl(link);
    if (!href) return;
    current = link;
    load(href).then(function (data) {
      if (current !== link || !data) return;
      render(data);
      region.hidden = false;
      position(link);
      link.setAttribute("aria-describedby", tip.id);
    });
  }

  function hide() {
    clearTimeout(showTimer);
    clearTimeout(hideTimer);
    if (current) current.removeAttribute("aria-describedby");
    current = null;
    if (region) region.hidden = true;
  }

  function scheduleHide() {
    clearTimeout(hideTimer);
    hideTimer = setTimeout(hide, HIDE_DELAY);
  }

  function linkOf(event) {
    var el = event.target;
    return el && el.closest ? el.closest(SELECTOR) : null;
  }

  function keyboardFocused(link) {
    try {
      return link.matches(":focus-visible");
    } catch (e) {
      return true;
    }
  }

  document.addEventListener("pointerover", function (event) {
    if (event.pointerType !== "mouse") return;
    var link = linkOf(event);
    if (!link) return;
    clearTimeout(hideTimer);
    if (link === current) return;
    clearTimeout(showTimer);
    showTimer = setTimeout(function () { show(link); }, SHOW_DELAY);
  });

  document.addEventListener("pointerout", function (event) {
    if (event.pointerType !== "mouse") return;
    var link = linkOf(event);
    if (!link || (event.relatedTarget && link.contains(event.relatedTarget))) return;
    clearTimeout(showTimer);
    scheduleHide();
  });

  document.addEventListener("focusin", function (event) {
    var link = linkOf(event);
    if (!link || !keyboardFocused(link)) return;
    clearTimeout(showTimer);
    clearTimeout(hideTimer);
    show(link);
  });

  document.addEventListener("focusout", function (event) {
    var link = linkOf(event);
    if (link && link === current) hide();
  });

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && current) hide();
  });
})();
