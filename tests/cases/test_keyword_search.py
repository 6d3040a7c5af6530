"""The case list's keyword box finds exactly the cases a plain substring test finds — whatever
index PostgreSQL answers it from (issue 12: the bigram GIN index for 2-character keywords, pg_trgm
for 3+, a LIKE scan for 1) — and on PostgreSQL the 2-character keyword is read from its index."""

import importlib

import pytest
from django.apps import apps as global_apps
from django.db import connection
from django.db.models import Count

from cases.enums import CaseState
from cases.filters import CaseFilter
from cases.models import PetitionCase
from qianshan.common.bigrams import SEPARATOR
from tests.factories import CaseFactory, InspectionFactory, UnitFactory

INDEX = "cases_case_keyword_bigrams"
on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the bigram index exists on PostgreSQL only"
)

KEYWORDS = [
    "噪",  # 1 character: the LIKE scan
    "噪声",  # 2: the bigram index
    "声扰",
    "油烟",
    "声声",  # a repeated character
    "噪声扰民",  # 4: pg_trgm
    "夜间施工噪声",
    "ab",  # Latin, any case
    "AB",
    "aBc",
    "Xyz Company",
    "0000123",  # a receipt number's fragment
    "D2LN20210710000123",  # a whole receipt number
    "张三",  # a handler
    "张三丰",
    "水务",  # a unit name (a cooperating unit) — and a word of some complaints
    "甲单位",  # the lead unit's name
    "千山区",  # a locality
    "'",  # quotes, backslash and the LIKE wildcards are plain characters
    "'噪",
    '"',
    '"噪声"',
    "\\",
    "C:\\",
    "%",
    "5%",
    "_",
    "a_",
    "%_",
    "声" + SEPARATOR,  # the separator between the joined fields: the plain LIKE
    "查无此词",
    "无此",
]


@pytest.fixture
def cases(unit_a, unit_b):
    inspection = InspectionFactory()
    region = UnitFactory(name="千山区", kind="region")
    water = UnitFactory(name="千山区水务局", short_name="区水务")
    rows = [
        ("D2LN20210710000123", "反映某工地夜间施工噪声扰民", "张三", unit_b, None, []),
        ("D2LN20210710000124", "某饭店油烟扰民，噪声也大", "李四", unit_b, None, []),
        ("D2LN20210710001230", "声声入耳：噪音", "张三丰", unit_a, None, []),
        ("D2LN20210710000999", "Xyz Company 排放 ABC 废气", "", unit_b, region, []),
        ("D2LN20210710000998", "xyz company abc，夜间施工噪 声", "王五", unit_b, None, [water]),
        ("KW-噪", "声音很大（噪|声分在两个字段）", "赵六", unit_b, None, []),
        ("KW-声", "噪声", "钱七", unit_b, None, []),
        ("KW-1", 'O\'Brien 反映："噪声" 超标 5% 以上', "孙八", unit_b, None, []),
        ("KW-2", "路径 C:\\temp 与 a_b、100%_ 之类", "周九", unit_b, None, []),
        ("KW-3", "水务部门未处理污水", "吴十", unit_b, None, []),
        ("KW-4", "无关内容", "郑十一", unit_b, None, []),
    ]
    for receipt_no, complaint, handler, lead, locality, cooperating in rows:
        # no handler yet: only a case not yet past 已交办
        extra = {} if handler else {"state": CaseState.RECEIVED}
        CaseFactory(
            inspection=inspection,
            receipt_no=receipt_no,
            complaint=complaint,
            handler=handler,
            lead_unit=lead,
            locality=locality,
            cooperating_units=cooperating,
            **extra,
        )
    return PetitionCase.objects.all()


def expected(keyword: str) -> set[str]:
    """The receipt numbers a Python substring test finds: the text fields (upper-cased, as
    PostgreSQL's UPPER … LIKE and SQLite's LIKE compare) or a unit's name or short name."""
    needle = keyword.upper()
    found = set()
    for case in PetitionCase.objects.select_related("lead_unit", "locality").prefetch_related(
        "cooperating_units"
    ):
        texts = [case.receipt_no, case.complaint, case.handler or ""]
        units = [case.lead_unit, case.locality, *case.cooperating_units.all()]
        texts += [f"{u.name}\n{u.short_name}" for u in units if u is not None]
        if any(needle in text.upper() for text in texts):
            found.add(case.receipt_no)
    return found


@pytest.mark.django_db
def test_keyword_finds_exactly_the_substring_matches(cases, client, users):
    client.force_login(users["office"])
    checked = 0
    for keyword in KEYWORDS:
        want = expected(keyword)
        filtered = CaseFilter({"q": keyword}, queryset=PetitionCase.objects.all()).qs
        assert set(filtered.values_list("receipt_no", flat=True)) == want, keyword
        # the list page: the state chips' total and the rows on the page
        response = client.get("/cases/", {"q": keyword})
        assert response.context["total"] == len(want), keyword
        assert {c.receipt_no for c in response.context["page"]} == want, keyword
        checked += bool(want)
    assert checked >= 20  # most keywords find something: the test is not vacuous


@pytest.mark.django_db
def test_two_characters_split_between_fields_do_not_match(cases):
    # "KW-噪" + "声音…": the joined text holds 噪 and 声 side by side only across the separator
    found = set(
        CaseFilter({"q": "噪声"}, queryset=PetitionCase.objects.all()).qs.values_list("receipt_no", flat=True)
    )
    assert "KW-噪" not in found
    assert "KW-声" in found  # its complaint is the keyword itself
    # a keyword holding the separator: "声\x01" would be a bigram of "KW-声"'s joined text
    assert not CaseFilter({"q": "声" + SEPARATOR}, queryset=PetitionCase.objects.all()).qs.exists()


@pytest.mark.django_db
def test_unit_user_keyword_stays_inside_their_scope(cases, client, users):
    client.force_login(users["staff"])  # unit A: leads "D2LN20210710001230" only
    response = client.get("/cases/", {"q": "声声"})
    assert response.context["total"] == 1
    assert client.get("/cases/", {"q": "噪声"}).context["total"] == 0


def _count_sql(keyword: str) -> str:
    qs = CaseFilter({"q": keyword}, queryset=PetitionCase.objects.all()).qs
    return str(qs.order_by().values_list("state").annotate(n=Count("state")).query)


@pytest.mark.django_db
def test_only_a_two_character_keyword_on_postgresql_uses_the_bigram_test():
    uses = {k: "qs_bigrams" in _count_sql(k) for k in ["噪", "噪声", "Ab", "噪声扰", "声" + SEPARATOR]}
    postgres = connection.vendor == "postgresql"
    assert uses == {"噪": False, "噪声": postgres, "Ab": postgres, "噪声扰": False, "声" + SEPARATOR: False}


def _plan(qs) -> str:
    with connection.cursor() as cursor:
        # a handful of rows: the planner would rather read them all than any index
        cursor.execute("SET LOCAL enable_seqscan = off")
        try:
            return qs.explain()
        finally:
            cursor.execute("SET LOCAL enable_seqscan = on")


@on_postgresql
@pytest.mark.django_db
def test_migration_created_the_bigram_index():
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = %s", [INDEX])
        (definition,) = cursor.fetchone()
    assert "USING gin" in definition
    assert "qs_bigrams(upper(" in definition
    for column in ("receipt_no", "complaint", "handler"):
        assert column in definition


@on_postgresql
@pytest.mark.django_db
def test_two_character_keyword_count_and_page_read_the_bigram_index(cases, users):
    filtered = CaseFilter({"q": "噪声"}, queryset=PetitionCase.objects.all()).qs
    count_plan = _plan(filtered.order_by().values_list("state").annotate(n=Count("state")))
    assert INDEX in count_plan
    assert "Seq Scan on cases_petitioncase" not in count_plan
    page_plan = _plan(filtered.order_by("-deadline", "-id")[:50])
    assert "Seq Scan on cases_petitioncase" not in page_plan


@on_postgresql
@pytest.mark.django_db
def test_unit_name_keyword_is_an_or_of_index_scans(cases):
    # 水务: a cooperating unit's name (its cases as an array, an index condition) or the bigrams
    filtered = CaseFilter({"q": "水务"}, queryset=PetitionCase.objects.all()).qs
    plan = _plan(filtered.order_by().values_list("state").annotate(n=Count("state")))
    assert "BitmapOr" in plan
    assert INDEX in plan
    assert "Seq Scan on cases_petitioncase" not in plan


@on_postgresql
@pytest.mark.django_db
def test_migration_is_reversible():
    operation = importlib.import_module(
        "cases.migrations.0018_case_keyword_bigram_index"
    ).Migration.operations[0]

    def index_and_function():
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_indexes WHERE indexname = %s", [INDEX])
            indexes = cursor.fetchone()[0]
            cursor.execute("SELECT count(*) FROM pg_proc WHERE proname = 'qs_bigrams'")
            return indexes, cursor.fetchone()[0]

    with connection.schema_editor(atomic=False) as editor:
        operation.reverse_code(global_apps, editor)
        assert index_and_function() == (0, 0)
        operation.code(global_apps, editor)
    assert index_and_function() == (1, 1)
