import importlib

import pytest

# The vocabulary comes from a data migration; a transactional test elsewhere flushes it away.
_vocab = importlib.import_module("cases.migrations.0003_pollution_types").POLLUTION_TYPES


@pytest.fixture(autouse=True)
def pollution_types(request):
    names = set(request.fixturenames)
    if not request.node.get_closest_marker("django_db"):
        if not names & {"db", "transactional_db"}:
            return
        request.getfixturevalue("transactional_db" if "transactional_db" in names else "db")
    from cases.models import PollutionType

    for order, (code, name) in enumerate(_vocab):
        PollutionType.objects.get_or_create(code=code, defaults={"name": name, "sort_order": order})
