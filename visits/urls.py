"""Pages of the visits app (minimal in this branch: the stock count part)."""

from visits import count_urls

app_name = "visits"

urlpatterns = [
    *count_urls.urlpatterns,
]
