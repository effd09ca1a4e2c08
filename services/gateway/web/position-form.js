// @ts-check
// The form of a position's settings, for a new position and for editing one: title, job description,
// difficulty, number of questions, must-ask questions (one per line), the rubric, what candidates see of
// their assessment, the time per answer, the candidates' accommodations (docs/fairness.md; the
// accommodation controls are the invitation form's too) and the interviews' language. The API checks everything; its 422 messages show
// under the fields they are about.
import { duration, element } from "./common.js";
import { apiProblems, labelled, problem, showFieldError } from "./widgets.js";

const FIELDS = ["title", "job_description", "difficulty", "num_questions", "must_ask", "rubric", "candidate_report",
  "answer_time_limit_seconds", "accommodations", "language"];
const ANSWER_TIMES = [0, 60, 120, 180, 300, 600];
const EXTRA_TIMES = [[1, "None"], [1.25, "+25%"], [1.5, "+50%"], [2, "Double time"]];

/**
 * What a candidate is given to take the interview on an equal footing, as the API names it.
 * @typedef {{text_only: boolean, extra_time: number, confirm_transcript: boolean}} Accommodations
 */

/** @type {Accommodations} */
const NO_ACCOMMODATIONS = { text_only: false, extra_time: 1, confirm_transcript: true };

/**
 * "3 minutes", "1 minute 30 seconds", "Untimed".
 * @param {number | null | undefined} seconds
 * @returns {string}
 */
export function timeText(seconds) {
  return seconds ? duration(seconds) : "Untimed";
}

/**
 * "typed only · +50% time", or "" when they are the defaults.
 * @param {Partial<Accommodations> | null | undefined} given
 * @returns {string}
 */
export function accommodationsText(given) {
  const a = { ...NO_ACCOMMODATIONS, ...given };
  const extra = Math.round((a.extra_time - 1) * 100);
  return [a.text_only ? "typed only" : "", a.extra_time === 2 ? "double time" : extra > 0 ? `+${extra}% time` : "",
    a.confirm_transcript || a.text_only ? "" : "spoken answers sent unconfirmed"].filter(Boolean).join(" · ");
}

// what no accommodation means, said (found by a newcomer: "none" beside a form whose transcript box is ticked)
export const STANDARD_TERMS = "none: voice or typing, no extra time, spoken answers confirmed before they are sent";

/**
 * The three accommodation controls in a fieldset: typed answers only, extra time, confirming the transcript.
 * @param {string} prefix their ids' prefix
 * @param {string} legend
 * @param {Partial<Accommodations> | null | undefined} values what they show at first (none: the defaults)
 * @param {string} [hint]
 */
export function accommodationControls(prefix, legend, values, hint) {
  const textOnly = element("input", { id: `${prefix}-text-only`, type: "checkbox" });
  const extraTime = element("select", { id: `${prefix}-extra-time` });
  const confirmTranscript = element("input", { id: `${prefix}-confirm-transcript`, type: "checkbox" });
  /** @param {HTMLInputElement} box @param {string} text */
  const checkbox = (box, text) => element("label", { class: "inline", for: box.id }, box, element("span", {}, text));
  const fieldset = element("fieldset", { class: "accommodations", id: `${prefix}-accommodations`,
    "aria-describedby": hint ? `${prefix}-accommodations-hint` : null },
  element("legend", {}, legend),
  hint ? element("div", { class: "muted small", id: `${prefix}-accommodations-hint` }, hint) : null,
  checkbox(textOnly, "Typed answers only (no voice)"),
  labelled(extraTime, "Extra time"),
  checkbox(confirmTranscript, "Candidates confirm the transcript of spoken answers before they are sent"));

  /** @param {Partial<Accommodations> | null | undefined} given */
  function set(given) {
    const a = { ...NO_ACCOMMODATIONS, ...given };
    const choices = EXTRA_TIMES.some(([factor]) => factor === a.extra_time) ? EXTRA_TIMES
      : [...EXTRA_TIMES, [a.extra_time, `×${a.extra_time}`]]; // set through the API: kept as it is
    extraTime.replaceChildren(...choices.map(([factor, text]) => element("option", { value: factor }, text)));
    extraTime.value = String(a.extra_time);
    textOnly.checked = a.text_only;
    confirmTranscript.checked = a.confirm_transcript;
  }
  set(values);
  return {
    fieldset,
    /** the control a 422 about the accommodations is shown under */
    control: extraTime,
    set,
    /** @returns {Accommodations} in the API's order */
    value: () => ({ text_only: textOnly.checked, extra_time: Number(extraTime.value), confirm_transcript: confirmTranscript.checked }),
  };
}

/**
 * The time per answer: the usual choices, and the position's own if it has another.
 * @param {string} id
 * @param {number} seconds
 */
function answerTimeSelect(id, seconds) {
  const choices = ANSWER_TIMES.includes(seconds) ? ANSWER_TIMES : [...ANSWER_TIMES, seconds].sort((a, b) => a - b);
  const select = element("select", { id }, choices.map((value) => element("option", { value }, timeText(value))));
  select.value = String(seconds);
  return select;
}
const DIFFICULTIES = ["beginner", "intermediate", "advanced"];
/** The languages interviews are held in, by the API's code, each named in itself. */
export const LANGUAGES = { en: "English", de: "Deutsch", es: "Español", fr: "Français" };
const CANDIDATE_REPORTS = [
  ["full", "Scores, feedback and the report"],
  ["scores", "Scores only (no written feedback or recommendation)"],
  ["nothing", "Nothing (only that the interview is complete)"],
];

/**
 * A position as the API gives it (the fields this form edits).
 * @typedef {object} PositionSettings
 * @property {string} title
 * @property {string} job_description
 * @property {string} difficulty
 * @property {number} num_questions
 * @property {string[]} must_ask
 * @property {string} rubric
 * @property {string} [candidate_report]
 * @property {number} [answer_time_limit_seconds]
 * @property {Accommodations} [accommodations]
 * @property {string | null} [language] null: the job description's
 */

/**
 * @param {object} options
 * @param {string} options.id the form's id, and the prefix of its fields' ids
 * @param {string} options.heading
 * @param {string} options.submitLabel
 * @param {PositionSettings | null} options.values what it shows at first (null: a new position's defaults)
 * @param {(body: Record<string, unknown>) => Promise<void>} options.submit sends the body; throws the API's error
 * @param {() => void} [options.cancel] a Cancel button, when given
 * @returns {HTMLFormElement}
 */
export function positionForm({ id, heading, submitLabel, values, submit, cancel }) {
  /** @param {string} name */
  const fieldId = (name) => `${id}-${name.replace(/_/g, "-")}`;
  const title = element("input", { id: fieldId("title"), maxlength: 200, required: true, autocomplete: "off" });
  const job = element("textarea", { id: fieldId("job_description"), maxlength: 20000, required: true });
  const difficulty = element("select", { id: fieldId("difficulty") },
    DIFFICULTIES.map((level) => element("option", { value: level }, level[0].toUpperCase() + level.slice(1))));
  const count = element("input", { id: fieldId("num_questions"), type: "number", inputmode: "numeric", min: 1, max: 20, step: 1, required: true });
  const mustAsk = element("textarea", { id: fieldId("must_ask"), class: "short" });
  const rubric = element("textarea", { id: fieldId("rubric"), class: "short", maxlength: 5000 });
  const candidateReport = element("select", { id: fieldId("candidate_report") },
    CANDIDATE_REPORTS.map(([value, text]) => element("option", { value }, text)));
  // "" (the job description's) cannot be chosen again once a position names its language: the API keeps a named one
  const language = element("select", { id: fieldId("language") },
    [element("option", { value: "", disabled: Boolean(values && values.language) }, "From the job description"),
      ...Object.entries(LANGUAGES).map(([value, text]) => element("option", { value, lang: value }, text))]);
  title.value = values ? values.title : "";
  job.value = values ? values.job_description : "";
  difficulty.value = values ? values.difficulty : "intermediate";
  count.value = String(values ? values.num_questions : 5);
  mustAsk.value = values ? values.must_ask.join("\n") : "";
  rubric.value = values ? values.rubric : "";
  candidateReport.value = (values && values.candidate_report) || "full";
  language.value = (values && values.language) || "";
  const answerTime = answerTimeSelect(fieldId("answer_time_limit_seconds"), (values && values.answer_time_limit_seconds) || 0);
  const accommodations = accommodationControls(`${id}-acc`, "Candidates' accommodations",
    values && values.accommodations,
    "For every candidate of this position, unless their invitation gives their own.");
  /** @type {Record<string, HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>} */
  const controls = { title, job_description: job, difficulty, num_questions: count, must_ask: mustAsk, rubric,
    candidate_report: candidateReport, answer_time_limit_seconds: answerTime, accommodations: accommodations.control,
    language };

  const formError = element("div", { class: "field-error form-error", role: "alert", hidden: true });
  const button = element("button", { type: "submit" }, submitLabel);
  const form = element("form", { id, novalidate: true, "aria-labelledby": `${id}-heading` },
    element("h3", { id: `${id}-heading` }, heading),
    labelled(title, "Title"),
    labelled(job, "Job description", { hint: "The questions are drawn from it (at least 20 characters)." }),
    element("div", { class: "row" },
      labelled(difficulty, "Difficulty"),
      labelled(count, "Number of questions"),
      labelled(language, "Language")),
    labelled(mustAsk, "Must-ask questions (one per line)", { hint: "Asked first, in this order, before any generated question." }),
    labelled(rubric, "Rubric (optional)", { hint: "Given to the scorer with every answer: what matters most for this position." }),
    labelled(candidateReport, "What candidates see of their assessment", { hint: "They are always told what was assessed and how, and can ask for a person to review it." }),
    labelled(answerTime, "Time per answer", { hint: "Shown to candidates as a countdown; when it runs out, the answer is sent as it is. Extra time multiplies it." }),
    accommodations.fieldset,
    formError,
    element("div", { class: "actions" }, button,
      cancel ? element("button", { type: "button", class: "secondary", onclick: cancel }, "Cancel") : null));

  /** The body to send: every field for a new position, only what changed for an edit. */
  function body() {
    /** @type {Record<string, unknown>} */
    const all = {
      title: title.value.trim(),
      job_description: job.value.trim(),
      difficulty: difficulty.value,
      num_questions: Number(count.value),
      must_ask: mustAsk.value.split("\n").map((line) => line.trim()).filter(Boolean),
      rubric: rubric.value.trim(),
      candidate_report: candidateReport.value,
      answer_time_limit_seconds: Number(answerTime.value),
      accommodations: accommodations.value(),
      ...(language.value ? { language: language.value } : {}),
    };
    if (!values) return all;
    /** @type {Record<string, unknown>} */
    const before = { ...values, answer_time_limit_seconds: values.answer_time_limit_seconds || 0,
      accommodations: { ...NO_ACCOMMODATIONS, ...values.accommodations } };
    return Object.fromEntries(Object.entries(all).filter(([name, value]) => JSON.stringify(value) !== JSON.stringify(before[name])));
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    for (const control of Object.values(controls)) showFieldError(control, "");
    formError.hidden = true;
    if (!/^\d+$/.test(count.value.trim())) {
      showFieldError(count, "Enter a whole number of questions from 1 to 20.");
      count.focus();
      return;
    }
    const changes = body();
    if (!Object.keys(changes).length) {
      formError.textContent = "Nothing has changed.";
      formError.hidden = false;
      return;
    }
    button.disabled = true;
    form.setAttribute("aria-busy", "true");
    try {
      await submit(changes);
    } catch (/** @type {any} */ error) {
      if (error.status === 422) {
        const { byField, rest } = apiProblems(error.body, FIELDS);
        for (const [name, message] of Object.entries(byField)) showFieldError(controls[name], message);
        const first = FIELDS.find((name) => byField[name]);
        if (rest.length) {
          formError.textContent = rest.join(" ");
          formError.hidden = false;
        }
        if (first) controls[first].focus();
      } else {
        formError.textContent = error.status === 401 // the sign-in form shows over the page, which stays as it is
          ? "Not saved: your sign-in had ended. Your input is kept: once signed in again, save it again." : problem(error);
        formError.hidden = false;
      }
    } finally {
      button.disabled = false;
      form.removeAttribute("aria-busy");
    }
  });
  return form;
}
