"""A ward nurse's concrete stories, told in a nurse's words (a shift, a patient, drugs given, a dose caught),
score as stories: the situation, the actions with irregular verbs ("gave", "caught", "saw") and the outcome
("before it reached the patient", "back in theatre") are heard, not only a software engineer's."""

import pytest

from shared.ai.offline import assess
from tests.nurse import CONTEXT, MEDICATIONS, STORIES


@pytest.mark.parametrize(("question", "story"), STORIES)
def test_a_concrete_story_in_the_fields_own_words_scores_as_one(question, story):
    assessed = assess(CONTEXT, question, story)
    assert assessed.score >= 6, assessed.provenance.rationale if assessed.provenance else ""
    assert "Structure the answer: situation, what you did, the result" not in assessed.feedback.improvements


def test_claims_without_a_story_stay_low():
    vague = assess(CONTEXT, MEDICATIONS, "I always follow the rules and I am very careful with medications.")
    short = assess(CONTEXT, MEDICATIONS, "I gave medications.")
    story = assess(CONTEXT, *STORIES[0])
    assert vague.score <= 2 and short.score <= 2 and story.score - max(vague.score, short.score) >= 4


@pytest.mark.parametrize(
    ("language", "description", "question", "story", "claim"),
    [("de", "Pflegefachkraft auf der chirurgischen Station. Sie überwachen Patientinnen und Patienten nach Operationen "
            "und verabreichen Medikamente sicher.",
      "Erzählen Sie von einer Situation, in der Sie Medikamente sicher verabreicht haben.",
      "In einer Nachtschicht habe ich zwölf Patienten ihre Medikamente pünktlich gegeben, jede Dosis mit der Akte "
      "abgeglichen und eine falsche Dosis bemerkt, bevor sie den Patienten erreichte.",
      "Ich bin sehr sorgfältig und arbeite immer gewissenhaft."),
     ("es", "Enfermera de planta quirúrgica. Usted administrará medicamentos de forma segura y vigilará a los pacientes "
            "después de la cirugía.",
      "Cuénteme una situación en la que administró medicamentos de forma segura.",
      "En un turno de noche di la medicación a doce pacientes a tiempo, comprobé cada dosis con la historia clínica y "
      "detecté una dosis equivocada antes de que llegara al paciente.",
      "Soy muy cuidadosa, siempre bien."),
     ("fr", "Infirmier de bloc. Vous administrez les médicaments en toute sécurité et surveillez les patients après une "
            "opération.",
      "Racontez-moi une situation où vous avez administré des médicaments en toute sécurité.",
      "Pendant une nuit de garde, j'ai donné leurs médicaments à douze patients à temps, j'ai vérifié chaque dose avec "
      "le dossier et j'ai repéré une erreur de dose avant qu'elle n'atteigne le patient.",
      "Je suis très prudent, ça dépend.")],
)  # fmt: skip
def test_the_same_story_in_german_spanish_and_french(language, description, question, story, claim):
    context = CONTEXT.model_copy(update={"job_description": description, "language": language})
    told, claimed = assess(context, question, story), assess(context, question, claim)
    rationale = told.provenance.rationale if told.provenance else ""
    assert told.score >= 6 and "structure 0" not in rationale, rationale  # the situation is heard
    assert claimed.score <= 2
