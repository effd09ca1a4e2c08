"""The offline interviewer's feedback on one answer, in the interview's language (English, German,
Spanish or French; English for any other): an English interview gets English feedback even on a
German answer."""

from __future__ import annotations

from collections.abc import Mapping

from shared.ai.offline.analysis import Analysis
from shared.contracts.events import Feedback

ADVICE = {
    "en": {
        "empty": "No answer was given",
        "copy": "Repeats the question instead of answering it",
        "dont_know": "The answer gives nothing to assess. When unsure, reason it through aloud: say what you do "
        "know of the topic, how you would find out, or a similar problem you solved",
        "off_topic": "Does not address the question asked",
        "vague": "Vague: general claims without a single concrete detail",
        "repeat": "Repeats an earlier answer instead of answering this question",
        "keywords": "Lists keywords instead of explaining what you did",
        "language": "The offline interviewer could not score this answer in its language: it got a neutral 5 and "
        "needs a human review",
        "unreadable": "The answer is not words of any language: nothing to assess. If it is written in one, ask for a "
        "human review",
        "injected": "The answer contained instructions to the scorer; they were ignored and the answer was capped",
        "repeated": "Sentences that repeated earlier ones word for word were counted once: say each point once",
    },
    "de": {
        "empty": "Es wurde keine Antwort gegeben",
        "copy": "Wiederholt die Frage, statt sie zu beantworten",
        "dont_know": "Die Antwort gibt nichts zu bewerten. Denken Sie im Zweifel laut nach: was Sie über das Thema "
        "wissen, wie Sie es herausfinden würden oder welches ähnliche Problem Sie gelöst haben",
        "off_topic": "Geht nicht auf die gestellte Frage ein",
        "vague": "Vage: allgemeine Aussagen ohne ein einziges konkretes Detail",
        "repeat": "Wiederholt eine frühere Antwort, statt diese Frage zu beantworten",
        "keywords": "Zählt Stichworte auf, statt zu erklären, was Sie getan haben",
        "language": "Der Offline-Interviewer konnte diese Antwort in ihrer Sprache nicht bewerten: Sie erhält neutrale "
        "5 Punkte und wird von einem Menschen geprüft",
        "unreadable": "Die Antwort besteht nicht aus Wörtern einer Sprache: nichts zu bewerten. Ist sie in einer "
        "geschrieben, bitten Sie um eine Prüfung durch einen Menschen",
        "injected": "Die Antwort enthielt Anweisungen an die Bewertung; sie wurden ignoriert und die Punktzahl "
        "begrenzt",
        "repeated": "Wörtlich wiederholte Sätze zählten einmal: sagen Sie jeden Punkt nur einmal",
    },
    "es": {
        "empty": "No se dio ninguna respuesta",
        "copy": "Repite la pregunta en lugar de responderla",
        "dont_know": "La respuesta no ofrece nada que valorar. Si no está seguro, razone en voz alta: diga lo que sí "
        "sabe del tema, cómo lo averiguaría o qué problema parecido ha resuelto",
        "off_topic": "No responde a la pregunta planteada",
        "vague": "Vaga: afirmaciones generales sin un solo detalle concreto",
        "repeat": "Repite una respuesta anterior en lugar de responder a esta pregunta",
        "keywords": "Enumera palabras clave en lugar de explicar lo que usted hizo",
        "language": "El entrevistador automático no pudo valorar esta respuesta en su idioma: recibe un 5 neutral y "
        "necesita una revisión humana",
        "unreadable": "La respuesta no son palabras de ningún idioma: no hay nada que valorar. Si está escrita en uno, "
        "pida una revisión humana",
        "injected": "La respuesta contenía instrucciones para la evaluación; se ignoraron y la puntuación se limitó",
        "repeated": "Las frases repetidas palabra por palabra contaron una sola vez: diga cada punto una vez",
    },
    "fr": {
        "empty": "Aucune réponse n'a été donnée",
        "copy": "Reprend la question au lieu d'y répondre",
        "dont_know": "La réponse ne donne rien à évaluer. En cas de doute, raisonnez à voix haute : dites ce que vous "
        "savez du sujet, comment vous le découvririez ou quel problème semblable vous avez résolu",
        "off_topic": "Ne répond pas à la question posée",
        "vague": "Vague : des affirmations générales sans aucun détail concret",
        "repeat": "Reprend une réponse précédente au lieu de répondre à cette question",
        "keywords": "Énumère des mots-clés au lieu d'expliquer ce que vous avez fait",
        "language": "L'interviewer automatique n'a pas pu évaluer cette réponse dans sa langue : elle reçoit un 5 "
        "neutre et doit être relue par une personne",
        "unreadable": "La réponse n'est faite de mots d'aucune langue : rien à évaluer. Si elle est écrite dans "
        "une langue, demandez une relecture par une personne",
        "injected": "La réponse contenait des instructions destinées à l'évaluation ; elles ont été ignorées et la "
        "note a été plafonnée",
        "repeated": "Les phrases répétées mot pour mot n'ont compté qu'une fois : dites chaque point une seule fois",
    },
}
PHRASES = {
    "en": {
        "skills": "Relevant technologies named: ",
        "terms": "Uses the role's own terms",
        "numbers": "Backs claims with concrete numbers",
        "example": "Gives a concrete example",
        "structured": "Clear situation, action and result",
        "action": "Describes their own actions",
        "on_topic": "Stays on the question",
        "code": "Shows code",
        "short": "Too short: expand with a concrete example",
        "measurable": "Add measurable results (numbers, scale, impact)",
        "name_skills": "Name the technologies used, ideally the role's: ",
        "specific": "Name the specifics: what exactly you did, with which methods or tools",
        "structure": "Structure the answer: situation, what you did, the result",
        "avoid_vague": "Avoid vague phrases; be specific",
        "long": "Too long: lead with the point",
    },
    "de": {
        "skills": "Nennt relevante Technologien: ",
        "terms": "Verwendet die Begriffe der Stelle",
        "numbers": "Belegt Aussagen mit konkreten Zahlen",
        "example": "Nennt ein konkretes Beispiel",
        "structured": "Klare Ausgangslage, eigenes Handeln und Ergebnis",
        "action": "Beschreibt das eigene Handeln",
        "on_topic": "Bleibt bei der Frage",
        "code": "Zeigt Code",
        "short": "Zu kurz: mit einem konkreten Beispiel ausführen",
        "measurable": "Messbare Ergebnisse ergänzen (Zahlen, Umfang, Wirkung)",
        "name_skills": "Die verwendeten Technologien nennen, am besten die der Stelle: ",
        "specific": "Konkreter werden: was genau Sie getan haben, mit welchen Methoden oder Werkzeugen",
        "structure": "Die Antwort gliedern: Ausgangslage, eigenes Handeln, Ergebnis",
        "avoid_vague": "Vage Formulierungen vermeiden; konkret werden",
        "long": "Zu lang: mit dem Wesentlichen beginnen",
    },
    "es": {
        "skills": "Menciona tecnologías relevantes: ",
        "terms": "Emplea los términos propios del puesto",
        "numbers": "Respalda sus afirmaciones con cifras concretas",
        "example": "Da un ejemplo concreto",
        "structured": "Situación, acción y resultado claros",
        "action": "Describe sus propias acciones",
        "on_topic": "Se ciñe a la pregunta",
        "code": "Muestra código",
        "short": "Demasiado breve: desarrolle la respuesta con un ejemplo concreto",
        "measurable": "Añada resultados medibles (cifras, volumen, impacto)",
        "name_skills": "Mencione las tecnologías utilizadas, idealmente las del puesto: ",
        "specific": "Concrete: qué hizo usted exactamente, con qué métodos o herramientas",
        "structure": "Estructure la respuesta: situación, lo que usted hizo, el resultado",
        "avoid_vague": "Evite las frases vagas; sea concreto",
        "long": "Demasiado larga: empiece por lo esencial",
    },
    "fr": {
        "skills": "Cite des technologies pertinentes : ",
        "terms": "Emploie les termes propres au poste",
        "numbers": "Appuie ses affirmations sur des chiffres concrets",
        "example": "Donne un exemple concret",
        "structured": "Situation, action et résultat clairs",
        "action": "Décrit ses propres actions",
        "on_topic": "Reste dans le sujet de la question",
        "code": "Montre du code",
        "short": "Trop court : développez avec un exemple concret",
        "measurable": "Ajoutez des résultats mesurables (chiffres, volume, impact)",
        "name_skills": "Citez les technologies utilisées, idéalement celles du poste : ",
        "specific": "Soyez précis : ce que vous avez fait exactement, avec quelles méthodes ou quels outils",
        "structure": "Structurez la réponse : la situation, ce que vous avez fait, le résultat",
        "avoid_vague": "Évitez les formulations vagues ; soyez précis",
        "long": "Trop long : commencez par l'essentiel",
    },
}


def feedback(a: Analysis, floors: Mapping[str, int], caps: Mapping[str, int]) -> Feedback:
    advice, say = ADVICE.get(a.language, ADVICE["en"]), PHRASES.get(a.language, PHRASES["en"])
    ignored = ((advice["injected"],) if a.injected else ()) + ((advice["repeated"],) if a.repeats else ())
    if a.kind in floors:
        return Feedback(improvements=(*ignored, advice.get(a.kind, ADVICE["en"][a.kind])))
    strengths, improvements = [], list(ignored)
    if a.relevant_skills:
        strengths.append(say["skills"] + ", ".join(sorted(a.relevant_skills)))
    elif len(a.job_terms) >= 3:
        strengths.append(say["terms"])
    if a.numbers:
        strengths.append(say["numbers"])
    if a.example:
        strengths.append(say["example"])
    if a.structured:
        strengths.append(say["structured"])
    elif a.action:
        strengths.append(say["action"])
    if a.relevance >= 0.6 and a.kind != "repeat":  # on the earlier question, not this one
        strengths.append(say["on_topic"])
    if a.code:
        strengths.append(say["code"])
    if a.kind in caps:
        improvements.append(advice.get(a.kind, ADVICE["en"][a.kind]))
    if a.word_count < 25:
        improvements.append(say["short"])
    if not a.numbers:
        improvements.append(say["measurable"])
    if not a.skills and a.job_skills and len(a.job_skills) >= 3:
        improvements.append(say["name_skills"] + ", ".join(a.job_skills[:3]))
    elif not a.skills and not a.names and len(a.job_terms) < 2:
        improvements.append(say["specific"])
    if not a.structured and a.word_count >= 25:
        improvements.append(say["structure"])
    if a.vague_hits:
        improvements.append(say["avoid_vague"])
    if a.word_count > 450:
        improvements.append(say["long"])
    return Feedback(strengths=tuple(strengths), improvements=tuple(improvements))
