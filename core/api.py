"""API helpers both apps share: keyset pagination, optimistic locking on update."""

from django.db import transaction
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response

from core.locking import EditConflict, take_next_version


class IdCursorPagination(CursorPagination):
    """Keyset paging on the primary key, newest first: a deep page costs what page 1 costs."""

    ordering = "-id"
    page_size = 50
    max_page_size = 200
    page_size_query_param = "page_size"
    invalid_cursor_message = "Invalid cursor: use the next or previous link of a page as it is."

    def decode_cursor(self, request):
        # A damaged cursor is a bad request (400), not a missing page (DRF says 404); and its
        # position must be an id, or filtering by it would fail with a 500.
        try:
            cursor = super().decode_cursor(request)
            if cursor is not None and cursor.position is not None and not 0 <= int(cursor.position) < 2**63:
                raise ValueError(cursor.position)  # no id is out of a bigint's range
        except (NotFound, ValueError):
            raise ValidationError({self.cursor_query_param: [self.invalid_cursor_message]}) from None
        return cursor


# A comment, not a docstring: the OpenAPI schema would show a base class's docstring
# as the description of every serializer built on it.
class VersionedSerializer(serializers.ModelSerializer):
    # A writable record carrying the version its client read. Updates must send it;
    # VersionedUpdateMixin compares it with the row under a lock. Never saved as a value.

    version = serializers.IntegerField(
        required=False, help_text="The version you last read; required when updating (a stale one gets 409)."
    )

    def validate(self, data):
        if self.instance is not None and "version" not in data:
            raise serializers.ValidationError({"version": "Send the version you last read."})
        return data

    def create(self, validated_data):
        validated_data.pop("version", None)
        return super().create(validated_data)

    def update(self, instance, validated_data):
        validated_data.pop("version", None)
        return super().update(instance, validated_data)


class ConflictSerializer(serializers.Serializer):
    detail = serializers.CharField()
    current_version = serializers.IntegerField()


def conflict_response(exc: EditConflict) -> Response:
    return Response(
        {
            "detail": "Someone changed this record after you read it. Fetch it again and reapply your change.",
            "current_version": exc.current,
        },
        status=status.HTTP_409_CONFLICT,
    )


class VersionedUpdateMixin:
    """PUT/PATCH that refuses a stale ``version`` with 409 instead of overwriting."""

    def update(self, request, *args, **kwargs):
        instance = self.get_object()
        serializer = self.get_serializer(instance, data=request.data, partial=kwargs.get("partial", False))
        serializer.is_valid(raise_exception=True)
        try:
            with transaction.atomic():
                take_next_version(instance, serializer.validated_data["version"])
                serializer.save()
        except EditConflict as exc:
            return conflict_response(exc)
        return Response(serializer.data)
