// @ts-check
// The candidate page opened from an invitation link (/?invitation=<token>): what the gateway says about
// the link (POST /api/invitation: the position's title, the candidate's name if the invitation gives
// it), why a link cannot start an interview (unknown, used, withdrawn, expired, closed position: a
// page-level message, not a form error), and the start in flight, kept so that a reload in the middle of
// it asks again with the same request_id (the server then answers with the same interview).
import { api, HttpError } from "./common.js";
import { say, sayRefusal, setWords, translatePage, wordsLanguage } from "./words.js";

const PENDING_KEY = "interviewer.invitation-start";
const DONE_KEY = "interviewer.invitation-done";

/**
 * What POST /api/invitation says about a usable link.
 * @typedef {object} InvitationDetails
 * @property {string} position_title
 * @property {string} candidate_name "" when the invitation names nobody: the page asks
 * @property {number} total_questions
 * @property {string} expires_at
 * @property {string} [language] the interview's (the position's): the page speaks it from the start form on
 */

/**
 * A start sent but not answered yet (a reload may come in between).
 * @typedef {{invitation: string, request_id: string, candidate_name: string, experience_years?: number}} PendingStart
 */

const LINK_KEY = "interviewer.invitation-link";

/**
 * The invitation's token, if the page was opened from a link. It leaves the address at once (kept for
 * this tab, so that a reload still knows it): not in the history, not in a bookmark or a shared screen.
 * @returns {string | null}
 */
export function invitationInAddress() {
  const params = new URLSearchParams(location.search);
  const token = (params.get("invitation") || "").trim();
  if (token) {
    sessionStorage.setItem(LINK_KEY, token);
    params.delete("invitation");
    const rest = params.toString();
    history.replaceState(history.state, "", location.pathname + (rest ? `?${rest}` : "") + location.hash);
    return token;
  }
  return params.has("invitation") ? null : sessionStorage.getItem(LINK_KEY);
}

/**
 * @param {string} token
 * @returns {Promise<InvitationDetails>} throws HttpError (404, 409, 410, ...) or NetworkError
 */
export async function lookUpInvitation(token) {
  return (await api("/api/invitation", { method: "POST", body: { invitation: token } })).data;
}

/**
 * The page-level message for a link the server refuses, or null when the refusal is not about the link
 * (a network error, a 5xx, a 422 about the form).
 * @param {unknown} error
 * @param {string} token
 * @returns {{title: string, text: string} | null}
 */
export function refusal(error, token) {
  if (!(error instanceof HttpError)) return null;
  // an unknown link has no position, so no language: the page's (the browser's) says it
  if (error.status === 404) return { title: say("refusedInvalidTitle"), text: sayRefusal(error.body) || error.message };
  if (error.status !== 409 && error.status !== 410) return null;
  // the server says why, and the position's language: the page says it in that language
  const { reason, language, title, expired_on: expiredOn } = error.body;
  if (language && setWords(language)) translatePage();
  if (error.status === 409) {
    return localStorage.getItem(DONE_KEY) === token
      ? { title: say("refusedDoneTitle"), text: say("refusedDoneText") }
      : { title: say("refusedUsedTitle"), text: reason === "used" ? say("refusedUsedText") : error.message };
  }
  const text = reason === "withdrawn" ? say("refusedWithdrawn")
    : reason === "closed" && title ? say("refusedClosed", { title })
      : reason === "expired" && expiredOn ? say("refusedExpired", { date: sayDate(expiredOn) })
        : error.message;
  return { title: say("refusedGoneTitle"), text };
}

/** @param {string} day "2026-12-07" @returns {string} as the page's language writes a date */
function sayDate(day) {
  const date = new Date(`${day}T12:00:00Z`);
  return Number.isNaN(date.getTime()) ? day : date.toLocaleDateString(wordsLanguage(), { dateStyle: "long", timeZone: "UTC" });
}

/** @param {PendingStart} start */
export function rememberStart(start) {
  localStorage.setItem(PENDING_KEY, JSON.stringify(start));
}

/**
 * @param {string} token
 * @returns {PendingStart | null} the start of this invitation sent and not answered, if any
 */
export function pendingStart(token) {
  /** @type {PendingStart | null} */
  const start = JSON.parse(localStorage.getItem(PENDING_KEY) || "null");
  return start && start.invitation === token ? start : null;
}

export function forgetStart() {
  localStorage.removeItem(PENDING_KEY);
}

/** @param {string} token this invitation's interview has its report */
export function rememberDone(token) {
  localStorage.setItem(DONE_KEY, token);
}
