"""What a candidate sees of their assessment (docs/fairness.md, "What the candidate sees"): the interview's
`candidate_report` (a position's setting, or CANDIDATE_REPORT for open interviews) says full (scores,
feedback and the passages of each answer that earned or cost points, the report), scores (the numbers
without written feedback, evidence, summary or recommendation) or nothing (only that the interview is complete).
Every candidate response and live event passes here; the read API (recruiters) always has everything. Whatever is shown, the candidate is told what was assessed and how."""

from dataclasses import replace

from shared.ai.language import interview_language
from shared.contracts.events import CandidateReport, Feedback, Language
from shared.contracts.interview_document import InterviewDocument, interview_document
from shared.contracts.session_view import SessionView

NO_FEEDBACK = Feedback()


def level(view: SessionView) -> CandidateReport:
    return view.context.candidate_report if view.context else "nothing"  # unknown: show nothing


def score_shown(view: SessionView, score: int | None) -> int | None:
    return score if level(view) != "nothing" else None


def feedback_shown(view: SessionView, feedback: Feedback | None) -> Feedback | None:
    return feedback if level(view) == "full" else None


def report_shown(view: SessionView) -> InterviewDocument | None:
    """The finished interview as the candidate may see it (None before the report, or if nothing is shown)."""
    document = interview_document(view) if view.report is not None else None
    shown = level(view)
    if document is None or shown == "full":
        return document
    if shown == "nothing":
        return None
    answers = [answer.model_copy(update={"feedback": NO_FEEDBACK, "provenance": None, "evidence": []})
               for answer in document.questions_and_answers]  # fmt: skip
    return document.model_copy(update={"questions_and_answers": answers, "summary": "", "strengths": [],
                                       "weaknesses": [], "recommendations": [], "hire_recommendation": None,
                                       "report_provenance": None})  # fmt: skip


def revised_report_shown(view: SessionView) -> InterviewDocument | None:
    """The report as written again after an upheld correction (its latest revision), as the candidate may see
    it; None if there is none."""
    if view.revision is None:
        return None
    return report_shown(replace(view, report=view.revision, completion=None))


# How the candidate was assessed, in each interview language (formal: Sie, usted, vous); French sets a
# no-break space before ; : ? ! as its typography does. {must_ask} and {rubric} hold what the position adds.
ASSESSED: dict[Language, dict[str, str]] = {
    "en": {
        "questions": "The questions came from the job description{must_ask}. Later questions also followed your "
        "earlier answers.",
        "must_ask": ", beginning with the hiring team's own questions",
        "scored": "Each answer was scored from 0 to 10 by {scored_by}: how relevant it is to the question and the "
        "role, how specific (examples, results, numbers) and how clearly structured{rubric}.",
        "rubric": ", with the hiring team's criteria for this position",
        "offline": "rules that run on our own server (no AI service)",
        "model": "the AI model {model}",
        "interviewer": "the interviewer",
        "decision": "The overall score and the report come from those scores. People on the hiring team make the "
        "decision; they can read every answer and score it themselves.",
        "requests": "You can ask for a person to review your interview, or correct an answer that was not "
        "transcribed as you said it, below.",
        "scores": "This hiring team shares the scores with candidates, not the written feedback.",
        "nothing": "This hiring team does not share scores or feedback with candidates; they will contact you.",
    },
    "de": {
        "questions": "Die Fragen wurden aus der Stellenbeschreibung abgeleitet{must_ask}. Spätere Fragen gingen "
        "auch auf Ihre vorherigen Antworten ein.",
        "must_ask": ", beginnend mit den eigenen Fragen des Einstellungsteams",
        "scored": "Jede Antwort wurde durch {scored_by} mit 0 bis 10 Punkten bewertet: wie relevant sie für die "
        "Frage und die Stelle ist, wie konkret (Beispiele, Ergebnisse, Zahlen) und wie klar aufgebaut sie ist{rubric}.",
        "rubric": ", nach den Kriterien des Einstellungsteams für diese Stelle",
        "offline": "Regeln, die auf unserem eigenen Server laufen (ohne KI-Dienst)",
        "model": "das KI-Modell {model}",
        "interviewer": "das Interviewsystem",
        "decision": "Die Gesamtbewertung und der Bericht ergeben sich aus diesen Bewertungen. Die Entscheidung "
        "treffen Menschen im Einstellungsteam; sie können jede Antwort lesen und selbst bewerten.",
        "requests": "Unten können Sie darum bitten, dass eine Person Ihr Interview prüft, oder eine Antwort "
        "korrigieren, die nicht so transkribiert wurde, wie Sie sie gesagt haben.",
        "scores": "Dieses Einstellungsteam teilt den Bewerbenden die Bewertungen mit, nicht aber die schriftliche "
        "Rückmeldung.",
        "nothing": "Dieses Einstellungsteam teilt den Bewerbenden weder Bewertungen noch Rückmeldungen mit; es "
        "wird sich bei Ihnen melden.",
    },
    "es": {
        "questions": "Las preguntas se basaron en la descripción del puesto{must_ask}. Las preguntas posteriores "
        "también tuvieron en cuenta sus respuestas anteriores.",
        "must_ask": ", empezando por las preguntas propias del equipo de selección",
        "scored": "Cada respuesta fue puntuada de 0 a 10 por {scored_by} según su relevancia para la pregunta y el "
        "puesto, su concreción (ejemplos, resultados, cifras) y la claridad de su estructura{rubric}.",
        "rubric": ", con los criterios del equipo de selección para este puesto",
        "offline": "reglas que se ejecutan en nuestro propio servidor (sin ningún servicio de IA)",
        "model": "el modelo de IA {model}",
        "interviewer": "el sistema de entrevistas",
        "decision": "La puntuación global y el informe se derivan de esas puntuaciones. La decisión la toman "
        "personas del equipo de selección, que pueden leer cada respuesta y puntuarla por sí mismas.",
        "requests": "Más abajo puede pedir que una persona revise su entrevista, o corregir una respuesta que no "
        "se transcribió tal como usted la dijo.",
        "scores": "Este equipo de selección comparte las puntuaciones con los candidatos, pero no los comentarios "
        "escritos.",
        "nothing": "Este equipo de selección no comparte puntuaciones ni comentarios con los candidatos; se pondrá "
        "en contacto con usted.",
    },
    "fr": {
        "questions": "Les questions ont été tirées de l’offre d’emploi{must_ask}. Les questions suivantes ont aussi "
        "tenu compte de vos réponses précédentes.",
        "must_ask": ", en commençant par les questions propres à l’équipe de recrutement",
        "scored": "Chaque réponse a été notée de 0 à 10 par {scored_by} selon sa pertinence pour la question et le "
        "poste, sa précision (exemples, résultats, chiffres) et la clarté de sa structure{rubric}.",
        "rubric": ", d’après les critères de l’équipe de recrutement pour ce poste",
        "offline": "des règles exécutées sur notre propre serveur (sans service d’IA)",
        "model": "le modèle d’IA {model}",
        "interviewer": "l’outil d’entretien",
        "decision": "La note globale et le rapport découlent de ces notes. La décision est prise par des personnes "
        "de l’équipe de recrutement\u00a0; elles peuvent lire chaque réponse et la noter elles-mêmes.",
        "requests": "Vous pouvez demander ci-dessous qu’une personne examine votre entretien, ou corriger une "
        "réponse qui n’a pas été transcrite telle que vous l’avez dite.",
        "scores": "Cette équipe de recrutement communique les notes aux candidats, mais pas les commentaires écrits.",
        "nothing": "Cette équipe de recrutement ne communique ni les notes ni les commentaires aux "
        "candidats\u00a0; elle vous contactera.",
    },
}


def how_assessed(view: SessionView) -> list[str]:
    """What was assessed and how, in plain words and the interview's language, for the candidate's page once
    the interview is over."""
    context = view.context
    if context is None or view.report is None:
        return []
    words = ASSESSED[interview_language(context)]
    scorers = {answer.provenance.provider: answer.provenance.model for answer in view.scored_transcript
               if answer.provenance}  # fmt: skip
    scored_by = (
        ", ".join(
            words["offline"] if provider == "offline" else words["model"].format(model=model)
            for provider, model in sorted(scorers.items())
        )
        or words["interviewer"]
    )
    lines = [
        words["questions"].format(must_ask=words["must_ask"] if context.must_ask else ""),
        words["scored"].format(scored_by=scored_by, rubric=words["rubric"] if context.rubric else ""),
        words["decision"],
        words["requests"],
    ]
    if level(view) in ("scores", "nothing"):
        lines.append(words[level(view)])
    return lines
