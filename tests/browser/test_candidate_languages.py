"""The candidate page speaks the interview's language (services/gateway/web/words.js): a French interview from
its first question to its report and after a reload, a German one spot-checked (its voice button too), an
invitation to a French position from its start form on, and an English interview after a French one on the
same browser English again. `<html lang>` follows."""

import re

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_candidate import SPEECH_RECOGNITION, every_control_is_labelled, fill_form, fill_start_form
from tests.e2e.test_interview import ANSWERS, START
from tests.e2e.test_languages import GERMAN_ANSWERS

pytestmark = pytest.mark.e2e
ADMIN = "browser-candidate-languages-admin"
STACK_ENV = {"ADMIN_TOKEN": ADMIN, "START_RATE_PER_MINUTE": "100000", "ANSWER_RATE_PER_MINUTE": "100000"}
FRENCH_ANSWERS = [
    "Dans mon dernier projet, j’ai construit une API Django sur PostgreSQL et réduit la latence de 80 %.",
    "J’ai encadré deux développeurs et convenu d’un plan de maintenance avec le client, qui est resté.",
]
# what an English page says, none of it on a French or German one
ENGLISH = ["Your answer", "Submit answer", "Answer by voice", "End the interview", "Read the question aloud",
           "Your answers so far", "Your interview report", "Question by question", "Print or save as PDF",
           "How you were assessed", "Questions about your result?", "Your requests", "earned points", "cost points",
           "overall"]  # fmt: skip


def start_in(page: Page, language: str, name: str, questions: int) -> None:
    fill_start_form(page, name=name, questions=questions)
    page.get_by_label("Language").select_option(label=language)
    page.locator("#start-button").click()  # its name is in the chosen language already


def expect_no_english(page: Page) -> None:
    for text in ENGLISH:
        expect(page.get_by_text(text, exact=True)).to_have_count(0)


def expect_french_report(page: Page) -> None:
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("heading", name="Votre rapport d’entretien")).to_be_visible()
    expect(page.get_by_role("heading", name="Question par question")).to_be_visible()
    expect(page.get_by_role("button", name="Imprimer ou enregistrer en PDF")).to_be_visible()
    expect(page.get_by_role("button", name="Demander qu’une personne examine mon entretien")).to_be_visible()
    expect(page.get_by_label("Âge")).to_have_value("prefer_not_to_say")
    expect(page.get_by_label("Âge").locator("option:checked")).to_have_text("Je préfère ne pas répondre")
    expect(page.locator("#report-meta")).to_contain_text("2 réponses sur 2 questions")
    expect(page.locator("#overall")).to_have_text(re.compile(r"^\d+(,\d+)?/10$"))  # "3,7/10": a decimal comma
    expect(page.locator("#overall-line")).to_contain_text("note globale")
    expect(page.get_by_role("heading", name="Comment votre entretien a été évalué")).to_be_visible()
    told = page.locator("#how-assessed-list")
    expect(told).to_have_attribute("lang", "fr")
    expect(told.locator("li").first).to_have_text(re.compile(r"^Les questions ont été tirées de l’offre d’emploi"))
    expect(told).to_contain_text("Chaque réponse a été notée de 0 à 10 par")
    expect(page.locator(".evidence-key")).to_have_text(
        "points gagnés points perdus (sélectionnez un passage marqué, avec la touche Tab, un clic ou un appui, "
        "pour en voir la raison)"
    )
    expect(page.locator(".evidence-reason").first).to_have_text(re.compile(r"^Points (gagnés|perdus)\u00a0: \S"))
    for said in page.locator("#answers .qa strong + span").all_text_contents():  # "… ; …": a no-break space
        assert not re.search(r"[^\u00a0];", said), said
    expect(page.locator("#verdict")).to_contain_text(re.compile(r"^Recommandation\s:\s(oui|non|peut-être)"))
    expect(page.locator(".report-feedback h3")).to_have_text(["Points forts", "Points faibles", "Recommandations"])
    expect_no_english(page)


def test_a_french_interview_speaks_french_from_its_first_question_to_its_report(page: Page):
    start_in(page, "Français", "Camille Martin", questions=2)
    expect(page.get_by_label("Votre réponse")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.locator("#progress-label")).to_have_text("Question 1 sur 2")
    expect(page.get_by_role("button", name="Lire la question à voix haute")).to_be_visible()
    expect(page.locator("#answer-hint")).to_contain_text("Saisissez votre réponse")
    every_control_is_labelled(page)
    expect_no_english(page)

    for number, text in enumerate(FRENCH_ANSWERS, start=1):
        expect(page.locator("#q-number")).to_have_text(str(number))
        page.get_by_label("Votre réponse").fill(text)
        page.get_by_role("button", name="Envoyer la réponse").click()
        if number == 1:
            expect(page.locator("#feedback h3")).to_have_text(re.compile(r"^Question 1\s:\s\d+(\.\d+)?/10$"))
            expect(page.get_by_role("heading", name="Vos réponses jusqu’ici")).to_be_visible()
    expect_french_report(page)
    page.reload()  # the finished interview, resumed: French again
    expect_french_report(page)


def test_a_german_interview_spot_checked(page: Page):
    page.add_init_script(SPEECH_RECOGNITION)
    start_in(page, "Deutsch", "Greta Weber", questions=1)
    expect(page.get_by_label("Ihre Antwort")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(page.locator("#progress-label")).to_have_text("Frage 1 von 1")
    page.get_by_role("button", name="Mündlich antworten").click()
    expect(page.locator("#voice-status")).to_contain_text("Ich höre zu")
    page.get_by_role("button", name="Zuhören beenden").click()
    expect(page.get_by_role("button", name="Mündlich antworten")).to_be_visible()
    page.get_by_label("Ihre Antwort").fill(GERMAN_ANSWERS[0])
    page.get_by_role("button", name="Antwort senden").click()
    expect(page.get_by_role("heading", name="Ihr Interviewbericht")).to_be_visible()
    expect(page.get_by_role("heading", name="Wie Sie bewertet wurden")).to_be_visible()
    expect(page.get_by_role("button", name="Nein, danke")).to_be_visible()
    expect(page.locator("#report-meta")).to_contain_text("1 von 1 Frage beantwortet")
    expect_no_english(page)


def test_an_english_interview_after_a_french_one_is_english_again(page: Page):
    start_in(page, "Français", "Chloé Petit", questions=1)
    page.get_by_label("Votre réponse").fill(FRENCH_ANSWERS[0])
    page.get_by_role("button", name="Envoyer la réponse").click()
    expect(page.get_by_role("heading", name="Votre rapport d’entretien")).to_be_visible()
    page.once("dialog", lambda dialog: dialog.accept() if "nouvel entretien" in dialog.message else dialog.dismiss())
    page.get_by_role("button", name="Commencer un nouvel entretien").click()

    expect(page.locator("html")).to_have_attribute("lang", "en")
    fill_form(page, "Ada English", questions=1)
    page.get_by_role("button", name="Start the interview").click()
    expect(page.get_by_label("Your answer")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("#progress-label")).to_have_text("Question 1 of 1")
    expect(page.get_by_role("button", name="Answer by voice")).to_be_visible()
    page.get_by_label("Your answer").fill(ANSWERS[0])
    page.get_by_role("button", name="Submit answer").click()
    expect(page.get_by_role("heading", name="Your interview report")).to_be_visible()
    expect(page.get_by_role("heading", name="Question by question")).to_be_visible()
    expect(page.get_by_role("button", name="Ask a person to review my interview")).to_be_visible()
    expect(page.get_by_text("Votre rapport d’entretien")).to_have_count(0)


def french_invitation(stack) -> str:
    """A French position's invitation, for a candidate it names: the link's token."""
    position = {"title": "Développeuse Python", "job_description": START["job_description"], "num_questions": 1,
                "language": "fr"}  # fmt: skip
    with httpx.Client(base_url=stack.url(), timeout=60, headers={"Authorization": f"Bearer {ADMIN}"}) as admin:
        created = admin.post("/api/positions", json=position)
        assert created.status_code == 201, created.text
        made = admin.post(f"/api/positions/{created.json()['position_id']}/invitations",
                          json={"candidates": [{"candidate_name": "Léa Dubois"}]})  # fmt: skip
        assert made.status_code in (200, 201), made.text
        return made.json()["invitations"][0]["token"]


def test_an_invitation_to_a_french_position_is_french_from_its_start_form(page: Page, stack):
    page.goto(f"/?invitation={french_invitation(stack)}")
    expect(page.get_by_role("heading", name="Développeuse Python")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page).to_have_title("Entretien pour Développeuse Python · Interviewer")
    expect(page.locator("#invitation-intro")).to_contain_text("Bienvenue, Léa Dubois.")
    expect(page.get_by_text("Cet entretien est mené par une IA.")).to_be_visible()
    page.get_by_role("button", name="Commencer l’entretien").click()
    expect(page.locator("#experience-error")).to_have_text("Indiquez un nombre entier d’années entre 0 et 60.")
    page.get_by_label("Années d’expérience").fill("3")
    page.get_by_label("Je comprends qu’une IA pose les questions et note mes réponses.").check()
    page.get_by_role("button", name="Commencer l’entretien").click()
    expect(page.get_by_label("Votre réponse")).to_be_visible()
    expect(page.locator("#position-name")).to_have_text("Entretien pour Développeuse Python")
    page.get_by_label("Votre réponse").fill(FRENCH_ANSWERS[0])
    page.get_by_role("button", name="Envoyer la réponse").click()
    expect(page.get_by_role("heading", name="Votre rapport d’entretien")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    page.reload()  # the finished interview again: its title too
    expect(page.get_by_role("heading", name="Votre rapport d’entretien")).to_be_visible()
    expect(page).to_have_title("Entretien pour Développeuse Python · Interviewer")


def test_a_french_link_that_cannot_start_an_interview_says_why_in_french(page: Page, stack):
    """The server's refusal says why and in which language the position is held (an exploratory test found
    these pages English): used on another device, and withdrawn by the hiring team."""
    token = french_invitation(stack)
    with httpx.Client(base_url=stack.url(), timeout=60) as candidate:
        started = candidate.post("/api/start-interview", json={"invitation": token, "consent": True,
                                                               "experience_years": 3, "request_id": "x" * 32})  # fmt: skip
        assert started.status_code == 200, started.text
    page.goto(f"/?invitation={token}")  # another device: this browser did not start it
    expect(page.get_by_role("heading", name="Cette invitation a déjà été utilisée")).to_be_visible()
    expect(page.locator("#refused-text")).to_contain_text("poursuivez-le dans le navigateur où vous l’avez commencé")
    expect(page.get_by_text("Si vous pensez qu’il s’agit d’une erreur")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "fr")

    withdrawn = french_invitation(stack)
    with httpx.Client(base_url=stack.url(), timeout=60, headers={"Authorization": f"Bearer {ADMIN}"}) as admin:
        found = admin.get("/api/invitations", params={"search": "Léa Dubois"}).json()["candidates"]
        unused = [c for c in found if c["status"] == "invited"]
        assert unused, found
        assert admin.post(f"/api/invitations/{unused[0]['invitation_id']}/revoke").status_code == 200
    page.goto(f"/?invitation={withdrawn}")
    expect(page.get_by_role("heading", name="Cette invitation n’est plus valable")).to_be_visible()
    expect(page.locator("#refused-text")).to_have_text("Cette invitation a été retirée par l’équipe de recrutement.")
