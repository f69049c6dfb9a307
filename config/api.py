"""The API's one router."""

from rest_framework.routers import DefaultRouter

from claims.api import ClaimViewSet, TopicViewSet
from sources.api import ActorViewSet, ArticleViewSet, OutletViewSet

router = DefaultRouter()
router.register("claims", ClaimViewSet, basename="claim")
router.register("articles", ArticleViewSet, basename="article")
router.register("actors", ActorViewSet, basename="actor")
router.register("outlets", OutletViewSet, basename="outlet")
router.register("topics", TopicViewSet, basename="topic")
