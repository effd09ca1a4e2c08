"""Words and phrases the offline interviewer looks for. Every pattern is bounded (no nested
repetition), and at most MAX_ANALYSED characters of an answer are read, so any input is cheap."""

import functools
import re
from dataclasses import dataclass

from shared.ai.offline.lang import content_stems

MAX_ANALYSED = 3000
WORD = re.compile(r"[^\W\d_][\w+#.'-]*|\d+(?:[.,]\d+)?%?")
STOPWORDS = set(
    "a an the and or but if then so of to in on at for with by from as is are was were be been being it its this that "
    "these those i me my we our you your they their he she his her them what which who how when where why do did does "
    "have has had can could would should will about into over under more most some any such than too very just also "
    "there here give tell walk describe explain one time".split()
)


def phrases(*items: str) -> re.Pattern[str]:
    """Any of the phrases, as whole words."""
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(item) for item in items) + r")(?!\w)", re.IGNORECASE)


VAGUE = phrases("i don't know", "i dont know", "not sure", "no idea", "stuff", "things like that", "etc",
                "various things", "and so on", "a lot of things", "many things", "kind of", "sort of", "basically",
                "fast learner", "hard worker", "passionate", "team player", "it depends", "in general",
                "i know it well", "very familiar", "many times", "lots of experience", "a lot of experience",
                "worked fine", "it was fine", "pretty good", "good at it", "all the time")  # fmt: skip
DONT_KNOW = phrases("don't know", "dont know", "no idea", "not sure", "never used", "no experience")
SITUATION = phrases("when i", "at my", "in my last", "in my previous", "we had", "the problem", "our", "project",
                    "situation", "last year", "customer", "kept", "after a", "took",
                    # stories outside software: a shift, a day, a patient or a guest
                    "shift", "one day", "one night", "one morning", "during a", "a patient", "a guest", "a caller")  # fmt: skip
# what went wrong ("a release broke login"): the situation of a story only when the answer also says how it ended
# (a result); alone it is no evidence of quality, and the highlights marked "broke" as earning points
SETBACK = phrases("was slow", "timed out", "broke", "failing", "we lost")
ACTION = phrases("i built", "i implemented", "i designed", "i wrote", "i led", "i migrated", "i added", "i introduced",
                 "i used", "i created", "i set up", "i refactored", "i profiled", "i measured", "we built",
                 "we migrated", "i would", "i'd", "i fixed", "i moved", "i split", "i automated", "i tested",
                 "i deployed")  # fmt: skip
ACTION_VERB = re.compile(
    r"\b(?:i|we)\s+(?:\w+\s+)?(?:\w+ed|built|wrote|made|found|led|ran|set|took|chose|rewrote|split|cut|moved|did|"
    r"read|put|drove|taught|began|brought|fought|kept|sent|spent|won|gave|caught|saw|told|got|went|spoke|held|"
    r"paid|sold|met|sat|stood|left|heard|lost)\b",
    re.IGNORECASE,
)
CHAINED_ACTION = re.compile(r"(?:,|;|\band)\s{1,3}(?:then\s{1,3})?(?!need|used|based)[a-z]{3,15}ed\b")
RESULT = phrases("as a result", "result", "reduced", "improved", "increased", "decreased", "saved", "cut", "outcome",
                 "which led", "so that", "dropped", "faster", "fewer", "fell", "halved", "doubled", "to zero",
                 "went from", "now runs", "stopped", "rose", "now take", "finish in", "zero downtime", "found no",
                 "no longer", "with no", "since then", "ever since",
                 # outcomes outside software
                 "prevented", "avoided", "before it reached", "caught it", "recovered", "was back", "on time",
                 "in order", "renewed", "signed", "resolved", "complaint-free", "without a single")  # fmt: skip
FROM_TO = re.compile(r"\bfrom\s+[^\s\d]{0,8}\d[\w.,%]{0,15}.{0,40}?\bto\s+[^\s\d]{0,8}\d", re.IGNORECASE)
# not "such as": a filler before a list ("tools such as React"), whose names earn on their own
EXAMPLE = phrases("for example", "for instance", "e.g.")
SELF_PRAISE = re.compile(
    r"\bi(?:'m| am)\s+(?:a\s+)?(?:very|really|always|quite|extremely|highly|good at|calm|careful)\b"
    r"|\b\w+-(?:oriented|driven)\b|\bi(?:'ve| have)\s+(?:done|improved|worked on|had)\s+a\s+lot\b"
    r"|\bnever give up\b|\b(?:went|goes|go|worked|was|were|is)\s+(?:always\s+)?(?:fine|well|good|out)\b",
    re.IGNORECASE,
)
CODE = re.compile(
    r"(?m)^\s*(?:def |class |import |from \w+ import |return |SELECT |for .+:$|if .+:$)|[{};]\s*$|=>|\w+\(.*\)"
)


# typographic apostrophes (phones and word processors type them: "j’ai", "don’t") read as the plain one; one
# character for one, so offsets into the analysed text are offsets into the answer
APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'"})


def analysed(text: str) -> str:
    return text[:MAX_ANALYSED].translate(APOSTROPHES)


def words(text: str) -> list[str]:
    return WORD.findall(text)


SENTENCE_WITH_SPACE = re.compile(r"[^.!?\n]+[.!?\n]*\s*|[.!?\n]+\s*")


def without_repeats(text: str) -> tuple[str, int]:
    """The text with each sentence of three words or more that repeats an earlier one word for word (case and
    spacing aside) taken out, and how many were: an answer padded with one sentence over and over is scored as
    the sentence. Shorter pieces stay ("Yes.", or the "m." of "9 a.m." and "5 p.m.")."""
    seen: set[str] = set()
    kept, repeats = [], 0
    for sentence in SENTENCE_WITH_SPACE.findall(text):
        found = WORD.findall(sentence.lower())
        key = " ".join(found)
        if len(found) >= 3 and key in seen:
            repeats += 1
            continue
        seen.add(key)
        kept.append(sentence)
    return ("".join(kept), repeats) if repeats else (text, 0)


def content(text: str) -> set[str]:
    return {w.lower().strip(".'") for w in words(text) if len(w) > 2 and w.lower() not in STOPWORDS}


def normalise(text: str) -> str:
    return " ".join(sorted(content(text)))


@functools.lru_cache(maxsize=2048)
def normalised(text: str) -> str:
    """`normalise`, remembered, for the texts that come again: questions (asked from a position's job
    description, for every candidate) and earlier answers (each answer is compared with every one before)."""
    return normalise(text)


def contains_any(text: str, pattern: re.Pattern[str]) -> bool:
    return pattern.search(text) is not None


def count_any(text: str, pattern: re.Pattern[str]) -> int:
    return len(pattern.findall(text))


def looks_like_code(text: str) -> bool:
    return len(CODE.findall(text)) >= 2


@dataclass(frozen=True)
class Cues:
    """A language's phrases for each thing the scorer looks for."""

    vague: re.Pattern[str]
    aside: re.Pattern[str]  # opinions and private life: not what the candidate did at work
    dont_know: re.Pattern[str]
    situation: re.Pattern[str]
    action: re.Pattern[str]
    result: re.Pattern[str]
    example: re.Pattern[str]
    from_to: re.Pattern[str]
    present_action: re.Pattern[str] | None = None
    setback: re.Pattern[str] | None = None  # what went wrong: the situation only beside a result

    def result_in(self, text: str) -> bool:
        return contains_any(text, self.result) or contains_any(text, self.from_to)

    def situation_in(self, text: str) -> bool:
        """A situation: its cues, or a setback in a story that says how it ended."""
        if contains_any(text, self.situation):
            return True
        return self.setback is not None and contains_any(text, self.setback) and self.result_in(text)

    def vague_hits(self, text: str) -> int:
        return count_any(text, self.vague) + (count_any(text, SELF_PRAISE) if self is ENGLISH_CUES else 0)


ASIDE = phrases("i think", "i believe", "in my opinion", "i love", "i'd love", "i enjoy", "my favourite",
                "my favorite", "big believer", "i feel", "fascinating", "in my free time", "hobby", "my family",
                "weekends", "i'm proud", "outside work", "in my spare time", "my friends", "friends from")  # fmt: skip
# "I scan the wristband", "I usually post the accruals": what the candidate does, in the present tense
PRESENT_ACTION = (
    r"\bI\s{1,3}(?:always\s{1,3}|usually\s{1,3}|also\s{1,3}|then\s{1,3}|first\s{1,3}|\w{2,12}ly\s{1,3})?"
    r"(?!am\b|was\b|were\b|have\b|had\b|think\b|believe\b|feel\b|love\b|like\b|enjoy\b|know\b|guess\b|hope\b"
    r"|want\b|would\b|will\b|can\b|could\b|should\b|might\b|must\b|do\b|don't\b|didn't\b|can't\b|really\b"
    r"|just\b|also\b|never\b|try\b|mean\b|need\b|wish\b|find\b)[a-z]{2,15}\b"
)
ENGLISH_CUES = Cues(VAGUE, ASIDE, DONT_KNOW, SITUATION, re.compile(f"{ACTION.pattern}|{ACTION_VERB.pattern}", re.I),
                    RESULT, EXAMPLE, FROM_TO, re.compile(PRESENT_ACTION), SETBACK)  # fmt: skip
GERMAN_CUES = Cues(
    vague=phrases(
        "eigentlich",
        "im großen und ganzen",
        "kommt darauf an",
        "irgendwie",
        "und so weiter",
        "usw",
        "immer gut",
        "gut funktioniert",
        "ich bin sehr",
        "ich bin immer",
        "gutes gespür",
        "viel erfahrung",
        "viele dinge",
        "und so",
        "natürlich",
        "immer eine lösung",
        "hängt",
        "ganz gut",
        "sehr empathisch",
    ),
    aside=phrases(
        "ich finde",
        "für mich ist",
        "ich glaube",
        "meiner meinung nach",
        "sehr gerne",
        "in meiner freizeit",
        "hobby",
        "meine familie",
        "am wochenende",
        "ich liebe",
    ),
    dont_know=phrases(
        "weiß ich nicht",
        "weiß ich leider nicht",
        "weiß nicht",
        "keine ahnung",
        "nicht sicher",
        "keine erfahrung",
        "kann ich nicht sagen",
    ),
    situation=phrases(
        "als ich",
        "bei meinem",
        "in meinem letzten",
        "wir hatten",
        "das problem",
        "unser",
        "unsere",
        "projekt",
        "situation",
        "letztes jahr",
        "kunde",
        "kundin",
        "nach einem",
        "schicht",
        "nachtschicht",
        "frühschicht",
        "spätschicht",
        "eines tages",
        "während",
        "ein patient",
        "eine patientin",
    ),
    action=re.compile(
        r"\b(?:ich|wir)\s+(?:habe|haben|hatte|hatten|bin|sind)\b|\b(?:habe|haben)\s+(?:ich|wir)\b"
        r"|\bich\s+\w{2,20}e\b",
        re.IGNORECASE,
    ),
    result=phrases(
        "ergebnis",
        "dadurch",
        "danach",
        "gesunken",
        "gestiegen",
        "verbessert",
        "reduziert",
        "erhöht",
        "zurückgegangen",
        "halbiert",
        "verdoppelt",
        "am ende",
        "seitdem",
        "stieg",
        "sank",
        "verhindert",
        "vermieden",
        "rechtzeitig",
        "bevor sie",
        "bevor er",
        "bevor es",
        "gelöst",
    ),
    example=phrases("zum beispiel", "beispielsweise", "z. b.", "z.b."),
    from_to=re.compile(r"\bvon\s+[^\s\d]{0,8}\d[\w.,%]{0,15}.{0,40}?\bauf\s+[^\s\d]{0,8}\d", re.IGNORECASE),
)
# Spanish and French: the fewest cues that tell a story from a claim, in the form of GERMAN_CUES
SPANISH_CUES = Cues(
    vague=phrases("depende", "en general", "básicamente", "cosas así", "etcétera", "muchas cosas", "soy muy",
                  "siempre bien", "mucha experiencia", "más o menos", "y tal", "siempre encuentro"),
    aside=phrases("creo que", "en mi opinión", "me encanta", "en mi tiempo libre", "mi familia",
                  "los fines de semana", "mi afición"),
    dont_know=phrases("no lo sé", "no sé", "ni idea", "no estoy seguro", "no estoy segura", "sin experiencia"),
    situation=phrases("cuando", "en mi último", "en mi anterior", "teníamos", "el problema", "nuestro", "nuestra",
                      "proyecto", "situación", "el año pasado", "cliente", "clienta", "turno", "un día", "una noche",
                      "durante", "un paciente", "una paciente"),
    action=re.compile(r"\b(?:he|hemos)\s+\w{2,20}(?:ado|ido|to|cho)\b|\b\w{3,20}(?:é|í)\b", re.IGNORECASE),
    result=phrases("resultado", "redujimos", "reduje", "bajó", "subió", "mejoró", "aumentó", "se redujo", "al final",
                   "desde entonces", "gracias a", "pasó de", "evité", "evitamos", "a tiempo", "antes de que",
                   "se resolvió", "resolví"),
    example=phrases("por ejemplo", "p. ej."),
    from_to=re.compile(r"\bde\s+[^\s\d]{0,8}\d[\w.,%]{0,15}.{0,40}?\ba\s+[^\s\d]{0,8}\d", re.IGNORECASE),
)  # fmt: skip
FRENCH_CUES = Cues(
    vague=phrases("ça dépend", "en général", "en gros", "des choses", "etc", "beaucoup de choses", "je suis très",
                  "toujours bien", "beaucoup d'expérience", "plus ou moins", "je trouve toujours"),
    aside=phrases("je pense que", "à mon avis", "j'adore", "pendant mon temps libre", "ma famille",
                  "le week-end", "mon loisir"),
    dont_know=phrases("je ne sais pas", "aucune idée", "je ne suis pas sûr", "je ne suis pas sûre",
                      "pas d'expérience"),
    situation=phrases("quand", "lorsque", "dans mon dernier", "dans mon précédent", "nous avions", "le problème",
                      "notre", "nos", "projet", "situation", "l'année dernière", "client", "cliente", "de garde",
                      "un jour", "une nuit", "pendant", "un patient", "une patiente"),
    action=re.compile(r"\b(?:j'ai|nous avons)\s+(?:\w+\s+)?\w{2,20}(?:é|i|is|it|u|ert)\b", re.IGNORECASE),
    result=phrases("résultat", "réduit", "baissé", "augmenté", "amélioré", "diminué", "au final", "depuis",
                   "grâce à", "est passé de", "sont passés de", "divisé", "évité", "à temps", "avant qu'",
                   "avant que", "résolu"),
    example=phrases("par exemple", "p. ex."),
    from_to=re.compile(r"\bde\s+[^\s\d]{0,8}\d[\w.,%]{0,15}.{0,40}?\bà\s+[^\s\d]{0,8}\d", re.IGNORECASE),
    # "je vérifie", "je le saisis", "j'ajoute": what the candidate does, in the present tense
    present_action=re.compile(
        r"\bje\s{1,3}(?:l[ea]\s{1,3}|les\s{1,3})?(?!suis\b|pense\b|crois\b|trouve\b|sais\b|ne\b|n')\w{2,15}[es]\b"
        r"|\bj'(?!ai\b|adore\b|aime\b)\w{3,15}e\b",
        re.IGNORECASE,
    ),
)  # fmt: skip
CUES = {"en": ENGLISH_CUES, "de": GERMAN_CUES, "es": SPANISH_CUES, "fr": FRENCH_CUES}
# A number written as a word and what it counts ("twelve patients", "fünf Minuten", "dos turnos", "trois
# lits"): as measurable as "12 patients", and how speech recognition often writes small numbers. Not "one"
# (and "un", "uno", "eins": "one of them"), nor words that are something else in another language ("once",
# "neuf", "elf"); the counted word has three letters or more and is not an article or a conjunction.
_TENS_AND_UNITS = (
    "two three four five six seven eight nine ten twelve thirteen fourteen fifteen sixteen seventeen eighteen "
    "nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred thousand million dozen "
    "zwei drei vier fünf sechs sieben acht neun zehn zwölf zwanzig dreißig vierzig fünfzig hundert tausend dutzend "
    "dos tres cuatro cinco seis siete ocho nueve diez doce quince veinte treinta cuarenta cincuenta cien mil "
    "deux trois quatre cinq sept huit dix onze douze quinze vingt trente quarante cinquante soixante cent mille"
).split()
_NUMBER_WORD = "|".join(sorted(set(_TENS_AND_UNITS), key=len, reverse=True))
NUMBER_WORDS = re.compile(
    rf"(?<![\w-])(?:{_NUMBER_WORD})(?:-(?:{_NUMBER_WORD}))?\s{{1,2}}"
    r"(?!(?:the|and|or|der|die|das|und|oder|los|las|les|des|et|ou)\b)[^\W\d_]{3,}",
    re.IGNORECASE,
)
LIST_SEPARATORS = re.compile(r"[,;\n•]|\s-\s")
ACRONYM = re.compile(r"\b(?:[A-Z]{2,}[A-Za-z0-9/&-]*|[A-Z][a-z]+[A-Z][A-Za-z]*|[a-z]+\d+\w*)\b")
MID_SENTENCE_NAME = re.compile(r"(?<=[a-z,;)]\s)[A-Z][a-z]{2,}\b")


@functools.lru_cache(maxsize=1024)
def cached_stems(text: str) -> frozenset[str]:
    """`lang.content_stems` of a question or job description, remembered: they come again and again."""
    return frozenset(content_stems(text))
