from django.urls import path

from partners import views

urlpatterns = [
    path("partners/", views.partner_list, name="partner-list"),
    path("partners/<int:pk>/", views.partner_detail, name="partner-detail"),
    path("networks/", views.network_list, name="network-list"),
    path("networks/join/", views.network_join, name="network-join"),
    path("networks/requests/", views.network_requests, name="network-requests"),
    path(
        "networks/requests/<int:pk>/",
        views.network_request_decide,
        name="network-request-decide",
    ),
    path("networks/<int:pk>/", views.network_detail, name="network-detail"),
]
