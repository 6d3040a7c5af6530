"""单位年度考核结果（等次）: the rule combining a unit's task grades and its case-score average
(docs/rules.md §8.5). Pure functions: the ranking feeds them what the database summed.

附件1 gives two separate measures — the four-level grade of each 整改任务 (评分标准一) and the
average score of the unit's 信访案件 (评分标准二) — and one override: 重大问题 / 通报批评 / 媒体曝光
→ 不合格, ranked last. How the two measures make one result is not written in the plan; this
system's reading (本系统解释):

1. any forcing event of the year (not revoked) → 不合格, ranked last, whatever else;
2. task part: any task 不合格 → 不合格; else every task 优秀 → 优秀; else no task only 合格 → 良好;
   else → 合格 (the unit's task part is its weakest task's grade);
3. case part: average ≥ 90 → 优秀, ≥ 80 → 良好, ≥ 60 → 合格, below 60 → 不合格;
4. result: the lower of the two parts; a unit with only one part takes that one; neither → 未评定.

The ranking orders by result (优秀 first), then by case average (highest first, none last);
equal result and average share a rank (1, 2, 2, 4); forced units share the last rank.
"""

from fractions import Fraction

from ..enums import ResultLevel

ORDER = [ResultLevel.EXCELLENT, ResultLevel.GOOD, ResultLevel.PASS, ResultLevel.FAIL]
# Case-average bands (本系统解释): the lowest average of each level.
CASE_BANDS = [
    (Fraction(90), ResultLevel.EXCELLENT),
    (Fraction(80), ResultLevel.GOOD),
    (Fraction(60), ResultLevel.PASS),
]

RULE_TEXT = [
    "有“重大问题”“通报批评”“媒体曝光”事件的单位：不合格，排名最后（附件1原文：“一律视为考核不合格，排名最后”）。",
    "整改任务部分：有任务不合格的为不合格；全部任务优秀的为优秀；没有合格及以下任务的为良好；其余为合格（本系统解释：取最弱任务的等次）。",
    "信访案件部分：平均得分 90 分及以上为优秀，80—90 分为良好，60—80 分为合格，60 分以下为不合格（本系统解释）。",
    "考核结果取两部分中较低的一级；只有一部分的按该部分；都没有的不评定（本系统解释）。",
    "排名先按考核结果（优秀在前），同一结果按案件平均得分从高到低；结果和得分都相同的名次相同（本系统解释）。",
]


def task_level(grades: dict[str, int]) -> ResultLevel | None:
    """The unit's task part from its counts of task grades (values of TaskGrade), or None without graded tasks."""
    counts = {level: grades.get(level.value, 0) for level in ORDER}
    if not sum(counts.values()):
        return None
    if counts[ResultLevel.FAIL]:
        return ResultLevel.FAIL
    if counts[ResultLevel.PASS]:
        return ResultLevel.PASS
    if counts[ResultLevel.GOOD]:
        return ResultLevel.GOOD
    return ResultLevel.EXCELLENT


def case_level(average: Fraction | None) -> ResultLevel | None:
    if average is None:
        return None
    for floor, level in CASE_BANDS:
        if average >= floor:
            return level
    return ResultLevel.FAIL


def combine(task: ResultLevel | None, case: ResultLevel | None, *, forced: bool) -> ResultLevel | None:
    """The unit's result from its two parts; ``forced`` (an event of the year) makes it 不合格."""
    if forced:
        return ResultLevel.FAIL
    present = [level for level in (task, case) if level is not None]
    if not present:
        return None
    return max(present, key=ORDER.index)


def explain(task: ResultLevel | None, case: ResultLevel | None, result: ResultLevel | None, events) -> str:
    """One Chinese sentence saying why the result is what it is."""
    if events:
        kinds = "、".join(f"{e.occurred_on:%Y-%m-%d}{e.get_kind_display()}" for e in events)
        return f"一票否决：{kinds}，视为不合格，排名最后"
    if result is None:
        return "尚无已评定的整改任务和已提交的案件评分，不评定"
    parts = [
        f"整改任务部分{task.label if task else '无'}",
        f"信访案件部分{case.label if case else '无'}",
    ]
    return "，".join(parts) + f"，取较低者为{result.label}"


def rank_key(result: ResultLevel | None, average: Fraction | None, forced: bool):
    """Sort key: rated units by result then average; forced units after them; unrated last."""
    if forced:
        return (1, 0, 0)
    if result is None:
        return (2, 0, 0)
    return (0, ORDER.index(result), -(average if average is not None else Fraction(-1)))
