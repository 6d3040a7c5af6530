"""The OpenAPI schema, its documentation pages (served from static, no CDN), and Open311."""

import re

import pytest
from django.test import Client
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema

from cases.enums import CaseState
from tests.factories import CaseFactory, InspectionFactory

pytestmark = pytest.mark.django_db


def test_the_openapi_schema_validates_and_is_described_in_chinese():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    validate_schema(schema)  # raises on an invalid OpenAPI 3 document
    assert schema["openapi"].startswith("3.")
    assert "数据交换接口" in schema["info"]["title"]
    paths = schema["paths"]
    for path in ("/api/v1/cases", "/api/v1/events", "/api/v1/open311/requests.json"):
        assert path in paths
    assert paths["/api/v1/cases"]["post"]["summary"] == "新建案件（一件或一批）"
    assert schema["components"]["securitySchemes"]["令牌"]["scheme"] == "bearer"
    summaries = [op["summary"] for ops in paths.values() for op in ops.values() if isinstance(op, dict)]
    assert all(re.search(r"[\u4e00-\u9fff]", s) for s in summaries)
    descriptions = [op.get("description", "") for ops in paths.values() for op in ops.values()]
    assert all(re.search(r"[\u4e00-\u9fff]", d) for d in descriptions if d), descriptions


def test_schema_is_served_as_openapi_json(db):
    response = Client().get("/api/v1/schema?format=json")
    assert response.status_code == 200
    assert response.json()["info"]["version"] == "1.0.0"


@pytest.mark.parametrize("path", ["/api/v1/docs", "/api/v1/redoc"])
def test_documentation_pages_load_their_assets_from_static_never_a_cdn(path, db):
    html = Client().get(path).content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+\.(?:js|css))"', html)
    assert assets, html[:500]
    assert all(a.startswith("/static/drf_spectacular_sidecar/") for a in assets), assets
    assert "cdn" not in html.lower() and "https://" not in html
    if path.endswith("redoc"):  # its bundle's CDN logo is refused by the page's policy
        assert "default-src 'self'" in Client().get(path)["Content-Security-Policy"]


def test_open311_shows_only_disclosed_cases_without_personal_data(db):
    inspection = InspectionFactory(code="C1")
    shown = CaseFactory(
        inspection=inspection,
        receipt_no="P001",
        state=CaseState.CLOSED,
        complaint="某厂噪声扰民，举报人电话13912345678",
        complainant_contact="李女士 13912345678",
        handler="张三",
    )
    CaseFactory(inspection=inspection, receipt_no="P002", state=CaseState.RECTIFYING)
    anonymous = Client()
    rows = anonymous.get("/api/v1/open311/requests.json").json()
    assert [r["service_request_id"] for r in rows] == ["P001"]
    [row] = rows
    assert row["status"] == "closed"
    assert row["description"] == "某厂噪声扰民，举报人电话＊＊＊"
    text = str(rows)
    assert "13912345678" not in text and "李女士" not in text and "张三" not in text
    assert anonymous.get("/api/v1/open311/requests/P001.json").json() == rows
    assert anonymous.get("/api/v1/open311/requests/P002.json").status_code == 404
    assert anonymous.get("/api/v1/open311/requests.json?status=open").json() == []
    assert anonymous.get("/api/v1/open311/requests.json?status=bogus").status_code == 400
    shown.refresh_from_db()


def test_open311_services_are_the_pollution_types(db):
    from cases.models import PollutionType

    PollutionType.objects.get_or_create(code="noise", defaults={"name": "噪声"})
    services = Client().get("/api/v1/open311/services.json").json()
    assert {"service_code": "noise", "service_name": "噪声"}.items() <= next(
        s for s in services if s["service_code"] == "noise"
    ).items()


def test_open311_refuses_writes(db):
    response = Client().post("/api/v1/open311/requests.json", {}, content_type="application/json")
    assert response.status_code == 405
    assert response.json()["errors"][0]["message"] == "不支持此请求方法。"


def test_the_schema_generates_without_a_warning(tmp_path):
    from django.core.management import call_command

    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    assert "/api/v1/cases/{id}/evidence:" in out.read_text()


def test_the_file_endpoints_are_described_with_their_file_types():
    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]
    upload = paths["/api/v1/cases/{id}/evidence"]["post"]
    assert upload["summary"] == "上传案件证据材料"
    assert "multipart/form-data" in upload["requestBody"]["content"]
    assert "Idempotency-Key" in [p["name"] for p in upload["parameters"]]
    assert paths["/api/v1/cases/{id}/evidence"]["get"]["summary"] == "案件证据材料列表"
    download = paths["/api/v1/cases/{id}/evidence/{eid}/file"]["get"]
    assert "image/*" in download["responses"]["200"]["content"]
    xlsx = paths["/api/v1/reports/{id}/xlsx"]["get"]["responses"]["200"]["content"]
    assert list(xlsx) == ["application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"]
    pdf = paths["/api/v1/reports/{id}/pdf"]["get"]["responses"]["200"]["content"]
    assert list(pdf) == ["application/pdf"]
    assert "/api/v1/cases/{id}/evidence/" not in paths  # the trailing-slash alias is not listed twice
