from django.urls import path

from mailings import views

urlpatterns = [
    path("mail/", views.mail_settings, name="mail-settings"),
    path("mail/unsubscribe/<str:token>/", views.mail_unsubscribe, name="mail-unsubscribe"),
    path("mail/newsletters/", views.newsletter_list, name="newsletter-list"),
    path("mail/newsletters/new/", views.newsletter_create, name="newsletter-create"),
    path("mail/newsletters/<int:pk>/", views.newsletter_detail, name="newsletter-detail"),
    path("mail/newsletters/<int:pk>/edit/", views.newsletter_edit, name="newsletter-edit"),
    path("mail/newsletters/<int:pk>/send/", views.newsletter_send, name="newsletter-send"),
]
