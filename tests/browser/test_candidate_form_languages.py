"""Before an interview has a language the candidate page speaks one anyway: the open start form the language chosen
on it (at once), else the browser's; a link the server refuses or cannot check the browser's. The server's
refusals that give a `reason` are said in the page's language, an unknown reason in the server's own words."""

import contextlib

import httpx
import pytest
from playwright.sync_api import Browser, Page, Route, expect

from tests.browser.conftest import watched_page
from tests.browser.test_candidate import BANNER_RECORDER, JOB, fill_start_form
from tests.browser.test_candidate_languages import FRENCH_ANSWERS, start_in

pytestmark = pytest.mark.e2e
STACK_ENV = {"START_RATE_PER_MINUTE": "100000", "ANSWER_RATE_PER_MINUTE": "100000"}
# the open form's own words in English, none of them on a French one
ENGLISH_FORM = ["Start your interview", "Your name", "Years of experience", "Difficulty", "Language", "Beginner",
                "From the job description", "Number of questions", "Job description", "Start the interview",
                "Paste the job posting: the questions are drawn from it.", "An AI conducts this interview.",
                "I understand that an AI asks the questions and scores my answers."]  # fmt: skip


def page_in(browser: Browser, base_url: str, locale: str) -> contextlib.AbstractContextManager[Page]:
    """A page of a browser that prefers `locale`; the test fails if a JavaScript error reached it."""
    return watched_page(browser, base_url, {"width": 1100, "height": 900}, locale=locale)


def test_the_open_form_speaks_the_language_chosen_on_it_at_once(page: Page):
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_label("Language")).to_have_value("")  # an English browser: the job description's
    page.get_by_label("Your name").fill("")
    page.get_by_role("button", name="Start the interview").click()
    expect(page.locator("#name-error")).to_have_text("Please enter your name.")
    expect(page.locator("#consent-error")).to_have_text("Please confirm that you understand how the interview works.")

    page.get_by_label("Language").select_option(label="Français")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("heading", name="Commencez votre entretien")).to_be_visible()
    expect(page.get_by_text("Cet entretien est mené par une IA.")).to_be_visible()
    for label in ["Votre nom", "Années d’expérience", "Difficulté", "Langue", "Nombre de questions",
                  "Description du poste", "Je comprends qu’une IA pose les questions et note mes réponses."]:  # fmt: skip
        expect(page.get_by_label(label, exact=True)).to_be_visible()
    expect(page.get_by_label("Difficulté").locator("option:checked")).to_have_text("Intermédiaire")
    expect(page.locator("#job-hint")).to_have_text("Collez l’offre d’emploi\u00a0: les questions en sont tirées.")
    expect(page.get_by_role("button", name="Commencer l’entretien")).to_be_visible()
    expect(page.locator("#name-error")).to_have_text("Veuillez saisir votre nom.")  # the errors shown, said again
    expect(page.locator("#consent-error")).to_have_text(
        "Veuillez confirmer que vous comprenez le déroulement de l’entretien."
    )
    for text in ENGLISH_FORM:
        expect(page.get_by_text(text, exact=True)).to_have_count(0)
    page.get_by_label("Nombre de questions").fill("30")
    page.get_by_role("button", name="Commencer l’entretien").click()
    expect(page.locator("#count-error")).to_have_text("Choisissez entre 1 et 20 questions.")

    page.get_by_label("Langue").select_option(label="Deutsch")
    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(page.get_by_role("button", name="Interview beginnen")).to_be_visible()
    expect(page.locator("#count-error")).to_have_text("Wählen Sie zwischen 1 und 20 Fragen.")
    page.get_by_label("Sprache", exact=True).select_option("")  # the job description's: the browser's, English
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("button", name="Start the interview")).to_be_visible()
    expect(page.locator("#count-error")).to_have_text("Choose between 1 and 20 questions.")


def test_the_servers_refusal_of_a_field_is_said_in_the_forms_language(page: Page):
    fill_start_form(page, name="Camille Martin", questions=1)
    page.get_by_label("Language").select_option(label="Français")
    page.get_by_label("Description du poste").fill(JOB.replace(". ", ".\x0c", 1))  # a form feed, pasted from a PDF
    page.get_by_role("button", name="Commencer l’entretien").click()
    expect(page.locator("#job-error")).to_have_text(
        "Ce texte contient un caractère de contrôle invisible\u00a0: veuillez le supprimer."
    )


def test_the_open_form_starts_in_the_browsers_language_and_the_interview_follows(browser: Browser, stack):
    with page_in(browser, stack.url(), "es-ES") as page:
        page.goto("/")
        expect(page.locator("html")).to_have_attribute("lang", "es")
        expect(page.get_by_role("heading", name="Comience su entrevista")).to_be_visible()
        expect(page.get_by_label("Idioma")).to_have_value("es")  # the interview's language matches the form's
        page.get_by_label("Su nombre").fill("Lucía García")
        page.get_by_label("Años de experiencia").fill("5")
        page.get_by_label("Número de preguntas").fill("1")
        page.get_by_label("Descripción del puesto").fill(JOB)
        page.get_by_label("Entiendo que una IA hace las preguntas y puntúa mis respuestas.").check()
        page.get_by_role("button", name="Comenzar la entrevista").click()
        expect(page.get_by_label("Su respuesta")).to_be_visible()
        expect(page.locator("#progress-label")).to_have_text("Pregunta 1 de 1")
        expect(page.locator("#question")).to_have_attribute("lang", "es")


def test_a_browser_preferring_english_or_an_unspoken_language_gets_the_english_form(browser: Browser, stack):
    with page_in(browser, stack.url(), "pt-BR") as page:
        page.goto("/")
        expect(page.get_by_role("heading", name="Start your interview")).to_be_visible()
        expect(page.locator("html")).to_have_attribute("lang", "en")
        expect(page.get_by_label("Language")).to_have_value("")


def test_a_link_refused_or_unchecked_is_said_in_the_browsers_language(browser: Browser, stack):
    with page_in(browser, stack.url(), "de-DE") as page:
        page.goto(f"/?invitation={'u' * 32}")  # shaped like a token, unknown to the server
        expect(page.get_by_role("heading", name="Dieser Einladungslink ist ungültig")).to_be_visible()
        expect(page.locator("#refused-text")).to_have_text(
            "Dieser Einladungslink ist ungültig: Prüfen Sie, ob er vollständig kopiert wurde, oder bitten Sie das "
            "Einstellungsteam um einen neuen."
        )
        expect(page.get_by_text("Wenn Sie denken, dass hier ein Fehler vorliegt")).to_be_visible()
        expect(page.locator("html")).to_have_attribute("lang", "de")

        page.goto("/?invitation=not!a*token")  # not even shaped like one: a 422
        expect(page.get_by_role("heading", name="Dieser Einladungslink ist ungültig")).to_be_visible()
        expect(page.locator("#refused-text")).to_contain_text("Der Link ist unvollständig oder beschädigt")

        page.route("**/api/invitation", lambda route: route.fulfill(status=500, json={}))
        page.goto(f"/?invitation={'c' * 32}")
        expect(page.get_by_role("heading", name="Ihre Einladung konnte gerade nicht geprüft werden")).to_be_visible()
        expect(page.get_by_text("Der Interviewdienst hat nicht geantwortet.")).to_be_visible()
        expect(page.get_by_role("button", name="Erneut versuchen")).to_be_visible()
        expect(page.locator("#connection")).to_have_text("Der Server hat mit 500 geantwortet.")


def test_the_servers_refusals_are_said_in_the_interviews_language(page: Page, stack):
    """A real 409 (the question answered meanwhile, as from another tab), a 429 retried, and a reason the page has
    no words for (its server's message shown as it is)."""
    page.add_init_script(BANNER_RECORDER)
    start_in(page, "Français", "Camille Martin", questions=2)
    expect(page.get_by_label("Votre réponse")).to_be_visible()

    def answered_elsewhere(route: Route) -> None:
        sent = route.request.post_data_json
        token = {k: v for k, v in route.request.headers.items() if k.lower() == "x-candidate-token"}
        with httpx.Client(base_url=stack.url(), timeout=60, headers=token) as other_tab:
            first = other_tab.post("/api/submit-answer", json={**sent, "answer": FRENCH_ANSWERS[1]})
            assert first.status_code in (200, 202), first.text
        route.continue_()

    page.route("**/api/submit-answer", answered_elsewhere, times=1)
    page.get_by_label("Votre réponse").fill(FRENCH_ANSWERS[0])
    page.get_by_role("button", name="Envoyer la réponse").click()
    expect(page.locator("#connection")).to_have_text("La question 1 a déjà reçu une réponse.")
    expect(page.locator("#q-number")).to_have_text("2")  # the page moved on to the open question

    unknown = {"detail": "A refusal this page has no words for.", "reason": "something_new"}
    page.route("**/api/submit-answer", lambda route: route.fulfill(status=409, json=unknown), times=1)
    limited = {"detail": "Too many answers from this address; please wait 1 s and try again.",
               "reason": "rate_limited"}  # fmt: skip
    page.route("**/api/submit-answer",  # the last route added answers first: the 429, then its retry the 409
               lambda route: route.fulfill(status=429, headers={"Retry-After": "1"}, json=limited), times=1)  # fmt: skip
    page.get_by_label("Votre réponse").fill(FRENCH_ANSWERS[1])
    page.get_by_role("button", name="Envoyer la réponse").click()
    expect(page.locator("#connection")).to_have_text("A refusal this page has no words for.")
    banners = page.evaluate("window.banners")
    assert (
        "Trop de demandes depuis cette adresse\u00a0; veuillez patienter un instant. Nouvel essai dans 1\u00a0s… "
        "(votre réponse est conservée)" in banners
    ), banners
