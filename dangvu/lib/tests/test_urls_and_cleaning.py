"""dangvu.lib.urls.safe_next and dangvu.lib.cleaning (issue 16 items 5 and 7)."""

import pytest
from django.test import RequestFactory

from dangvu.lib.cleaning import describe, has_unsafe, strip_unsafe
from dangvu.lib.urls import safe_next


@pytest.mark.parametrize(
    "target",
    ["https://evil.example/x", "//evil.example/", "http://testserver.evil.example/", "javascript:alert(1)", "", None],
)
def test_safe_next_refuses_other_sites(target):
    assert safe_next(RequestFactory().get("/"), target, "/home/") == "/home/"


@pytest.mark.parametrize("target", ["/members/?q=an", "http://testserver/members/"])
def test_safe_next_follows_this_site(target):
    assert safe_next(RequestFactory().get("/"), target, "/home/") == target


@pytest.mark.parametrize(
    "ch", ["\x00", "\x07", "\x1b", "\x7f", "\x85", "\u202e", "\u2066", "\u200b", "\u200d", "\ufeff"]
)
def test_unsafe_characters(ch):
    assert has_unsafe(f"a{ch}b") and strip_unsafe(f"a{ch}b") == "ab" and describe(ch).startswith("U+")


def test_ordinary_vietnamese_text_and_line_breaks_are_safe():
    text = "Nguyễn Thị Ánh Tuyết\r\nSố 12/QĐ-ĐU\tngày 1"
    assert not has_unsafe(text) and strip_unsafe(text) == text
