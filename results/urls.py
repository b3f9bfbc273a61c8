from django.urls import URLPattern, path

from results import views

urlpatterns: list[URLPattern] = [
    path("programmes/results/", views.portfolio, name="results-portfolio"),
    path("programmes/<int:pk>/results/", views.program_results, name="program-results"),
    path("projects/<int:pk>/results/", views.project_results, name="project-results"),
]
