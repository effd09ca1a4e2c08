// @ts-check
// The form of a position's settings, for a new position and for editing one: title, job description,
// difficulty, number of questions, must-ask questions (one per line), the rubric and what candidates see of
// their assessment. The API checks
// everything; its 422 messages show under the fields they are about.
import { element } from "./common.js";
import { apiProblems, labelled, problem, showFieldError } from "./widgets.js";

const FIELDS = ["title", "job_description", "difficulty", "num_questions", "must_ask", "rubric", "candidate_report"];
const DIFFICULTIES = ["beginner", "intermediate", "advanced"];
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
  title.value = values ? values.title : "";
  job.value = values ? values.job_description : "";
  difficulty.value = values ? values.difficulty : "intermediate";
  count.value = String(values ? values.num_questions : 5);
  mustAsk.value = values ? values.must_ask.join("\n") : "";
  rubric.value = values ? values.rubric : "";
  candidateReport.value = (values && values.candidate_report) || "full";
  /** @type {Record<string, HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>} */
  const controls = { title, job_description: job, difficulty, num_questions: count, must_ask: mustAsk, rubric,
    candidate_report: candidateReport };

  const formError = element("div", { class: "field-error form-error", role: "alert", hidden: true });
  const button = element("button", { type: "submit" }, submitLabel);
  const form = element("form", { id, novalidate: true, "aria-labelledby": `${id}-heading` },
    element("h3", { id: `${id}-heading` }, heading),
    labelled(title, "Title"),
    labelled(job, "Job description", { hint: "The questions are drawn from it (at least 20 characters)." }),
    element("div", { class: "row" },
      labelled(difficulty, "Difficulty"),
      labelled(count, "Number of questions")),
    labelled(mustAsk, "Must-ask questions (one per line)", { hint: "Asked first, in this order, before any generated question." }),
    labelled(rubric, "Rubric (optional)", { hint: "Given to the scorer with every answer: what matters most for this position." }),
    labelled(candidateReport, "What candidates see of their assessment", { hint: "They are always told what was assessed and how, and can ask for a person to review it." }),
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
    };
    if (!values) return all;
    const before = /** @type {Record<string, unknown>} */ (values);
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
      } else if (error.status !== 401) {
        formError.textContent = problem(error);
        formError.hidden = false;
      }
    } finally {
      button.disabled = false;
      form.removeAttribute("aria-busy");
    }
  });
  return form;
}
