// A reviewer's own score for each answer and verdict for the interview, in the detail view.
// Input stays in place whatever goes wrong; saving refreshes the calibration figures.
"use strict";

const REVIEWER_KEY = "interviewer.reviewer";
const VERDICTS = ["strong yes", "yes", "maybe", "no"];
const MAX_NOTE = 2000;

function reviewerField() {
  const input = element("input", { id: "reviewer", autocomplete: "name", maxlength: 100, style: "max-width: 20rem",
    value: localStorage.getItem(REVIEWER_KEY) || "",
    oninput: (event) => localStorage.setItem(REVIEWER_KEY, event.target.value.trim()) });
  return element("div", {},
    element("label", { for: "reviewer" }, "Reviewer name (optional, remembered in this browser)"), input);
}

function savedText(what, by, at, note) {
  if (at === null || at === undefined) return "Not reviewed yet.";
  return `Reviewed: ${what}${by ? ` by ${by}` : ""} · ${new Date(at).toLocaleString()}${note ? ` — “${note}”` : ""}`;
}

function problemText(error) {
  const kept = " Your input is kept; try again.";
  if (error instanceof NetworkError) return `Not saved: the server cannot be reached.${kept}`;
  if (error.status === 401) return "Not saved: the admin token is needed again.";
  const said = /[.!?]$/.test(error.message) ? error.message : `${error.message}.`;
  if (error.status >= 500) return `Not saved: the server had a problem (${error.status}): ${said}${kept}`;
  return `Not saved: ${said}`;
}

function showError(node, input, message) {
  node.textContent = message;
  node.hidden = !message;
  if (input) input.setAttribute("aria-invalid", message ? "true" : "false");
}

function noteProblem(note) {
  return note.length > MAX_NOTE ? `The note is too long: ${note.length} of ${MAX_NOTE} characters.` : "";
}

// Submit `body` to `path`; `render(saved)` shows what the server recorded.
async function saveReview(form, path, body, render) {
  const button = form.querySelector("button[type=submit]");
  const label = button.textContent;
  button.disabled = true;
  button.textContent = "Saving…";
  form.setAttribute("aria-busy", "true");
  try {
    const saved = await data(path, { method: "POST", body });
    render(saved);
    loadCalibration();
  } catch (error) {
    showError(form.querySelector(".form-error"), null, problemText(error));
  } finally {
    button.disabled = false;
    button.textContent = label;
    form.removeAttribute("aria-busy");
  }
}

function answerReview(interview, qa) {
  const id = `review-${qa.question_number}`;
  const score = element("input", { id: `${id}-score`, type: "number", min: 0, max: 10, step: 1, inputmode: "numeric",
    value: qa.human_score ?? "", "aria-describedby": `${id}-score-error`, class: "score-input" });
  const note = element("input", { id: `${id}-note`, maxlength: MAX_NOTE, value: qa.human_note ?? "",
    "aria-describedby": `${id}-note-error` });
  const scoreError = element("div", { class: "field-error", id: `${id}-score-error`, hidden: true });
  const noteError = element("div", { class: "field-error", id: `${id}-note-error`, hidden: true });
  const formError = element("div", { class: "field-error form-error", role: "alert", hidden: true });
  const saved = element("p", { class: "small muted saved", role: "status" },
    savedText(`${qa.human_score}/10`, qa.reviewed_by, qa.reviewed_at, qa.human_note));
  const form = element("form", { class: "review", novalidate: true, "aria-label": `Your review of answer ${qa.question_number}` },
    element("div", { class: "review-fields" },
      element("div", {}, element("label", { for: score.id }, "Your score (0–10)"), score),
      element("div", { class: "grow" }, element("label", { for: note.id }, "Note (optional)"), note),
      element("div", {}, element("button", { type: "submit", class: "secondary" }, "Save review"))),
    scoreError, noteError, formError, saved);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = score.value.trim();
    const value = Number(text);
    const scoreProblem = text === "" || score.validity.badInput ? "Enter your score: a whole number from 0 to 10."
      : !Number.isInteger(value) || value < 0 || value > 10 ? "The score is a whole number from 0 to 10." : "";
    showError(scoreError, score, scoreProblem);
    showError(noteError, note, noteProblem(note.value.trim()));
    showError(formError, null, "");
    if (scoreProblem) return score.focus();
    if (!noteError.hidden) return note.focus();
    const body = { score: value, note: note.value.trim(), reviewer: $("reviewer")?.value.trim() || "" };
    saveReview(form,
      `/api/data/interview/${encodeURIComponent(interview.session_id)}/answers/${qa.question_number}/review`, body,
      (review) => { saved.textContent = savedText(`${review.human_score}/10`, review.reviewer, review.reviewed_at, review.note); });
  });
  return form;
}

function verdictReview(interview) {
  const verdict = element("select", { id: "verdict-choice", "aria-describedby": "verdict-choice-error" },
    element("option", { value: "" }, "Choose…"),
    VERDICTS.map((v) => element("option", { value: v, selected: v === interview.human_verdict }, v)));
  const note = element("input", { id: "verdict-note", maxlength: MAX_NOTE, value: interview.human_verdict_note ?? "",
    "aria-describedby": "verdict-note-error" });
  const choiceError = element("div", { class: "field-error", id: "verdict-choice-error", hidden: true });
  const noteError = element("div", { class: "field-error", id: "verdict-note-error", hidden: true });
  const formError = element("div", { class: "field-error form-error", role: "alert", hidden: true });
  const saved = element("p", { class: "small muted saved", role: "status" },
    savedText(interview.human_verdict, interview.human_verdict_by, interview.human_verdict_at, interview.human_verdict_note));
  const form = element("form", { class: "review", novalidate: true, "aria-label": "Your verdict on this interview" },
    element("div", { class: "review-fields" },
      element("div", {}, element("label", { for: verdict.id }, "Your verdict"), verdict),
      element("div", { class: "grow" }, element("label", { for: note.id }, "Note (optional)"), note),
      element("div", {}, element("button", { type: "submit" }, "Save verdict"))),
    choiceError, noteError, formError, saved);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    showError(choiceError, verdict, verdict.value ? "" : "Choose a verdict.");
    showError(noteError, note, noteProblem(note.value.trim()));
    showError(formError, null, "");
    if (!verdict.value) return verdict.focus();
    if (!noteError.hidden) return note.focus();
    const body = { verdict: verdict.value, note: note.value.trim(), reviewer: $("reviewer")?.value.trim() || "" };
    saveReview(form, `/api/data/interview/${encodeURIComponent(interview.session_id)}/review`, body, (review) => {
      saved.textContent = savedText(review.human_verdict, review.reviewer, review.reviewed_at, review.note);
    });
  });
  return element("div", {},
    element("h3", {}, "Your verdict"),
    element("p", { class: "small muted" }, interview.hire_recommendation
      ? `The AI recommended “${interview.hire_recommendation}”. Record the hiring team's own decision beside it.`
      : "The AI has not recommended anything yet."),
    form);
}
