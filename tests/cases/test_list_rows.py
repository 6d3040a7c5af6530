"""The case list's rows, formatted in the view (cases/views.py ``_rows``), are the HTML the template
filters made: empty fields, a long complaint with markup characters, flags, overdue, next step."""

from datetime import date, timedelta

import pytest
from django.template import Context, Template
from django.utils import timezone

from tests.factories import CaseFactory, InspectionFactory

# the rows of templates/cases/list.html before the view formatted them, verbatim
TEMPLATE_ROWS = Template(
    "{% load cards %}"
    "  {% for c in page %}\n"
    '    <tr class="{% if c.is_overdue %}row-overdue{% endif %}">\n'
    '      <td class="card-title no"><a href="{% url \'cases:detail\' c.pk %}">{{ c.receipt_no }}</a>{% if c.is_key %} <span class="tag tag-red">重点</span>{% endif %}{% if c.is_repeat %} <span class="tag tag-yellow">重复</span>{% endif %}</td>\n'
    '      <td class="card-hide">{{ c.inspection.name }}</td>\n'
    '      <td class="card-hide n">{{ c.batch|default:"" }}</td>\n'
    '      <td class="card-text">{{ c.complaint|truncatechars:40 }}</td>\n'
    '      <td class="card-hide">{{ c.locality|default:"" }}</td>\n'
    '      <td data-label="牵头单位">{{ c.lead_unit|default:"" }}</td>\n'
    '      <td class="date" data-label="时限">{{ c.deadline|date:"Y-m-d" }}{% if c.is_overdue %} <span class="tag tag-red">逾期</span>{% endif %}</td>\n'
    '      <td class="card-badge"><span class="state state-{{ c.state }}">{{ c.get_state_display }}</span></td>\n'
    '      <td class="card-only card-action">{% with n=c.state|case_next %}{% if n %}<a href="{% url \'cases:detail\' c.pk %}">下一步：{{ n }} ›</a>{% endif %}{% endwith %}</td>\n'
    "    </tr>\n"
    "  {% endfor %}"
)


@pytest.mark.django_db
def test_rows_are_the_html_the_template_filters_made(client, users, unit_a):
    today = timezone.localdate()
    inspection = InspectionFactory()
    CaseFactory(
        inspection=inspection,
        receipt_no="X-001",
        lead_unit=unit_a,
        locality=unit_a,
        batch=3,
        complaint="<b>夜间施工噪声</b> & 油烟扰民，" * 6,
        deadline=today - timedelta(days=3),
        state="rectifying",
        is_key=True,
        is_repeat=True,
    )
    CaseFactory(
        inspection=inspection,
        receipt_no="X-002",
        lead_unit=unit_a,
        locality=None,
        batch=None,
        complaint="短",
        deadline=date(2026, 1, 5),
        state="filed",
    )
    CaseFactory(
        inspection=inspection,
        receipt_no="X-003",
        lead_unit=unit_a,
        complaint="恰好四十个字" * 6 + "四十",
        deadline=None,  # a received case may not have its deadline yet
        state="received",
    )
    client.force_login(users["office"])
    response = client.get("/cases/?sort=receipt_no")
    page = response.context["page"]
    assert [c.receipt_no for c in page] == ["X-001", "X-002", "X-003"]
    expected = TEMPLATE_ROWS.render(Context({"page": page}))
    html = response.content.decode()
    assert expected.strip() and expected in html
    assert "&lt;b&gt;夜间施工噪声&lt;/b&gt; &amp; 油烟" in html and "row-overdue" in html
