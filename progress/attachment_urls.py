"""Story attachments, served only through access-checked views."""

urlpatterns: list = []
