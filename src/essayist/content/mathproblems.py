"""What a formula cannot show, found in latex2mathml's tree before it is
mended: commands it does not know, links, styles and scripts a formula may not
carry, line breaks and ampersands with no place, and what its errors mean."""

from __future__ import annotations

import functools
import re
from xml.etree.ElementTree import Element

TOKENS = {"mi", "mn", "mo", "mtext", "ms"}
_UNKNOWN_COMMAND = re.compile(r"\\[A-Za-z]+")
# What a formula may not carry into the page (latex2mathml's \href, \style,
# \class): a link, a style or a class of the site's, by the command that made it.
_FOREIGN_ATTRIBUTES = {"href": "\\href", "style": "\\style", "class": "\\class", "id": "\\cssId"}
_HINTS = {
    "\\label": "label a displayed formula with the math directive's :label: option",
    "\\eqref": "refer to a labelled formula with the {eq} role",
    "\\ref": "refer to a labelled formula with the {eq} role",
}


@functools.cache
def error_messages() -> dict[type, str]:
    """What latex2mathml's errors mean, by type (imported with the converter,
    by the first formula that fails)."""
    from latex2mathml import exceptions

    return {
        exceptions.NoAvailableTokensError: "it is empty",
        exceptions.MissingEndError: "a \\begin{…} has no matching \\end{…}",
        exceptions.ExtraLeftOrMissingRightError: "a \\left has no matching \\right",
        exceptions.MissingSuperScriptOrSubscriptError: "a ^ or _ has nothing after it",
        exceptions.DoubleSubscriptsError: "a double subscript (write x_{a b})",
        exceptions.DoubleSuperscriptsError: "a double superscript (write x^{a b})",
        exceptions.NumeratorNotFoundError: "a \\frac has no numerator",
        exceptions.DenominatorNotFoundError: "a \\frac has no denominator",
    }


# A backslash and a symbol shown as typed (``\\{`` after a command that took
# the next character raw).
_LEAKED = re.compile(r"\\[^A-Za-z\s]")


def problems(root: Element, latex: str) -> list[str]:
    """Why latex2mathml's tree of ``latex`` cannot be shown, each once."""
    found = []
    ampersands = 0
    for element in root.iter():
        for name in element.attrib:
            if name in _FOREIGN_ATTRIBUTES or name.lower().startswith("on"):
                command = _FOREIGN_ATTRIBUTES.get(name, name)
                found.append(
                    f"{command} (a formula carries no links: put the link in the text around it)"
                    if name == "href"
                    else f"{command} (a formula carries no styles, classes or scripts of its own)"
                )
        text = element.text or ""
        if element.tag in TOKENS:
            for command in _UNKNOWN_COMMAND.findall(text):
                hint = _HINTS.get(command, "latex2mathml does not know it")
                found.append(f"{command} ({hint})")
            if _LEAKED.search(text):
                found.append(f"{text.strip()} (latex2mathml would show it as typed)")
            if element.tag == "mi" and text == "&":
                ampersands += 1
        elif element.tag == "mspace" and element.get("linebreak"):
            found.append("a line break \\\\ where none can be shown (inside { } or \\text)")
    if ampersands > latex.count("\\&"):
        found.append("& outside an environment that aligns (aligned, cases, matrix)")
    return list(dict.fromkeys(found))
