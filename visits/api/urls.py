"""The visits API (minimal in this branch: the stock count part)."""

from visits.api import count_urls

urlpatterns = [
    *count_urls.urlpatterns,
]
