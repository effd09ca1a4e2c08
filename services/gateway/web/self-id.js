// @ts-check
// The optional form under the candidate's report in which they may describe themselves for the fairness
// audit (docs/fairness.md): offered once per interview, fresh, and not again once answered or declined (the
// outcome is kept with the saved interview, so a reload does not offer it again). Its words: words.js.
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
  function offer(sessionId, settled) {
    if (offeredFor === sessionId) return;
    if (settled) {
      $("self-id").hidden = true;
      return;
    }
    offeredFor = sessionId;
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
    const answers = Object.fromEntries(Object.entries(SELF_ID_FIELDS).map(([field, id]) => [field, valueOf(id)]));
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
