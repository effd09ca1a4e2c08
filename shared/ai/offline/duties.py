"""The duties a job description names, in its own words, for questions in any field.

A duty is a verb phrase of a sentence addressed to the candidate ("You will assess and monitor
patients ...", "You build and manage your pipeline ...", "Sie planen die Schichten ...") or of a
bulleted line that starts with a verb. English duties are returned as written ("administer
medications safely"); German ones as an infinitive clause ("die Schichten planen", "Kennzahlen
auswerten"), which is what a question in the formal "Sie" needs. Requirement sentences are skipped.
Spanish and French descriptions give the bulleted lines (or the list after a "Responsabilidades:" or
"Missions :" heading) that start with an infinitive ("gestionar la agenda", "gérer la trésorerie"),
outside a requirements section ("Requisitos:", "Profil recherché :").
"""

from __future__ import annotations

import functools
import re

from shared.ai.offline.lang import language_of

VERBS = frozenset(
    "achieve act administer advise align analyse analyze answer apply approve arrange assess assist audit "
    "balance book brief build calculate care check close coach collaborate communicate compile conduct "
    "contribute control coordinate create deal define deliver demonstrate deploy design develop diagnose "
    "direct document drive educate enforce engage ensure escalate establish estimate evaluate execute explain "
    "facilitate file find follow forecast grow guide handle help hire hit identify implement improve inform "
    "inspect install interview investigate keep lead liaise maintain manage measure meet mentor monitor "
    "motivate negotiate onboard operate optimise optimize organise organize oversee own participate partner "
    "perform pick plan post prepare present prevent prioritise prioritize process produce promote prospect "
    "provide publish recognise recognize reconcile record recruit reduce report represent research resolve "
    "respond review run schedule secure sell serve set ship solve source staff standardise supervise support "
    "take teach test track train translate treat turn update use verify visit work write read repair complete "
    "clean cook drive load greet replace fit sort pack install welcome care stock order check".split()
)
GERMAN_FUNCTION = frozenset(
    "der die das den dem des ein eine einen einem einer eines ihr ihre ihren ihrem unser unsere unseren mit "
    "von zu für in im an am auf bei nach aus sowie oder und eng gemeinsam regelmäßig selbstständig".split()
)
PARTICLES = frozenset("ab an auf aus bei ein fest her hin mit nach vor weiter zu zurück zusammen durch um".split())
REQUIREMENT = re.compile(
    r"^(?:requirements?|qualifications?|you (?:have|bring|are|need)|we (?:offer|expect)|voraussetzungen|"
    r"anforderungen|ihr profil|wir bieten|requisitos|ofrecemos|se ofrece|perfil|profil|nous offrons|exigences|comp[ée]tences requises|avantages)\b",
    re.IGNORECASE,
)
SENTENCES = re.compile(r"(?<=[.!?;])\s+(?=[A-ZÄÖÜ0-9•*-])|\n+")
ENGLISH_LEAD = re.compile(r"\byou(?:'ll| will| would)?\s+(?:also\s+)?(?=[a-z])", re.IGNORECASE)
GERMAN_LEAD = re.compile(r"(?:^|[.:]\s)Sie\s+(?=[a-zäöü])")
BULLET = re.compile(r"^\s*[-•*]\s*")
MAX_WORDS = 14
OWN = {"our": "the", "Our": "The", "unser": "das", "unsere": "die", "unseren": "den", "unserem": "dem"}


# Spanish and French: how a description is told apart, and how its duty section is headed
ROMANCE_MARKERS = {
    "es": frozenset("el los las y del con por para una usted su sus nuestro nuestra se".split()),
    "fr": frozenset("le les des et du au aux vous votre vos pour une nous notre nos est".split()),
}
DUTY_HEADING = re.compile(
    r"^(?:tus |sus )?(?:responsabilidades|funciones|tareas|misiones)|^(?:vos |les |tes )?(?:missions|"
    r"responsabilit[ée]s|t[âa]ches|activit[ée]s)",
    re.IGNORECASE,
)
INFINITIVE = {
    "es": re.compile(r"^[a-záéíóúñ]{2,}(?:ar|er|ir)(?:se|la|lo|las|los|le|les)?$"),
    "fr": re.compile(r"^(?:s')?[a-zàâçéèêëîïôûùüÿœ]{2,}(?:er|ir|re)$"),
}
NOT_INFINITIVE = frozenset("leur votre notre autre entre contre être mère père lettre titre ordre".split())
CONJUNCTION = {"es": re.compile(r"(\s+[ye]\s+)"), "fr": re.compile(r"(\s+et\s+)")}
ROMANCE_OWN = {"nuestro": "el", "nuestra": "la", "nuestros": "los", "nuestras": "las"}


@functools.lru_cache(maxsize=256)
def duties_of(description: str) -> tuple[str, ...]:
    detected = language_of(description)
    if detected != "en" and (romance := romance_language(description)):
        return tuple(_romance_duties(description, romance))
    german = detected == "de"
    found: list[str] = []
    for sentence in SENTENCES.split(description):
        sentence = sentence.strip().rstrip(".;")
        if not sentence or REQUIREMENT.match(BULLET.sub("", sentence)):
            continue
        lead = (GERMAN_LEAD if german else ENGLISH_LEAD).search(sentence)
        if lead:
            body = sentence[lead.end() :]
        elif BULLET.match(sentence) and _starts_with_verb(BULLET.sub("", sentence), german):
            body = BULLET.sub("", sentence)
        else:
            continue
        for part in body.split(": "):  # a list after a colon: its verb phrases are duties too
            phrases = _german_duties(part) if german else _english_duties(part)
            found += [p for p in phrases if p not in found]
    return tuple(found)


def _base(word: str) -> str:
    """The verb of an English gerund ("negotiating" -> "negotiate"), or the word itself."""
    lowered = word.lower()
    if lowered.endswith("ing") and len(lowered) > 5:
        for candidate in (lowered[:-3], lowered[:-3] + "e", lowered[:-4]):
            if candidate in VERBS:
                return candidate
    return word


def _starts_with_verb(text: str, german: bool, gerund: bool = True) -> bool:
    words = [w.strip(",;:()").lower() for w in text.split()[:3]]
    if not words:
        return False
    if german:
        return words[0][:1].isalpha() and text[:1].islower() and words[0] not in GERMAN_FUNCTION
    if not gerund and words[0].endswith("ing"):
        return False
    if words[1:2] in (["and"], ["or"]) and not (len(words) > 2 and _starts_with_verb(words[2], german)):
        return False  # "support and leadership": a noun
    first = _base(words[0])
    return first in VERBS or first.endswith(("ise", "ize", "ify"))


def _segments(body: str, german: bool) -> list[str]:
    """Comma- or "and"-separated parts that start with a verb; the parts between are their objects."""
    parts: list[str] = []
    for chunk in _outside_brackets(body):
        chunk = re.sub(r"^(?:and|und)\s+", "", chunk.strip())
        if not chunk:
            continue
        after_gerund = not parts or parts[-1].split()[0].endswith("ing")  # a list of gerunds goes on
        if parts and (not _starts_with_verb(chunk, german, after_gerund) or len(parts[-1].split()) == 1):
            if not (after_gerund and parts[-1].split()[0].endswith("ing")):  # "discovery calls" in a gerund list
                parts[-1] += ", " + chunk
            continue
        pieces = re.split(r"\s+(?:and|und)\s+", chunk)
        current = pieces[0]
        for piece in pieces[1:]:
            dangling = piece.split()[1:2] in (["them"], ["it"], ["this"], ["these"], ["sie"], ["es"])
            if (
                _starts_with_verb(piece, german, False)
                and len(current.split()) >= 2
                and len(piece.split()) >= 2
                and not dangling
            ):
                parts.append(current)
                current = piece
            else:
                current += (" und " if german else " and ") + piece
        parts.append(current)
    return parts


def _outside_brackets(body: str) -> list[str]:
    """`body` split at its commas, except those inside brackets: "(pick rate, order accuracy)"."""
    chunks, depth, start = [], 0, 0
    for index, char in enumerate(body):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == "," and depth <= 0 and body[index + 1 : index + 2].isspace():
            chunks.append(body[start:index])
            start = index + 2
    return [*chunks, body[start:]]


def _shortened(phrase: str) -> str:
    """At most MAX_WORDS words, about the candidate's own work ("the team", not "our team")."""
    words = [OWN.get(w, w) for w in phrase.split()]
    if len(words) > 2 and words[0] == "help":  # "help keep the register accurate": the duty is to keep it
        words = words[2:] if words[1] == "to" else words[1:]
    phrase = " ".join(words)
    if len(words) <= MAX_WORDS:
        return phrase.strip(" ,")
    return " ".join(words[:MAX_WORDS]).rstrip(",") + " …"


def _english_duties(body: str) -> list[str]:
    duties = []
    for part in _segments(body, german=False):
        if _starts_with_verb(part, german=False):
            words = part.split()
            if words[0][:1].isupper() and not words[0].isupper():  # a bullet's "Lead a team"
                words[0] = words[0].lower()
            if words[0].endswith("ing"):  # "negotiating and closing" -> "negotiate and close"
                words = [_base(w) if i == 0 or words[i - 1] == "and" else w for i, w in enumerate(words)]
            duties.append(_shortened(" ".join(words)))
    return duties


def _german_duties(body: str) -> list[str]:
    duties = []
    for part in _segments(body, german=True):
        verb, _, rest = part.partition(" ")
        words = rest.split()
        if words and words[-1] in PARTICLES:
            verb, words = words[-1] + verb, words[:-1]
        if words:
            duties.append(_shortened(" ".join([*words, verb])))
    return duties


def romance_language(description: str) -> str | None:
    """ "es" or "fr" when the description is Spanish or French prose by its function words, else None."""
    words = [w.lower() for w in re.findall(r"[^\W\d_]+", description)]
    counts = {language: sum(w in markers for w in words) for language, markers in ROMANCE_MARKERS.items()}
    best = max(counts, key=lambda language: counts[language])
    other = min(counts.values())
    return best if counts[best] >= 3 and counts[best] > 1.5 * other else None


def _infinitive(word: str, language: str) -> bool:
    word = word.strip(",;:()").lower()
    return word not in NOT_INFINITIVE and bool(INFINITIVE[language].match(word))


def _romance_duties(description: str, language: str) -> list[str]:
    found: list[str] = []
    requirements = False
    for line in description.splitlines():
        line = line.strip().rstrip(".;")
        plain = BULLET.sub("", line)
        head, colon, rest = plain.partition(":")
        bodies = []
        if REQUIREMENT.match(plain):
            requirements = True
        elif colon and DUTY_HEADING.match(head.strip()):
            requirements, bodies = False, [rest.strip()]
        elif BULLET.match(line):
            bodies = [] if requirements else [plain]
        else:  # prose: "Usted gestionará ...", "Vous assurez ..., vous diagnostiquez ..."
            sentences = re.split(r"(?<=[.!?])\s+", line)
            bodies = [
                b for sentence in sentences if not REQUIREMENT.match(sentence) and (b := _addressed(sentence, language))
            ]
        for body in bodies:
            for item in _items(body, language):
                found += [d for d in _romance_segments(item.strip(), language) if d not in found]
    return found


def _items(body: str, language: str) -> list[str]:
    """`body` split at its commas and semicolons, a chunk that starts with no infinitive kept with the last."""
    items: list[str] = []
    for chunk in re.split(r"[;,]\s+", body.rstrip(".")):
        chunk = re.sub(r"^(?:y|e|et)\s+", "", chunk)
        if items and not _infinitive(chunk.split()[0] if chunk.split() else "", language):
            items[-1] += ", " + chunk
        else:
            items.append(chunk)
    return items


SPANISH_FUTURE = re.compile(r"\b([a-záéíóúñ]{2,}(?:ar|er|ir))án?\b", re.IGNORECASE)  # gestionará -> gestionar
FRENCH_VOUS = re.compile(r"(?:^|,\s*|\bet\s+)vous\s+(\w+)", re.IGNORECASE)  # vous assurez -> assurer
FRENCH_ENDINGS = (("ttez", "ttre"), ("ndez", "ndre"), ("issez", "ir"), ("irez", "ir"), ("erez", "er"), ("ez", "er"))


def _addressed(sentence: str, language: str) -> str:
    """A prose sentence's duties as infinitives, from its first verb addressed to the candidate, or ""."""
    if language == "es":
        converted = SPANISH_FUTURE.sub(lambda m: m.group(1).lower(), sentence)
        first = SPANISH_FUTURE.search(sentence)
        return converted[first.start() :] if first else ""
    leads = list(FRENCH_VOUS.finditer(sentence))
    if not leads:
        return ""
    clauses = []
    for lead, following in zip(leads, [*leads[1:], None], strict=True):
        verb = lead.group(1).lower()
        for ending, infinitive in FRENCH_ENDINGS:
            if verb.endswith(ending):
                verb = verb[: -len(ending)] + infinitive
                break
        else:
            continue
        clauses.append(verb + sentence[lead.end() : following.start() if following else None])
    return ", ".join(clauses)


def _romance_segments(item: str, language: str) -> list[str]:
    """An item's infinitive clauses: "Establecer X y preparar Y" gives both, "valorar y vigilar Z" one."""
    if not item or not _infinitive(item.split()[0], language):
        return []
    parts: list[str] = []
    pieces = CONJUNCTION[language].split(item)  # the pieces, each after the conjunction before it
    for joined, piece in zip(["", *pieces[1::2]], pieces[::2], strict=True):
        verb = piece.split()[0] if piece.split() else ""
        own = verb.endswith(("ar", "er", "ir", "re"))  # "registrarla": its object is the clause before
        if parts and own and _infinitive(verb, language) and len(parts[-1].split()) >= 2 and len(piece.split()) >= 2:
            parts.append(piece)
        elif parts:
            parts[-1] += joined + piece
        else:
            parts.append(piece)
    duties = []
    for part in parts:
        words = [ROMANCE_OWN.get(w, w) for w in part.split()]
        if words[0][:1].isupper() and words[0][1:2].islower():
            words[0] = words[0].lower()
        duties.append(_shortened(" ".join(words)))
    return duties
