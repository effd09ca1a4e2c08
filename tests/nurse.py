"""A ward nurse's job, interview and two concrete stories, told in a nurse's words: the offline scorer's tests of
stories outside software and of numbers written as words use the same ones."""

from datetime import UTC, datetime

from shared.contracts.events import InterviewContext

NURSE = ("Registered Nurse, surgical ward. You will assess and monitor patients after surgery, administer medications "
         "safely, educate patients and families before discharge, and document accurately in the electronic health "
         "record.")  # fmt: skip
CONTEXT = InterviewContext(candidate_name="Nora", candidate_experience=4, job_description=NURSE,
                           difficulty="intermediate", total_questions=4, started_at=datetime(2026, 1, 5, tzinfo=UTC))  # fmt: skip
MEDICATIONS = ("Tell me about a time you had to administer medications safely. What was the situation, what did you "
               "do yourself, and what was the result?")  # fmt: skip
STORIES = [
    (MEDICATIONS, "On a busy night shift I gave twelve patients their drugs on time, checking every dose against the "
                  "chart and the wristband, and caught one wrong dose before it reached the patient."),
    ("Tell me about a time you had to assess and monitor patients after surgery.",
     "I assessed a patient two hours after a hip replacement, saw her blood pressure falling and her pulse rising, "
     "called the surgical team within five minutes and she was back in theatre in forty minutes."),
]  # fmt: skip
