"""API of the SIA step records, each sub-domain in its own URL module."""

from sia.meetings import api_urls_alignment, api_urls_first_visit

urlpatterns = [*api_urls_alignment.urlpatterns, *api_urls_first_visit.urlpatterns]
