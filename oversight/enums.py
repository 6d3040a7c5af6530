from django.db import models


class MeetingKind(models.TextChoices):
    PARTY = "party", "党工委会议"
    COMMITTEE = "committee", "管委会会议"
    JOINT = "joint", "党工委、管委会联席会议"


# The meetings that count as 党工委 studying the work (正文五1): its own meetings and joint ones.
PARTY_KINDS = (MeetingKind.PARTY, MeetingKind.JOINT)


class FollowUpState(models.TextChoices):
    OPEN = "open", "跟进中"
    DONE = "done", "已整改"
