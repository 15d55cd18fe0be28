import django_filters
from rest_framework import mixins, viewsets

from common.api.permissions import IsHQAdminOrReadOnly
from regions.api.serializers import RegionSerializer
from regions.models import Region, RegionKind
from regions.selectors import region_list


class RegionFilter(django_filters.FilterSet):
    parent = django_filters.ModelChoiceFilter(queryset=Region.objects.all())
    kind = django_filters.ChoiceFilter(choices=RegionKind.choices)
    within = django_filters.ModelChoiceFilter(
        queryset=Region.objects.all(), method="filter_within", label="Within region (subtree)"
    )

    class Meta:
        model = Region
        fields = ["parent", "kind", "within"]

    def filter_within(self, queryset, name, value):
        return queryset.subtree_of([value])


class RegionViewSet(
    mixins.ListModelMixin, mixins.CreateModelMixin, mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin, viewsets.GenericViewSet,
):
    """The territory tree. Everyone signed in reads it; HQ admin edits it."""

    serializer_class = RegionSerializer
    permission_classes = [IsHQAdminOrReadOnly]
    filterset_class = RegionFilter
    search_fields = ["name"]
    ordering_fields = ["name", "path", "depth"]

    def get_queryset(self):
        return region_list(user=self.request.user)
