// Search result summaries from an essay's own words. Sphinx's searchtools.js
// summarises a result with the text of the page's [role="main"], which begins
// with the post's furniture (kicker, byline, tags). That furniture carries the
// class "no-search" (essayist.config.NO_SEARCH), which Sphinx's indexer already
// skips: leave it out of the summaries too. Loaded on the search page only,
// after searchtools.js; a file, not inline, for the pages' script-src 'self'.
(function () {
  "use strict";

  if (typeof Search === "undefined" || typeof Search.htmlToText !== "function") return;
  var htmlToText = Search.htmlToText;

  Search.htmlToText = function (htmlString, anchor) {
    var doc = new DOMParser().parseFromString(htmlString, "text/html");
    var furniture = doc.querySelectorAll(".no-search");
    if (furniture.length === 0) return htmlToText.call(this, htmlString, anchor);
    furniture.forEach(function (el) { el.remove(); });
    return htmlToText.call(this, "<!DOCTYPE html>" + doc.documentElement.outerHTML, anchor);
  };
})();
