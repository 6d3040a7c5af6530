"""Locust users for bench/load_test.py: unit staff and office users of generate_load_data.

Mix (issue 12): case list 40 % (sorts, filters, keywords, deep pages), case page 45 %, dashboard
15 %; unit staff also post progress on their own cases now and then. Each simulated user logs in
through the real login form once (CSRF and session like a browser), then browses.
"""

import os
import random
import re
import time

from locust import HttpUser, between, events, task

PASSWORD = os.environ.get("LOAD_PASSWORD", "Qianshan-Load-2026")
STAFF = int(os.environ.get("LOAD_STAFF_ACCOUNTS", "55"))
SORTS = ["", "sort=-deadline", "sort=receipt_no", "sort=-batch", "sort=deadline"]
FILTERS = ["", "state=rectifying", "overdue=true", "state=investigating", "is_key=true"]
WORDS = ["噪声", "油烟", "粉尘", "污水", "异味", "垃圾"]
CASE_LINK = re.compile(r'href="/cases/(\d+)/"')
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


# Every request's name, time and outcome, one line each, for bench/load_test.py to compute the
# percentiles of the browsing requests apart from the one login per user (LOAD_TIMES_FILE).
_TIMES = os.environ.get("LOAD_TIMES_FILE")


@events.request.add_listener
def _record(request_type, name, response_time, response_length, exception=None, **kwargs):
    if _TIMES:
        with open(_TIMES, "a", encoding="utf-8") as out:
            out.write(f"{name}\t{response_time:.1f}\t{int(exception is not None)}\t{time.time():.3f}\n")


class Browsing(HttpUser):
    abstract = True
    wait_time = between(1, 3)  # a person reads a page before the next click
    username = ""

    def on_start(self):
        page = self.client.get("/login/", name="/login/")
        token = CSRF.search(page.text).group(1)
        self.client.post(
            "/login/",
            {"username": self.username, "password": PASSWORD, "csrfmiddlewaretoken": token},
            headers={"Referer": f"{self.host}/login/"},
            name="/login/ (POST)",
        )
        self.case_ids = []

    def _list_url(self) -> str:
        parts = [random.choice(SORTS), random.choice(FILTERS)]
        if random.random() < 0.3:
            parts.append(f"q={random.choice(WORDS)}")
        if random.random() < 0.2:
            parts.append(f"page={random.randint(2, 40)}")
        return "/cases/?" + "&".join(p for p in parts if p)

    @task(40)
    def case_list(self):
        page = self.client.get(self._list_url(), name="/cases/?…")
        found = CASE_LINK.findall(page.text)
        if found:
            self.case_ids = found

    @task(45)
    def case_page(self):
        if not self.case_ids:
            return self.case_list()
        self.client.get(f"/cases/{random.choice(self.case_ids)}/", name="/cases/[id]/")

    @task(15)
    def dashboard(self):
        self.client.get("/supervision/", name="/supervision/ (dashboard)")


class UnitStaff(Browsing):
    weight = 4

    def on_start(self):
        self.username = f"gen_staff{random.randint(1, STAFF):03d}"
        super().on_start()

    @task(5)
    def post_progress(self):
        if not self.case_ids:
            return
        case_id = random.choice(self.case_ids)
        page = self.client.get(f"/cases/{case_id}/", name="/cases/[id]/")
        token = CSRF.search(page.text)
        if not token:
            return
        self.client.post(
            f"/cases/{case_id}/progress/",
            {
                "csrfmiddlewaretoken": token.group(1),
                "happened_on": "2026-11-20",
                "text": "压力测试：现场复查，整改措施正在落实。",
                "kind": "photo",
                "photo_stage": "none",
            },
            headers={"Referer": f"{self.host}/cases/{case_id}/"},
            name="/cases/[id]/progress/ (POST)",
        )


class Office(Browsing):
    weight = 1
    username = "gen_office"
