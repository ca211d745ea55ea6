"""The site as a reader meets it: a real browser, axe-core, keyboard, search."""
