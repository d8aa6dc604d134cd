"""Pages of the SIA step records, each sub-domain in its own URL module."""

from sia.meetings import urls_alignment, urls_first_visit

urlpatterns = [*urls_alignment.urlpatterns, *urls_first_visit.urlpatterns]
