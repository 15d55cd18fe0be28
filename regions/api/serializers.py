from rest_framework import serializers

from regions import services
from regions.models import Region
from regions.selectors import region_name_paths


class RegionSerializer(serializers.ModelSerializer):
    """A region of the territory tree. `parent` left out or null on creation: a
    top-level region; on an update, left out: unchanged, null: moved to the top."""

    parent = serializers.PrimaryKeyRelatedField(
        queryset=Region.objects.all(), allow_null=True, required=False,
        help_text="The region above; null or left out for a top-level region.",
    )
    path = serializers.SerializerMethodField(help_text='The names from the root down, e.g. "China/Zhejiang/Hangzhou".')

    class Meta:
        model = Region
        fields = ["id", "name", "kind", "parent", "depth", "path"]
        read_only_fields = ["depth", "path"]
        # Uniqueness of a name under its parent (a top-level one included) is the service's.
        validators = []

    def get_path(self, region: Region) -> str:
        paths = self.context.get("region_paths")
        if paths is None:
            paths = self.context["region_paths"] = region_name_paths()
        return paths.get(region.pk, region.name)

    def create(self, validated_data):
        return services.region_create(**validated_data)

    def update(self, instance, validated_data):
        return services.region_update(region=instance, **validated_data)
