from assessments.services.sharing import participation_share
from assessments.services.assessment import (
    AnswerOutcome,
    answer_record,
    assessment_start_for_competence,
    assessment_start_for_participation,
    challenge_report,
    challenge_timer_start,
)

__all__ = [
    "AnswerOutcome",
    "answer_record",
    "assessment_start_for_competence",
    "assessment_start_for_participation",
    "challenge_report",
    "challenge_timer_start",
    "participation_share",
]
