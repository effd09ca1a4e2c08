// @ts-check
// The candidate page's start form: in open mode the whole form (name, experience, difficulty, number of
// questions, job description), from an invitation link the years of experience (the questions are pitched to
// them) and what the invitation lacks (the name), with what the candidate should know before starting (the
// questions, typed or spoken answers, the time per answer); the consent either way. Errors show on submit,
// then update as the field is corrected; the API's 422s show under the fields they are about. An invitation
// knows its position's language: its form speaks it (words.js); the open form, before any choice, is English.
import { $, fieldError, valueOf } from "./common.js";
import { NO_ACCOMMODATIONS, timeForEachAnswer } from "./countdown.js";
import { say, setWords, translatePage } from "./words.js";

/**
 * What POST /api/invitation says of a usable link, with the time per answer and the accommodations.
 * @typedef {import("./invitation.js").InvitationDetails & {seconds_per_answer?: number,
 *   accommodations?: Partial<import("./countdown.js").Accommodations>}} InvitationStartDetails
 */

/**
 * The start form's fields by the API's name: the control's id, and its check ("" when the value is fine).
 * @type {Record<string, [string, (value: string) => string]>}
 */
const FIELDS = {
  candidate_name: ["name", (v) => (v.trim() ? "" : say("nameMissing"))],
  experience_years: ["experience", (v) => (/^\d+$/.test(v) && +v <= 60 ? "" : say("experienceWrong"))],
  num_questions: ["count", (v) => (/^\d+$/.test(v) && +v >= 1 && +v <= 20 ? "" : say("countWrong"))],
  job_description: ["job", (v) => (v.trim().length >= 20 ? "" : say("jobMissing"))],
};

/** The start form's fields that are on the page (an invitation asks the experience, and the name if it lacks one). */
function shownFields() {
  return Object.entries(FIELDS).filter(([, [id]]) => document.getElementById(id));
}

/** @returns {boolean} the form is fine to send; else its errors show and the first wrong field has the focus */
export function validateStart() {
  let first = null;
  for (const [, [id, check]] of shownFields()) {
    const message = check(valueOf(id));
    fieldError(id, message);
    if (message && !first) first = id;
  }
  const consent = $("consent", HTMLInputElement).checked ? "" : say("consentMissing");
  fieldError("consent", consent);
  if (consent && !first) first = "consent";
  if (first) $(first).focus();
  return !first;
}

// Errors show on submit and then update as the field is corrected (not on blur: a message appearing
// there would move the button under a click that is already on its way).
for (const [, [id, check]] of Object.entries(FIELDS)) {
  $(id).addEventListener("input", () => $(id).getAttribute("aria-invalid") === "true" && fieldError(id, check(valueOf(id))));
}
$("consent").addEventListener("change", () => $("consent", HTMLInputElement).checked && fieldError("consent", ""));

/**
 * A 422's errors under the fields they are about.
 * @param {{errors?: {loc?: (string | number)[], msg: string}[], message?: string}} body
 * @returns {string | null} what the banner should say when none is a field's
 */
export function showServerErrors(body) {
  /** @type {Record<string, string>} */
  const byField = Object.fromEntries(shownFields().map(([field, [id]]) => [field, id]));
  let shown = false;
  for (const error of body.errors || []) {
    const field = String((error.loc || []).at(-1));
    if (byField[field]) {
      fieldError(byField[field], error.msg);
      shown = true;
    }
  }
  const named = /^candidate_name: (.*)$/s.exec(body.message || ""); // an invitation without a name, and none given
  if (!shown && named && byField.candidate_name) {
    fieldError(byField.candidate_name, `${named[1][0].toUpperCase()}${named[1].slice(1)}.`);
    $(byField.candidate_name).focus();
    shown = true;
  }
  return shown ? null : body.message || say("checkForm");
}

/**
 * The start form of an invitation: the position's title, what the interview will be like (typed answers only,
 * the time for each answer, as the hiring team arranged), the name only if the invitation lacks it, the years
 * of experience (empty: asked, not assumed), the consent; none of the open mode's other fields.
 * @param {InvitationStartDetails} details
 */
export function invitationForm(details) {
  const openFields = document.getElementById("open-fields");
  if (openFields) {
    openFields.before($("experience-field"));
    $("experience", HTMLInputElement).value = "";
    openFields.remove();
  }
  if (details.candidate_name) document.getElementById("name-field")?.remove();
  const typed = { ...NO_ACCOMMODATIONS, ...details.accommodations }.text_only;
  const seconds = details.seconds_per_answer || 0;
  if (setWords(details.language)) translatePage();
  $("start-title").textContent = details.position_title;
  const count = details.total_questions;
  const questions = count === 1 ? say("oneQuestion") : say("questions", { count });
  $("invitation-intro").textContent = [
    details.candidate_name ? say("welcome", { name: details.candidate_name }) : "",
    typed ? say("invitedTyped", { questions }) : say("invitedSpoken", { questions }),
    seconds ? `${timeForEachAnswer(seconds)} ${say("timeUpSent")}` : "",
    details.candidate_name ? "" : say("giveName"),
  ].filter(Boolean).join(" ");
  $("invitation-intro").hidden = false;
  $("new-interview").hidden = true;
  document.title = say("pageTitle", { title: details.position_title });
}
