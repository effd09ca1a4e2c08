"""Which language a text is in, and the language-bound word lists the offline interviewer reads.

English and German answers are scored, and so are Spanish and French ones in a Spanish or French
interview; an answer in another language gets a neutral score and a flag for a human. Words are compared by `stem`: lower-cased, one common English or German ending
removed, cut to five letters, so that "reconcile", "reconciled" and "reconciliation" meet, and so
do "Kennzahl" and "Kennzahlen". Crude, but the same for every field and both languages."""

from __future__ import annotations

import functools
import re

WORD = re.compile(r"[^\W\d_][\w+#.'/-]*|\d+(?:[.,]\d+)*%?")

STOPWORDS: dict[str, frozenset[str]] = {
    "en": frozenset(
        "a an the and or but if then so of to in on at for with by from as is are was were be been being it its "
        "this that these those i me my we our us you your they their he she his her them what which who how when "
        "where why do did does have has had can could would should will about into over under more most some any "
        "such than too very just also there here not no all after before because while up out off again only own "
        "same other each both few i'm i've i'd it's that's don't didn't".split()
    ),
    "de": frozenset(
        "der die das den dem des ein eine einen einem einer eines und oder aber wenn dann so von zu zum zur im in "
        "an am auf für mit bei aus nach vor über unter als ist sind war waren wird werden wurde wurden sein hat "
        "haben hatte hatten ich mich mir mein meine meinen meinem wir uns unser unsere sie ihr ihre ihnen er es "
        "was wer wie wann wo warum nicht kein keine keinen auch noch schon sehr nur dass da dort hier um bis "
        "doch ja nein man sich dieser diese dieses diesem diesen jede jeder jedes alle allem allen habe hab".split()
    ),
    "es": frozenset(
        "el la los las un una unos unas y o pero si de del al en con por para como es son era fue fueron ser "
        "estar está están estaba ha han había que qué mi mis nuestro nuestra yo nosotros su sus se lo le no más "
        "muy también este esta estos estas ese esa".split()
    ),
    "fr": frozenset(
        "le la les un une des du et ou mais si que qui quoi dans pour par sur avec sans est sont était été être "
        "avoir ai avons ont je nous vous il elle ils elles ce cette ces mon ma mes notre nos leur leurs au aux ne "
        "pas très aussi comme quand où j'ai c'est n'est d'un d'une qu'il l'on ça en se on y tout tous toute toutes "
        "toujours bien donc alors plus moins peu".split()
    ),
}
# words of a question or job advert that say nothing about the field
GENERIC = frozenset(
    "tell walk describe explain give time example happened situation experience years year requirements "
    "required strong good great excellent solid full role work working job you'll would make sure know think "
    "ability skills skill plus preferred welcome welcomed including etc e.g well clear clearly day every "
    "erzählen sie beschreiben beispiel situation erfahrung jahre jahr voraussetzungen kenntnisse gute guter "
    "through something want next first especially several goes come even whether real during key area new "
    "sehr gut rolle arbeit unternommen gemacht vorgegangen passiert".split()
)
ANY_STOPWORD: frozenset[str] = frozenset().union(*STOPWORDS.values())
# the commonest function words of languages the offline interviewer does not score: enough to tell prose
# in one of them (an answer it gives a neutral score and a human review) from keys hit at random
OTHER_FUNCTION_WORDS: tuple[frozenset[str], ...] = tuple(
    frozenset(line.split())
    for line in (
        "il lo la le gli di da in con su per tra un una uno e è che non sono ho ha mi si ma come del della nel al",  # it
        "o a os as de do da em no na um uma e que não com para por eu é se mas nos foi são meu minha",  # pt
        "de het een en ik je niet van dat die is op te in met voor zijn was maar we wij ook",  # nl
        "i w nie na się z to że jest do jak ale co tak jestem był od po",  # pl
        "ve bir bu da de için ile çok ama ne gibi daha ben biz değil var",  # tr
        "och og att det jag jeg inte ikke en ett är er som på med för for til av har",  # sv, no, da
        "a je se na v že to ne jsem jsme s ale jak",  # cs
        "și în de la nu cu pe că sunt este un o am",  # ro
        "a az és nem hogy egy is van volt meg de",  # hu
        "ja on ei se että en oli olen mutta kun myös",  # fi
        "dan yang di ini itu saya tidak dengan untuk ke dari kami",  # id
        "và của là tôi không có các những được trong cho",  # vi
    )
)
PLACEHOLDER = re.compile(r"\blorem\s+ipsum\b", re.IGNORECASE)
HELD_KEY = re.compile(r"([^\W\d_])\1{2,}")  # one letter three times or more: "jjjjjj", "Mmm", "hhhhkkkk"
SUFFIXES = ("ations", "ation", "ments", "ment", "ungen", "ung", "ings", "ing", "ies", "ied", "ed", "es", "en",
            "er", "s", "e", "n")  # fmt: skip


def words(text: str) -> list[str]:
    return [w.rstrip(".'/-") or w for w in WORD.findall(text)]


@functools.lru_cache(maxsize=65536)
def stem(word: str) -> str:
    word = word.lower().strip(".'/-")
    for suffix in SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            word = word[: -len(suffix)]
            break
    return word[:5]


def stopword(word: str) -> bool:
    return word.lower() in ANY_STOPWORD


def content_stems(text: str) -> set[str]:
    """Stems of the words that carry meaning: no function words, no numbers, nothing generic."""
    return {
        stem(w)
        for w in words(text)
        if len(w) > 2 and not w[0].isdigit() and not stopword(w) and w.lower() not in GENERIC
    }


def shares(text: str) -> dict[str, float]:
    """Share of the words that are function words of each language (0.3 to 0.5 in prose)."""
    found = [w.lower() for w in words(text) if not w[0].isdigit()]
    if not found:
        return {language: 0.0 for language in STOPWORDS}
    return {language: sum(w in stop for w in found) / len(found) for language, stop in STOPWORDS.items()}


@functools.lru_cache(maxsize=1024)
def language_of(text: str) -> str | None:
    """ "en", "de", "es", "fr", or None when the text is not prose in any of them (a list, another script)."""
    if other_script(text):
        return None
    by_share = shares(text)
    best = max(by_share, key=lambda language: by_share[language])
    return best if by_share[best] >= 0.12 else None


def reads_as_prose(text: str) -> bool:
    """Prose in some language, whether or not one scored here: another script, or at least one word in ten
    a function word of one language (prose has three to five in ten). Keys hit at random ("asdf qwer zxcv"),
    held down or over and over (`held_keys`) and placeholder text ("lorem ipsum dolor sit amet") are not."""
    if held_keys(text):
        return False
    if other_script(text):
        return True
    if PLACEHOLDER.search(text):
        return False
    found = [w.lower() for w in words(text) if not w[0].isdigit()]
    if not found:
        return False
    return any(
        sum(w in stop for w in found) >= 0.1 * len(found) for stop in (*STOPWORDS.values(), *OTHER_FUNCTION_WORDS)
    )


def held_keys(text: str) -> bool:
    """Keys held down, in any script: most of the words mostly one letter three times or more in a row
    ("jjjjjj kkkk", "hhhhhhhhh", "AAAA BBBB CCCC", "zzz" alone). One such word among others is not ("Mmm, I
    would check the logs first", "www" or "xxx" in a sentence, "ffff" in "2001:db8::ffff:ffff"), nor is an
    acronym of three capitals ("AAA", "WWW")."""
    found = words(text)
    return sum(_held(w) for w in found) > 0.5 * len(found)


def _held(word: str) -> bool:
    if not word.isalpha() or (len(word) == 3 and word.isupper()):  # "s1.AAAA" names something
        return False
    return sum(len(run.group()) for run in HELD_KEY.finditer(word.lower())) > 0.5 * len(word)


def other_script(text: str) -> bool:
    """Mostly letters outside the Latin alphabet (Chinese, Arabic, Cyrillic...)."""
    if text.isascii():
        return False
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(not c.isascii() for c in letters) > 0.5 * len(letters)
