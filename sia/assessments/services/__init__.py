"""Record assessment talks, the future and health plan, postponed topics, barriers,
progress steps and enrolments.

A talk is a signed record: a correction is a new record that supersedes the current one
of the same kind, never an update. The future and health plan versions like the SIA
plan: a draft is agreed by the person and then frozen, a change makes a new version
copied from the latest. Every write is audited in the same transaction.
"""

from sia.assessments.services.common import MAX_MONTHS, MAX_STEPS, MAX_TEXT
from sia.assessments.services.enrolments import discharge, enrol
from sia.assessments.services.followup import (
    postpone_topic,
    record_barrier,
    record_progress,
    resolve_barrier,
    return_to_topic,
)
from sia.assessments.services.future_plan import StepInput, agree_future_plan, save_future_plan
from sia.assessments.services.talks import record_talk

__all__ = [
    "MAX_MONTHS",
    "MAX_STEPS",
    "MAX_TEXT",
    "StepInput",
    "agree_future_plan",
    "discharge",
    "enrol",
    "postpone_topic",
    "record_barrier",
    "record_progress",
    "record_talk",
    "resolve_barrier",
    "return_to_topic",
    "save_future_plan",
]
