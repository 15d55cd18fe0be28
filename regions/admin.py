from django.contrib import admin

from regions.models import Region


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["indented_name", "kind", "parent"]
    list_filter = ["kind"]
    search_fields = ["name"]
    autocomplete_fields = ["parent"]
    ordering = ["path"]

    @admin.display(description="name", ordering="path")
    def indented_name(self, region: Region) -> str:
        return f"{'— ' * region.depth}{region.name}"
