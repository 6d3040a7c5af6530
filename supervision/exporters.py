"""Report → .xlsx sheets (Chinese headers), written by qianshan.common.excel."""

from datetime import date

from rectification.enums import ScheduleStatus

from .enums import ReportKind
from .models import Report

TASK_STATUSES = [
    ScheduleStatus.COMPLETE,
    ScheduleStatus.ON_SCHEDULE,
    ScheduleStatus.BEHIND,
    ScheduleStatus.OVERDUE,
]
DISPATCH_SECTIONS = [
    ("changed", "昨日变化"),
    ("due_soon", "即将到期"),
    ("overdue", "逾期"),
    ("no_progress", "无进展"),
]


def _d(value: str):
    return date.fromisoformat(value) if value else ""


def report_sheets(report: Report):
    data = report.data
    if report.kind == ReportKind.DAILY:
        if "items" not in data:  # a dispatch stored before the per-unit figures
            yield from _old_dispatch_sheets(data)
            return
        summary = [
            (s["unit"], *(s[part][k] for k, _ in DISPATCH_SECTIONS for part in ("cases", "tasks")))
            for s in data["units"]
        ]
        header = [
            f"{label}·{part}" for _, label in DISPATCH_SECTIONS for part in ("案件（件）", "任务（项）")
        ]
        yield "汇总", ["责任单位", *header], summary
        for key, label in DISPATCH_SECTIONS:
            rows = [
                (r["unit"], r["label"], r["text"], _d(r["deadline"]), r["situation"])
                for r in data["items"][key]
            ]
            yield label, ["责任单位", "事项", "内容", "整改时限", "情况"], rows
        return
    t = data["tasks"]
    yield (
        "整改任务",
        ["督察", *(s.label for s in TASK_STATUSES), "合计"],
        [
            *(
                (r["inspection"], *(r[s.value] for s in TASK_STATUSES), r["total"])
                for r in t["by_inspection"]
            ),
            ("合计", *(t["totals"][s.value] for s in TASK_STATUSES), t["totals"]["total"]),
        ],
    )
    yield (
        "滞后及逾期任务",
        ["任务编号", "督察", "反馈问题", "牵头单位", "整改时限", "序时进度"],
        [
            (r["number"], r["inspection"], r["problem"], r["unit"], _d(r["deadline"]), r["status_label"])
            for r in t["slow"]
        ],
    )
    c = data["cases"]
    yield (
        "信访案件",
        ["督察", *(s["label"] for s in c["states"]), "合计"],
        [
            (r["inspection"], *(r["states"][s["value"]] for s in c["states"]), r["total"])
            for r in c["by_inspection"]
        ],
    )
    yield "办结状态", ["办结状态", "件数"], [(r["label"], r["count"]) for r in c["completion"]]
    yield (
        "本期销号",
        ["受理编号", "督察", "责任单位", "整改时限", "当前环节"],
        [
            (r["receipt_no"], r["inspection"], r["unit"], _d(r["deadline"]), r["state_label"])
            for r in c["closed"]
        ],
    )
    yield (
        "重点案件",
        ["受理编号", "督察", "责任单位", "整改时限", "当前环节", "是否逾期"],
        [
            (r["receipt_no"], r["inspection"], r["unit"], _d(r["deadline"]), r["state_label"], r["overdue"])
            for r in c["key"]
        ],
    )
    yield from _recheck_sheets(data)
    yield "查处问责", ["项目", "合计"], [(r["label"], r["value"]) for r in data["enforcement"]]
    e = data["escalation"]
    yield (
        "预警与督办",
        ["项目", "数量"],
        [
            *((r["label"], r["count"]) for r in e["warnings"]),
            ("督办函（件）", e.get("letters_count", len(e["letters"]))),
            ("约谈（次）", e["talks"]),
            ("移送问题线索（件）", e["referrals"]),
        ],
    )
    yield (
        "督办函",
        ["文号", "督办事项", "责任单位", "发函日期", "回复时限", "状态"],
        [
            (r["number"], r["item"], r["unit"], _d(r["issued_on"]), _d(r["reply_deadline"]), r["state_label"])
            for r in e["letters"]
        ],
    )


def _recheck_sheets(data: dict):
    if "rechecks" not in data:  # a report built before re-checks were reported: its reopened cases
        yield (
            "反弹问题",
            ["受理编号", "重新整改日期", "原因"],
            [(r["receipt_no"], _d(r["at"]), r["reason"]) for r in data["cases"].get("rebounds", [])],
        )
        return
    r, rb = data["rechecks"], data["rebounds"]
    yield (
        "复查回访",
        ["项目", "件数"],
        [
            ("本期回访", r["visited"]),
            ("整改成效巩固", r["holds"]),
            ("发现反弹", r["rebounded"]),
            ("本期新增反弹", len(rb["entries"])),
            ("反弹已处置完成", rb["resolved"]),
        ],
    )
    yield (
        "回访抽样",
        ["抽样月份", "可抽案件", "抽取", "巩固", "反弹", "待回访"],
        [
            (d["month"], d["population"], d["sample"], d["holds"], d["rebounded"], d["pending"])
            for d in r["draws"]
        ],
    )
    yield (
        "回访结果",
        ["受理编号", "督察", "责任单位", "抽样月份", "回访日期", "回访人", "回访结果", "回访情况"],
        [
            (
                v["receipt_no"],
                v["inspection"],
                v["unit"],
                v["draw"],
                _d(v["visited_on"]),
                v["visitor"],
                v["result_label"],
                v["notes"],
            )
            for v in r["visits"]
        ],
    )
    yield (
        "反弹问题",
        ["受理编号", "督察", "责任单位", "发现日期", "来源", "反弹情况", "处置措施", "处置完成日期"],
        [
            (
                e["receipt_no"],
                e["inspection"],
                e["unit"],
                _d(e["found_on"]),
                e["source"],
                e["description"],
                e["disposition"],
                _d(e["resolved_on"]),
            )
            for e in rb["entries"]
        ],
    )


def _old_dispatch_sheets(data: dict):
    summary = [(s["unit"], *(s["counts"][k] for k, _ in DISPATCH_SECTIONS)) for s in data["units"]]
    yield "汇总", ["责任单位", *(f"{label}（项）" for _, label in DISPATCH_SECTIONS)], summary
    for key, label in DISPATCH_SECTIONS:
        rows = [
            (s["unit"], r["label"], r["text"], _d(r["deadline"]), r["situation"])
            for s in data["units"]
            for r in s.get(key, [])
        ]
        yield label, ["责任单位", "事项", "内容", "整改时限", "情况"], rows
