from rest_framework import serializers

from sources.models import Actor, Article, Outlet


class OutletSerializer(serializers.ModelSerializer):
    class Meta:
        model = Outlet
        fields = ["id", "name", "kind", "website", "country"]


class ArticleSerializer(serializers.ModelSerializer):
    outlet = serializers.PrimaryKeyRelatedField(queryset=Outlet.objects.all())
    version = serializers.IntegerField(
        required=False, help_text="The version you last read; required when updating (a stale one gets 409)."
    )

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

    def validate(self, data):
        if self.instance is not None and "version" not in data:
            raise serializers.ValidationError({"version": "Send the version you last read."})
        return data

    def validate_url(self, value: str) -> str:
        from sources.urlnorm import InvalidURL, normalize_url

        try:
            url = normalize_url(value)
        except InvalidURL as exc:
            raise serializers.ValidationError(str(exc)) from None
        duplicate = Article.objects.filter(url=url).exclude(pk=getattr(self.instance, "pk", None)).first()
        if duplicate is not None:
            raise serializers.ValidationError(f"This article is already logged (id {duplicate.pk}).")
        return url

    def validate_archive_url(self, value: str) -> str:
        from sources.urlnorm import InvalidURL, normalize_url

        if value:
            try:
                normalize_url(value)
            except InvalidURL as exc:
                raise serializers.ValidationError(str(exc)) from None
        return value

    def create(self, validated_data):
        validated_data.pop("version", None)
        return super().create(validated_data)

    def update(self, instance, validated_data):
        validated_data.pop("version", None)  # checked by the view, under a row lock
        return super().update(instance, validated_data)


class PublicActorDetailSerializer(serializers.ModelSerializer):
    class Meta:
        model = Actor
        fields = ["id", "name", "kind", "side", "country", "is_party_to_conflict", "reliability", "description"]


class ActorSerializer(serializers.ModelSerializer):
    """Staff view of an actor: the real name of a protected actor included."""

    version = serializers.IntegerField(
        required=False, help_text="The version you last read; required when updating (a stale one gets 409)."
    )

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
        if self.instance is not None and "version" not in data:
            raise serializers.ValidationError({"version": "Send the version you last read."})
        protected = data.get("is_protected", getattr(self.instance, "is_protected", False))
        pseudonym = data.get("pseudonym", getattr(self.instance, "pseudonym", ""))
        if protected and not (pseudonym or "").strip():
            raise serializers.ValidationError(
                {"pseudonym": "A protected actor needs a pseudonym: it is all the public sees."}
            )
        return data

    def create(self, validated_data):
        validated_data.pop("version", None)
        return super().create(validated_data)

    def update(self, instance, validated_data):
        validated_data.pop("version", None)
        return super().update(instance, validated_data)
