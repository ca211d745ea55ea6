"""A missing system tool skips its tests, except under CI or ESSAYIST_NO_SKIP=1."""

from __future__ import annotations

import pytest

from .systemtools import chromium_executable, missing, strict


@pytest.mark.parametrize(
    ("ci", "no_skip", "expected"),
    [
        (None, None, False),
        ("", None, False),
        ("false", None, False),
        ("true", None, True),
        ("1", None, True),
        (None, "1", True),
        (None, "0", False),
    ],
)
def test_strict_under_ci_or_no_skip(monkeypatch, ci, no_skip, expected):
    for name, value in (("CI", ci), ("ESSAYIST_NO_SKIP", no_skip)):
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    assert strict() is expected


def test_missing_skips_with_the_way_to_get_it(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delenv("ESSAYIST_NO_SKIP", raising=False)
    with pytest.raises(pytest.skip.Exception, match="Java not found: apt-get install java"):
        missing("Java", "apt-get install java")


def test_missing_fails_under_ci(monkeypatch):
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="Java not found: .*nothing may be skipped"):
        missing("Java", "apt-get install java")


def test_chromium_from_the_environment(monkeypatch, tmp_path):
    binary = tmp_path / "chrome"
    binary.write_text("")
    monkeypatch.setenv("ESSAYIST_CHROMIUM", str(binary))
    assert chromium_executable() == str(binary)
    monkeypatch.setenv("ESSAYIST_CHROMIUM", str(tmp_path / "absent"))
    assert chromium_executable() is None
