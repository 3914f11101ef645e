"""The tree's member counts in one aggregate (dangvu.members.counts.by_head, issue 10 item 5), hand-computed at
mixed depths, and the tree's rows rendered from texts made once in Python exactly as the template made them."""

import datetime as dt

import pytest
from django.template import Context, Template
from django.template.loader import render_to_string
from django.utils import translation

from dangvu import testing
from dangvu.members import counts
from dangvu.members import services as member_services
from dangvu.members.models import CellCount, EventKind
from dangvu.orgs import queries, views
from dangvu.orgs.models import Organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def more(tree, people):
    """Two members in the grassroots cell A2 (one probationary), one more in C3 who then died."""
    testing.member(tree.a_cell_base, "Hồ Văn Hai")
    testing.member(tree.a_cell_base, "Đỗ Thị Ba", official=False, admitted=dt.date(2025, 1, 10), sex="F")
    gone = testing.member(tree.c3, "Vũ Văn Mất")
    member_services.record_event(gone, kind=EventKind.DEATH, date=dt.date(2025, 2, 1))
    # By hand: C1 2, C2 1, A2 2, C3 1 -> A1 3, A 5, B1 1, B 1, the city 6.


def test_counts_at_mixed_depths_in_one_query(tree, more, django_assert_num_queries):
    t = tree
    orgs = [t.city, t.a, t.a_base, t.c1, t.a_cell_base, t.b_base, t.c3]
    with django_assert_num_queries(1):
        got = queries.member_counts(orgs)
    assert got == {t.city.pk: 6, t.a.pk: 5, t.a_base.pk: 3, t.c1.pk: 2, t.a_cell_base.pk: 2, t.b_base.pk: 1, t.c3.pk: 1}
    assert queries.member_counts([t.a, t.b]) == {t.a.pk: 5, t.b.pk: 1}  # siblings, through their parent
    assert queries.member_counts([t.c1, t.c2, t.c3]) == {t.c1.pk: 2, t.c2.pk: 1, t.c3.pk: 1}
    assert queries.member_counts([t.b_base, t.a_base]) == {t.b_base.pk: 1, t.a_base.pk: 3}  # cousins
    assert queries.member_counts([]) == {}
    assert counts.by_head([t.c2.path, t.a_cell_base.path, t.city.path]) == {
        t.c2.path: 1,
        t.a_cell_base.path: 2,
        t.city.path: 6,
    }


def test_counts_by_child(tree, more, django_assert_num_queries):
    with django_assert_num_queries(2):
        assert queries.member_counts_by_child(tree.city) == {tree.a.pk: 5, tree.b.pk: 1}
    assert queries.member_counts_by_child(tree.a) == {tree.a_base.pk: 3, tree.a_cell_base.pk: 2}
    assert queries.member_counts_by_child(tree.c1) == {}


def test_counts_follow_the_maintained_table(tree, more):
    CellCount.objects.filter(organisation=tree.c1).update(in_party=1234)  # where the number comes from
    got = queries.member_counts([tree.city, tree.a, tree.c1])
    assert got == {tree.city.pk: 1238, tree.a.pk: 1237, tree.c1.pk: 1234}


def test_covering_prefixes():
    assert counts._covering({"0001", "00010001", "00010002", "00020001"}) == ["0001", "00020001"]
    assert counts._covering({"00010001", "00010002", "00010003"}) == ["0001"]
    assert counts._covering({"000100010001", "000100010002", "00020001"}) == ["00010001", "00020001"]


# The node row as the templates wrote it before the texts were made in Python (issue 10 item 5).
LABEL_BEFORE = (
    '{% load i18n humanize %}<a class="org-name" href="{% url \'orgs:detail\' o.pk %}">{{ o.name }}</a>\n'
    '<span class="org-meta">{{ o.get_kind_display }} · <code>{{ o.code }}</code></span>\n'
    '<span class="org-count">{% blocktranslate with shown=node.members|intcomma count n=node.members %}'
    "{{ shown }} member{% plural %}{{ shown }} members{% endblocktranslate %}</span>\n"
    '{% if node.ended %}<span class="org-ended">({{ node.ended }})</span>{% endif %}\n'
)
NODES_BEFORE = (
    '{% load i18n %}{% if nodes %}<ul class="org-nodes">\n'
    '{% for node in nodes %}{% with o=node.org %}<li class="org-node{% if node.ended %} org-former{% endif %}">\n'
    "  {% if node.expandable %}<details hx-get=\"{% url 'orgs:children' o.pk %}{% if former %}?former=1{% endif %}\""
    ' hx-trigger="toggle once" hx-target="find .org-children" hx-swap="innerHTML">\n'
    "    <summary>LABEL</summary>\n"
    '    <div class="org-children" aria-live="polite"><p class="muted"><a href="{% url \'orgs:detail\' o.pk %}">'
    '{% translate "Loading… (or open the organisation page)" %}</a></p></div>\n'
    "  </details>\n"
    '  {% else %}<div class="org-leaf">LABEL</div>{% endif %}\n'
    "</li>{% endwith %}{% endfor %}\n"
    '</ul>{% else %}<p class="muted">{% translate "No subordinate organisations." %}</p>{% endif %}\n'
)


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("former", [False, True])
def test_tree_rows_unchanged(tree, more, language, former):
    CellCount.objects.filter(organisation=tree.c1).update(in_party=1234)  # a count with a thousands separator
    label = LABEL_BEFORE.replace("{% load i18n humanize %}", "")
    before = Template("{% load humanize %}" + NODES_BEFORE.replace("LABEL", label))
    fixture = [tree.city, tree.a, tree.a_base, tree.c1, tree.a_cell_base, tree.b, tree.c3]
    orgs = [Organisation.objects.get(pk=o.pk) for o in fixture]  # numchild as stored
    with translation.override(language):
        nodes = views._nodes(orgs, former)
        context = {"nodes": nodes, "former": former}
        old = before.render(Context(context))
        new = render_to_string("orgs/_nodes.html", context)
        assert new == old
        assert Template(LABEL_BEFORE).render(Context({"node": nodes[1], "o": tree.a})) == render_to_string(
            "orgs/_node_label.html", {"node": nodes[1], "o": tree.a}
        )
    assert len(nodes) == 7 and nodes[1].members == 1237
    if language == "vi":
        assert nodes[1].members_text == "1.237 đảng viên" and nodes[3].members_text == "1.234 đảng viên"
        assert f'<a class="org-name" href="/orgs/{tree.a.pk}/">' in new
        assert f'hx-get="/orgs/{tree.a.pk}/children/{"?former=1" if former else ""}"' in new


def test_tree_page(client, cast, tree, more):
    client.force_login(cast.office)
    body = client.get("/orgs/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f'<a class="org-name" href="/orgs/{tree.a.pk}/">{tree.a.name}</a>' in body
    assert f'<a class="org-name" href="/orgs/{tree.a_base.pk}/">{tree.a_base.name}</a>' in body
    assert f'<details hx-get="/orgs/{tree.a_base.pk}/children/"' in body
    for n in (5, 3, 2):
        assert f'<span class="org-count">{n} ' in body
    partial = client.get(f"/orgs/{tree.a_base.pk}/children/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f'<a class="org-name" href="/orgs/{tree.c1.pk}/">{tree.c1.name}</a>' in partial
    assert f'href="/orgs/{tree.c2.pk}/"' in partial
