from django.urls import path, re_path

from . import views

app_name = "oversight"
KIND = r"(?P<kind>discipline|special)"
urlpatterns = [
    path("", views.index, name="index"),
    path("meetings/", views.meeting_list, name="meetings"),
    path("meetings/new/", views.meeting_form, name="meeting_new"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/edit/", views.meeting_form, name="meeting_edit"),
    path("meetings/<int:pk>/minutes/", views.meeting_minutes, name="meeting_minutes"),
    path("assignments/", views.assignment_list, name="assignments"),
    path("assignments/new/", views.assignment_form, name="assignment_new"),
    path("assignments/<int:pk>/edit/", views.assignment_form, name="assignment_edit"),
    path("inspections/", views.inspection_list, name="inspections"),
    path("special/", views.special_list, name="special"),
    re_path(rf"^{KIND}/new/$", views.inspection_form, name="inspection_new"),
    re_path(rf"^{KIND}/(?P<pk>[0-9]+)/$", views.inspection_detail, name="inspection_detail"),
    re_path(rf"^{KIND}/(?P<pk>[0-9]+)/edit/$", views.inspection_form, name="inspection_edit"),
    path("follow-ups/<int:pk>/", views.follow_up_state, name="follow_up"),
    path("clues/", views.clue_list, name="clues"),
    path("clues/<int:pk>/", views.clue_detail, name="clue_detail"),
    path("leader/", views.leader_items, name="leader_items"),
]
