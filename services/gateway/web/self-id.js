// @ts-check
// The optional form under the candidate's report in which they may describe themselves for the fairness
// audit (docs/fairness.md): offered once per interview, fresh, and not again once answered or declined (the
// outcome is kept with the saved interview, so a reload does not offer it again). It asks what this deployment
// asks (GET /api/self-identification: SELF_IDENTIFICATION), and is not offered where that is nothing. Its words:
// words.js.
import { $, api, HttpError, valueOf } from "./common.js";
import { reasonOf } from "./page-status.js";
import { say } from "./words.js";

/** The form's controls by the API's field name. */
const SELF_ID_FIELDS = { sex: "self-sex", race_ethnicity: "self-race", age_band: "self-age" };

/**
 * @param {object} options
 * @param {() => Record<string, string>} options.headers the candidate token's header
 * @param {(outcome: "sent" | "dismissed") => void} options.remember kept with the saved interview
 */
export function initSelfIdentification({ headers, remember }) {
  /** @type {string | null} the interview the form is offered for */
  let offeredFor = null;
  /** @type {Promise<string[]> | null} the questions asked here, asked of the server once */
  let questions = null;

  /** @param {string} message "" hides it */
  function selfIdError(message) {
    $("self-id-error").textContent = message;
    $("self-id-error").hidden = !message;
  }

  /**
   * The form under the report, fresh, once per interview (a report shown twice keeps its choices).
   * @param {string} sessionId
   * @param {boolean} settled the candidate answered or declined it already
   */
  async function offer(sessionId, settled) {
    if (offeredFor === sessionId) return;
    if (settled) {
      $("self-id").hidden = true;
      return;
    }
    offeredFor = sessionId;
    questions ??= api("/api/self-identification").then((r) => r.data.questions, () => ["sex", "race_ethnicity", "age_band"]);
    const asked = await questions;
    if (offeredFor !== sessionId) return; // another interview meanwhile
    if (!asked.length) { // this deployment does not ask
      $("self-id").hidden = true;
      return;
    }
    for (const box of document.querySelectorAll("[data-self-id]")) {
      if (box instanceof HTMLElement) box.hidden = !asked.includes(box.dataset.selfId || "");
    }
    $("self-id-form", HTMLFormElement).reset();
    $("self-id-form").hidden = false;
    $("self-id-thanks").hidden = true;
    selfIdError("");
    $("self-id").hidden = false;
  }

  function reset() {
    offeredFor = null;
    $("self-id").hidden = true;
  }

  $("self-id-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const send = $("self-id-send", HTMLButtonElement);
    if (!offeredFor || send.disabled) return;
    send.disabled = true;
    selfIdError("");
    const asked = await (questions || Promise.resolve(Object.keys(SELF_ID_FIELDS)));
    const answers = Object.fromEntries(Object.entries(SELF_ID_FIELDS).filter(([field]) => asked.includes(field))
      .map(([field, id]) => [field, valueOf(id)])); // the others are not asked here
    try {
      await api("/api/self-identification", { method: "POST", body: { session_id: offeredFor, ...answers }, headers: headers() });
      remember("sent");
      $("self-id-form").hidden = true;
      $("self-id-thanks").hidden = false;
      $("self-id-thanks").focus();
    } catch (/** @type {any} */ error) {
      const refused = error instanceof HttpError && error.status < 500; // the server's reason is the whole story
      selfIdError(refused ? reasonOf(error) : say("choicesKept", { message: reasonOf(error) }));
    } finally {
      send.disabled = false;
    }
  });

  $("self-id-skip").addEventListener("click", () => {
    remember("dismissed");
    $("self-id").hidden = true;
    $("answers-title").focus();
  });

  return { offer, reset };
}
