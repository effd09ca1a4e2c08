// @ts-check
// What the candidate page shows of itself: which screen (start, interview, report, a refused link), the banner
// at the top (a connection lost, a call retried, an error) and what screen readers are told; and calls
// retried with growing delays, the banner saying so; in the interview's language once it is known (words.js),
// the server's refusals too where they give a reason.
import { $, HttpError, NetworkError } from "./common.js";
import { say, sayRefusal } from "./words.js";

export const RETRY_DELAYS = [1000, 2000, 4000, 8000, 15000];

/** @param {"start" | "interview" | "report" | "refused" | null} screen null: none (while checking a link) */
export function show(screen) {
  for (const name of ["start", "interview", "report", "refused"]) $(`${name}-screen`).hidden = name !== screen;
  $("loading").hidden = true;
  $("checking").hidden = true;
  $("check-failed").hidden = true;
}

/** @type {string[]} the announcements about to be made, said together (one would cut another short) */
let announcing = [];
let announceTimer = 0;

/** @param {string} message said by screen readers */
export function announce(message) {
  if (!announcing.length) {
    $("announcer").textContent = "";
    announceTimer = window.setTimeout(() => {
      $("announcer").textContent = announcing.join(" ");
      announcing = [];
    }, 50);
  }
  announcing.push(message);
}

/** Nothing left for screen readers to find (a new interview starts: the last one's words go with it). */
export function silence() {
  clearTimeout(announceTimer);
  announcing = [];
  $("announcer").textContent = "";
  $("time-announcer").textContent = "";
}

/**
 * What the page says of a failed call: the server's reason in the page's words, else its own message, the status
 * it answered with when it gave none, or that it cannot be reached.
 * @param {any} error
 * @returns {string}
 */
export function reasonOf(error) {
  if (error instanceof NetworkError) return say("unreachable");
  if (error instanceof HttpError) {
    const said = sayRefusal(error.body);
    if (said) return said;
    if (!error.told) return say("serverAnswered", { status: error.status });
  }
  return String(error && error.message);
}

/** what the banner is about, as screen readers were last told it ("": hidden) */
let bannerTopic = "";

/**
 * The banner at the top of the page; "" hides it. Screen readers are told it when what it is about changes,
 * not each time its words do (a retry's countdown).
 * @param {string | null | undefined} message
 * @param {"warn" | "error"} [kind]
 * @param {string} [about] what it is about: the message itself unless said otherwise
 */
export function banner(message, kind = "warn", about = message || "") {
  const box = $("connection");
  box.setAttribute("aria-live", message && about === bannerTopic ? "off" : "polite");
  bannerTopic = message ? about : "";
  box.className = `banner ${kind}`;
  box.textContent = message || "";
  box.hidden = !message;
}

/**
 * Waits `ms`, or less when the browser says it is online again (a retry then need not wait its turn).
 * @param {number} ms
 * @returns {Promise<void>}
 */
export function pause(ms) {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      window.removeEventListener("online", done);
      resolve();
    };
    const timer = window.setTimeout(done, ms);
    window.addEventListener("online", done);
  });
}

/**
 * Network errors and 503s are retried with growing delays, saying so; nothing typed is lost. The wait before a
 * retry ends early when the browser comes back online.
 * The response's data (`whole`: {status, data}), after retrying network errors, 429 and 5xx gateways.
 * @param {() => Promise<{status: number, data: any}>} call
 * @param {{kept?: string, whole?: boolean, retrying?: () => void}} [options] `kept`: what the banner says is kept
 *   meanwhile; `retrying`: told each time a retry is waited for (the action's own status can say so)
 * @returns {Promise<any>}
 */
export async function withRetries(call, { kept = say("keptAnswer"), whole = false, retrying } = {}) {
  for (let attempt = 0; ; attempt++) {
    try {
      const result = await call();
      banner("");
      if (attempt) announce(say("reconnected")); // its loss was said once, not each retry: its end too
      return whole ? result : result.data;
    } catch (/** @type {any} */ error) {
      const status = error instanceof HttpError ? error.status : null;
      if (!isRetryable(error) || attempt >= RETRY_DELAYS.length) throw error;
      const asked = Number(error.retryAfter);
      const delay = status === 429 && asked ? asked * 1000 : RETRY_DELAYS[attempt];
      banner(say("retrying", { message: reasonOf(error), seconds: Math.round(delay / 1000), kept }), "warn",
        `retrying: ${reasonOf(error)} ${kept}`);
      if (retrying) retrying();
      await pause(delay);
    }
  }
}

/**
 * A call that failed on the way (the network, a gateway, a rate limit): the same call may be tried again.
 * @param {unknown} error
 * @returns {boolean}
 */
export function isRetryable(error) {
  const status = error instanceof HttpError ? error.status : null;
  return error instanceof NetworkError || (status !== null && [429, 502, 503, 504].includes(status));
}
