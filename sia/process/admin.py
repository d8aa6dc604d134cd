"""Configuration admin for process templates and catalogues. Case steps are case content
and are not here.

A template version whose steps are used by cases is not edited in place: its steps are
read-only, and the administrator copies it as a new version and activates that.
"""

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from sia.accounts.models import User
from sia.core.exceptions import NotFoundOrForbidden
from sia.process.models import (
    CaseStep,
    Catalogue,
    CatalogueItem,
    ProcessTemplate,
    StepDefinition,
)
from sia.process.services import activate_template, clone_template

STEP_FIELDS = [
    "order",
    "key",
    "title",
    "responsible_role",
    "anchor",
    "anchor_step",
    "counting",
    "days",
    "not_later_than_step",
    "opens_at_start",
    "meeting_type",
    "catalogues",
]


def template_in_use(template: ProcessTemplate | None) -> bool:
    """Tell whether cases run on the template version, so its steps must not change."""
    if template is None or template.pk is None:
        return False
    return CaseStep.objects.filter(definition__template=template).exists()


class StepDefinitionInline(admin.StackedInline[StepDefinition, ProcessTemplate]):
    model = StepDefinition
    extra = 0
    fields = tuple(STEP_FIELDS)
    filter_horizontal = ("catalogues",)

    # On an inline, `obj` is the template being edited, not a step.
    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return STEP_FIELDS if template_in_use(obj) else []

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not template_in_use(obj) and super().has_add_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not template_in_use(obj) and super().has_delete_permission(request, obj)


@admin.register(ProcessTemplate)
class ProcessTemplateAdmin(admin.ModelAdmin[ProcessTemplate]):
    list_display = ["name", "key", "version", "is_active", "cloned_from"]
    list_filter = ["key", "is_active"]
    list_select_related = ["cloned_from"]
    inlines = [StepDefinitionInline]
    actions = ["clone_as_new_version", "use_for_new_cases"]
    fieldsets = [
        (None, {"fields": ["key", "name", "version", "is_active", "cloned_from", "created_by"]}),
        (
            _("Målgrupp"),
            {
                "fields": [
                    "require_residence_permit",
                    "min_age",
                    "max_age",
                    "max_years_since_permit",
                    "arrival_categories",
                ]
            },
        ),
    ]

    def get_readonly_fields(
        self, request: HttpRequest, obj: ProcessTemplate | None = None
    ) -> list[str]:
        # A new template picks its version (checked against the key); later ones come by copying.
        fixed = ["is_active", "cloned_from", "created_by"]
        return fixed if obj is None else ["version", *fixed]

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        template = self.get_object(request, object_id)
        if request.method == "GET" and template_in_use(template):
            messages.warning(
                request,
                _(
                    "Ärenden följer den här versionen av mallen, så stegen kan inte ändras. "
                    "Använd ”Kopiera som ny version”, ändra kopian och välj sedan "
                    "”Använd för nya ärenden”."
                ),
            )
        return super().change_view(request, object_id, form_url, extra_context)

    def save_model(
        self, request: HttpRequest, obj: ProcessTemplate, form: Any, change: bool
    ) -> None:
        if not change and isinstance(request.user, User):
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Kopiera som ny version"))
    def clone_as_new_version(
        self, request: HttpRequest, queryset: QuerySet[ProcessTemplate]
    ) -> None:
        user = request.user
        if not isinstance(user, User):
            return
        for template in queryset:
            try:
                clone = clone_template(template_id=template.pk, cloned_by=user)
            except NotFoundOrForbidden:
                self.message_user(request, _("Du får inte ändra processmallar."), messages.ERROR)
                return
            self.message_user(
                request,
                _("%(template)s är kopierad som version %(version)s.")
                % {"template": template, "version": clone.version},
                messages.SUCCESS,
            )

    @admin.action(description=_("Använd för nya ärenden"))
    def use_for_new_cases(self, request: HttpRequest, queryset: QuerySet[ProcessTemplate]) -> None:
        user = request.user
        templates = list(queryset)
        if len(templates) != 1 or not isinstance(user, User):
            self.message_user(
                request, _("Välj exakt en version att använda för nya ärenden."), messages.ERROR
            )
            return
        try:
            template = activate_template(template_id=templates[0].pk, activated_by=user)
        except NotFoundOrForbidden:
            self.message_user(request, _("Du får inte ändra processmallar."), messages.ERROR)
            return
        self.message_user(
            request,
            _("Nya ärenden startar nu %(template)s. Pågående ärenden behåller sin version.")
            % {"template": template},
            messages.SUCCESS,
        )


class CatalogueItemInline(admin.TabularInline[CatalogueItem, Catalogue]):
    model = CatalogueItem
    extra = 1
    fields = ["order", "key", "label", "help_text", "is_active"]


@admin.register(Catalogue)
class CatalogueAdmin(admin.ModelAdmin[Catalogue]):
    list_display = ["title", "key", "kind"]
    list_filter = ["kind"]
    search_fields = ["title", "key"]
    inlines = [CatalogueItemInline]
