from django.urls import path

from reporting import views

urlpatterns = [
    # Under the programmes, where staff look for it; the file is built from the figures' rules.
    path("programmes/iati.xml", views.iati_export, name="iati-export"),
]
