// @ts-check
// The candidate page's start form: in open mode the whole form (name, experience, difficulty, number of
// questions, job description), from an invitation link the years of experience (the questions are pitched to
// them) and what the invitation lacks (the name), with what the candidate should know before starting (the
// questions, typed or spoken answers, the time per answer); the consent either way. Errors show on submit,
// then update as the field is corrected; the API's 422s show under the fields they are about. An invitation
// knows its position's language: its form speaks it (words.js); the open form speaks the language chosen on it
// at once, else the browser's (preselected when it is not English), else English. The API's refusals are said
// in the form's words where they give a reason (or a kind of 422 the form has words for).
import { $, fieldError, valueOf } from "./common.js";
import { NO_ACCOMMODATIONS, timeForEachAnswer } from "./countdown.js";
import { preferredLanguage, say, sayInvalid, sayRefusal, setWords, translatePage } from "./words.js";

/**
 * What POST /api/invitation says of a usable link, with the time per answer and the accommodations.
 * @typedef {import("./invitation.js").InvitationDetails & {seconds_per_answer?: number,
 *   accommodations?: Partial<import("./countdown.js").Accommodations>}} InvitationStartDetails
 */

/**
 * The start form's fields by the API's name: the control's id, whether a value is fine, and the words for one
 * that is not.
 * @type {Record<string, [string, (value: string) => boolean, import("./words.js").WordKey]>}
 */
const FIELDS = {
  candidate_name: ["name", (v) => Boolean(v.trim()), "nameMissing"],
  experience_years: ["experience", (v) => /^\d+$/.test(v) && +v <= 60, "experienceWrong"],
  num_questions: ["count", (v) => /^\d+$/.test(v) && +v >= 1 && +v <= 20, "countWrong"],
  job_description: ["job", (v) => v.trim().length >= 20, "jobMissing"],
};

/** What a 422 says of a value out of the range a field's own words describe. */
const OUT_OF_RANGE = new Set(["missing", "string_too_short", "greater_than_equal", "less_than_equal", "greater_than",
  "less_than", "int_type", "int_parsing", "int_from_float"]);

/** @param {string} field the API's name @returns {string} what is wrong with its value ("" when it is fine) */
function check(field) {
  const [id, fine, key] = FIELDS[field];
  return fine(valueOf(id)) ? "" : say(key);
}

/** The start form's fields that are on the page (an invitation asks the experience, and the name if it lacks one). */
function shownFields() {
  return Object.entries(FIELDS).filter(([, [id]]) => document.getElementById(id));
}

/** @returns {boolean} the form is fine to send; else its errors show and the first wrong field has the focus */
export function validateStart() {
  let first = null;
  for (const [field, [id]] of shownFields()) {
    const message = check(field);
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
for (const [field, [id]] of Object.entries(FIELDS)) {
  $(id).addEventListener("input", () => $(id).getAttribute("aria-invalid") === "true" && fieldError(id, check(field)));
}
$("consent").addEventListener("change", () => $("consent", HTMLInputElement).checked && fieldError("consent", ""));
$("language").addEventListener("change", speakChosenLanguage);

/**
 * The open form as it first shows: in the browser's language when the page speaks it and it is not English, that
 * language chosen for the interview too (and again after the form is reset); else English, the interview's
 * language left to the job description.
 */
export function openForm() {
  const preferred = preferredLanguage();
  const chosen = preferred === "en" ? "" : preferred;
  for (const option of $("language", HTMLSelectElement).options) option.defaultSelected = option.value === chosen;
  $("language", HTMLSelectElement).value = chosen;
  speakChosenLanguage();
}

/** The open form in the language chosen on it (none chosen: the browser's, else English), its errors too. */
function speakChosenLanguage() {
  if (!setWords(valueOf("language") || preferredLanguage())) return;
  translatePage();
  for (const [field, [id]] of shownFields()) {
    const message = $(id).getAttribute("aria-invalid") === "true" && check(field);
    if (message) fieldError(id, message);
  }
  if ($("consent").getAttribute("aria-invalid") === "true") fieldError("consent", say("consentMissing"));
}

/**
 * A 422's errors under the fields they are about, in the form's words where it has them for the error.
 * @param {{errors?: {loc?: (string | number)[], msg: string, type?: string}[], message?: string, reason?: string}} body
 * @returns {string | null} what the banner should say when none is a field's
 */
export function showServerErrors(body) {
  /** @type {Record<string, string>} */
  const byField = Object.fromEntries(shownFields().map(([field, [id]]) => [field, id]));
  let shown = false;
  for (const error of body.errors || []) {
    const field = String((error.loc || []).at(-1));
    if (byField[field]) {
      const words = sayInvalid(error) || (OUT_OF_RANGE.has(String(error.type)) ? say(FIELDS[field][2]) : error.msg);
      fieldError(byField[field], words);
      shown = true;
    }
  }
  if (!shown && body.reason === "name_missing" && byField.candidate_name) { // an invitation without a name, and none given
    fieldError(byField.candidate_name, say("nameMissing"));
    $(byField.candidate_name).focus();
    shown = true;
  }
  return shown ? null : sayRefusal(body) || body.message || say("checkForm");
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
