"""What the API shows of each record, and the shapes of its writes.

Reads are plain serializers over rows fetched by the scoped queries (api.views); writes only
parse input: the rule and the write are always the domain function the page calls.
Datetimes are ISO 8601 in Asia/Shanghai (+08:00), dates ISO 8601 (YYYY-MM-DD).
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from acceptance.models import OpinionForm, Signature, SignatureSlot, Step
from cases.enums import AttachmentKind, CaseState, PhotoStage
from cases.models import Attachment, CaseTransition, PetitionCase, ProgressEntry
from org.models import Inspection, Unit
from rectification.models import Measure, Milestone, ProgressReport, RectificationTask, TaskStepRecord
from supervision.models import EarlyWarning, Report, SupervisionLetter


class UnitSerializer(serializers.ModelSerializer):
    class Meta:
        model = Unit
        fields = ["id", "name"]


def label_of(field_name: str, **kwargs):
    """A read-only "<field>_label": the Chinese label of a choice field."""
    return serializers.CharField(source=f"get_{field_name}_display", read_only=True, **kwargs)


def display_name(user) -> str | None:
    return user.display_name if user is not None else None


class InspectionSerializer(serializers.ModelSerializer):
    level_label = label_of("level", help_text="级别（中文）")

    class Meta:
        model = Inspection
        fields = [
            "id",
            "code",
            "name",
            "level",
            "level_label",
            "round",
            "is_look_back",
            "parent",
            "start_date",
            "end_date",
        ]


# --- cases -----------------------------------------------------------------------------------------
class CaseListSerializer(serializers.ModelSerializer):
    inspection_code = serializers.CharField(source="inspection.code", read_only=True, help_text="督察编号")
    state_label = label_of("state", help_text="当前环节（中文）")
    lead_unit = UnitSerializer(read_only=True, allow_null=True)
    cooperating_units = UnitSerializer(many=True, read_only=True)
    locality = UnitSerializer(read_only=True, allow_null=True)
    pollution_types = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)

    class Meta:
        model = PetitionCase
        fields = [
            "id",
            "inspection",
            "inspection_code",
            "receipt_no",
            "batch",
            "transferred_on",
            "channel",
            "complaint",
            "locality",
            "pollution_types",
            "lead_unit",
            "cooperating_units",
            "handler",
            "standard",
            "deadline",
            "is_key",
            "state",
            "state_label",
            "version",
            "finding",
            "completion_status",
            "publicity_started_on",
            "closed_on",
            "created_at",
            "updated_at",
        ]


class CaseTransitionSerializer(serializers.ModelSerializer):
    actor = serializers.SerializerMethodField(help_text="操作人")

    class Meta:
        model = CaseTransition
        fields = ["id", "from_state", "to_state", "actor", "at", "reason"]

    def get_actor(self, obj) -> str | None:
        return display_name(obj.actor)


class CaseProgressSerializer(serializers.ModelSerializer):
    actor = serializers.SerializerMethodField(help_text="填报人")

    class Meta:
        model = ProgressEntry
        fields = ["id", "happened_on", "text", "actor", "created_at"]

    def get_actor(self, obj) -> str | None:
        return display_name(obj.actor)


class CaseDetailSerializer(CaseListSerializer):
    transitions = CaseTransitionSerializer(many=True, read_only=True)
    progress_entries = CaseProgressSerializer(many=True, read_only=True)
    complainant_contact = serializers.SerializerMethodField(
        help_text="举报人联系方式：仅协调组办公室和案件责任单位可见，其他账号为 null"
    )

    class Meta(CaseListSerializer.Meta):
        fields = [
            *CaseListSerializer.Meta.fields,
            "handler_phone",
            "case_leader",
            "case_leader_level",
            "key_leader",
            "work_plan",
            "investigation",
            "handling",
            "plan",
            "acceptance_category",
            "accountability",
            "points_investigated",
            "points_resolved",
            "violations_penalised",
            "accountability_done",
            "complainant_accepted",
            "completion_evidence",
            "is_repeat",
            "merge_no",
            "remarks",
            "complainant_contact",
            "transitions",
            "progress_entries",
        ]

    def get_complainant_contact(self, obj) -> str | None:
        return obj.complainant_contact if self.context.get("show_contact") else None


class CaseRecordSerializer(serializers.Serializer):
    """One case as a row of the transfer sheet; checked by the same parsers as the file import."""

    receipt_no = serializers.CharField(help_text="受理编号（在本督察中唯一）")
    complaint = serializers.CharField(help_text="交办问题基本情况")
    batch = serializers.CharField(required=False, help_text="交办批次，如 3 或 第3批")
    transferred_on = serializers.CharField(required=False, help_text="交办日期，如 2021-07-16")
    channel = serializers.CharField(required=False, help_text="举报方式（中文，如 来电）")
    locality = serializers.CharField(required=False, help_text="行政区域（单位名称、简称或别名）")
    pollution_types = serializers.ListField(
        child=serializers.CharField(), required=False, help_text="污染类型（词表中的名称）"
    )
    is_key = serializers.BooleanField(required=False, help_text="是否重点件")
    lead_unit = serializers.CharField(required=False, help_text="牵头责任单位（名称、简称或别名）")
    cooperating_units = serializers.ListField(
        child=serializers.CharField(), required=False, help_text="配合单位"
    )
    case_leader = serializers.CharField(required=False, help_text="包案领导")
    handler = serializers.CharField(required=False, help_text="具体负责人")
    deadline = serializers.CharField(required=False, help_text="整改时限，如 2021-12-31")
    remarks = serializers.CharField(required=False, help_text="备注")
    related = serializers.ListField(
        child=serializers.CharField(), required=False, help_text="重复关联件受理编号"
    )


class ChangeSerializer(serializers.Serializer):
    field = serializers.CharField(help_text="字段（中文）")
    old = serializers.CharField(help_text="原值")
    new = serializers.CharField(help_text="新值")


class HistoryEntrySerializer(serializers.Serializer):
    when = serializers.DateTimeField(help_text="时间（+08:00）")
    who = serializers.CharField(help_text="操作人（接口账号或个人）")
    kind = serializers.CharField(help_text="创建 / 修改 / 删除")
    reason = serializers.CharField(help_text="说明")
    changes = serializers.SerializerMethodField(help_text="字段变化")

    def get_changes(self, obj) -> list[dict]:
        return [{"field": f, "old": o, "new": n} for f, o, n in obj.changes]


class CaseCreateSerializer(serializers.Serializer):
    """新建案件：一件（cases 中一项）或一批（多项），全部保存或全部不保存。"""

    inspection = serializers.CharField(help_text="督察编号（code）")
    batch = serializers.IntegerField(required=False, min_value=1, help_text="交办批次（各件未填时使用）")
    cases = CaseRecordSerializer(many=True, help_text="案件，1–500 件")


class TransitionRequestSerializer(serializers.Serializer):
    to_state = serializers.ChoiceField(choices=CaseState.choices, help_text="目标环节")
    reason = serializers.CharField(required=False, allow_blank=True, default="", help_text="原因/说明")
    version = serializers.IntegerField(
        required=False, min_value=0, help_text="读取时案件的 version；给出时若案件已被他人更新则拒绝"
    )


class CaseProgressRequestSerializer(serializers.Serializer):
    happened_on = serializers.DateField(help_text="进展日期，不晚于今天")
    text = serializers.CharField(help_text="进展情况")


class AttachmentSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(
        source="get_kind_display", read_only=True, help_text="材料类型（中文）"
    )
    uploaded_by = serializers.SerializerMethodField(help_text="上传人")
    download = serializers.SerializerMethodField(help_text="下载地址（需同样的令牌或登录会话）")

    class Meta:
        model = Attachment
        fields = [
            "id",
            "kind",
            "kind_label",
            "photo_stage",
            "pair_label",
            "title",
            "original_name",
            "content_type",
            "size",
            "sha256",
            "progress",
            "uploaded_by",
            "uploaded_at",
            "download",
        ]
        extra_kwargs = {
            "progress": {"help_text": "所属办理进展的 id（随进展上传的材料），否则为 null"},
            "sha256": {"help_text": "保存后文件内容的 SHA-256（图片经重新编码）"},
        }

    def get_uploaded_by(self, obj) -> str | None:
        return display_name(obj.uploaded_by)

    def get_download(self, obj) -> str:
        return f"/api/v1/cases/{obj.case_id}/evidence/{obj.pk}/file"


class AttachmentUploadSerializer(serializers.Serializer):
    # Parses the form only; the file itself is checked by the domain (cases.domain.evidence).
    file = serializers.FileField(
        help_text="文件（可多次给出 file 一次上传多个，全部通过检查才保存）：图片、PDF 或 Office 文档"
    )
    kind = serializers.ChoiceField(choices=AttachmentKind.choices, help_text="材料类型；现场照片只接受图片")
    title = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=200, help_text="说明"
    )
    photo_stage = serializers.ChoiceField(
        choices=PhotoStage.choices,
        required=False,
        default=PhotoStage.NONE,
        help_text="整改前后（仅现场照片）",
    )
    pair_label = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=50, help_text="对比点位（整改前后成对显示）"
    )


# --- tasks -----------------------------------------------------------------------------------------
class MilestoneSerializer(serializers.ModelSerializer):
    class Meta:
        model = Milestone
        fields = ["id", "due", "description", "done_on"]


class MeasureSerializer(serializers.ModelSerializer):
    kind_label = label_of("kind", help_text="措施类别（中文）")
    milestones = MilestoneSerializer(many=True, read_only=True)
    responsible_unit = UnitSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Measure
        fields = [
            "id",
            "seq",
            "kind",
            "kind_label",
            "content",
            "responsible_unit",
            "responsible_person",
            "deadline",
            "done",
            "done_on",
            "evidence",
            "milestones",
        ]


class TaskProgressSerializer(serializers.ModelSerializer):
    reported_by = serializers.SerializerMethodField(help_text="报告人")

    class Meta:
        model = ProgressReport
        fields = ["id", "measure", "reported_on", "text", "percent", "reported_by", "created_at"]

    def get_reported_by(self, obj) -> str | None:
        return display_name(obj.reported_by)


class TaskListSerializer(serializers.ModelSerializer):
    inspection_code = serializers.CharField(source="inspection.code", read_only=True, help_text="督察编号")
    status_label = label_of("status", help_text="任务状态（中文）")
    lead_unit = UnitSerializer(read_only=True)
    cooperating_units = UnitSerializer(many=True, read_only=True)

    class Meta:
        model = RectificationTask
        fields = [
            "id",
            "inspection",
            "inspection_code",
            "number",
            "seq",
            "problem",
            "target",
            "lead_unit",
            "cooperating_units",
            "responsible_person",
            "standard",
            "deadline",
            "status",
            "status_label",
            "created_at",
            "updated_at",
        ]


class TaskStepSerializer(serializers.ModelSerializer):
    actor = serializers.SerializerMethodField(help_text="操作人")

    class Meta:
        model = TaskStepRecord
        fields = ["id", "step", "from_status", "to_status", "actor", "at", "on_date", "note"]

    def get_actor(self, obj) -> str | None:
        return display_name(obj.actor)


class TaskDetailSerializer(TaskListSerializer):
    measures = MeasureSerializer(many=True, read_only=True)
    progress_reports = TaskProgressSerializer(many=True, read_only=True)
    steps = TaskStepSerializer(many=True, read_only=True)

    class Meta(TaskListSerializer.Meta):
        fields = [*TaskListSerializer.Meta.fields, "measures", "progress_reports", "steps"]


class TaskProgressRequestSerializer(serializers.Serializer):
    reported_on = serializers.DateField(help_text="报告日期，不晚于今天")
    text = serializers.CharField(help_text="进展情况")
    percent = serializers.IntegerField(min_value=0, max_value=100, help_text="完成比例（%）")
    measure = serializers.IntegerField(required=False, allow_null=True, help_text="所涉措施 id（可选）")


# --- acceptance --------------------------------------------------------------------------------------
class StepSerializer(serializers.ModelSerializer):
    kind_label = label_of("kind", help_text="环节（中文）")
    outcome_label = label_of("outcome", help_text="结果（中文）")
    receipt_no = serializers.CharField(source="case.receipt_no", read_only=True, help_text="受理编号")

    class Meta:
        model = Step
        fields = [
            "id",
            "case",
            "receipt_no",
            "kind",
            "kind_label",
            "round",
            "starts_on",
            "done_on",
            "outcome",
            "outcome_label",
            "reasons",
            "created_at",
        ]


class SignatureSerializer(serializers.ModelSerializer):
    signer = serializers.SerializerMethodField(help_text="签字人")

    class Meta:
        model = Signature
        fields = ["id", "signer", "signed_at", "content_sha256", "void", "void_reason", "voided_at"]

    def get_signer(self, obj) -> str | None:
        return display_name(obj.signer)


class SlotSerializer(serializers.ModelSerializer):
    role_label = label_of("role", help_text="签字栏（中文）")
    user = serializers.SerializerMethodField(help_text="指定签字人")
    signatures = SignatureSerializer(many=True, read_only=True)

    class Meta:
        model = SignatureSlot
        fields = ["id", "role", "role_label", "user", "member_unit", "member_post", "order", "signatures"]

    def get_user(self, obj) -> str | None:
        return display_name(obj.user)


class FormSerializer(serializers.ModelSerializer):
    kind_label = label_of("kind", help_text="表单（中文）")
    case = serializers.IntegerField(source="step.case_id", read_only=True, help_text="案件 id")
    slots = SlotSerializer(many=True, read_only=True)

    class Meta:
        model = OpinionForm
        fields = [
            "id",
            "step",
            "case",
            "kind",
            "kind_label",
            "form_date",
            "unit_name",
            "accepted_on",
            "reviewed_on",
            "statement",
            "opinion_finding",
            "opinion_rectification",
            "opinion_penalty",
            "opinion_satisfaction",
            "opinion_accountability",
            "updated_at",
            "slots",
        ]


# --- supervision -------------------------------------------------------------------------------------
class WarningSerializer(serializers.ModelSerializer):
    level_label = label_of("level", help_text="预警等级（中文）")
    state_label = label_of("state", help_text="处理状态（中文）")

    class Meta:
        model = EarlyWarning
        fields = [
            "id",
            "task",
            "case",
            "unit",
            "level",
            "level_label",
            "deadline",
            "raised_on",
            "reason",
            "state",
            "state_label",
            "resolved_on",
        ]


class LetterSerializer(serializers.ModelSerializer):
    number = serializers.SerializerMethodField(help_text="督办函编号")
    state_label = label_of("state", help_text="状态（中文）")

    class Meta:
        model = SupervisionLetter
        fields = [
            "id",
            "number",
            "task",
            "case",
            "unit",
            "warning",
            "issued_on",
            "reply_deadline",
            "facts",
            "requirements",
            "state",
            "state_label",
            "reply",
            "replied_at",
        ]

    def get_number(self, obj) -> str:
        return str(getattr(obj, "number", f"{obj.year}-{obj.serial}"))


class ReportSerializer(serializers.ModelSerializer):
    kind_label = label_of("kind", help_text="类型（中文）")

    class Meta:
        model = Report
        fields = ["id", "kind", "kind_label", "period_start", "period_end", "created_at", "sent_at"]


class ReportDetailSerializer(ReportSerializer):
    data = serializers.SerializerMethodField(help_text="报告生成时的数据快照（单位账号只含本单位部分）")

    class Meta(ReportSerializer.Meta):
        fields = [*ReportSerializer.Meta.fields, "data"]

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_data(self, obj):
        return self.context.get("data", obj.data)


class UnitResultSerializer(serializers.Serializer):
    unit = UnitSerializer()
    year = serializers.IntegerField(help_text="年度")
    count = serializers.IntegerField(help_text="计分案件数")
    reviewed = serializers.IntegerField(help_text="已复核案件数")
    pending = serializers.IntegerField(help_text="自评未提交案件数")
    average = serializers.SerializerMethodField(help_text="平均分（两位小数，四舍五入）")
    verdict = serializers.CharField(help_text="认定为“不合格”时为“不合格”，否则为空")
    rank = serializers.IntegerField(allow_null=True, help_text="名次")
    grades = serializers.DictField(child=serializers.IntegerField(), help_text="整改任务等次计数")

    def get_average(self, obj) -> str | None:
        from decimal import ROUND_HALF_UP, Decimal

        if obj.average is None:
            return None
        value = Decimal(obj.average.numerator) / Decimal(obj.average.denominator)
        return str(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


# --- events --------------------------------------------------------------------------------------------
class EventSerializer(serializers.Serializer):
    id = serializers.CharField(help_text="事件标识（来源:编号），全局唯一")
    type = serializers.CharField(help_text="事件类型，如 case.state_changed")
    at = serializers.DateTimeField(help_text="发生时间（+08:00）")
    object_type = serializers.CharField(help_text="对象类型：case / task / form / warning")
    object_id = serializers.IntegerField(help_text="对象 id")
    actor = serializers.CharField(allow_null=True, help_text="操作人（系统作业为 null）")
    data = serializers.DictField(help_text="事件内容")


class EventPageSerializer(serializers.Serializer):
    events = EventSerializer(many=True)
    next = serializers.CharField(help_text="下一页游标：下次请求 ?after=<next>")
    has_more = serializers.BooleanField(help_text="是否还有更多事件（为 true 时立即再取）")


class ErrorItemSerializer(serializers.Serializer):
    field = serializers.CharField(allow_null=True, help_text="出错字段，整体错误为 null")
    code = serializers.CharField(help_text="错误代码")
    message = serializers.CharField(help_text="中文说明")
    row = serializers.IntegerField(required=False, help_text="批量新建时出错的行（从 1 开始）")


class ErrorSerializer(serializers.Serializer):
    errors = ErrorItemSerializer(many=True)
