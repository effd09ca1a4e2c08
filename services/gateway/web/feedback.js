// @ts-check
// The scores during the interview on the candidate page: the last answer's score and feedback (as much of
// them as the position shows the candidate; said to screen readers once per answer), and the answers so far;
// their words marked as in the interview's language (`lang`), the page's own in English.
import { $, element, feedbackParts, scoreBadge } from "./common.js";
import { announce } from "./page-status.js";

/** @type {Set<number>} questions whose score is shown */
let scored = new Set();

/**
 * An answer's score and feedback, as much of them as this interview shows (a null score: not shown).
 * @param {number} number
 * @param {number | null} score
 * @param {import("./common.js").Feedback | null | undefined} feedback
 * @param {string} lang the interview's language
 */
export function showFeedback(number, score, feedback, lang) {
  const hidden = score === null || score === undefined;
  if (!scored.has(number)) announce(hidden ? `Your answer to question ${number} is recorded.` : `Question ${number} scored ${score} out of 10.`);
  scored.add(number);
  const box = $("feedback");
  box.hidden = false;
  box.replaceChildren(hidden
    ? element("p", { class: "flush" }, `Your answer to question ${number} is recorded.`)
    : element("h3", {}, `Question ${number}: `, scoreBadge(score)),
  ...feedbackParts(feedback, "div", lang));
}

/** @param {number} number an answer saved and not scored yet (unless its score is already shown) */
export function showFeedbackPending(number) {
  if (scored.has(number)) return;
  $("feedback").hidden = false;
  $("feedback").replaceChildren(element("p", {}, `Your answer to question ${number} is saved and being scored…`));
}

/** No answer's score is shown (and none has been, for the next interview). */
export function clearFeedback() {
  scored = new Set();
  $("feedback").hidden = true;
  $("feedback").replaceChildren();
}

/**
 * The answers so far, each with its score, or "being scored…" (or "answered" where scores are not shown).
 * @param {{question: string, score: number | null}[]} answers
 * @param {boolean} scoresShown
 * @param {string} lang the interview's language
 */
export function showHistory(answers, scoresShown, lang) {
  $("history").hidden = !answers.length;
  $("history-list").replaceChildren(
    ...answers.map((a) =>
      element("li", {}, element("span", { lang }, a.question), " — ", a.score !== null && a.score !== undefined ? `${a.score}/10`
        : scoresShown ? "being scored…" : "answered"),
    ),
  );
}
