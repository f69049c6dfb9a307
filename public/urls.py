from django.urls import path

from public import feeds, views

app_name = "public"

urlpatterns = [
    path("claims/<int:pk>/", views.claim_detail, name="claim_detail"),
    path("claims.csv", views.claims_csv, name="claims_csv"),
    path("actors/<int:pk>/", views.actor_detail, name="actor_detail"),
    path("outlets/<int:pk>/", views.outlet_detail, name="outlet_detail"),
    path("topics/<slug:slug>/", views.topic_detail, name="topic_detail"),
    path("methodology/", views.methodology, name="methodology"),
    path("feeds/claims.rss", feeds.ClaimChangesFeed(), name="feed_rss"),
    path("feeds/claims.atom", feeds.ClaimChangesAtomFeed(), name="feed_atom"),
    path("feeds/topics/<slug:slug>.rss", feeds.TopicChangesFeed(), name="topic_feed_rss"),
    path("feeds/topics/<slug:slug>.atom", feeds.TopicChangesAtomFeed(), name="topic_feed_atom"),
    path("feeds/corrections.rss", feeds.CorrectionsFeed(), name="corrections_rss"),
    path("feeds/corrections.atom", feeds.CorrectionsAtomFeed(), name="corrections_atom"),
]
