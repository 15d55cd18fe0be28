from rest_framework import serializers

from regions.models import Region


class RegionSerializer(serializers.ModelSerializer):
    parent = serializers.PrimaryKeyRelatedField(queryset=Region.objects.all(), allow_null=True, required=False)

    class Meta:
        model = Region
        fields = ["id", "name", "kind", "parent", "depth"]
        read_only_fields = ["depth"]

    def validate(self, attrs):
        region = Region(**{**({} if self.instance is None else {"pk": self.instance.pk, "path": self.instance.path}), **attrs})
        region.clean()
        return attrs
