"""factory_boy factories shared by every app's tests."""

from datetime import date, timedelta

import factory
from django.utils import timezone

from cases.enums import CaseState
from cases.models import PetitionCase
from org.enums import InspectionLevel, Role, UnitKind
from org.models import Inspection, RoleAssignment, Unit, User
from rectification.enums import MeasureKind
from rectification.models import Measure, Milestone, RectificationTask

PASSWORD = "Test-pass-2026"


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"测试单位{n}")
    kind = UnitKind.DEPARTMENT


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"用户{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.test")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def user_with_role(role: str, unit: Unit | None = None, **kwargs) -> User:
    user = UserFactory(**kwargs)
    RoleAssignment.objects.create(user=user, role=role, unit=unit)
    if role == Role.ADMIN:
        user.is_staff = user.is_superuser = True
        user.save()
    return user


class InspectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Inspection
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"T{n}")
    name = factory.Sequence(lambda n: f"测试督察{n}")
    level = InspectionLevel.CENTRAL
    start_date = date(2021, 7, 10)


class CaseFactory(factory.django.DjangoModelFactory):
    """A case just past "received": responsibility, standard and deadline set."""

    class Meta:
        model = PetitionCase
        skip_postgeneration_save = True

    inspection = factory.SubFactory(InspectionFactory)
    receipt_no = factory.Sequence(lambda n: f"D2LN2021071{n:05d}")
    batch = 1
    transferred_on = date(2021, 7, 16)
    complaint = factory.Sequence(lambda n: f"测试举报内容{n}")
    lead_unit = factory.SubFactory(UnitFactory)
    handler = "测试负责人"
    standard = "问题查清并解决"
    deadline = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=30))
    state = CaseState.INVESTIGATING

    @factory.post_generation
    def cooperating_units(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.cooperating_units.set(extracted)


class TaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RectificationTask
        skip_postgeneration_save = True

    inspection = factory.SubFactory(InspectionFactory)
    number = factory.Sequence(lambda n: f"T-{n:03d}")
    seq = factory.Sequence(int)
    problem = factory.Sequence(lambda n: f"测试反馈问题{n}")
    target = "整改到位"
    lead_unit = factory.SubFactory(UnitFactory)
    responsible_person = "测试责任人"
    standard = "按方案完成"
    deadline = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=60))

    @factory.post_generation
    def cooperating_units(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.cooperating_units.set(extracted)


class MeasureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Measure

    task = factory.SubFactory(TaskFactory)
    seq = factory.Sequence(lambda n: n % 50 + 1)
    kind = MeasureKind.POLICY
    content = "测试措施"
    responsible_unit = factory.SelfAttribute("task.lead_unit")
    deadline = factory.SelfAttribute("task.deadline")


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    measure = factory.SubFactory(MeasureFactory)
    due = factory.LazyFunction(timezone.localdate)
    description = "测试节点"
