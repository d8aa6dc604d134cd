"""The import upload form: the file passes the shared upload check as the form validates."""

from django import forms
from django.utils.translation import gettext_lazy as _

from sia.core.uploads import CheckedUpload, UploadKind, UploadRefused, check_upload


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Fil med ärenden (CSV eller Excel .xlsx)"),
        help_text=_("Första raden ska innehålla kolumnrubrikerna som i mallen."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,.txt"}),
    )

    def clean_file(self) -> CheckedUpload:
        try:
            return check_upload(
                self.cleaned_data["file"], allowed=frozenset({UploadKind.CSV, UploadKind.XLSX})
            )
        except UploadRefused as error:
            raise forms.ValidationError(str(error.message)) from None
