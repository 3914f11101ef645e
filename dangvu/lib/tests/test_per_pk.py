"""dangvu.lib.urls.per_pk: one reverse, then the pk substituted, gives what reverse gives for each pk."""

import pytest
from django.urls import NoReverseMatch, reverse, set_script_prefix

from dangvu.lib.urls import per_pk


@pytest.mark.parametrize("viewname", ["members:detail", "orgs:detail", "orgs:children"])
def test_same_as_reverse(viewname):
    url = per_pk(viewname)
    for pk in (1, 7, 42, 987, 1000000):
        assert url(pk) == reverse(viewname, args=[pk])


def test_literal_urls():
    assert per_pk("orgs:detail")(17) == "/orgs/17/"
    assert per_pk("orgs:children")(3) == "/orgs/3/children/"


def test_under_a_script_prefix():
    set_script_prefix("/dangvu/")
    try:
        assert per_pk("orgs:detail")(5) == "/dangvu/orgs/5/" == reverse("orgs:detail", args=[5])
    finally:
        set_script_prefix("/")


def test_a_view_without_a_pk_is_refused():
    with pytest.raises(NoReverseMatch):
        per_pk("orgs:tree")
