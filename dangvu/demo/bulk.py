"""Scale worlds for benchmarks: city size (150,000 members, ~109 committees under the city) and national
size (6,000,000 members under 34 provinces), written in bulk.

Why a separate path: the services write ~25 rows and queries per member (audit included), which is right
for real work and for the demo but would take hours at national size. This path computes the same data
in memory and writes it in batches:
- organisations with their treebeard materialised paths computed directly (steplen 4, alphabet 0-9A-Z,
  first child "0001", as MP_Node does), depth and numchild, plus the OrgAncestry closure rows;
- members with their events (source="seed") and the derived state and periods computed by
  dangvu.members.lifecycle.derive itself (the same function every write path uses), with the rule
  values read once from the rule sets (`RuleTable`);
- PostgreSQL: COPY (psycopg 3 `cursor.copy`); SQLite: executemany.
Per-row django-simple-history records are not written: this is a benchmark fixture, not a record of
anybody's work, and 2-3 history rows per row would double the size of what is measured. A test replays a
sample of bulk members through dangvu.members.services.rederive and compares.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext

from dangvu.demo import names
from dangvu.lib import ages
from dangvu.lib.dates import add_months
from dangvu.lib.text import fold, name_sort_key, nfc, text_sort_key
from dangvu.lib.text import grouped as _n
from dangvu.members import lifecycle
from dangvu.members.models import EventKind, Member, MemberEvent, MemberPeriod
from dangvu.orgs.models import OrgAncestry, Organisation, OrgKind
from dangvu.rules.registry import KEYS

FOUNDED = dt.date(2005, 1, 1)
HORIZON = dt.date(2025, 12, 31)
MEMBERS_PER_COMMITTEE = 1376  # 150,000 members / 109 committees directly under the city
MEMBERS_PER_PROVINCE = 176_000  # about 6 million members / 34 provinces (2025)
NATIONAL_FROM = 400_000  # above this many members, build a national tree
ALPHABET = Organisation.alphabet
STEPLEN = Organisation.steplen
BATCH = 20_000

PROVINCES = (
    "Hà Nội", "Huế", "Lai Châu", "Điện Biên", "Sơn La", "Lạng Sơn", "Quảng Ninh", "Thanh Hóa", "Nghệ An",
    "Hà Tĩnh", "Cao Bằng", "Tuyên Quang", "Lào Cai", "Thái Nguyên", "Phú Thọ", "Bắc Ninh", "Hưng Yên",
    "Hải Phòng", "Ninh Bình", "Quảng Trị", "Đà Nẵng", "Quảng Ngãi", "Gia Lai", "Khánh Hòa", "Lâm Đồng",
    "Đắk Lắk", "Thành phố Hồ Chí Minh", "Đồng Nai", "Tây Ninh", "Cần Thơ", "Vĩnh Long", "Đồng Tháp", "Cà Mau",
    "An Giang",
)  # fmt: skip
CITY_COMMITTEES = (
    "Đảng bộ các cơ quan Đảng thành phố Cần Thơ",
    "Đảng bộ Ủy ban nhân dân thành phố Cần Thơ",
    "Đảng bộ Công an thành phố Cần Thơ",
    "Đảng bộ Quân sự thành phố Cần Thơ",
    "Đảng bộ Bộ đội Biên phòng thành phố Cần Thơ",
)


def _key(index: int) -> str:
    """The treebeard path step of the index-th child (1-based), as MP_Node._get_path makes it."""
    digits = []
    while index:
        index, r = divmod(index, len(ALPHABET))
        digits.append(ALPHABET[r])
    return "".join(reversed(digits)).rjust(STEPLEN, ALPHABET[0])


@dataclass
class Node:
    id: int
    code: str
    name: str
    kind: str
    path: str
    parent: Node | None = None
    children: list[Node] = field(default_factory=list)
    size: int = 0  # members to create (cells)

    def child(self, id_: int, code: str, name: str, kind: str) -> Node:
        node = Node(id_, code, name, kind, self.path + _key(len(self.children) + 1), self)
        self.children.append(node)
        return node


class RuleTable:
    """`limits_for` equivalent to dangvu.members.services.limits_for, reading the rule sets once."""

    def __init__(self) -> None:
        from dangvu.rules.models import RuleSet

        self.sets = list(RuleSet.objects.order_by("-effective_from").values_list("effective_from", "values"))
        self.cache: dict[dt.date, lifecycle.Limits] = {}

    def value(self, name: str, day: dt.date):
        for effective_from, values in self.sets:
            if effective_from <= day and name in values:
                return values[name]
        return KEYS[name].default

    def __call__(self, day: dt.date) -> lifecycle.Limits:
        limits = self.cache.get(day)
        if limits is None:
            limits = lifecycle.Limits(
                min_age=ages.AgeLimit.of(self.value("admission.min_age", day)),
                max_age=ages.AgeLimit.of(self.value("admission.max_age", day)),
                probation_months=self.value("admission.probation_months", day),
            )
            self.cache[day] = limits
        return limits


class _Ev:
    __slots__ = ("id", "kind", "date", "organisation_id", "annuls_id", "external")

    def __init__(self, kind: str, date: dt.date, organisation_id: int | None = None, external: str = "") -> None:
        self.id: int | None = None
        self.kind, self.date, self.organisation_id, self.annuls_id = kind, date, organisation_id, None
        self.external = external


class Writer:
    """Append rows (dicts by attname) to one model's table: COPY on PostgreSQL, executemany on SQLite.
    Missing fields take the model default; auto_now fields take now. Without `explicit_pk` the database
    numbers the rows."""

    def __init__(self, model: type[models.Model], explicit_pk: bool = True) -> None:
        self.model = model
        self.fields = [f for f in model._meta.concrete_fields if explicit_pk or not f.primary_key]
        now = timezone.now()
        self.defaults = {}
        for f in self.fields:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                self.defaults[f.attname] = now
            elif not f.primary_key:
                self.defaults[f.attname] = f.get_default()
        self.rows: list[tuple] = []
        self.count = 0
        self.postgres = connection.vendor == "postgresql"

    def add(self, row: dict) -> None:
        d = self.defaults
        self.rows.append(tuple(row[f.attname] if f.attname in row else d[f.attname] for f in self.fields))
        if len(self.rows) >= BATCH:
            self.flush()

    def flush(self) -> None:
        if not self.rows:
            return
        table = connection.ops.quote_name(self.model._meta.db_table)
        columns = ", ".join(connection.ops.quote_name(f.column) for f in self.fields)
        with connection.cursor() as cursor:
            if self.postgres:
                with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:  # noqa: S608
                    for row in self.rows:
                        copy.write_row(row)
            else:
                convert = [self._sqlite_converter(f) for f in self.fields]
                rows = [tuple(c(v) for c, v in zip(convert, row, strict=True)) for row in self.rows]
                marks = ", ".join(["%s"] * len(self.fields))
                cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)  # noqa: S608
        self.count += len(self.rows)
        self.rows = []

    @staticmethod
    def _sqlite_converter(f) -> Callable:
        if isinstance(f, models.DateTimeField):
            return lambda v: connection.ops.adapt_datetimefield_value(v) if v is not None else None
        if isinstance(f, models.DateField):
            return lambda v: v.isoformat() if v is not None else None
        return lambda v: v


def _next_id(model: type[models.Model]) -> int:
    return (model.objects.aggregate(m=models.Max("id"))["m"] or 0) + 1


@dataclass
class BulkWorld:
    root: Organisation
    committee: Organisation  # one committee directly under the (first) province
    members: int
    organisations: int


class _Tree:
    def __init__(self, rng: random.Random, start_id: int) -> None:
        self.rng = rng
        self.ids = itertools.count(start_id)
        self.nodes: list[Node] = []
        self.cells: list[Node] = []

    def node(self, parent: Node | None, code: str, name: str, kind: str, path: str = "") -> Node:
        id_ = next(self.ids)
        node = parent.child(id_, code, name, kind) if parent else Node(id_, code, name, kind, path)
        self.nodes.append(node)
        return node

    def committee(self, parent: Node, code: str, name: str, budget: int) -> None:
        """Grassroots organisations under a committee until about `budget` members are placed."""
        units = list(names.UNITS)
        placed, g = 0, 0
        while placed < budget:
            g += 1
            gcode = f"{code}-{g:02d}"
            if self.rng.random() < 0.3:
                cell = self.node(parent, gcode, f"Chi bộ {self.rng.choice(units)} số {g}", OrgKind.GRASSROOTS_CELL)
                placed += self._cell(cell)
                continue
            base = self.node(parent, gcode, f"Đảng bộ cơ sở số {g}", OrgKind.GRASSROOTS_COMMITTEE)
            self.rng.shuffle(units)
            pool = itertools.cycle(units)
            holders = [base]
            if self.rng.random() < 0.25:
                holders += [
                    self.node(base, f"{gcode}-B{i}", f"Đảng bộ bộ phận số {i}", OrgKind.SUB_COMMITTEE)
                    for i in range(1, self.rng.randint(1, 2) + 1)
                ]
            for j in range(1, self.rng.randint(3, 12) + 1):
                under = self.rng.choice(holders)
                cell = self.node(under, f"{under.code}-C{j:02d}", f"Chi bộ {next(pool)}", OrgKind.CELL)
                placed += self._cell(cell)
                if placed >= budget:
                    break

    def _cell(self, node: Node) -> int:
        node.size = self.rng.randint(20, 40)
        self.cells.append(node)
        return node.size


def _plan_tree(n_members: int, rng: random.Random) -> _Tree:
    tree = _Tree(rng, _next_id(Organisation))
    n_roots = Organisation.objects.filter(depth=1).count()
    if n_members >= NATIONAL_FROM:
        top = tree.node(None, "TW", "Đảng Cộng sản Việt Nam", OrgKind.CENTRAL, _key(n_roots + 1))
        n_prov = max(1, min(len(PROVINCES), round(n_members / MEMBERS_PER_PROVINCE)))
        provinces = [
            tree.node(
                top,
                f"P{i:02d}",
                f"Đảng bộ {'thành phố' if i in (0, 1, 17, 20, 26, 29) else 'tỉnh'} {name}",
                "provincial",
            )
            for i, name in enumerate(PROVINCES[:n_prov])
        ]
    else:
        provinces = [tree.node(None, "CT", "Đảng bộ thành phố Cần Thơ", OrgKind.PROVINCIAL, _key(n_roots + 1))]
    per_province = n_members / len(provinces)
    for p in provinces:
        n_committees = max(1, round(per_province / MEMBERS_PER_COMMITTEE))
        budget = math.ceil(per_province / n_committees)
        for i in range(1, n_committees + 1):
            if i <= len(CITY_COMMITTEES) and p.code == "CT":
                name = CITY_COMMITTEES[i - 1]
            else:
                ward = names.WARDS[(i - 1) % len(names.WARDS)]
                name = f"Đảng bộ {'phường' if i % 3 else 'xã'} {ward}" + (f" {i}" if i > len(names.WARDS) else "")
            code = f"{p.code}-{i:03d}"
            tree.committee(tree.node(p, code, name, OrgKind.DIRECT), code, name, budget)
    return tree


def _write_tree(tree: _Tree) -> None:
    orgs, ancestry = Writer(Organisation), Writer(OrgAncestry, explicit_pk=False)
    for n in tree.nodes:
        orgs.add(
            {
                "id": n.id,
                "path": n.path,
                "depth": len(n.path) // STEPLEN,
                "numchild": len(n.children),
                "code": n.code,
                "name": nfc(n.name),
                "kind": n.kind,
                "valid_from": FOUNDED,
                "valid_to": None,
                "name_search": fold(n.name),
                "name_sort": text_sort_key(n.name),
            }
        )
        depth, up = 0, n
        while up is not None:
            ancestry.add(
                {"descendant_id": n.id, "ancestor_id": up.id, "depth": depth, "valid_from": FOUNDED, "valid_to": None}
            )
            up, depth = up.parent, depth + 1
    orgs.flush()
    ancestry.flush()


class _People:
    """Members of the cells with their events, derived state and periods, written in batches."""

    def __init__(self, rng: random.Random, tree: _Tree, log: Callable[[str], None]) -> None:
        self.rng, self.tree, self.log = rng, tree, log
        self.ids = names.CitizenIds()
        self.member_ids = itertools.count(_next_id(Member))
        self.event_ids = itertools.count(_next_id(MemberEvent))
        self.period_ids = itertools.count(_next_id(MemberPeriod))
        self.cards = itertools.count(1)
        self.limits = RuleTable()
        self.holding = {c.id for c in tree.cells}
        self.paths = {c.id: c.path for c in tree.cells}  # Member.org_path of each cell's members
        self.today = timezone.localdate()
        self.members, self.events, self.periods = Writer(Member), Writer(MemberEvent), Writer(MemberPeriod)
        self.sort_keys: dict[str, tuple[str, str]] = {}
        self.doc = itertools.count(1)

    def run(self) -> int:
        # Transfers between cells stay inside one committee directly under the province.
        by_committee: dict[int, list[Node]] = {}
        for cell in self.tree.cells:
            by_committee.setdefault(self._committee(cell).id, []).append(cell)
        done = 0
        for i, cell in enumerate(self.tree.cells):
            siblings = by_committee[self._committee(cell).id]
            for _ in range(cell.size):
                self._member(cell, siblings)
            done += cell.size
            if i % 500 == 499:
                self.log(gettext("  %(n)s members") % {"n": _n(done)})
        for w in (self.members, self.events, self.periods):
            w.flush()
        return done

    @staticmethod
    def _committee(cell: Node) -> Node:
        up = cell
        while up.kind != OrgKind.DIRECT:
            up = up.parent
        return up

    def _events(self, cell: Node, siblings: list[Node], birth: dt.date) -> list[_Ev]:
        r = self.rng.random
        first = birth.year + 20
        newcomer = first <= 2024 and r() < 0.2
        year = self.rng.randint(max(first, 2020), 2025) if newcomer or first > 2019 else self.rng.randint(first, 2019)
        admitted = dt.date(year, self.rng.randint(1, 12), self.rng.randint(1, 28))
        # Within the maximum age, counted in months (dangvu.lib.ages): at most N years and 0 months old.
        admitted = min(admitted, add_months(birth, 12 * self.limits(admitted).max_age.years))
        official = add_months(admitted, 12) + dt.timedelta(days=self.rng.randint(3, 28))
        x = r()
        if x < 0.02 and year <= 2019:  # transferred in from outside during 2020-2025
            moved_in = dt.date(self.rng.randint(max(2020, official.year + 1), 2025), self.rng.randint(1, 12), 10)
            events = [
                _Ev(EventKind.ADMISSION, admitted, None, "Đảng bộ ngoài hệ thống"),
                _Ev(EventKind.OFFICIAL, official),
                _Ev(EventKind.TRANSFER_IN, moved_in, cell.id, "Đảng bộ ngoài hệ thống"),
            ]
        else:
            events = [_Ev(EventKind.ADMISSION, admitted, cell.id)]
            if official <= HORIZON:
                events.append(_Ev(EventKind.OFFICIAL, official))
        start = max(events[-1].date, dt.date(2020, 1, 1))
        if start >= HORIZON:
            return events
        later = start + dt.timedelta(days=self.rng.randint(1, (HORIZON - start).days))
        y = r()
        if y < 0.03 and len(siblings) > 1:
            target = self.rng.choice([c for c in siblings if c.id != cell.id])
            events.append(_Ev(EventKind.TRANSFER, later, target.id))
        elif y < 0.04 and birth.year < 1972:
            events.append(_Ev(EventKind.EXEMPTION, later))
        elif y < 0.045:
            events.append(_Ev(EventKind.TEMP_TRANSFER_OUT, later))
        elif y < 0.065:
            events.append(_Ev(EventKind.TRANSFER_OUT, later, None, "Đảng bộ ngoài hệ thống"))
        elif y < 0.068:
            events.append(_Ev(EventKind.REMOVAL, later))
        elif y < 0.072 and birth.year < 1975:
            events.append(_Ev(EventKind.DEATH, later))
        elif y < 0.073 and len(events) > 1:
            events.append(_Ev(EventKind.EXPULSION, later))
        return events

    def _member(self, cell: Node, siblings: list[Node]) -> None:
        person = names.person(self.rng, self.ids, names.CAN_THO, birth_to=2002)
        events = self._events(cell, siblings, person.birth_date)
        for e in events:  # ids in date order, as the services would have assigned them
            e.id = next(self.event_ids)
        state = lifecycle.derive(
            events, birth_date=person.birth_date, today=self.today, limits_for=self.limits, member_holding=self.holding
        )
        member_id = next(self.member_ids)
        keys = self.sort_keys.get(person.full_name)
        if keys is None:
            keys = self.sort_keys[person.full_name] = (fold(person.full_name), name_sort_key(person.full_name))
        row = person.fields()
        row.update(
            id=member_id,
            other_names="",
            card_number=names.card_number(next(self.cards)) if state.official_date else None,
            organisation_id=state.organisation_id or state.last_organisation_id,
            org_path=self.paths[state.organisation_id or state.last_organisation_id],
            status=state.status,
            admission_date=state.admission_date,
            official_date=state.official_date,
            is_exempt=state.is_exempt,
            is_suspended=state.is_suspended,
            is_away=state.is_away,
            name_search=keys[0],
            name_sort=keys[1],
        )
        self.members.add(row)
        for e in events:
            self.events.add(
                {
                    "id": e.id,
                    "member_id": member_id,
                    "kind": e.kind,
                    "date": e.date,
                    "organisation_id": e.organisation_id,
                    "external_organisation": e.external,
                    "document_number": f"{next(self.doc)}-QĐ/ĐU",
                    "document_date": e.date,
                    "source": "seed",
                }
            )
        for p in state.periods:
            self.periods.add(
                {
                    "id": next(self.period_ids),
                    "member_id": member_id,
                    "organisation_id": p.organisation_id,
                    "status": p.status,
                    "is_exempt": p.is_exempt,
                    "is_suspended": p.is_suspended,
                    "is_away": p.is_away,
                    "valid_from": p.valid_from,
                    "valid_to": p.valid_to,
                }
            )


def _reset_sequences(models_: Iterable[type[models.Model]]) -> None:
    statements = connection.ops.sequence_reset_sql(no_style(), list(models_))
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
        if connection.vendor == "postgresql":
            for model in models_:
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def build_bulk(
    n_members: int,
    *,
    seed: int = 2025,
    password: str | None = None,
    log: Callable[[str], None] = print,
    users: bool = True,
) -> BulkWorld:
    """Write a world of about `n_members` members (whole cells, so a little more). One transaction."""
    from dangvu.demo import world

    rng = random.Random(seed)
    written = [Organisation, OrgAncestry, Member, MemberEvent, MemberPeriod]
    with transaction.atomic():
        tree = _plan_tree(n_members, rng)
        _write_tree(tree)
        log(gettext("Tree: %(n)s organisations, %(c)s cells") % {"n": _n(len(tree.nodes)), "c": _n(len(tree.cells))})
        people = _People(rng, tree, log)
        count = people.run()
        counts = {"n": _n(count), "e": _n(people.events.count), "p": _n(people.periods.count)}
        log(gettext("Members: %(n)s; events: %(e)s; periods: %(p)s") % counts)
        _reset_sequences(written)
        from dangvu.members import counts

        counts.recount()  # the maintained counts behind the tree (the rows were written without save())
        root = Organisation.objects.get(pk=tree.nodes[0].id)
        first_province = tree.nodes[1] if root.kind == OrgKind.CENTRAL else tree.nodes[0]
        province = Organisation.objects.get(pk=first_province.id)
        committee = Organisation.objects.get(pk=first_province.children[0].id)
        if users:
            node = next(c for c in tree.cells if c.kind == OrgKind.CELL and c.parent.kind in OrgKind.grassroots())
            cell = Organisation.objects.get(pk=node.id)
            grassroots = Organisation.objects.get(pk=node.parent.id)
            in_cell = list(
                Member.objects.filter(organisation=cell, status__in=["official"])
                .order_by("id")
                .values_list("id", flat=True)[:2]
            )
            world.create_users(
                password or world.DEMO_PASSWORD,
                top=committee,
                grassroots=grassroots,
                cell=cell,
                secretary_id=in_cell[0],
                plain_id=in_cell[1],
                leader_member_id=None,
                city=province,
            )
    return BulkWorld(root=root, committee=committee, members=count, organisations=len(tree.nodes))
