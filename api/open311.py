"""The public, read-only Open311 (GeoReport v2) endpoint of the disclosure data (公示).

services = the pollution types; requests = the disclosed cases (公示中, 已销号, 已备案) with exactly
what the public disclosure page shows: free text masked by the same mask_personal, no contact,
handler or leader. No sign-in; throttled per address like any anonymous caller.
"""

from datetime import datetime, time

from django.db.models import Exists, OuterRef
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle

from cases.enums import CaseState
from cases.exporters import PUBLIC_STATES, m2m_names, mask_personal
from cases.models import PetitionCase, PollutionType

from .errors import ApiError, error
from .views import ApiView

MAX_REQUESTS = 1000


class PublicThrottle(AnonRateThrottle):
    scope = "open311"


class ServiceSerializer(serializers.Serializer):
    service_code = serializers.CharField(help_text="服务代码（污染类型代码）")
    service_name = serializers.CharField(help_text="服务名称（污染类型）")
    description = serializers.CharField()
    metadata = serializers.BooleanField()
    type = serializers.CharField()
    keywords = serializers.CharField()
    group = serializers.CharField()


class RequestSerializer(serializers.Serializer):
    service_request_id = serializers.CharField(help_text="受理编号")
    status = serializers.ChoiceField(
        choices=["open", "closed"], help_text="公示中为 open，已销号、已备案为 closed"
    )
    status_notes = serializers.CharField(help_text="当前环节与处理和整改情况（已去除个人信息）")
    service_name = serializers.CharField(help_text="污染类型")
    service_code = serializers.CharField(help_text="污染类型代码（多个以逗号分隔）")
    description = serializers.CharField(help_text="交办问题基本情况（已去除个人信息）")
    agency_responsible = serializers.CharField(help_text="行政区域")
    service_notice = serializers.CharField(help_text="是否属实")
    requested_datetime = serializers.DateTimeField(allow_null=True, help_text="交办日期")
    updated_datetime = serializers.DateTimeField(allow_null=True, help_text="公示开始或销号日期")
    expected_datetime = serializers.DateTimeField(allow_null=True)
    address = serializers.CharField(help_text="行政区域")
    lat = serializers.FloatField(allow_null=True)
    long = serializers.FloatField(allow_null=True)
    media_url = serializers.CharField()


def _at(day):
    return timezone.make_aware(datetime.combine(day, time.min)) if day else None


def _requests(qs) -> list[dict]:
    types = {p.name: p.code for p in PollutionType.objects.all()}
    names = m2m_names(qs, "pollution_types", "name")
    out = []
    for c in qs.values(
        "pk",
        "receipt_no",
        "state",
        "complaint",
        "locality__name",
        "finding",
        "handling",
        "transferred_on",
        "publicity_started_on",
        "closed_on",
    ):
        type_names = [n for n in (names.get(c["pk"]) or "").split("、") if n]
        out.append(
            {
                "service_request_id": c["receipt_no"],
                "status": "open" if c["state"] == CaseState.PUBLICIZED else "closed",
                "status_notes": f"{CaseState(c['state']).label}：{mask_personal(c['handling'])}",
                "service_name": "、".join(type_names),
                "service_code": ",".join(types.get(n, "") for n in type_names),
                "description": mask_personal(c["complaint"]),
                "agency_responsible": c["locality__name"] or "",
                "service_notice": FINDINGS.get(c["finding"], ""),
                "requested_datetime": _at(c["transferred_on"]),
                "updated_datetime": _at(c["closed_on"] or c["publicity_started_on"]),
                "expected_datetime": None,
                "address": c["locality__name"] or "",
                "lat": None,
                "long": None,
                "media_url": "",
            }
        )
    return out


FINDINGS = dict(PetitionCase._meta.get_field("finding").choices)


class Open311View(ApiView):
    """公开接口（GeoReport v2 格式），无需令牌，只读。"""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [PublicThrottle]


@extend_schema(
    summary="Open311 服务列表（污染类型）", tags=["open311"], responses={200: ServiceSerializer(many=True)}
)
class Services(Open311View):
    """公开接口：GeoReport v2 服务列表，即污染类型词表。无需令牌。"""

    def get(self, request):
        rows = [
            {
                "service_code": p.code,
                "service_name": p.name,
                "description": f"{p.name}类信访举报问题",
                "metadata": False,
                "type": "realtime",
                "keywords": p.name,
                "group": "生态环境信访举报",
            }
            for p in PollutionType.objects.all()
        ]
        return Response(ServiceSerializer(rows, many=True).data)


@extend_schema(
    summary="Open311 请求列表（公示案件）",
    tags=["open311"],
    parameters=[
        OpenApiParameter("service_code", OpenApiTypes.STR, description="污染类型代码"),
        OpenApiParameter("status", OpenApiTypes.STR, enum=["open", "closed"], description="open / closed"),
        OpenApiParameter("start_date", OpenApiTypes.DATE, description="交办日期起"),
        OpenApiParameter("end_date", OpenApiTypes.DATE, description="交办日期止"),
    ],
    responses={200: RequestSerializer(many=True)},
)
class Requests(Open311View):
    """公开接口：已公示的信访举报案件（与公示页面相同的内容，不含个人信息），最多 1000 条。"""

    def get(self, request):
        qs = PetitionCase.objects.filter(state__in=PUBLIC_STATES)
        params = request.query_params
        if params.get("service_code"):
            through = PetitionCase.pollution_types.through
            of_type = through.objects.filter(
                petitioncase_id=OuterRef("pk"), pollutiontype__code=params["service_code"]
            )
            qs = qs.filter(Exists(of_type))
        if params.get("status") in ("open", "closed"):
            qs = (
                qs.filter(state=CaseState.PUBLICIZED)
                if params["status"] == "open"
                else qs.exclude(state=CaseState.PUBLICIZED)
            )
        elif params.get("status"):
            raise ApiError([error("status 须为 open 或 closed。", field="status")])
        for name, lookup in (("start_date", "gte"), ("end_date", "lte")):
            if params.get(name):
                field = serializers.DateField()
                try:
                    day = field.to_internal_value(params[name])
                except serializers.ValidationError:
                    raise ApiError([error("日期格式应为 YYYY-MM-DD。", field=name)]) from None
                qs = qs.filter(**{f"transferred_on__{lookup}": day})
        pks = list(
            qs.order_by("-transferred_on", "receipt_no", "pk").values_list("pk", flat=True)[:MAX_REQUESTS]
        )
        rows = PetitionCase.objects.filter(pk__in=pks).order_by("-transferred_on", "receipt_no", "pk")
        return Response(RequestSerializer(_requests(rows), many=True).data)


@extend_schema(summary="Open311 单个请求", tags=["open311"], responses={200: RequestSerializer(many=True)})
class RequestDetail(Open311View):
    """公开接口：按受理编号取一件已公示的案件（GeoReport v2 约定返回数组）。"""

    def get(self, request, service_request_id):
        qs = PetitionCase.objects.filter(state__in=PUBLIC_STATES, receipt_no=service_request_id).order_by(
            "pk"
        )
        rows = _requests(qs)
        if not rows:
            raise ApiError([error("未找到已公示的该受理编号。", code="not_found")], 404)
        return Response(RequestSerializer(rows, many=True).data)
