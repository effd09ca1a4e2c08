// @ts-check
// The candidate page opened from an invitation link: the link checked with the server (its start form, or a
// page-level message saying why it cannot start, or an offer to try again when the server cannot be reached),
// and a start sent before a reload and not answered, sent again with the same request_id (the same interview).
// Until the position's language is known (or when it never is: an unknown link) the page speaks the browser's.
import { $, HttpError } from "./common.js";
import { lookUpInvitation, pendingStart, refusal, rememberStart } from "./invitation.js";
import { banner, reasonOf, show, withRetries } from "./page-status.js";
import { invitationForm } from "./start-form.js";
import { preferredLanguage, say, setWords, translatePage } from "./words.js";

/**
 * The start of an invited interview (consent given); remembered until answered, so that a reload in
 * between asks again with the same request_id.
 * @param {string} invitation
 * @param {string} requestId
 * @param {string} name "" when the invitation gives the name
 * @param {number | undefined} experience the years of experience (a start remembered before they were kept has none)
 * @returns {Record<string, unknown>}
 */
export function invitationStart(invitation, requestId, name, experience) {
  rememberStart({ invitation, request_id: requestId, candidate_name: name, experience_years: experience });
  return { invitation, consent: true, request_id: requestId, ...(name ? { candidate_name: name } : {}),
    ...(experience === undefined ? {} : { experience_years: experience }) };
}

/**
 * A page-level message for a link that cannot start an interview.
 * @param {{title: string, text: string}} refused
 */
export function showRefused({ title, text }) {
  show("refused");
  banner("");
  $("refused-title").textContent = title;
  $("refused-text").textContent = text;
  $("refused-title").focus();
}

/** The link could not be checked, or its start resumed (the server unreachable or failing): say so, and offer to try again. */
function checkFailed() {
  show(null);
  $("check-failed").hidden = false;
  $("check-failed-title").focus();
}

/**
 * Opened from a link: what the server says about it, then its start form or why it cannot start. A start
 * sent before a reload and not answered is sent again (the same request_id: the same interview).
 * @param {string} token
 * @param {(body: Record<string, unknown>) => Promise<void>} begin starts the interview
 */
export async function prepareInvitation(token, begin) {
  if (setWords(preferredLanguage())) translatePage(); // until the position's language is known
  show(null);
  $("checking").hidden = false;
  try {
    const details = await withRetries(async () => ({ status: 200, data: await lookUpInvitation(token) }),
      { kept: say("keptNothingLost") });
    invitationForm(details);
    show("start");
  } catch (error) {
    const refused = refusal(error, token);
    const pending = pendingStart(token);
    if (error instanceof HttpError && error.status === 409 && pending) {
      show(null);
      $("checking").hidden = false;
      await begin(invitationStart(token, pending.request_id, pending.candidate_name, pending.experience_years));
      if (!$("checking").hidden) checkFailed(); // the start failed (a network error, a 5xx): nothing else is shown
    } else if (refused) showRefused(refused);
    else if (error instanceof HttpError && error.status === 422) { // not even shaped like a token
      showRefused({ title: say("refusedInvalidTitle"), text: say("refusedDamaged") });
    } else {
      banner(reasonOf(error), "error");
      checkFailed();
    }
  }
}
