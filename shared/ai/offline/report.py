"""How the offline interviewer writes the final report.

overall_score = average score x (0.6 + 0.4 x share of the planned questions answered), one
decimal. Hire recommendation: 8.0 and above "strong yes", 6.5 "yes", 5.0 "maybe", below "no"; with fewer than
half of the planned questions answered, "maybe" at most (one good answer of three is too little to hire on).
The report is written in the interview's language (English, German, Spanish or French; English for
any other); how it was reached stays in English, for the people who run the interviewer.
Which duties of the job the answers evidenced, and which they did not yet, comes from coverage.py.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from statistics import fmean

from shared.ai.language import interview_language
from shared.ai.offline.advice import ADVICE, PHRASES
from shared.ai.offline.coverage import Coverage, requirement_coverage
from shared.ai.offline.questions import technical
from shared.ai.skills import shown_skills, skills_of, with_implied
from shared.contracts.events import CompletionReason, HireRecommendation, InterviewContext, Report, ScoredAnswer
from shared.contracts.session_view import EndedBy

MAX_DUTY_LINES = 3  # duties named in each of the report's two lines
HIRE_THRESHOLDS: tuple[tuple[float, HireRecommendation], ...] = ((8.0, "strong yes"), (6.5, "yes"), (5.0, "maybe"))
TEXT = {
    "en": {
        "no_answers": "{name} ended the interview before answering any question.",
        "no_answers_weakness": "No answers given",
        "no_answers_advice": "Complete an interview to be assessed",
        "summary": "{name} ({years} years of experience, {difficulty} interview) answered {answered} of {total} "
        "questions with an average score of {average}/10.",
        "extremes": " Strongest answer: question {best} ({best_score}/10); weakest: question {worst} ({worst_score}/10).",
        "even": " Every answer scored {score}/10.",
        "ended_early": " The candidate ended the interview early.",
        "ended_by_team": " The interview was ended by the hiring team after the candidate stopped answering.",
        "no_answers_team": "{name} did not answer any question; the interview was ended by the hiring team.",
        "left_weakness": "Stopped answering before every question was answered",
        "name_in_every": "Name the technologies in every answer: {which} named none",
        "question_one": "question {numbers}", "question_many": "questions {numbers}", "and": "and",
        "unscored_language": "For a human review, not scored in their language: {numbers}.",
        "unreadable": "Not words of any language: {numbers}.", "question_n": "question {n}",
        "not_covered": " Not covered by this interview: {skills}.",
        "demonstrated": "Demonstrated experience with ",
        "no_evidence": "No evidence of {skill} experience",
        "evidenced_duties": "Evidenced duties of the job: {duties}",
        "unevidenced_duties": "No evidence yet of: {duties}",
        "ended_weakness": "Ended the interview before answering every question",
        "took_part": "Took part in the interview",
        "numbers": "Prepare examples with numbers: ",
        "numbers_technical": "scale, latency, cost, time saved",
        "numbers_other": "volumes, time, cost, quality, people involved",
        "star": "Practise answering with situation, action and result (STAR)",
        "listen": "Listen to the question and answer it directly before adding context",
        "project": "Build a small project with {skill} and be ready to discuss it",
        "default_technical": "Keep practising system design and in-depth technical discussions",
        "default_other": "Keep practising answers built on concrete situations from your own work",
        "beginner": "beginner", "intermediate": "intermediate", "advanced": "advanced",
    },
    "de": {
        "no_answers": "{name} hat das Interview beendet, bevor eine Frage beantwortet wurde.",
        "no_answers_weakness": "Keine Antworten gegeben",
        "no_answers_advice": "Ein vollständiges Interview führen, um bewertet zu werden",
        "summary": "{name} ({years} Jahre Berufserfahrung, Interview für {difficulty}) hat {answered} von "
        "{total} Fragen mit durchschnittlich {average}/10 Punkten beantwortet.",
        "extremes": " Stärkste Antwort: Frage {best} ({best_score}/10); schwächste: Frage {worst} ({worst_score}/10).",
        "even": " Jede Antwort erhielt {score}/10 Punkte.",
        "ended_early": " Das Interview wurde vorzeitig beendet.",
        "ended_by_team": " Das Interview wurde vom Recruiting-Team beendet, nachdem keine Antworten mehr kamen.",
        "no_answers_team": "{name} hat keine Frage beantwortet; das Interview wurde vom Recruiting-Team beendet.",
        "left_weakness": "Hat aufgehört zu antworten, bevor alle Fragen beantwortet waren",
        "name_in_every": "In jeder Antwort die verwendeten Technologien nennen: {which} keine",
        "question_one": "die Antwort auf Frage {numbers} nannte", "question_many": "die Antworten auf die Fragen "
        "{numbers} nannten", "and": "und",
        "unscored_language": "Zur Prüfung durch einen Menschen, in ihrer Sprache nicht bewertet: {numbers}.",
        "unreadable": "Keine Wörter einer Sprache: {numbers}.", "question_n": "Frage {n}",
        "not_covered": " Von diesem Interview nicht abgedeckt: {skills}.",
        "demonstrated": "Nachgewiesene Erfahrung mit ",
        "no_evidence": "Keine Belege für Erfahrung mit {skill}",
        "evidenced_duties": "Belegte Aufgaben der Stelle: {duties}",
        "unevidenced_duties": "Noch keine Belege für: {duties}",
        "ended_weakness": "Hat das Interview beendet, bevor alle Fragen beantwortet waren",
        "took_part": "Hat am Interview teilgenommen",
        "numbers": "Beispiele mit Zahlen vorbereiten: ",
        "numbers_technical": "Umfang, Latenz, Kosten, eingesparte Zeit",
        "numbers_other": "Mengen, Zeit, Kosten, Qualität, beteiligte Personen",
        "star": "Antworten nach Situation, Handlung und Ergebnis gliedern (STAR) und üben",
        "listen": "Der Frage zuhören und sie direkt beantworten, bevor Sie Kontext ergänzen",
        "project": "Ein kleines Projekt mit {skill} umsetzen und darüber sprechen können",
        "default_technical": "Systementwurf und technische Fachgespräche weiter üben",
        "default_other": "Weiter üben, Antworten auf konkrete Situationen aus der eigenen Arbeit zu stützen",
        # as the candidate page names them (services/gateway/web/words.js, interview_*)
        "beginner": "Einsteiger", "intermediate": "Fortgeschrittene", "advanced": "Erfahrene",
    },
    "es": {
        "no_answers": "{name} terminó la entrevista antes de responder a ninguna pregunta.",
        "no_answers_weakness": "No dio ninguna respuesta",
        "no_answers_advice": "Complete una entrevista para poder ser evaluado",
        "summary": "{name} ({years} años de experiencia, entrevista de nivel {difficulty}) respondió a {answered} de "
        "{total} preguntas con una puntuación media de {average}/10.",
        "extremes": " Mejor respuesta: pregunta {best} ({best_score}/10); la más floja: pregunta {worst} "
        "({worst_score}/10).",
        "even": " Todas las respuestas obtuvieron {score}/10.",
        "ended_early": " La persona candidata terminó la entrevista antes de tiempo.",
        "ended_by_team": " El equipo de selección terminó la entrevista después de que la persona candidata dejara de "
        "responder.",
        "no_answers_team": "{name} no respondió a ninguna pregunta; el equipo de selección terminó la entrevista.",
        "left_weakness": "Dejó de responder antes de contestar a todas las preguntas",
        "name_in_every": "Mencione las tecnologías en cada respuesta: {which} ninguna",
        "question_one": "la pregunta {numbers} no mencionó", "question_many": "las preguntas {numbers} no mencionaron",
        "and": "y",
        "unscored_language": "Para una revisión humana, no valoradas en su idioma: {numbers}.",
        "unreadable": "Sin palabras de ningún idioma: {numbers}.", "question_n": "pregunta {n}",
        "not_covered": " Esta entrevista no abarcó: {skills}.",
        "demonstrated": "Demostró experiencia con ",
        "no_evidence": "Sin pruebas de experiencia con {skill}",
        "evidenced_duties": "Funciones del puesto demostradas: {duties}",
        "unevidenced_duties": "Aún sin pruebas de: {duties}",
        "ended_weakness": "Terminó la entrevista sin responder a todas las preguntas",
        "took_part": "Participó en la entrevista",
        "numbers": "Prepare ejemplos con cifras: ",
        "numbers_technical": "escala, latencia, coste, tiempo ahorrado",
        "numbers_other": "volúmenes, tiempos, costes, calidad, personas implicadas",
        "star": "Practique respuestas con situación, acción y resultado (método STAR)",
        "listen": "Escuche la pregunta y respóndala directamente antes de añadir contexto",
        "project": "Realice un pequeño proyecto con {skill} y prepárese para comentarlo",
        "default_technical": "Siga practicando el diseño de sistemas y las conversaciones técnicas en profundidad",
        "default_other": "Siga practicando respuestas basadas en situaciones concretas de su propio trabajo",
        "beginner": "principiante", "intermediate": "intermedio", "advanced": "avanzado",
    },
    "fr": {
        "no_answers": "{name} a mis fin à l'entretien avant de répondre à une question.",
        "no_answers_weakness": "Aucune réponse donnée",
        "no_answers_advice": "Mener un entretien à son terme pour être évalué",
        "summary": "{name} ({years} ans d'expérience, entretien de niveau {difficulty}) a répondu à {answered} "
        "questions sur {total} avec une note moyenne de {average}/10.",
        "extremes": " Meilleure réponse : question {best} ({best_score}/10) ; la plus faible : question {worst} "
        "({worst_score}/10).",
        "even": " Chaque réponse a obtenu {score}/10.",
        "ended_early": " La personne candidate a mis fin à l'entretien avant la fin.",
        "ended_by_team": " L'entretien a été clos par l'équipe de recrutement après que la personne candidate a cessé "
        "de répondre.",
        "no_answers_team": "{name} n'a répondu à aucune question ; l'entretien a été clos par l'équipe de recrutement.",
        "left_weakness": "A cessé de répondre avant d'avoir répondu à toutes les questions",
        "name_in_every": "Citez les technologies dans chaque réponse : {which} aucune",
        "question_one": "la question {numbers} n'en cite", "question_many": "les questions {numbers} n'en citent",
        "and": "et",
        "unscored_language": "À relire par une personne, non évaluées dans leur langue : {numbers}.",
        "unreadable": "Aucun mot d'une langue : {numbers}.", "question_n": "question {n}",
        "not_covered": " Non abordé dans cet entretien : {skills}.",
        "demonstrated": "Expérience démontrée avec ",
        "no_evidence": "Aucune preuve d'expérience avec {skill}",
        "evidenced_duties": "Missions du poste démontrées : {duties}",
        "unevidenced_duties": "Pas encore d'éléments concernant : {duties}",
        "ended_weakness": "A mis fin à l'entretien avant de répondre à toutes les questions",
        "took_part": "A participé à l'entretien",
        "numbers": "Préparez des exemples chiffrés : ",
        "numbers_technical": "volumétrie, latence, coût, temps gagné",
        "numbers_other": "volumes, délais, coûts, qualité, personnes impliquées",
        "star": "Entraînez-vous à répondre avec la situation, l'action et le résultat (méthode STAR)",
        "listen": "Écoutez la question et répondez-y directement avant d'ajouter du contexte",
        "project": "Réalisez un petit projet avec {skill} et soyez prêt à en parler",
        "default_technical": "Continuez à vous exercer à la conception de systèmes et aux échanges techniques "
        "approfondis",
        "default_other": "Continuez à vous exercer à fonder vos réponses sur des situations concrètes de votre travail",
        "beginner": "débutant", "intermediate": "intermédiaire", "advanced": "avancé",
    },
}  # fmt: skip
# the answers' feedback (shared/ai/offline/advice.py) that each recommendation answers, in every language
NEEDS_NUMBERS = {PHRASES[language]["measurable"].lower() for language in PHRASES} | {"measurable", "messbar"}
NEEDS_STRUCTURE = {
    PHRASES[language][key].lower() for language in PHRASES for key in ("structure", "short", "avoid_vague")
}
NEEDS_STRUCTURE |= {ADVICE[language]["vague"].lower() for language in ADVICE}
NEEDS_STRUCTURE |= {"structure", "too short", "vague", "gliedern", "zu kurz", "vage"}
NEEDS_LISTENING = {ADVICE[language][key].lower() for language in ADVICE for key in ("off_topic", "copy")}
NEEDS_LISTENING |= {"does not address", "repeats the question", "geht nicht auf", "wiederholt die"}
# an answer's strength and the advice another answer got for lacking it: the report says only the more frequent of
# the two (found by a newcomer: "Clear situation, action and result" beside "Structure the answer: situation, ...")
OPPOSITES = [(PHRASES[language][strength], PHRASES[language][lack]) for language in PHRASES
             for strength, lack in (("structured", "structure"), ("numbers", "measurable"))]  # fmt: skip
# the answers' notes that say how the interviewer scored, not what the candidate lacks: the summary names
# those answers instead of the weaknesses (which the seed's "most common weaknesses" counts)
NOT_WEAKNESSES = {"unscored_language": {ADVICE[language]["language"] for language in ADVICE},
                  "unreadable": {ADVICE[language]["unreadable"] for language in ADVICE}}  # fmt: skip
# an answer's "Name the technologies used, ideally the role's: React, TypeScript" (the role's skills, the same for
# every answer): beside technologies that other answers named, the report says which answers named none instead
NAME_SKILLS = tuple(PHRASES[language]["name_skills"] for language in PHRASES)


def _number(value: float, language: str) -> str:
    written = f"{value:.1f}"
    return written if language == "en" else written.replace(".", ",")


ENOUGH_ANSWERED = 0.5  # the share of the planned questions answered below which the recommendation is "maybe" at most


def hire_recommendation(overall_score: float) -> HireRecommendation:
    for threshold, verdict in HIRE_THRESHOLDS:
        if overall_score >= threshold:
            return verdict
    return "no"


def write_report(
    context: InterviewContext,
    transcript: Sequence[ScoredAnswer],
    reason: CompletionReason,
    ended_by: EndedBy = "candidate",
) -> tuple[Report, str]:
    """The report, and how it was reached. `ended_by` says who ended an interview ended early: the hiring team
    ends one whose candidate stopped answering, which is not the candidate's choice."""
    name, language = context.candidate_name, interview_language(context)
    say = TEXT[language] if language in TEXT else TEXT["en"]
    by_team = reason == "ended_early" and ended_by == "hiring_team"
    if not transcript:
        opening = say["no_answers_team" if by_team else "no_answers"].format(name=name)
        report = Report(overall_score=0.0, summary=opening, strengths=(),
                        weaknesses=(say["no_answers_weakness"],), recommendations=(say["no_answers_advice"],),
                        hire_recommendation="no")  # fmt: skip
        return report, "no answers" + ("; ended by the hiring team" if by_team else "")
    average = fmean(a.score for a in transcript)
    coverage = min(1.0, len(transcript) / max(1, context.total_questions))
    overall = round(average * (0.6 + 0.4 * coverage), 1)
    best = max(transcript, key=lambda a: (a.score, -a.question_number))
    worst = min(transcript, key=lambda a: (a.score, a.question_number))
    summary = say["summary"].format(
        name=name, years=context.candidate_experience, difficulty=say[context.difficulty], answered=len(transcript),
        total=context.total_questions, average=_number(average, language),
    )  # fmt: skip
    if best.score != worst.score:  # one answer, or all alike: no strongest and weakest to name
        summary += say["extremes"].format(best=best.question_number, best_score=best.score,
                                          worst=worst.question_number, worst_score=worst.score)  # fmt: skip
    elif len(transcript) > 1:
        summary += say["even"].format(score=best.score)
    if reason == "ended_early":
        summary += say["ended_by_team" if by_team else "ended_early"]
    # `summary` is completed below, once the skills the interview did not reach are known
    job_skills = [s.name for s in skills_of(context.job_description) if s.category != "soft"]
    shown = set().union(*(shown_skills(a.answer) for a in transcript if a.score >= 5))
    asked = set().union(*(with_implied({s.name for s in skills_of(a.question)}) for a in transcript))
    missing = [s for s in job_skills if s in asked and s not in shown][:3]
    not_covered = [s for s in job_skills if s not in asked and s not in shown]
    strength_counts = Counter(s for a in transcript if a.score >= 5 for s in a.feedback.strengths)
    notes = set().union(*NOT_WEAKNESSES.values())
    improvements = _technologies_asked_for(
        Counter(i for a in transcript for i in a.feedback.improvements if i not in notes), transcript, say
    )
    for strength, lack in OPPOSITES:
        if strength_counts[strength] and improvements[lack]:  # the answers disagree: the more of them says it
            if improvements[lack] > strength_counts[strength]:
                del strength_counts[strength]
            else:
                del improvements[lack]
    strengths = [s for s, _ in strength_counts.most_common(3)]
    if demonstrated := [s for s in job_skills if s in shown]:
        strengths.append(say["demonstrated"] + ", ".join(demonstrated))
    for note, said in NOT_WEAKNESSES.items():
        if numbers := [say["question_n"].format(n=a.question_number) for a in transcript
                       if said & set(a.feedback.improvements)]:  # fmt: skip
            summary += " " + say[note].format(numbers=", ".join(numbers))
    weaknesses = [w for w, _ in improvements.most_common(3)]
    weaknesses += [say["no_evidence"].format(skill=skill) for skill in missing]
    if reason == "ended_early":
        weaknesses.append(say["left_weakness" if by_team else "ended_weakness"])
    found = requirement_coverage(context, transcript)
    evidenced, unevidenced = _duty_lines(found, set(job_skills))
    if evidenced:
        strengths.append(say["evidenced_duties"].format(duties="; ".join(evidenced)))
    duty_weakness = [say["unevidenced_duties"].format(duties="; ".join(unevidenced))] if unevidenced else []
    if not_covered:
        summary += say["not_covered"].format(skills=", ".join(not_covered[:4]))
    verdict = hire_recommendation(overall)
    too_few = coverage < ENOUGH_ANSWERED and verdict in ("strong yes", "yes")
    if too_few:
        verdict = "maybe"
    report = Report(
        overall_score=overall,
        summary=summary,
        strengths=tuple(strengths) or (say["took_part"],),
        weaknesses=(*weaknesses, *duty_weakness),
        recommendations=tuple(_recommendations(weaknesses, missing, technical(context), say)),
        hire_recommendation=verdict,
    )
    how = (f"average {average:.2f} over {len(transcript)} of {context.total_questions} planned answers "
           f"-> overall {overall}; {verdict} by thresholds 8.0/6.5/5.0")  # fmt: skip
    if by_team:
        how += "; ended by the hiring team after the candidate stopped answering"
    if too_few:
        how += f" (maybe at most: fewer than {ENOUGH_ANSWERED:.0%} of the planned questions answered)"
    if found.requirements:
        how += f"; requirements evidenced {len(found.evidenced)}/{len(found.requirements)} ({found.method})"
    return report, how


def _technologies_asked_for(
    improvements: Counter[str], transcript: Sequence[ScoredAnswer], say: Mapping[str, str]
) -> Counter[str]:
    """The answers' advice, where some answers named no technology while others named some: not "name the
    technologies, ideally the role's: React, TypeScript" beside "Demonstrated experience with React, TypeScript"
    (found by a recruiter's test), but which answers named none."""
    asked = {i for i in improvements if i.startswith(NAME_SKILLS)}
    lacking = [a.question_number for a in transcript if asked & set(a.feedback.improvements)]
    if not lacking or not any(shown_skills(a.answer) for a in transcript if a.question_number not in lacking):
        return improvements  # no answer named a technology: asking for the role's contradicts nothing
    numbers = [str(n) for n in lacking]
    listed = numbers[0] if len(numbers) == 1 else f"{', '.join(numbers[:-1])} {say['and']} {numbers[-1]}"
    which = say["question_one" if len(numbers) == 1 else "question_many"].format(numbers=listed)
    line = say["name_in_every"].format(which=which)
    # in the place of the advice it replaces, so that the weaknesses keep their order
    return Counter({(line if i in asked else i): len(lacking) if i in asked else n for i, n in improvements.items()})


def _duty_lines(found: Coverage, job_skills: set[str]) -> tuple[list[str], list[str]]:
    """The duties the interview asked about or the answers touched, evidenced and not (three of each); a
    duty that names a skill of the job ("write SQL against the warehouse") is left to the skill lines."""
    duties = [
        r for r in found.requirements
        if r.kind == "duty" and (r.asked or r.touched) and not {s.name for s in skills_of(r.name)} & job_skills
    ]  # fmt: skip
    evidenced = [r.name for r in duties if r.evidenced_by is not None]
    return evidenced[:MAX_DUTY_LINES], [r.name for r in duties if r.evidenced_by is None][:MAX_DUTY_LINES]


def _recommendations(
    weaknesses: Sequence[str], missing: Sequence[str], technical: bool, say: Mapping[str, str]
) -> list[str]:
    said = " ".join(weaknesses).lower()  # the answers' feedback, in whichever language it was given

    def needs(phrases: set[str]) -> bool:
        return any(phrase in said for phrase in phrases)

    advice = []
    if needs(NEEDS_NUMBERS):
        advice.append(say["numbers"] + say["numbers_technical" if technical else "numbers_other"])
    if needs(NEEDS_STRUCTURE):
        advice.append(say["star"])
    if needs(NEEDS_LISTENING):
        advice.append(say["listen"])
    advice += [say["project"].format(skill=skill) for skill in missing]
    return advice or [say["default_technical" if technical else "default_other"]]
