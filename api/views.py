"""The exchange API, /api/v1/ (docs/api.md).

Every read starts from the same scoped query the pages use (``*_visible_to(user)``), so another
unit's object by id is a 404 here exactly as on its page; every write calls the page's domain
verb with the account as actor, so the same rule refuses with the same Chinese message.
"""

import hashlib
import time

import django_filters
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import generics, status
from rest_framework.pagination import CursorPagination
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from acceptance.domain.queries import forms_visible_to, steps_visible_to
from cases.domain import transitions
from cases.domain.evidence import Upload, add_attachments, add_progress
from cases.domain.importing import HEADER_INDEX, create_cases
from cases.domain.queries import PERSONAL_FIELDS, cases_visible_to, for_detail, for_list
from cases.enums import AttachmentKind, PhotoStage
from cases.filters import CaseFilter
from cases.models import Attachment, CaseTransition, ProgressEntry
from org.models import Inspection, Unit
from org.permissions import access_of, can_change_units
from qianshan.common.errors import DomainError
from qianshan.common.excel import xlsx_response
from qianshan.common.history import history_of
from qianshan.common.pdf import pdf_response
from qianshan.common.sheets import normalise
from qianshan.common.uploads import read_upload, stored_file_response
from rectification.domain import queries as task_queries
from rectification.domain.services import report_progress
from rectification.models import Measure, ProgressReport
from scoring.domain.queries import year_results
from supervision.domain.queries import letters_visible_to, reports_visible_to, warnings_visible_to
from supervision.domain.report_units import sections_visible_to
from supervision.domain.reports import dispatch_for_units
from supervision.enums import ReportKind
from supervision.exporters import report_sheets

from . import serializers as s
from .domain import events as event_feed
from .domain.idempotency import HEADER as IDEMPOTENCY_HEADER
from .domain.idempotency import run_once
from .errors import ApiError, error
from .models import ApiCall
from .permissions import HasResourceScope, client_of
from .scopes import Resource

ERRORS = {
    400: OpenApiResponse(s.ErrorSerializer, description="请求有误或被业务规则拒绝"),
    401: OpenApiResponse(s.ErrorSerializer, description="未提供令牌，或令牌无效、过期、已吊销"),
    403: OpenApiResponse(s.ErrorSerializer, description="令牌没有该资源的权限"),
    404: OpenApiResponse(s.ErrorSerializer, description="不存在，或不在本账号的数据范围内"),
    429: OpenApiResponse(s.ErrorSerializer, description="调用过于频繁"),
}
READ_ERRORS = {k: v for k, v in ERRORS.items() if k != 400}
IDEMPOTENCY_PARAM = OpenApiParameter(
    IDEMPOTENCY_HEADER,
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description="幂等键（可选，建议）：同一键重试只会新建一次，并返回第一次的结果",
)


class ApiView(APIView):
    # What every endpoint shares: token/session auth, scopes, throttling, and a call log row.
    # (A comment, not a docstring: a docstring would become every endpoint's description.)

    api_resource = Resource.CASES
    permission_classes = [HasResourceScope]

    def initial(self, request, *args, **kwargs):
        self._started = time.monotonic()
        super().initial(request, *args, **kwargs)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        user = getattr(request, "_user", None)
        auth = getattr(request, "_auth", None)
        started = getattr(self, "_started", None)
        ApiCall.objects.create(
            client=client_of(request) if auth is not None else None,
            user=user if user is not None and user.is_authenticated else None,
            method=request.method[:10],
            path=request.get_full_path()[:300],
            status=response.status_code,
            duration_ms=int((time.monotonic() - started) * 1000) if started else 0,
        )
        return response


def by_id(pk: str) -> dict:
    """A lookup for a path id that may not be a number (never a 500 for /cases/abc)."""
    return {"pk": int(pk)} if pk.isdigit() else {"pk__in": []}


class Cursor(CursorPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    ordering = "id"
    page_size_query_description = "每页条数（默认 50，最多 200）"
    cursor_query_description = "分页游标：使用上一页返回的 next 链接"


class CaseCursor(Cursor):
    ordering_param = "ordering"

    def get_ordering(self, request, queryset, view):
        wanted = request.query_params.get("ordering", "id")
        if wanted not in CASE_ORDERINGS:
            raise ApiError([error("排序字段无效，可选：" + "、".join(CASE_ORDERINGS), field="ordering")])
        return (wanted, "id") if wanted.lstrip("-") != "id" else (wanted,)


CASE_ORDERINGS = ("id", "-id", "receipt_no", "-receipt_no", "updated_at", "-updated_at")


class ApiCaseFilter(CaseFilter):
    """The case list page's filters; ids for inspection/unit/locality/pollution type."""

    unit = extend_schema_field(OpenApiTypes.INT)(
        django_filters.ModelChoiceFilter(
            label="责任单位（id，含配合单位）", queryset=Unit.objects.all(), method="filter_unit"
        )
    )


# --- inspections ------------------------------------------------------------------------------
@extend_schema_view(
    get=extend_schema(
        summary="督察轮次列表", responses={200: s.InspectionSerializer(many=True), **READ_ERRORS}
    )
)
class InspectionList(ApiView, generics.ListAPIView):
    """督察轮次：所有账号可读（不含单位数据）。"""

    api_resource = Resource.INSPECTIONS
    serializer_class = s.InspectionSerializer
    pagination_class = Cursor
    queryset = Inspection.objects.all()


# --- cases --------------------------------------------------------------------------------------
class CaseList(ApiView, generics.ListAPIView):
    """信访举报案件：列表（与案件列表页相同的筛选、游标分页）与新建（一件或一批）。"""

    serializer_class = s.CaseListSerializer
    pagination_class = CaseCursor
    filter_backends = [DjangoFilterBackend]
    filterset_class = ApiCaseFilter

    def get_queryset(self):
        return for_list(cases_visible_to(self.request.user))

    @extend_schema(
        summary="案件列表",
        parameters=[OpenApiParameter("ordering", OpenApiTypes.STR, enum=CASE_ORDERINGS, description="排序")],
        responses={200: s.CaseListSerializer(many=True), **ERRORS},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        summary="新建案件（一件或一批）",
        description=(
            "按交办单导入的同一校验新建案件：任何一行有错则全部不保存，错误逐条给出行号（row）和字段（field）。"
            "仅协调组办公室账号可新建。受理编号在本督察中已存在时拒绝。"
        ),
        request=s.CaseCreateSerializer,
        parameters=[IDEMPOTENCY_PARAM],
        responses={201: s.CaseListSerializer(many=True), 200: s.CaseListSerializer(many=True), **ERRORS},
    )
    def post(self, request, *args, **kwargs):
        if not access_of(request.user).writes_all:
            raise ApiError([error("只有协调组办公室可以新建案件。", code="permission_denied")], 403)
        body = s.CaseCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        key = request.headers.get(IDEMPOTENCY_HEADER)
        code, payload, replayed = run_once(request, key, lambda: self._create(request, body.validated_data))
        return Response(payload, status=status.HTTP_200_OK if replayed else code)

    def _create(self, request, data) -> tuple[int, dict]:
        inspection = Inspection.objects.filter(code=data["inspection"]).first()
        if inspection is None:
            raise ApiError([error(f"督察“{data['inspection']}”不存在。", field="inspection")])
        records = data["cases"]
        if not 1 <= len(records) <= 500:
            raise ApiError([error("每次新建 1–500 件。", field="cases")])
        report, created = create_cases(records, inspection, actor=request.user, batch=data.get("batch"))
        if report.problems:
            raise ApiError([_problem(p) for p in report.problems])
        rows = for_list(cases_visible_to(request.user)).filter(pk__in=[c.pk for c in created]).order_by("id")
        return status.HTTP_201_CREATED, s.CaseListSerializer(rows, many=True).data


def _problem(problem) -> dict:
    column = HEADER_INDEX.get(normalise(problem.column))
    field = column.key if column is not None else (problem.column or None)
    value = f"（“{problem.value}”）" if problem.value and problem.value not in problem.message else ""
    return error(problem.message + value, field=field, code="invalid", row=problem.row or None)


def _case_context(request, case) -> dict:
    show = access_of(request.user).writes_all or can_change_units(request.user, case.unit_ids)
    return {"request": request, "show_contact": show}


def _detail_case(request, **lookup):
    qs = for_detail(cases_visible_to(request.user)).prefetch_related("transitions__actor")
    return get_object_or_404(qs, **lookup)


@extend_schema(summary="案件详情（按 id）", responses={200: s.CaseDetailSerializer, **READ_ERRORS})
class CaseDetail(ApiView):
    """案件详情；他单位的案件返回 404，与案件页面一致。"""

    def get(self, request, pk):
        case = _detail_case(request, **by_id(pk))
        return Response(s.CaseDetailSerializer(case, context=_case_context(request, case)).data)


@extend_schema(
    summary="案件详情（按受理编号）",
    parameters=[
        OpenApiParameter(
            "inspection", OpenApiTypes.STR, description="督察编号；受理编号在多个督察中重复时必填"
        )
    ],
    responses={200: s.CaseDetailSerializer, **ERRORS},
)
class CaseByReceipt(ApiView):
    """以受理编号取案件。"""

    def get(self, request, receipt_no):
        qs = cases_visible_to(request.user).filter(receipt_no=receipt_no)
        code = request.query_params.get("inspection")
        if code:
            qs = qs.filter(inspection__code=code)
        pks = list(qs.values_list("pk", flat=True)[:2])
        if len(pks) > 1:
            raise ApiError(
                [error("该受理编号在多个督察中存在，请用 inspection 参数指定督察编号。", field="inspection")]
            )
        case = _detail_case(request, pk__in=pks)
        return Response(s.CaseDetailSerializer(case, context=_case_context(request, case)).data)


@extend_schema(
    summary="案件流转",
    description="与案件页面的流转按钮调用同一状态机；被拒绝时返回与页面相同的中文说明（code=refused）。",
    request=s.TransitionRequestSerializer,
    responses={200: s.CaseDetailSerializer, **ERRORS},
)
class CaseTransitions(ApiView):
    """按页面按钮的同一规则流转案件；操作人记为接口账号。"""

    def post(self, request, pk):
        case = get_object_or_404(for_list(cases_visible_to(request.user)), **by_id(pk))
        body = s.TransitionRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        version = body.validated_data.get("version")
        if version is not None and version != case.version:
            raise ApiError(
                [error("案件已被他人更新，请查看最新情况后再操作。", field="version", code="conflict")], 409
            )
        transitions.fire(
            case, body.validated_data["to_state"], actor=request.user, reason=body.validated_data["reason"]
        )
        case = _detail_case(request, pk=case.pk)
        return Response(s.CaseDetailSerializer(case, context=_case_context(request, case)).data)


class CaseProgress(ApiView):
    """案件办理进展：读取与填报（与案件页面“最新进展”相同的规则）。"""

    @extend_schema(
        summary="案件进展列表", responses={200: s.CaseProgressSerializer(many=True), **READ_ERRORS}
    )
    def get(self, request, pk):
        case = get_object_or_404(cases_visible_to(request.user), **by_id(pk))
        entries = ProgressEntry.objects.filter(case=case).select_related("actor")
        return Response(s.CaseProgressSerializer(entries, many=True).data)

    @extend_schema(
        summary="填报案件进展",
        request=s.CaseProgressRequestSerializer,
        parameters=[IDEMPOTENCY_PARAM],
        responses={201: s.CaseProgressSerializer, 200: s.CaseProgressSerializer, **ERRORS},
    )
    def post(self, request, pk):
        case = get_object_or_404(for_list(cases_visible_to(request.user)), **by_id(pk))
        body = s.CaseProgressRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)

        def write():
            entry = add_progress(case, actor=request.user, **body.validated_data)
            return status.HTTP_201_CREATED, s.CaseProgressSerializer(entry).data

        code, payload, replayed = run_once(request, request.headers.get(IDEMPOTENCY_HEADER), write)
        return Response(payload, status=status.HTTP_200_OK if replayed else code)


@extend_schema(summary="案件修改历史", responses={200: s.HistoryEntrySerializer(many=True), **READ_ERRORS})
class CaseHistory(ApiView):
    """案件的修改历史（谁、何时、改了什么），与案件页面的历史相同；个人信息的变化只对可见者显示。"""

    def get(self, request, pk):
        case = get_object_or_404(for_list(cases_visible_to(request.user)), **by_id(pk))
        hidden = frozenset() if _case_context(request, case)["show_contact"] else PERSONAL_FIELDS
        return Response(s.HistoryEntrySerializer(history_of(case, hidden=hidden), many=True).data)


@extend_schema(summary="案件流转记录", responses={200: s.CaseTransitionSerializer(many=True), **READ_ERRORS})
class CaseTransitionLog(ApiView):
    """案件的状态流转记录（谁、何时、从哪个环节到哪个环节、原因）。"""

    def get(self, request, pk):
        case = get_object_or_404(cases_visible_to(request.user), **by_id(pk))
        rows = CaseTransition.objects.filter(case=case).select_related("actor")
        return Response(s.CaseTransitionSerializer(rows, many=True).data)


class FileRenderer(BaseRenderer):
    # Lets a download endpoint accept "Accept: <its file type>"; the file itself is returned as a
    # plain Django response, so only an error body (a dict) is ever rendered here, as JSON.
    media_type = "application/octet-stream"
    format = "file"
    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return JSONRenderer().render(data)


class ImageRenderer(FileRenderer):
    media_type = "image/*"
    format = "image"


class PdfRenderer(FileRenderer):
    media_type = "application/pdf"
    format = "pdf"


class XlsxRenderer(FileRenderer):
    media_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    format = "xlsx"


class CaseEvidence(ApiView):
    """案件的证据材料（附件）：读取与上传（与案件页面“材料”上传相同的检查和规则）。"""

    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        summary="案件证据材料列表",
        description="案件的全部证据材料（含随进展上传的），按上传先后排列；每项的 download 为下载地址。",
        responses={200: s.AttachmentSerializer(many=True), **READ_ERRORS},
    )
    def get(self, request, pk):
        case = get_object_or_404(cases_visible_to(request.user), **by_id(pk))
        rows = (
            Attachment.objects.filter(case=case).select_related("uploaded_by").order_by("uploaded_at", "id")
        )
        return Response(s.AttachmentSerializer(rows, many=True).data)

    @extend_schema(
        summary="上传案件证据材料",
        description=(
            "multipart/form-data 上传，与案件页面上传材料经过同一检查：按文件内容（而非扩展名）判断类型，"
            "图片重新编码，PDF 和 Office 文件整体检查，现场照片只接受图片；超过大小上限或格式不符时拒绝"
            "（field 为 file，中文说明指出文件名和原因），一次上传多个文件时任何一个不合格则都不保存。"
            "只有案件责任单位（及协调组办公室）可以上传；修改历史记录接口账号为操作人。"
        ),
        request={"multipart/form-data": s.AttachmentUploadSerializer},
        parameters=[IDEMPOTENCY_PARAM],
        responses={201: s.AttachmentSerializer(many=True), 200: s.AttachmentSerializer(many=True), **ERRORS},
    )
    def post(self, request, pk):
        case = get_object_or_404(for_list(cases_visible_to(request.user)), **by_id(pk))
        body = s.AttachmentUploadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        files = request.FILES.getlist("file")
        uploads = []
        for f in files:
            name, content = read_upload(f, field="file")
            uploads.append(
                Upload(
                    name=name,
                    data=content,
                    kind=data["kind"],
                    photo_stage=data["photo_stage"]
                    if data["kind"] == AttachmentKind.PHOTO
                    else PhotoStage.NONE,
                    pair_label=data["pair_label"],
                    title=data["title"],
                )
            )
        fingerprint = {
            "kind": data["kind"],
            "title": data["title"],
            "photo_stage": data["photo_stage"],
            "pair_label": data["pair_label"],
            "file": [(u.name, hashlib.sha256(u.data).hexdigest()) for u in uploads],
        }

        def write():
            saved = add_attachments(case, uploads, actor=request.user)
            return status.HTTP_201_CREATED, s.AttachmentSerializer(saved, many=True).data

        code, payload, replayed = run_once(
            request, request.headers.get(IDEMPOTENCY_HEADER), write, fingerprint=fingerprint
        )
        return Response(payload, status=status.HTTP_200_OK if replayed else code)


@extend_schema(exclude=True)
class CaseEvidenceSlash(CaseEvidence):
    """同上（地址末尾带斜杠）。"""


@extend_schema(
    summary="下载案件证据材料",
    description="返回保存的文件本身（图片、PDF 内联显示，其他作为附件下载）；与案件页面相同的访问检查。",
    responses={
        (200, "application/octet-stream"): OpenApiTypes.BINARY,
        (200, "image/*"): OpenApiTypes.BINARY,
        (200, "application/pdf"): OpenApiTypes.BINARY,
        **READ_ERRORS,
    },
)
class CaseEvidenceFile(ApiView):
    """下载一件证据材料；他单位案件的材料返回 404。"""

    renderer_classes = [JSONRenderer, FileRenderer, ImageRenderer, PdfRenderer]

    def get(self, request, pk, eid):
        case = get_object_or_404(cases_visible_to(request.user), **by_id(pk))
        attachment = get_object_or_404(Attachment.objects.filter(case=case), **by_id(eid))
        return stored_file_response(
            attachment.file, content_type=attachment.content_type, name=attachment.original_name
        )


# --- tasks -----------------------------------------------------------------------------------------
@extend_schema_view(
    get=extend_schema(summary="整改任务列表", responses={200: s.TaskListSerializer(many=True), **READ_ERRORS})
)
class TaskList(ApiView, generics.ListAPIView):
    """本账号可见的整改任务，游标分页。"""

    api_resource = Resource.TASKS
    serializer_class = s.TaskListSerializer
    pagination_class = Cursor

    def get_queryset(self):
        return (
            task_queries.tasks_visible_to(self.request.user)
            .select_related("inspection", "lead_unit")
            .prefetch_related("cooperating_units")
        )


def _detail_task(request, pk):
    qs = task_queries.for_list(task_queries.tasks_visible_to(request.user)).prefetch_related(
        "progress_reports__reported_by", "steps__actor"
    )
    return get_object_or_404(qs, **by_id(pk))


@extend_schema(
    summary="整改任务详情（含措施、时间节点、进展）", responses={200: s.TaskDetailSerializer, **READ_ERRORS}
)
class TaskDetail(ApiView):
    """整改任务详情，含整改措施、时间节点、进展和销号环节。"""

    api_resource = Resource.TASKS

    def get(self, request, pk):
        return Response(s.TaskDetailSerializer(_detail_task(request, pk)).data)


class TaskProgress(ApiView):
    """整改进展：读取与填报（与任务页面相同的规则）。"""

    api_resource = Resource.TASKS

    @extend_schema(
        summary="整改进展列表", responses={200: s.TaskProgressSerializer(many=True), **READ_ERRORS}
    )
    def get(self, request, pk):
        task = get_object_or_404(task_queries.tasks_visible_to(request.user), **by_id(pk))
        rows = ProgressReport.objects.filter(task=task).select_related("reported_by")
        return Response(s.TaskProgressSerializer(rows, many=True).data)

    @extend_schema(
        summary="填报整改进展",
        request=s.TaskProgressRequestSerializer,
        parameters=[IDEMPOTENCY_PARAM],
        responses={201: s.TaskProgressSerializer, 200: s.TaskProgressSerializer, **ERRORS},
    )
    def post(self, request, pk):
        task = get_object_or_404(
            task_queries.tasks_visible_to(request.user).prefetch_related("cooperating_units"), **by_id(pk)
        )
        body = s.TaskProgressRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        measure_id = data.pop("measure", None)
        measure = None
        if measure_id is not None:
            measure = Measure.objects.filter(pk=measure_id, task=task).first()
            if measure is None:
                raise DomainError("所选措施不属于该整改任务。", field="measure")

        def write():
            with transaction.atomic():
                report = report_progress(task, actor=request.user, measure=measure, **data)
            return status.HTTP_201_CREATED, s.TaskProgressSerializer(report).data

        code, payload, replayed = run_once(request, request.headers.get(IDEMPOTENCY_HEADER), write)
        return Response(payload, status=status.HTTP_200_OK if replayed else code)


# --- acceptance ------------------------------------------------------------------------------------
def _forms(user):
    return (
        forms_visible_to(user)
        .select_related("step")
        .prefetch_related(
            "slots__user",
            "slots__signatures__signer",
        )
    )


@extend_schema_view(
    get=extend_schema(summary="验收复核环节列表", responses={200: s.StepSerializer(many=True), **READ_ERRORS})
)
class StepList(ApiView, generics.ListAPIView):
    """验收复核环节（只读；签字须由本人在浏览器中完成）。"""

    api_resource = Resource.ACCEPTANCE
    serializer_class = s.StepSerializer
    pagination_class = Cursor

    def get_queryset(self):
        return steps_visible_to(self.request.user).select_related("case")


@extend_schema_view(
    get=extend_schema(summary="验收复核环节详情", responses={200: s.StepSerializer, **READ_ERRORS})
)
class StepDetail(ApiView, generics.RetrieveAPIView):
    """验收复核环节详情。"""

    api_resource = Resource.ACCEPTANCE
    serializer_class = s.StepSerializer

    def get_object(self):
        return get_object_or_404(
            steps_visible_to(self.request.user).select_related("case"), **by_id(self.kwargs["pk"])
        )


@extend_schema_view(
    get=extend_schema(
        summary="验收意见/复核责任书列表", responses={200: s.FormSerializer(many=True), **READ_ERRORS}
    )
)
class FormList(ApiView, generics.ListAPIView):
    """本账号可见的验收意见和复核责任书。"""

    api_resource = Resource.ACCEPTANCE
    serializer_class = s.FormSerializer
    pagination_class = Cursor

    def get_queryset(self):
        return _forms(self.request.user)


@extend_schema_view(
    get=extend_schema(summary="表单详情（含签字栏与签字）", responses={200: s.FormSerializer, **READ_ERRORS})
)
class FormDetail(ApiView, generics.RetrieveAPIView):
    """验收意见或复核责任书，含签字栏和签字（只读；签字须本人在浏览器中完成）。"""

    api_resource = Resource.ACCEPTANCE
    serializer_class = s.FormSerializer

    def get_object(self):
        return get_object_or_404(_forms(self.request.user), **by_id(self.kwargs["pk"]))


# --- supervision -----------------------------------------------------------------------------------
@extend_schema_view(
    get=extend_schema(summary="预警列表", responses={200: s.WarningSerializer(many=True), **READ_ERRORS})
)
class WarningList(ApiView, generics.ListAPIView):
    """本账号可见的预警。"""

    api_resource = Resource.SUPERVISION
    serializer_class = s.WarningSerializer
    pagination_class = Cursor

    def get_queryset(self):
        return warnings_visible_to(self.request.user)


@extend_schema_view(
    get=extend_schema(summary="预警详情", responses={200: s.WarningSerializer, **READ_ERRORS})
)
class WarningDetail(ApiView, generics.RetrieveAPIView):
    """预警详情。"""

    api_resource = Resource.SUPERVISION
    serializer_class = s.WarningSerializer

    def get_object(self):
        return get_object_or_404(warnings_visible_to(self.request.user), **by_id(self.kwargs["pk"]))


@extend_schema_view(
    get=extend_schema(summary="督办函列表", responses={200: s.LetterSerializer(many=True), **READ_ERRORS})
)
class LetterList(ApiView, generics.ListAPIView):
    """本账号可见的督办函。"""

    api_resource = Resource.SUPERVISION
    serializer_class = s.LetterSerializer
    pagination_class = Cursor

    def get_queryset(self):
        return letters_visible_to(self.request.user)


@extend_schema_view(
    get=extend_schema(summary="督办函详情", responses={200: s.LetterSerializer, **READ_ERRORS})
)
class LetterDetail(ApiView, generics.RetrieveAPIView):
    """督办函详情。"""

    api_resource = Resource.SUPERVISION
    serializer_class = s.LetterSerializer

    def get_object(self):
        return get_object_or_404(letters_visible_to(self.request.user), **by_id(self.kwargs["pk"]))


# --- reports and scoring ---------------------------------------------------------------------------
@extend_schema_view(
    get=extend_schema(summary="调度报告列表", responses={200: s.ReportSerializer(many=True), **READ_ERRORS})
)
class ReportList(ApiView, generics.ListAPIView):
    """本账号可见的调度报告（日调度、周报、月报）。"""

    api_resource = Resource.REPORTS
    serializer_class = s.ReportSerializer
    pagination_class = Cursor

    def get_queryset(self):
        return reports_visible_to(self.request.user)


@extend_schema(summary="调度报告详情（含数据快照）", responses={200: s.ReportDetailSerializer, **READ_ERRORS})
class ReportDetail(ApiView):
    """调度报告及其数据快照；单位账号的日调度只含本单位部分。"""

    api_resource = Resource.REPORTS

    def get(self, request, pk):
        report = _visible_report(request, pk, whole=False)
        return Response(s.ReportDetailSerializer(report, context={"data": report.data}).data)


def _visible_report(request, pk, *, whole: bool = True):
    """The report as its page shows it to this account: a unit account's daily dispatch holds only
    its own units' sections and totals; of a weekly or monthly report a unit account gets only its
    own units' sections (``whole`` — the report's files — is a 404); a report the page does not
    show is a 404."""
    report = get_object_or_404(reports_visible_to(request.user), **by_id(pk))
    access = access_of(request.user)
    if report.kind != ReportKind.DAILY and not access.reads_all:
        if whole:
            raise Http404
        report.data = {"unit_sections": [sec.data for sec in sections_visible_to(report, access)]}
    elif report.kind == ReportKind.DAILY and not access.reads_all:
        report.data = dispatch_for_units(report.data, access.unit_ids)  # as the report page does
    return report


def _report_filename(report, extension: str) -> str:
    return f"{report.get_kind_display()}_{report.period_start.isoformat()}.{extension}"


@extend_schema(
    summary="下载调度报告（Excel）",
    description="与报告页面“导出 Excel”相同的工作簿；单位账号的日调度只含本单位部分，看不到的报告返回 404。",
    responses={(200, XlsxRenderer.media_type): OpenApiTypes.BINARY, **READ_ERRORS},
)
class ReportXlsx(ApiView):
    """调度报告的 Excel 工作簿。"""

    api_resource = Resource.REPORTS
    renderer_classes = [JSONRenderer, XlsxRenderer]

    def get(self, request, pk):
        report = _visible_report(request, pk)
        return xlsx_response(_report_filename(report, "xlsx"), report_sheets(report))


@extend_schema(
    summary="下载调度报告（PDF）",
    description="与报告页面“导出 PDF”相同的文件；单位账号的日调度只含本单位部分，看不到的报告返回 404。",
    responses={(200, PdfRenderer.media_type): OpenApiTypes.BINARY, **READ_ERRORS},
)
class ReportPdf(ApiView):
    """调度报告的 PDF 文件。"""

    api_resource = Resource.REPORTS
    renderer_classes = [JSONRenderer, PdfRenderer]

    def get(self, request, pk):
        report = _visible_report(request, pk)
        return pdf_response(
            _report_filename(report, "pdf"),
            "pdf/supervision_report.html",
            {"report": report, "data": report.data},
        )


@extend_schema(
    summary="年度考核结果",
    parameters=[OpenApiParameter("year", OpenApiTypes.INT, description="年度，默认上一年")],
    responses={200: s.UnitResultSerializer(many=True), **ERRORS},
)
class ScoringResults(ApiView):
    """各单位年度考核结果（单位账号只见本单位）。"""

    api_resource = Resource.SCORING

    def get(self, request):
        raw = request.query_params.get("year", "")
        if raw and not (raw.isdigit() and 2000 <= int(raw) <= 2100):
            raise ApiError([error("年度须为 2000–2100 之间的整数。", field="year")])
        year = int(raw) if raw else timezone.localdate().year - 1
        return Response(s.UnitResultSerializer(year_results(request.user, year), many=True).data)


# --- change feed ----------------------------------------------------------------------------------
@extend_schema(
    summary="变更事件",
    description=(
        "按时间排列的、本账号数据范围内的变更：案件新建、流转、进展，整改任务销号环节与进展，签字，预警。"
        "首次不带 after 从头读取；之后每次以上一页的 next 作为 after，每个变更恰好出现一次。"
        "has_more 为 false 时表示已读到最新，稍后以同一游标再取。"
    ),
    parameters=[
        OpenApiParameter("after", OpenApiTypes.STR, description="游标：上一页返回的 next"),
        OpenApiParameter("limit", OpenApiTypes.INT, description="每页条数（1–500，默认 100）"),
    ],
    responses={200: s.EventPageSerializer, **ERRORS},
)
class Events(ApiView):
    """变更事件流：本账号数据范围内的变更，按时间排列，以游标续读，每个变更恰好出现一次。"""

    api_resource = Resource.EVENTS

    def get(self, request):
        raw = request.query_params.get("limit", "100")
        if not raw.isdigit() or not 1 <= int(raw) <= event_feed.MAX_LIMIT:
            raise ApiError([error(f"limit 须为 1–{event_feed.MAX_LIMIT} 之间的整数。", field="limit")])
        events, cursor, more = event_feed.events_page(
            request.user, after=request.query_params.get("after"), limit=int(raw)
        )
        body = {"events": [e.as_dict() for e in events], "next": cursor, "has_more": more}
        return Response(s.EventPageSerializer(body).data)
