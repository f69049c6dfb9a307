from django.urls import path

from claims import views

app_name = "claims"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("claims/new/", views.claim_create, name="claim_create"),
    path("claims/similar/", views.claim_similar, name="claim_similar"),
    path("claims/<int:pk>/", views.claim_detail, name="claim_detail"),
    path("claims/<int:pk>/edit/", views.claim_edit, name="claim_edit"),
    path("claims/<int:pk>/<slug:action>/", views.claim_act, name="claim_act"),
]
