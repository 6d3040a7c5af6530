import io
import json
from datetime import date

import pytest
from django.core.management import call_command
from openpyxl import Workbook, load_workbook

from org.models import Unit
from rectification.domain.imports import ImportErrors, import_task_list
from rectification.exporters import COLUMNS, EXPORT_COLUMNS
from rectification.models import Measure, Milestone, RectificationTask
from tests.factories import InspectionFactory, UnitFactory


def xlsx(rows, *, title_rows=(("千山风景区第二轮中央督察反馈问题整改清单",),)) -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    for row in title_rows:
        sheet.append(list(row))
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    return out


def row(number="R2-01", seq=1, **over):
    values = {
        "任务编号": number,
        "任务序号": 1,
        "反馈问题": "污水处理厂提标改造滞后",
        "整改目标": "出水达一级A",
        "牵头单位": "甲单位",
        "配合单位": "乙单位",
        "督导单位": "",
        "验收单位": "乙单位",
        "责任人": "王某",
        "联系电话": "0412-1",
        "整改标准": "验收合格",
        "整改时限": "2021-12-31",
        "措施序号": seq,
        "措施类别": "工程措施",
        "措施内容": f"措施内容{seq}",
        "措施责任单位": "甲单位",
        "措施责任人": "李某",
        "措施时限": date(2021, 11, 30),
        "时间节点": "2021-06-30 完成设计；2021-09-30 主体完工",
    }
    values.update(over)
    return [values[c] for c in COLUMNS]


@pytest.fixture
def setup(db):
    UnitFactory(name="甲单位")
    UnitFactory(name="乙单位")
    return InspectionFactory(code="C2")


def test_import_creates_tasks_measures_milestones(setup):
    source = xlsx([COLUMNS, row(seq=1), row(seq=2, 措施类别="policy"), row("R2-02", 1, 反馈问题="别的问题")])
    result = import_task_list(source, inspection=setup)
    assert (result.tasks_created, result.measures_created, result.milestones_created) == (2, 3, 6)
    task = RectificationTask.objects.get(number="R2-01")
    assert (task.lead_unit.name, task.deadline, task.accepting_unit.name) == (
        "甲单位",
        date(2021, 12, 31),
        "乙单位",
    )
    assert [u.name for u in task.cooperating_units.all()] == ["乙单位"]
    assert list(task.measures.values_list("seq", "kind")) == [(1, "engineering"), (2, "policy")]
    assert list(
        Milestone.objects.filter(measure__task=task, measure__seq=1).values_list("due", "description")
    ) == [
        (date(2021, 6, 30), "完成设计"),
        (date(2021, 9, 30), "主体完工"),
    ]


def test_import_task_columns_given_once_per_group(setup):
    second = row(seq=2)
    for name in ("反馈问题", "牵头单位", "责任人", "整改标准", "整改时限"):
        second[COLUMNS.index(name)] = None
    import_task_list(xlsx([COLUMNS, row(seq=1), second]), inspection=setup)
    assert Measure.objects.filter(task__number="R2-01").count() == 2


def test_import_reimport_is_idempotent(setup):
    rows = [COLUMNS, row(seq=1), row(seq=2)]
    import_task_list(xlsx(rows), inspection=setup)
    history = RectificationTask.history.count() + Measure.history.count()
    result = import_task_list(xlsx(rows), inspection=setup)
    assert (result.tasks_created, result.tasks_updated, result.tasks_unchanged) == (0, 0, 1)
    assert (result.measures_created, result.measures_updated, result.milestones_created) == (0, 0, 0)
    assert RectificationTask.history.count() + Measure.history.count() == history


def test_import_changed_row_updates_only_that_measure(setup):
    import_task_list(xlsx([COLUMNS, row(seq=1), row(seq=2)]), inspection=setup)
    result = import_task_list(xlsx([COLUMNS, row(seq=1), row(seq=2, 措施内容="改了")]), inspection=setup)
    assert (result.tasks_updated, result.measures_updated) == (1, 1)
    assert Measure.objects.get(seq=2).content == "改了"


def test_import_errors_name_row_and_column_and_save_nothing(setup):
    rows = [
        COLUMNS,
        row(seq=1),
        row(seq=2, 措施时限="明年"),
        row(seq=3, 措施类别="宣传"),
        row("R2-02", 1, 牵头单位="不存在局"),
        row("R2-03", 1, 时间节点="下月 开工"),
        row(seq=1, 措施内容="重复序号"),
        row(seq=4, 责任人="别人"),
    ]
    with pytest.raises(ImportErrors) as refused:
        import_task_list(xlsx(rows), inspection=setup)
    assert refused.value.errors == [
        "第4行“措施时限”：“明年”不是有效日期（例如 2021-12-31）",
        "第5行“措施类别”：“宣传”不是有效类别（政策措施、工程措施、关停搬迁、案件查处、追责问责）",
        "第6行“牵头单位”：找不到单位“不存在局”",
        "第7行“时间节点”：“下月 开工”应为“日期 节点内容”，多个节点用“；”分隔",
        "第9行“责任人”：与第3行同一任务 R2-01 的值不一致",
        "第8行“措施序号”：任务 R2-01 的措施序号 1 与第3行重复",
        "第6行“牵头单位”：任务 R2-02 缺少牵头单位",
    ]
    assert RectificationTask.objects.count() == 0
    assert Measure.objects.count() == 0


def test_import_without_header_refused(setup):
    with pytest.raises(ImportErrors) as refused:
        import_task_list(xlsx([["a", "b"], ["c", "d"]]), inspection=setup)
    assert refused.value.errors == ["前10行中找不到表头（须包含“任务编号”和“措施内容”列）"]


def test_import_missing_required_columns_refused(setup):
    header = [c for c in COLUMNS if c not in ("整改标准", "措施时限")]
    with pytest.raises(ImportErrors) as refused:
        import_task_list(xlsx([header]), inspection=setup)
    assert refused.value.errors == ["第2行表头缺少列：整改标准、措施时限"]


def test_import_not_xlsx_refused(setup):
    with pytest.raises(ImportErrors) as refused:
        import_task_list(io.BytesIO(b"not a workbook"), inspection=setup)
    assert refused.value.errors == [
        "文件不是有效的 Excel 工作簿（.xlsx），请用 Excel 另存为 .xlsx 后再上传。"
    ]


def test_export_then_import_round_trip_changes_nothing(setup, tmp_path):
    import_task_list(xlsx([COLUMNS, row(seq=1), row(seq=2), row("R2-02", 1)]), inspection=setup)
    out = tmp_path / "out.xlsx"
    call_command("export_tasks", str(out), "--inspection", "C2", stdout=io.StringIO())
    sheet = load_workbook(out).active
    values = list(sheet.iter_rows(values_only=True))
    # the importable columns, then the read-only status columns the import ignores
    assert values[0] == EXPORT_COLUMNS and values[0][: len(COLUMNS)] == COLUMNS
    assert len(values) == 4
    assert values[1][COLUMNS.index("时间节点")] == "2021-06-30 完成设计；2021-09-30 主体完工"
    stdout = io.StringIO()
    call_command("import_tasks", str(out), "--inspection", "C2", "--json", stdout=stdout)
    result = json.loads(stdout.getvalue())
    assert (result["tasks_unchanged"], result["tasks_updated"], result["measures_updated"]) == (2, 0, 0)
    assert result["milestones_created"] == result["milestones_deleted"] == 0


def test_import_command_bad_file_exit_2_json(setup, tmp_path, capsys):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(xlsx([COLUMNS, row(seq=1, 措施类别="x")]).getvalue())
    stdout, stderr = io.StringIO(), io.StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("import_tasks", str(path), "--inspection", "C2", "--json", stdout=stdout, stderr=stderr)
    assert exit_info.value.code == 2
    assert stdout.getvalue() == ""
    assert json.loads(stderr.getvalue()) == {
        "ok": False,
        "errors": ["第3行“措施类别”：“x”不是有效类别（政策措施、工程措施、关停搬迁、案件查处、追责问责）"],
    }
    assert Unit.objects.count() == 2
