from rest_framework import serializers

from core.api import VersionedSerializer
from sources.models import Actor, Article, Outlet
from sources.urlnorm import InvalidURL, normalize_url


class OutletSerializer(serializers.ModelSerializer):
    class Meta:
        model = Outlet
        fields = ["id", "name", "kind", "website", "country"]


class ArticleSerializer(VersionedSerializer):
    outlet = serializers.PrimaryKeyRelatedField(queryset=Outlet.objects.all())

    class Meta:
        model = Article
        fields = [
            "id",
            "url",
            "headline",
            "outlet",
            "byline",
            "published_on",
            "language",
            "captured_text",
            "captured_at",
            "captured_sha256",
            "archive_url",
            "version",
        ]
        read_only_fields = ["id", "captured_at", "captured_sha256"]
        extra_kwargs = {"url": {"validators": []}}  # normalised first, then checked for duplicates below

    def validate_url(self, value: str) -> str:
        try:
            url = normalize_url(value)
        except InvalidURL as exc:
            raise serializers.ValidationError(str(exc)) from None
        duplicate = Article.objects.filter(url=url).exclude(pk=getattr(self.instance, "pk", None)).first()
        if duplicate is not None:
            raise serializers.ValidationError(f"This article is already logged (id {duplicate.pk}).")
        return url

    def validate_archive_url(self, value: str) -> str:
        if value:
            try:
                normalize_url(value)
            except InvalidURL as exc:
                raise serializers.ValidationError(str(exc)) from None
        return value


class PublicActorDetailSerializer(serializers.ModelSerializer):
    class Meta:
        model = Actor
        fields = ["id", "name", "kind", "side", "country", "is_party_to_conflict", "reliability", "description"]


class ActorSerializer(VersionedSerializer):
    """Staff view of an actor: the real name of a protected actor included."""

    class Meta:
        model = Actor
        fields = [
            "id",
            "name",
            "kind",
            "side",
            "country",
            "is_party_to_conflict",
            "independence_group",
            "reliability",
            "is_protected",
            "pseudonym",
            "description",
            "version",
        ]

    def validate(self, data):
        data = super().validate(data)
        protected = data.get("is_protected", getattr(self.instance, "is_protected", False))
        pseudonym = data.get("pseudonym", getattr(self.instance, "pseudonym", ""))
        if protected and not (pseudonym or "").strip():
            raise serializers.ValidationError(
                {"pseudonym": "A protected actor needs a pseudonym: it is all the public sees."}
            )
        return data
