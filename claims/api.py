"""Claims API: public read, staff write, editorial acts — the same rules as the site."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404
from django.utils.http import http_date
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response

from claims.filters import ClaimFilter
from claims.models import Attribution, Claim, Topic
from claims.serializers import (
    LIST_COLUMNS,
    ActionSerializer,
    ClaimDetailSerializer,
    ClaimListSerializer,
    ClaimWriteSerializer,
    CorrectionSerializer,
    StatusActionSerializer,
    TopicSerializer,
    claim_list_items,
)
from core.api import ConflictSerializer, IdCursorPagination, conflict_response
from core.locking import EditConflict, take_next_version


class ClaimPermission(permissions.BasePermission):
    """Anyone may read; writing needs the role's model permission (object rules follow in the view)."""

    def has_permission(self, request, view) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        if not request.user.is_authenticated:
            return False
        if view.action == "create":
            return request.user.has_perm("claims.add_claim")
        return request.user.has_perm("claims.view_claim")


ACTION_RESPONSES = {
    200: ClaimDetailSerializer,
    400: OpenApiResponse(description="A required note is missing or a value is invalid."),
    403: OpenApiResponse(description="Your role cannot do this in the claim's current state."),
    404: OpenApiResponse(description="No claim you may see has this id."),
    409: ConflictSerializer,
}


@extend_schema_view(
    list=extend_schema(summary="Claims: published and withdrawn ones, plus what a signed-in staff member may see"),
    retrieve=extend_schema(summary="One claim with its reports, corroborations, evidence summary and change log"),
    create=extend_schema(summary="Log a claim (staff)", responses={201: ClaimDetailSerializer}),
    update=extend_schema(
        summary="Replace a claim's content (staff; send the version you read)",
        responses={200: ClaimDetailSerializer, 409: ConflictSerializer},
    ),
    partial_update=extend_schema(
        summary="Change part of a claim (staff; send the version you read)",
        responses={200: ClaimDetailSerializer, 409: ConflictSerializer},
    ),
)
class ClaimViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    permission_classes = [ClaimPermission]
    filter_backends = [DjangoFilterBackend]
    filterset_class = ClaimFilter
    pagination_class = IdCursorPagination

    def get_queryset(self):
        user = self.request.user
        # Staff see what they may open on the desk (drafts included); everyone else the public claims.
        claims = Claim.objects.visible_to(user) if user.has_perm("claims.view_claim") else Claim.objects.public()
        if self.action == "list":
            return claims  # plain rows, see list()
        return claims.prefetch_related(
            "topics",
            "regions",
            Prefetch("attributions", queryset=Attribution.objects.select_related("actor", "article__outlet")),
            "corroborations__performed_by",
        )

    def get_serializer_class(self):
        if self.action == "list":
            return ClaimListSerializer
        if self.action in ("create", "update", "partial_update"):
            return ClaimWriteSerializer
        return ClaimDetailSerializer

    def list(self, request, *args, **kwargs):
        # Two queries a page (the rows, then their topics and regions), whatever its size.
        claims = self.filter_queryset(self.get_queryset()).values(*LIST_COLUMNS)
        return self.get_paginated_response(claim_list_items(self.paginate_queryset(claims)))

    def retrieve(self, request, *args, **kwargs):
        claim = self.get_object()
        response = Response(self.get_serializer(claim).data)
        response["Last-Modified"] = http_date(claim.updated_at.timestamp())
        return response

    def create(self, request, *args, **kwargs):
        serializer = ClaimWriteSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        claim = serializer.save()
        return Response(self._detail(claim), status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        claim = self.get_object()
        if not claim.can_edit(request.user):
            raise PermissionDenied("You cannot edit this claim in its current state.")
        if claim.state == Claim.State.PUBLISHED:
            raise PermissionDenied("A published claim changes only through the 'correct' action, with a public note.")
        serializer = ClaimWriteSerializer(
            claim, data=request.data, partial=kwargs.get("partial", False), context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        try:
            with transaction.atomic():
                take_next_version(claim, serializer.validated_data["version"])
                serializer.save()
        except EditConflict as exc:
            return conflict_response(exc)
        return Response(self._detail(claim))

    def _detail(self, claim: Claim) -> dict:
        fresh = self.get_queryset().get(pk=claim.pk)
        return ClaimDetailSerializer(fresh, context=self.get_serializer_context()).data

    def _act(self, request, run, serializer_class=ActionSerializer) -> Response:
        claim = self.get_object()
        serializer = serializer_class(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            run(claim, request.user, serializer.validated_data)
        except DjangoPermissionDenied as exc:
            raise PermissionDenied(str(exc)) from None
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.message_dict) from None
        except EditConflict as exc:
            return conflict_response(exc)
        return Response(self._detail(claim))

    @extend_schema(request=ActionSerializer, responses=ACTION_RESPONSES, summary="Submit for review")
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._act(request, lambda c, u, d: c.submit(by=u, version=d["version"], note=d["note"]))

    @extend_schema(request=ActionSerializer, responses=ACTION_RESPONSES, summary="Send back to the reporter (editors)")
    @action(detail=True, methods=["post"], url_path="send-back")
    def send_back(self, request, pk=None):
        return self._act(request, lambda c, u, d: c.send_back(by=u, version=d["version"], note=d["note"]))

    @extend_schema(request=StatusActionSerializer, responses=ACTION_RESPONSES, summary="Set the status (editors)")
    @action(detail=True, methods=["post"], url_path="set-status")
    def set_status(self, request, pk=None):
        return self._act(
            request,
            lambda c, u, d: c.set_status(
                by=u, version=d["version"], status=d["status"], reason=d["note"], public=d["public"]
            ),
            StatusActionSerializer,
        )

    @extend_schema(request=ActionSerializer, responses=ACTION_RESPONSES, summary="Publish (editors)")
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        return self._act(request, lambda c, u, d: c.publish(by=u, version=d["version"], note=d["note"]))

    @extend_schema(
        request=CorrectionSerializer, responses=ACTION_RESPONSES, summary="Correct a published claim (editors)"
    )
    @action(detail=True, methods=["post"])
    def correct(self, request, pk=None):
        return self._act(request, _correct, CorrectionSerializer)

    @extend_schema(request=ActionSerializer, responses=ACTION_RESPONSES, summary="Withdraw (editors)")
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        return self._act(request, lambda c, u, d: c.withdraw(by=u, version=d["version"], note=d["note"]))

    def get_object(self):
        # The same answer for a claim that does not exist and one the user may not see.
        try:
            return super().get_object()
        except (Http404, NotFound):
            raise NotFound("No claim you may see has this id.") from None


def _correct(claim: Claim, user, data: dict) -> None:
    """Apply the corrected fields and log the correction, on the version the editor read."""
    with transaction.atomic():
        if not claim.can_correct(user):
            raise DjangoPermissionDenied("You cannot correct this claim in its current state.")
        take_next_version(claim, data["version"])
        for field in ("statement", "notes", "event_start", "event_end"):
            if field in data:
                setattr(claim, field, data[field])
        claim.full_clean(exclude=["created_by"])
        claim._history_user = user
        claim.save()
        claim.record_correction(by=user, note=data["note"])


class TopicViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Topic.objects.all()
    serializer_class = TopicSerializer
    lookup_field = "slug"
    pagination_class = None
