from django.urls import path, re_path

from portal.exports import FORMAT_PATTERN
from programs import views

urlpatterns = [
    path("programmes/", views.program_list, name="program-list"),
    path("programmes/<int:pk>/", views.program_detail, name="program-detail"),
    path("programmes/funders/", views.funder_dependence, name="funder-dependence"),
    path("projects/", views.project_list, name="project-list"),
    path("projects/<int:pk>/", views.project_detail, name="project-detail"),
    path("activities/", views.activity_list, name="activity-list"),
    path("plans/", views.plan_list, name="plan-list"),
    path("plans/new/", views.plan_edit, name="plan-create"),
    path("plans/<int:pk>/", views.plan_detail, name="plan-detail"),
    path("plans/<int:pk>/edit/", views.plan_edit, name="plan-edit"),
    path("plans/<int:pk>/items/new/", views.plan_item_edit, name="plan-item-create"),
    path("plans/<int:pk>/items/<int:item>/", views.plan_item_edit, name="plan-item-edit"),
    path("plans/<int:pk>/held/", views.plan_held, name="plan-held"),
    path("calendar/", views.calendar, name="calendar"),
    path("calendar/subscription/", views.calendar_subscription, name="calendar-subscription"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar-feed"),
    re_path(
        rf"^activities/export\.{FORMAT_PATTERN}$", views.activity_export, name="activity-export"
    ),
]
