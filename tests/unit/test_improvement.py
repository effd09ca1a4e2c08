"""The "improve the interviewer" analyses, against values worked out by hand."""

import json
import re

import pytest

from services.persistence.documents import AnswerRecord, JobDescriptionRecord
from services.persistence.improvement import (
    AGREEMENT_STATISTICS,
    agreement,
    calibration,
    is_empty_or_unknown,
    job_description_skills,
    normalise_question,
    question_quality,
)
from services.persistence.training import jsonl, training_examples
from shared.ai.openai_provider import AssessmentOut
from shared.ai.prompts import load_prompt
from shared.contracts.interview_document import InterviewDocument

ANSWER = {"session_id": "s1", "question_number": 1, "answer": "An answer.", "feedback": {},
          "timestamp": "2026-11-25T10:00:00+00:00", "candidate_name": None, "difficulty": None}  # fmt: skip


def answer_record(**fields: object) -> AnswerRecord:
    """An answers document with these fields (the rest do not matter to the analyses)."""
    return AnswerRecord.model_validate(ANSWER | fields)


AI = [8, 6, 6, 3, 9]
HUMAN = [7, 6, 4, 4, 9]


def test_agreement_of_five_pairs():
    # differences ai - human: 1, 0, 2, -1, 0
    #   MAE = (1+0+2+1+0)/5 = 0.8; bias = (1+0+2-1+0)/5 = 0.4
    #   exact: 2 of 5 = 0.4; |d| <= 1: 4 of 5 = 0.8
    # Spearman: ranks ai (8,6,6,3,9) -> (4, 2.5, 2.5, 1, 5); human (7,6,4,4,9) -> (4, 3, 1.5, 1.5, 5)
    #   both means 3; deviations (1,-.5,-.5,-2,2) and (1,0,-1.5,-1.5,2)
    #   covariance sum = 1 + 0 + .75 + 3 + 4 = 8.75; squares 9.5 and 9.5 -> 8.75/9.5 = 0.921052...
    #   check, tie-corrected formula: Sx = Sy = (5³-5)/12 - (2³-2)/12 = 9.5, Σd² = 0+.25+1+.25+0 = 1.5,
    #   (9.5 + 9.5 - 1.5) / (2 * 9.5) = 17.5/19 = 0.921052...
    # QWK: observed disagreement Σd²/n = 6/5 = 1.2
    #   chance disagreement = var(ai) + var(human) + (mean ai - mean human)²
    #   = (226/5 - 6.4²) + (198/5 - 6²) + 0.4² = 4.24 + 3.6 + 0.16 = 8; kappa = 1 - 1.2/8 = 0.85
    assert agreement(AI, HUMAN) == {
        "n": 5,
        "mean_absolute_error": 0.8,
        "mean_bias": 0.4,
        "spearman": 0.9211,
        "exact_agreement": 0.4,
        "within_one_agreement": 0.8,
        "quadratic_weighted_kappa": 0.85,
    }


def test_opposite_rankings():
    # differences -2, 0, 2: MAE 4/3, bias 0; observed Σd²/n = 8/3
    # chance = var 2/3 + var 2/3 + 0 = 4/3; kappa = 1 - (8/3)/(4/3) = -1
    result = agreement([1, 2, 3], [3, 2, 1])
    assert result["spearman"] == -1.0
    assert result["quadratic_weighted_kappa"] == -1.0
    assert (result["mean_absolute_error"], result["mean_bias"]) == (1.3333, 0.0)


def test_a_constant_side_has_no_rank_correlation():
    # human varies, AI constant: observed (1+0+1)/3 = 2/3 = chance (0 + 2/3 + 0): kappa 0
    result = agreement([5, 5, 5], [4, 5, 6])
    assert result["spearman"] is None
    assert result["quadratic_weighted_kappa"] == 0.0


def test_both_sides_the_same_constant_have_no_kappa():
    result = agreement([7, 7], [7, 7])
    assert result["spearman"] is None and result["quadratic_weighted_kappa"] is None
    assert (result["mean_absolute_error"], result["exact_agreement"]) == (0.0, 1.0)


def test_one_pair_and_no_pairs():
    assert agreement([4], [6])["spearman"] is None
    assert agreement([], []) == {"n": 0, **dict.fromkeys(AGREEMENT_STATISTICS)}


@pytest.mark.parametrize(("ai", "human"), [([1, 2], [1]), ([11], [5]), ([5], [-1]), ([5.5], [5])])
def test_agreement_refuses_bad_input(ai, human):
    with pytest.raises(ValueError):
        agreement(ai, human)


def reviewed(question, score, human_score, difficulty="intermediate", provider=None, prompt_version=None):
    provenance = provider and {"provider": provider, "model": "m", "prompt_version": prompt_version, "rationale": ""}
    return answer_record(question=question, score=score, difficulty=difficulty, provenance=provenance,
                         human_score=human_score)  # fmt: skip


REVIEWED = [
    reviewed("What is a REST API?", 8, 7, provider="offline", prompt_version="score-v2"),
    reviewed("what is a  rest api", 6, 6, provider="offline", prompt_version="score-v2"),
    reviewed("Explain Docker.", 6, 4, difficulty="advanced"),
    reviewed("Explain Docker.", 5, None),  # not reviewed
    reviewed("What is a REST API ?", 3, 4, provider="openai", prompt_version="score-v3"),
    reviewed("Explain Docker", 9, 9, difficulty="advanced", provider="openai", prompt_version="score-v3"),
]


def test_calibration_overall_and_per_group():
    result = calibration(REVIEWED, minimum=3, max_pairs=2)
    assert result["minimum_sample"] == 3 and result["reviewed_answers"] == 5
    # the reviewed pairs are AI and HUMAN above, worked out in test_agreement_of_five_pairs
    assert result["overall"] == {
        "key": None, "n": 5, "enough_data": True, "mean_absolute_error": 0.8, "mean_bias": 0.4, "spearman": 0.9211,
        "exact_agreement": 0.4, "within_one_agreement": 0.8, "quadratic_weighted_kappa": 0.85,
    }  # fmt: skip
    intermediate, advanced = result["by_difficulty"]
    # intermediate (8,7), (6,6), (3,4): differences 1, 0, -1 -> MAE 2/3, bias 0, exact 1/3, within one 1
    #   ranks (3,2,1) both -> Spearman 1
    #   observed 2/3; chance: var ai = 109/3 - (17/3)² = 38/9, var human = 101/3 - (17/3)² = 14/9, means equal
    #   kappa = 1 - (2/3)/(52/9) = 1 - 6/52 = 0.884615...
    assert intermediate == {
        "key": "intermediate", "n": 3, "enough_data": True, "mean_absolute_error": 0.6667, "mean_bias": 0.0,
        "spearman": 1.0, "exact_agreement": 0.3333, "within_one_agreement": 1.0, "quadratic_weighted_kappa": 0.8846,
    }  # fmt: skip
    assert advanced == {"key": "advanced", "n": 2, "enough_data": False, **dict.fromkeys(AGREEMENT_STATISTICS)}
    assert [(g["key"], g["n"]) for g in result["by_question"]] == [("what is a rest api", 3), ("explain docker", 2)]
    assert [(g["key"], g["n"]) for g in result["by_provider"]] == [("offline", 2), ("openai", 2), ("unknown", 1)]
    assert [(g["key"], g["n"]) for g in result["by_prompt_version"]] == [
        ("score-v2", 2), ("score-v3", 2), ("unknown", 1)
    ]  # fmt: skip
    assert result["pairs"] == [
        {"session_id": "s1", "question_number": 1, "question": "What is a REST API?", "ai_score": 8,
         "human_score": 7, "difficulty": "intermediate", "provider": "offline", "prompt_version": "score-v2"},
        {"session_id": "s1", "question_number": 1, "question": "what is a  rest api", "ai_score": 6,
         "human_score": 6, "difficulty": "intermediate", "provider": "offline", "prompt_version": "score-v2"},
    ]  # fmt: skip


def test_a_group_needs_the_minimum_sample():
    advanced = [(6, 4), (9, 9)]
    answers = [reviewed("Explain Docker", ai, human, difficulty="advanced") for ai, human in advanced]
    assert calibration(answers, minimum=3)["overall"]["enough_data"] is False
    assert calibration(answers, minimum=3)["overall"]["mean_absolute_error"] is None
    # minimum 2: differences 2, 0 -> MAE 1, bias 1, exact .5, within one .5; ranks (1,2) both -> Spearman 1
    #   observed (4+0)/2 = 2; chance ((6-4)² + (6-9)² + (9-4)² + (9-9)²)/4 = 38/4 = 9.5
    #   kappa = 1 - 2/9.5 = 0.789473...
    assert calibration(answers, minimum=2)["overall"] == {
        "key": None, "n": 2, "enough_data": True, "mean_absolute_error": 1.0, "mean_bias": 1.0, "spearman": 1.0,
        "exact_agreement": 0.5, "within_one_agreement": 0.5, "quadratic_weighted_kappa": 0.7895,
    }  # fmt: skip


def test_no_reviews():
    result = calibration([reviewed("Q", 5, None)])
    assert result["reviewed_answers"] == 0 and result["pairs"] == [] and result["by_question"] == []
    assert result["overall"]["n"] == 0 and result["overall"]["enough_data"] is False


def test_trivially_different_questions_normalise_alike():
    spellings = ["What is a REST API?", "  what is a  REST api ", "What is a REST API ?", "“What is a REST API?”"]
    assert {normalise_question(s) for s in spellings} == {"what is a rest api"}
    assert normalise_question("What’s new in C#?") == normalise_question("what's new in c#") == "what's new in c#"
    assert normalise_question("What is a REST API?") != normalise_question("What is a SOAP API?")


@pytest.mark.parametrize(
    "answer",
    [
        "", "   ", "...", "?", "I don't know", "I don’t know.", "i dont know the answer to that question",
        "Sorry, I have no idea.", "Not sure", "Um, I'm not sure, sorry.", "Honestly? No idea.", "pass",
        "I'll pass on that one.", "Skip", "Can we skip this one?", "Next question please", "idk", "N/A",
        "I have no experience with that", "I don't have any experience with that.", "I've never used it",
        "I don't know. Pass.",
    ],
)  # fmt: skip
def test_answers_that_say_nothing(answer):
    assert is_empty_or_unknown(answer)


@pytest.mark.parametrize(
    "answer",
    [
        "I'm not sure this is the best design, but I would put a queue between the services and retry.",
        "Not sure that matters: the real bottleneck was the database, so we added an index.",
        "I don't know Kubernetes well, but I deployed Docker containers on ECS for two years.",
        "Pass the request through a load balancer.",
        "I would skip the cache for writes.",
        "Python",
        "No idea is too small for a design review; I write them all down. " * 3,
    ],
)
def test_answers_that_say_something(answer):
    assert not is_empty_or_unknown(answer)


def asked(question, answer, score):
    return answer_record(question=question, answer=answer, score=score)


QUESTION_ANSWERS = [
    # asked 4 times; 2 of 4 answers say nothing; scores 1, 0, 7, 6
    asked("Explain the CAP theorem.", "I don't know", 1),
    asked("Explain the CAP theorem", "", 0),
    asked("Explain the CAP theorem.", "Consistency, availability and partition tolerance trade off during a network partition.", 7),
    asked("Explain the CAP theorem.", "It is about consistency and availability.", 6),
    # asked 3 times; scores 1, 9, 8
    asked("Describe a time you disagreed with your team.", "We argued.", 1),
    asked("Describe a time you disagreed with your team.", "I wrote a design doc comparing both options.", 9),
    asked("Describe a time you disagreed with your team.", "We paired on a prototype and measured it.", 8),
    # asked 5 times; scores 7, 7, 8, 6, 7
    *[asked("What is Python?", "A language.", s) for s in (7, 7, 8)],
    *[asked("what is python", "A language.", s) for s in (6, 7)],
    # asked twice, too few to judge
    asked("Why Rust?", "pass", 0),
    asked("Why Rust?", "no idea", 1),
]  # fmt: skip


def test_question_quality():
    rows = question_quality(QUESTION_ANSWERS, min_asked=3)
    assert [row["question"] for row in rows] == [
        "explain the cap theorem", "describe a time you disagreed with your team", "what is python", "why rust"
    ]  # fmt: skip
    cap, disagreed, python, rust = rows
    # CAP: share 2/4 = .5; mean (1+0+7+6)/4 = 3.5 < 4
    #   spread: deviations -2.5, -3.5, 3.5, 2.5 -> (6.25+12.25+12.25+6.25)/4 = 9.25 -> √9.25 = 3.041...
    #   words (3 + 0 + 11 + 6)/4 = 5
    assert cap == {
        "question": "explain the cap theorem", "example": "Explain the CAP theorem.", "times_asked": 4,
        "average_score": 3.5, "score_spread": 3.04, "empty_or_unknown_share": 0.5, "average_answer_words": 5.0,
        "flagged": True, "reasons": ["candidates often cannot answer it", "low scores"],
    }  # fmt: skip
    # disagreed: mean 6; deviations -5, 3, 2 -> (25+9+4)/3 = 12.667 -> √ = 3.559 >= 3.5
    assert (disagreed["average_score"], disagreed["score_spread"]) == (6.0, 3.56)
    assert disagreed["reasons"] == ["scores vary widely: it may be ambiguous"]
    # Python: mean 7; deviations 0, 0, 1, -1, 0 -> 2/5 = .4 -> √.4 = 0.632...
    assert (python["times_asked"], python["average_score"], python["score_spread"]) == (5, 7.0, 0.63)
    assert python["example"] == "What is Python?" and not python["flagged"] and python["reasons"] == []
    # Rust: every answer says nothing and scores low, but two answers are too few
    assert rust["empty_or_unknown_share"] == 1.0 and rust["average_score"] == 0.5 and not rust["flagged"]


def test_question_quality_flags_from_the_minimum():
    answers = [asked("Why Rust?", "pass", 0), asked("Why Rust?", "no idea", 1)]
    assert question_quality(answers, min_asked=2)[0]["reasons"] == ["candidates often cannot answer it", "low scores"]
    assert question_quality([]) == []


def interview(session_id, average_score, status="completed", job_description="Rust developer"):
    return InterviewDocument(
        session_id=session_id, average_score=average_score, status=status, job_description=job_description,
        timestamp="2026-11-25T10:00:00+00:00", candidate_name="C", candidate_experience=3, difficulty="intermediate",
        started_at="2026-11-25T10:00:00+00:00", ended_at=None, total_questions=1, individual_scores=[],
        questions_and_answers=[], overall_score=None, summary="", strengths=[], weaknesses=[], recommendations=[],
        hire_recommendation=None, completion_reason=None,
    )  # fmt: skip


def job(session_id, job_description):
    return JobDescriptionRecord(session_id=session_id, job_description=job_description, candidate_name="C",
                                candidate_experience=3, difficulty="intermediate", timestamp="2026-11-25")  # fmt: skip


def test_skills_that_go_with_higher_or_lower_scores():
    interviews = [
        interview("s1", 8.0),
        interview("s2", 6.0),
        interview("s3", 4.0, job_description="Java developer, AWS"),  # no job-description document
        interview("s4", 7.0),
        interview("s5", 2.0, status="in_progress"),
    ]
    job_descriptions = [
        job("s1", "Python developer with Django and PostgreSQL"),
        job("s2", "Python and AWS engineer"),
        job("s4", "Java and Kubernetes"),
        job("s5", "Python"),
    ]
    # completed: 8, 6, 4, 7 -> overall 25/4 = 6.25
    # Python s1, s2 -> 7 (+.75); Java s3, s4 -> 5.5 (-.75); AWS s2, s3 -> 5 (-1.25);
    # Django, PostgreSQL, Kubernetes once each; Rust is in s1's and s2's interview documents but their
    # job-description documents win
    assert job_description_skills(interviews, job_descriptions, min_interviews=2) == {
        "interviews": 4,
        "overall_average": 6.25,
        "skills": [
            {"skill": "Python", "category": "language", "interviews": 2, "average_score": 7.0, "difference": 0.75},
            {"skill": "Java", "category": "language", "interviews": 2, "average_score": 5.5, "difference": -0.75},
            {"skill": "AWS", "category": "cloud", "interviews": 2, "average_score": 5.0, "difference": -1.25},
        ],
    }
    assert len(job_description_skills(interviews, job_descriptions, min_interviews=1)["skills"]) == 6


def test_skills_without_completed_interviews():
    assert job_description_skills([interview("s5", 2.0, status="in_progress")], []) == {
        "interviews": 0, "overall_average": None, "skills": []
    }  # fmt: skip


JOBS = {
    "s1": JobDescriptionRecord(session_id="s1", job_description="Python developer; you would join ADA LOVELACE's team.",
                               candidate_name="Ada Lovelace", candidate_experience=3, difficulty="intermediate",
                               timestamp="2026-11-25T10:00:00+00:00"),
}  # fmt: skip
TRAINING_ANSWERS = [answer_record(**fields) for fields in [
    {"session_id": "s1", "question_number": 1, "question": "Ada, what is Python?", "candidate_name": "Ada Lovelace",
     "answer": "I'm Ada Lovelace, adamant that Python is great; lovelace@example.com has notes.", "score": 6,
     "feedback": {"strengths": ["Ada was clear"], "improvements": ["More depth"]}, "difficulty": "intermediate",
     "human_score": 8, "human_note": "Lovelace gave a concrete example.",
     "evidence": [{"start": 4, "end": 16, "effect": "earned", "reason": "Ada names herself"},  # "Ada Lovelace"
                  {"start": 31, "end": 46, "effect": "cost", "reason": "An opinion"}]},  # "Python is great"
    {"session_id": "s1", "question_number": 2, "question": "Why tests?", "candidate_name": "Ada Lovelace",
     "answer": "They catch bugs.", "score": 5, "feedback": {"strengths": [], "improvements": ["Give an example"]},
     "difficulty": "intermediate", "human_score": None, "human_note": None,
     "provenance": {"provider": "offline", "model": "rules", "rationale": "relevant but no example"}},
    {"session_id": "s1", "question_number": 3, "question": "And CI?", "candidate_name": "Ada Lovelace",
     "answer": "Jenkins, GitHub Actions, all of them, great tools.", "score": 7, "difficulty": "intermediate",
     "feedback": {"strengths": ["Names tools"], "improvements": []}, "human_score": 2, "human_note": None,
     "evidence": [{"start": 0, "end": 7, "effect": "earned", "reason": "A tool"}]},
    {"session_id": "s9", "question_number": 1, "question": "Q?", "candidate_name": "Bo", "answer": "A",
     "score": 5, "feedback": {"strengths": [], "improvements": []}, "human_score": None},  # no job description
]]  # fmt: skip


def test_training_examples_are_openai_chat_lines_asked_as_the_provider_asks():
    lines = list(jsonl(training_examples(TRAINING_ANSWERS, JOBS)))
    assert len(lines) == 3 and all(line.endswith("\n") and line.count("\n") == 1 for line in lines)
    examples = [json.loads(line) for line in lines]
    assert all(set(example) == {"messages"} for example in examples)
    assert all([m["role"] for m in e["messages"]] == ["system", "user", "assistant"] for e in examples)
    system, user, assistant = examples[0]["messages"]
    assert system["content"] == load_prompt("assess_answer").text  # the OpenAI provider's own prompt
    assert re.sub(r"<(/?)data-(\w+)-[0-9a-f]{12}>", r"<\1data-\2>", user["content"]) == (
        "Job description:\n<data-job>\nPython developer; you would join ADA LOVELACE's team.\n</data-job>\n"
        "Difficulty: intermediate. Candidate experience: 3 years.\n"
        "Interview language: English (en). Write everything you write in it.\n\n"
        "The question asked:\n<data-question>\nAda, what is Python?\n</data-question>\n\n"
        "The candidate's answer:\n<data-answer>\nI'm Ada Lovelace, adamant that Python is great; "
        "lovelace@example.com has notes.\n</data-answer>"
    )  # fenced as data, as the provider sends it
    replies = [AssessmentOut.model_validate_json(e["messages"][2]["content"]) for e in examples]  # its reply shape
    assert json.loads(assistant["content"]) == {
        "score": 8,  # the person's, not the AI's 6; close enough to keep the AI's feedback and evidence
        "strengths": ["Ada was clear"], "improvements": ["More depth"],
        "rationale": "Lovelace gave a concrete example.",
        "evidence": [{"quote": "Ada Lovelace", "effect": "earned", "reason": "Ada names herself"},
                     {"quote": "Python is great", "effect": "cost", "reason": "An opinion"}],
    }  # fmt: skip
    assert replies[1].evidence == [] and replies[2].evidence == []  # none stored; far from the person's score
    assert replies[1].model_dump(exclude={"evidence"}) == {"score": 5, "strengths": [], "improvements": ["Give an example"],
                                       "rationale": "relevant but no example"}  # fmt: skip
    # a person far from the AI (2 against 7): the AI's praise does not stay beside their score
    assert replies[2].model_dump(exclude={"evidence"}) == {"score": 2, "strengths": [], "improvements": [],
                                       "rationale": "A reviewer scored this answer 2."}  # fmt: skip


def test_anonymised_examples_do_not_name_the_candidate():
    example = next(training_examples(TRAINING_ANSWERS, JOBS, anonymise=True))
    text = json.dumps(example, ensure_ascii=False).lower()
    assert "ada" not in text.replace("adamant", "") and "lovelace" not in text
    user, assistant = example["messages"][1]["content"], json.loads(example["messages"][2]["content"])
    assert "join the candidate's team" in user and "I'm the candidate, adamant" in user
    assert "the candidate, what is Python?" in user and "the candidate@example.com" in user
    assert assistant["strengths"] == ["the candidate was clear"]
    assert assistant["rationale"] == "the candidate gave a concrete example."
    assert [e["quote"] for e in assistant["evidence"]] == ["the candidate", "Python is great"]  # in the answer
    assert all(e["quote"] in user for e in assistant["evidence"])  # as the user message has it
