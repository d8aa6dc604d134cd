"""The SIA plan as a PDF for the newcomer, drawn with fpdf2's built-in fonts.

The built-in fonts cover Windows-1252 only (Swedish letters included). Other letters
are written without their accents where possible and as "?" otherwise, so a name in
another script never breaks the download; the print view shows every character.
"""

from django.utils import timezone
from django.utils.translation import gettext as _
from fpdf import FPDF

from sia.cases.models import Case
from sia.core.pdf import ENCODING, pdf_text
from sia.plans.models import PlanActivity, SiaPlan


def _who(activity: PlanActivity) -> str:
    if activity.responsible_user is not None:
        return activity.responsible_user.get_full_name() or activity.responsible_user.username
    return activity.responsible or "–"


def _when(activity: PlanActivity) -> str:
    start = activity.start_date.isoformat() if activity.start_date else "–"
    target = activity.target_date.isoformat() if activity.target_date else "–"
    return f"{_('Start')}: {start}   {_('Klart senast')}: {target}"


class _PlanPdf(FPDF):
    def heading(self, text: str, size: int = 14) -> None:
        self.set_font("Helvetica", "B", size)
        self.multi_cell(0, size * 0.6, pdf_text(text), new_x="LMARGIN", new_y="NEXT")
        self.ln(1)

    def paragraph(self, text: str, style: str = "") -> None:
        self.set_font("Helvetica", style, 11)
        self.multi_cell(0, 6, pdf_text(text), new_x="LMARGIN", new_y="NEXT")
        self.ln(1)


def _status_line(plan: SiaPlan) -> str:
    if plan.agreed_at is None:
        return _("Version %(version)s, förslag") % {"version": plan.version}
    day = timezone.localtime(plan.agreed_at).date().isoformat()
    return _("Version %(version)s, överenskommen %(day)s") % {"version": plan.version, "day": day}


def plan_pdf(case: Case, plan: SiaPlan) -> bytes:
    """Draw a plan version for the newcomer: name, activities, who and when."""
    pdf = _PlanPdf(format="A4")
    pdf.core_fonts_encoding = ENCODING
    pdf.set_title(pdf_text(f"SIA-plan {case.reference}"))
    pdf.add_page()
    pdf.heading(_("Din SIA-plan"), 18)
    pdf.paragraph(f"{case.person.given_name} {case.person.family_name}", "B")
    pdf.paragraph(_status_line(plan))
    pdf.heading(_("Det här ska du göra, och vem som hjälper dig"))
    for activity in plan.activities.all():
        pdf.paragraph(activity.name, "B")
        pdf.paragraph(f"{_('Vem')}: {_who(activity)}")
        pdf.paragraph(_when(activity))
        pdf.paragraph(f"{_('Status')}: {activity.get_status_display()}")
    if not plan.activities.all():
        pdf.paragraph(_("Planen har inga aktiviteter än."))
    if plan.guidance_needs:
        pdf.heading(_("Stöd från samhällsvägledaren framöver"))
        pdf.paragraph(plan.guidance_needs)
    if plan.assessment:
        pdf.heading(_("Det här har vi pratat om"))
        pdf.paragraph(plan.assessment)
    pdf.paragraph(_("Ärende %(reference)s") % {"reference": case.reference})
    return bytes(pdf.output())
