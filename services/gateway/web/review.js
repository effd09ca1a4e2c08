// @ts-check
// A reviewer's own score for each answer and verdict for the interview, in the dashboard's detail view.
// Both are one component, `reviewForm`: a form built from a list of fields and a submit callback.
// Input stays in place whatever goes wrong; the caller is told when something was saved (the dashboard
// then refreshes the calibration figures). The reviewer is whoever is signed in: the API names them in
// the saved review (and refuses a body that names someone).
import { element, NetworkError, verdictClass } from "./common.js";

const VERDICTS = ["strong yes", "yes", "maybe", "no"];
const MAX_NOTE = 2000;

/**
 * One field of a review form.
 * - "score": a whole number from 0 to 10, required (`required` is the message when it is left empty);
 * - "choice": one of `choices`, after an empty "Choose…" (with `required`, the message when that is left);
 * - "note": free text of at most 2000 characters.
 * Its control has the id `id`, and its error box `${id}-error`.
 * @typedef {object} ReviewField
 * @property {string} name the key of its value in what `submit` is given
 * @property {"score" | "choice" | "note"} type
 * @property {string} id
 * @property {string} label the visible label
 * @property {string | number | null} [value] what it shows at first (a saved review)
 * @property {string[]} [choices] "choice" only
 * @property {string} [required] the message when it is left empty; without, it may be
 * @property {boolean} [grow] takes the width left in the row
 */

/**
 * What a review form hands to `submit`: a score as a number, the rest as trimmed text.
 * @typedef {Record<string, string | number>} ReviewValues
 */

/**
 * @typedef {object} ReviewFormOptions
 * @property {string} name the form's accessible name (aria-label)
 * @property {ReviewField[]} fields in order: the first one with a problem gets the focus
 * @property {string} submitLabel the button's text
 * @property {boolean} [secondary] a secondary (outlined) button rather than the primary one
 * @property {string} saved what is saved already, shown under the form (a status)
 * @property {(values: ReviewValues) => Promise<string>} submit called with valid values only; saves them and
 *   resolves to the new text under the form. When it throws, the form says why and keeps the input.
 */

/**
 * What the dashboard gives the answer and verdict forms: how to call the API, and what to do once a
 * review is saved.
 * @typedef {object} ReviewContext
 * @property {(path: string, options?: import("./common.js").ApiOptions) => Promise<any>} data the
 *   dashboard's authorised API call
 * @property {() => void} onSaved called after each saved review (the dashboard reloads the calibration)
 * @property {() => string} [myId] the signed-in person's id (their verdict is the one with it)
 */

/**
 * An answer in the detail view, with its review if it has one.
 * @typedef {object} ReviewedAnswer
 * @property {number} question_number
 * @property {number | null} human_score
 * @property {string | null} [human_note]
 * @property {string | null} [reviewed_by]
 * @property {string | null} [reviewed_at]
 */

/**
 * An interview in the detail view, with the hiring team's verdict if it has one.
 * @typedef {object} ReviewedInterview
 * @property {string} session_id
 * @property {string} [status] "completed" or "in_progress"
 * @property {string | null} [hire_recommendation] the AI's
 * @property {string | null} [human_verdict]
 * @property {string | null} [human_verdict_note]
 * @property {string | null} [human_verdict_by]
 * @property {string | null} [human_verdict_at]
 * @property {TeamVerdict[]} [human_verdicts] each person's own, their latest, oldest first
 */

/**
 * One person's verdict on an interview.
 * @typedef {object} TeamVerdict
 * @property {string} verdict
 * @property {string} note
 * @property {string} reviewer
 * @property {string} reviewer_id
 * @property {string} reviewed_at
 */

/**
 * "Reviewed: 7/10 by Ada · <when> — “note”", or "Not reviewed yet." when `at` is missing.
 * @param {string | number | null | undefined} what
 * @param {string | null | undefined} by
 * @param {string | null | undefined} at
 * @param {string | null | undefined} note
 * @returns {string}
 */
function savedText(what, by, at, note) {
  if (at === null || at === undefined) return "Not reviewed yet.";
  return `Reviewed: ${what}${by ? ` by ${by}` : ""} · ${new Date(at).toLocaleString()}${note ? ` — “${note}”` : ""}`;
}

/** @param {any} error @returns {string} */
function problemText(error) {
  const kept = " Your input is kept; try again.";
  if (error instanceof NetworkError) return `Not saved: the server cannot be reached.${kept}`;
  if (error.status === 401) return "Not saved: your sign-in had ended. Your input is kept: once signed in again, save it again.";
  const said = /[.!?]$/.test(error.message) ? error.message : `${error.message}.`;
  if (error.status >= 500) return `Not saved: the server had a problem (${error.status}): ${said}${kept}`;
  return `Not saved: ${said}`;
}

/**
 * @param {HTMLElement} node
 * @param {HTMLElement | null} control
 * @param {string} message
 */
function showError(node, control, message) {
  node.textContent = message;
  node.hidden = !message;
  if (control) control.setAttribute("aria-invalid", message ? "true" : "false");
}

/**
 * A field's control, and how to read and check it: [value, problem ("" when none)].
 * @param {ReviewField} field
 * @returns {{control: HTMLInputElement | HTMLSelectElement, read: () => [string | number, string]}}
 */
function reviewControl(field) {
  const common = { id: field.id, "aria-describedby": `${field.id}-error` };
  if (field.type === "score") {
    const control = element("input", { ...common, type: "number", min: 0, max: 10, step: 1, inputmode: "numeric",
      value: field.value ?? "", class: "score-input" });
    return {
      control,
      read: () => {
        const text = control.value.trim();
        const value = Number(text);
        return [value, text === "" || control.validity.badInput ? field.required || ""
          : !Number.isInteger(value) || value < 0 || value > 10 ? "The score is a whole number from 0 to 10." : ""];
      },
    };
  }
  if (field.type === "choice") {
    const control = element("select", common,
      element("option", { value: "" }, "Choose…"),
      (field.choices || []).map((choice) => element("option", { value: choice, selected: choice === field.value }, choice)));
    return { control, read: () => [control.value, control.value ? "" : field.required || ""] };
  }
  const control = element("input", { ...common, maxlength: MAX_NOTE, value: field.value ?? "" });
  return {
    control,
    read: () => {
      const note = control.value.trim();
      return [note, note.length > MAX_NOTE ? `The note is too long: ${note.length} of ${MAX_NOTE} characters.`
        : !note && field.required ? field.required : ""];
    },
  };
}

/**
 * A review form: one labelled control per field in a row with the submit button, then each field's
 * error box, the form's own error (an alert) and what is saved (a status). On submit every field is
 * checked; the first with a problem gets the focus, else `submit` is called with the values while the
 * button says "Saving…".
 * @param {ReviewFormOptions} options
 * @returns {HTMLFormElement}
 */
export function reviewForm({ name, fields, submitLabel, secondary = false, saved, submit }) {
  const parts = fields.map((field) => ({
    field,
    ...reviewControl(field),
    error: element("div", { class: "field-error", id: `${field.id}-error`, hidden: true }),
  }));
  const formError = element("div", { class: "field-error form-error", role: "alert", hidden: true });
  const status = element("p", { class: "small muted saved", role: "status" }, saved);
  const button = element("button", { type: "submit", class: secondary ? "secondary" : null }, submitLabel);
  const form = element("form", { class: "review", novalidate: true, "aria-label": name },
    element("div", { class: "review-fields" },
      parts.map(({ field, control }) =>
        element("div", { class: field.grow ? "grow" : null }, element("label", { for: field.id }, field.label), control)),
      element("div", {}, button)),
    parts.map(({ error }) => error), formError, status);

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    /** @type {ReviewValues} */
    const values = {};
    let first = null;
    for (const { field, control, read, error } of parts) {
      const [value, problem] = read();
      showError(error, control, problem);
      values[field.name] = value;
      if (problem && !first) first = control;
    }
    showError(formError, null, "");
    if (first) return first.focus();
    button.disabled = true;
    button.textContent = "Saving…";
    form.setAttribute("aria-busy", "true");
    try {
      status.textContent = await submit(values);
    } catch (error) {
      showError(formError, null, problemText(error));
    } finally {
      button.disabled = false;
      button.textContent = submitLabel;
      form.removeAttribute("aria-busy");
      // disabled while saving, the button lost the focus to the page: back to it (the status says what was saved)
      if (!document.activeElement || document.activeElement === document.body) button.focus();
    }
  });
  return form;
}

/**
 * The form to review one answer: the reviewer's score (0–10) and a note.
 * @param {ReviewedInterview} interview
 * @param {ReviewedAnswer} qa
 * @param {ReviewContext} context
 * @returns {HTMLFormElement}
 */
export function answerReview(interview, qa, { data, onSaved }) {
  const id = `review-${qa.question_number}`;
  return reviewForm({
    name: `Your review of answer ${qa.question_number}`,
    fields: [
      { name: "score", type: "score", id: `${id}-score`, label: "Your score (0–10)", value: qa.human_score,
        required: "Enter your score: a whole number from 0 to 10." },
      { name: "note", type: "note", id: `${id}-note`, label: "Note (optional)", value: qa.human_note, grow: true },
    ],
    submitLabel: "Save review",
    secondary: true,
    saved: savedText(`${qa.human_score}/10`, qa.reviewed_by, qa.reviewed_at, qa.human_note),
    submit: async (values) => {
      const path = `/api/data/interview/${encodeURIComponent(interview.session_id)}/answers/${qa.question_number}/review`;
      const review = await data(path, { method: "POST", body: values });
      onSaved();
      return savedText(`${review.human_score}/10`, review.reviewer, review.reviewed_at, review.note);
    },
  });
}

/**
 * The hiring team's verdicts on the interview (beside the AI's recommendation): each person's own, with a note,
 * and the form for the signed-in person's, which saving again replaces (never someone else's).
 * @param {ReviewedInterview} interview
 * @param {ReviewContext} context
 * @returns {HTMLElement}
 */
export function verdictReview(interview, { data, onSaved, myId = () => "" }) {
  const path = `/api/data/interview/${encodeURIComponent(interview.session_id)}`;
  const team = element("ul", { class: "team-verdicts", "aria-label": "The team's verdicts" });
  /** @param {TeamVerdict[]} verdicts */
  const showTeam = (verdicts) => {
    team.replaceChildren(...verdicts.map((v) => element("li", {},
      element("span", { class: verdictClass(v.verdict) }, v.verdict), " ",
      element("strong", {}, v.reviewer_id === myId() ? `${v.reviewer || "you"} (you)` : v.reviewer || "someone"),
      element("span", { class: "muted" }, ` · ${new Date(v.reviewed_at).toLocaleString()}`),
      v.note ? ` — “${v.note}”` : "")));
    team.hidden = !verdicts.length;
  };
  const verdicts = interview.human_verdicts || [];
  const mine = verdicts.find((v) => v.reviewer_id === myId());
  showTeam(verdicts);
  const form = reviewForm({
    name: "Your verdict on this interview",
    fields: [
      { name: "verdict", type: "choice", id: "verdict-choice", label: "Your verdict", choices: VERDICTS,
        value: mine ? mine.verdict : null, required: "Choose a verdict." },
      { name: "note", type: "note", id: "verdict-note", label: "Note (optional)", value: mine ? mine.note : "", grow: true },
    ],
    submitLabel: "Save verdict",
    saved: mine ? savedText(mine.verdict, mine.reviewer, mine.reviewed_at, mine.note) : "You have not recorded a verdict yet.",
    submit: async (values) => {
      const review = await data(`${path}/review`, { method: "POST", body: values });
      onSaved();
      const now = await data(path).catch(() => null); // the others' too, as they are now
      showTeam(now ? now.human_verdicts || [] : [...verdicts.filter((v) => v.reviewer_id !== myId()),
        { verdict: review.human_verdict, note: review.note, reviewer: review.reviewer, reviewer_id: myId(), reviewed_at: review.reviewed_at }]);
      return savedText(review.human_verdict, review.reviewer, review.reviewed_at, review.note);
    },
  });
  return element("div", {},
    element("h3", {}, "The team's verdicts"),
    element("p", { class: "small muted" }, interview.hire_recommendation
      ? `The AI recommended “${interview.hire_recommendation}”. Each person on the hiring team records their own ` +
        "decision beside it; saving again replaces yours, never someone else's."
      : interview.status === "completed" ? "The AI has not recommended anything yet."
        : "The interview is still in progress: the AI has not recommended anything yet."),
    team,
    form);
}
