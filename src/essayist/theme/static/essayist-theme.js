// Furo's colour scheme, set before the page is drawn. Furo inlines this line in
// every page; it is a file here so that pages can forbid inline scripts
// (Content-Security-Policy: script-src 'self').
document.body.dataset.theme = localStorage.getItem("theme") || "auto";
