from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from portal import auth_views as portal_auth_views
from portal import views
from reporting import views as reporting_views

urlpatterns = [
    path("", reporting_views.dashboard, name="dashboard"),
    path("healthz/", views.healthz, name="healthz"),
    # Choosing a language must work before logging in: the login page is where people need it.
    path("i18n/setlang/", views.set_language, name="set_language"),
    path("accounts/login/", portal_auth_views.LoginView.as_view(), name="login"),
    path("accounts/login/code/", portal_auth_views.login_otp, name="login-otp"),
    path(
        "accounts/login/authenticator/",
        portal_auth_views.login_otp_setup,
        name="login-otp-setup",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/authenticator/",
        portal_auth_views.authenticator_replace,
        name="authenticator-replace",
    ),
    path(
        "accounts/password/change/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path(
        "accounts/password/reset/",
        portal_auth_views.PasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "accounts/password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("admin/", admin.site.urls),
    path("", include("partners.urls")),
    path("", include("programs.urls")),
    path("", include("solidarity.urls")),
    path("", include("progress.urls")),
    path("", include("results.urls")),
    path("", include("dialogues.urls")),
    path("", include("risks.urls")),
    path("", include("assessments.urls")),
    path("", include("reporting.urls")),
    path("", include("analyses.urls")),
    path("", include("mailings.urls")),
]
