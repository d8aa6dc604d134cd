"""Ready-made group series from the Malmö cross-agency team (seed 002), with their topics.

Every session is held on one working day, twice: a morning and an afternoon run of two
hours each, so that participants can keep their SFI hours either side.
"""

import datetime as dt
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from sia.process.workdays import next_working_day

MORNING = (dt.time(9, 0), dt.time(11, 0))
AFTERNOON = (dt.time(13, 0), dt.time(15, 0))


@dataclass(frozen=True)
class Preset:
    """A kind of series: its name, how many sessions it may have and the default topics."""

    key: str
    title: Promise
    description: Promise
    sessions: int
    min_sessions: int
    max_sessions: int
    topics: tuple[Promise, ...]

    def topic(self, number: int) -> str:
        """Return the default topic of session `number` (1-based)."""
        if number <= len(self.topics):
            return str(self.topics[number - 1])
        return str(_("Samtal och reflektion utifrån gruppens frågor"))


PRESETS: dict[str, Preset] = {
    preset.key: preset
    for preset in (
        Preset(
            key="halsoskola",
            title=_("Hälsoskola"),
            description=_("Hälsofrämjande gruppträffar om vården i Sverige och egen hälsa."),
            sessions=10,
            min_sessions=10,
            max_sessions=12,
            topics=(
                _("Vården i Sverige"),
                _("Fysisk hälsa"),
                _("Psykisk hälsa"),
                _("Trauma"),
                _("Smärta"),
                _("Sömn"),
                _("Kost och motion"),
                _("Vardagsbalans"),
                _("Alkohol, tobak och droger"),
                _("Familj i Sverige"),
            ),
        ),
        Preset(
            key="kartlaggning",
            title=_("Fördjupad kartläggning och vägledning"),
            description=_("Vägledning i grupp om arbetsmarknaden och egna mål."),
            sessions=4,
            min_sessions=4,
            max_sessions=4,
            topics=(
                _("Soft skills"),
                _("Arbetsmarknad"),
                _("Mina drömmar"),
                _("Framtidsplaner"),
            ),
        ),
        Preset(
            key="socialforsakring",
            title=_("Socialförsäkring och jämställdhet"),
            description=_(
                "Workshop om socialförsäkringen och samhällssystemet med ett "
                "jämställdhetsperspektiv."
            ),
            sessions=8,
            min_sessions=8,
            max_sessions=8,
            topics=(
                _("Samhälls- och skattesystemet"),
                _("Välfärdssystemets finansiering och fördelning av skattemedel"),
                _("Socialförsäkringen: förmåner och ersättningar"),
                _("Rättigheter och skyldigheter i ett ärende hos Försäkringskassan"),
                _("Sjukpenninggrundande inkomst och pension"),
                _("Demokratins grunder och icke-diskriminering"),
                _("Jämställdhet"),
                _("Samtal och reflektion"),
            ),
        ),
    )
}

MAX_SESSIONS = 30


def session_dates(first: dt.date, count: int) -> list[dt.date]:
    """Return `count` weekly dates from `first`, each moved to the next working day."""
    return [next_working_day(first + dt.timedelta(weeks=n)) for n in range(count)]


def preset_choices() -> list[tuple[str, str]]:
    """Return the presets as form choices, with the number of sessions in the label."""
    return [(preset.key, f"{preset.title} ({_range(preset)})") for preset in PRESETS.values()]


def _range(preset: Preset) -> str:
    if preset.min_sessions == preset.max_sessions:
        return str(_("%(n)s tillfällen") % {"n": preset.sessions})
    return str(
        _("%(low)s–%(high)s tillfällen") % {"low": preset.min_sessions, "high": preset.max_sessions}
    )
