"""Sources API: readers see what public claims cite; staff read and write everything."""

from django.db.models import Exists, OuterRef
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, permissions, viewsets

from claims.filters import cited_actors, cited_outlets
from claims.models import Attribution, Claim
from core.api import ConflictSerializer, IdCursorPagination, VersionedUpdateMixin
from sources.models import Actor, Article, Outlet
from sources.serializers import ActorSerializer, ArticleSerializer, OutletSerializer, PublicActorDetailSerializer


class StaffWritePermission(permissions.DjangoModelPermissionsOrAnonReadOnly):
    """Reads for anyone (the querysets decide what); writes need the role's add/change permission."""


class _SourceViewSet(
    VersionedUpdateMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    permission_classes = [StaffWritePermission]
    pagination_class = IdCursorPagination
    staff_permission = ""

    def is_staff_reader(self) -> bool:
        return self.request.user.has_perm(self.staff_permission)


UPDATE_DOCS = {
    "update": extend_schema(responses={200: None, 409: ConflictSerializer}),
    "partial_update": extend_schema(responses={200: None, 409: ConflictSerializer}),
}


@extend_schema_view(**UPDATE_DOCS)
class ArticleViewSet(_SourceViewSet):
    serializer_class = ArticleSerializer
    queryset = Article.objects.all()
    staff_permission = "sources.view_article"

    def get_queryset(self):
        articles = Article.objects.select_related("outlet")
        if self.is_staff_reader():
            return articles
        public_citations = Attribution.objects.filter(article=OuterRef("pk"), claim__in=Claim.objects.public())
        return articles.filter(Exists(public_citations))


@extend_schema_view(**UPDATE_DOCS)
class ActorViewSet(_SourceViewSet):
    queryset = Actor.objects.all()
    staff_permission = "sources.view_actor"

    def get_queryset(self):
        return Actor.objects.all() if self.is_staff_reader() else cited_actors()

    def get_serializer_class(self):
        return ActorSerializer if self.is_staff_reader() else PublicActorDetailSerializer


class OutletViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    permission_classes = [StaffWritePermission]
    pagination_class = IdCursorPagination
    serializer_class = OutletSerializer
    queryset = Outlet.objects.all()

    def get_queryset(self):
        return Outlet.objects.all() if self.request.user.has_perm("sources.view_outlet") else cited_outlets()
