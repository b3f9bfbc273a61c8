from django.urls import path

from analyses import views

urlpatterns = [
    path("analyses/", views.analysis_list, name="analysis-list"),
    path("analyses/new/", views.analysis_edit, name="analysis-create"),
    path("analyses/<int:pk>/", views.analysis_detail, name="analysis-detail"),
    path("analyses/<int:pk>/edit/", views.analysis_edit, name="analysis-edit"),
]
