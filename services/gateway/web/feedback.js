// @ts-check
// The scores during the interview on the candidate page: the last answer's score and feedback (as much of
// them as the position shows the candidate; said to screen readers once per answer), a note of it above the
// next question (the card is below the answer box: out of sight on a phone), and the answers so far;
// their words marked as in the interview's language (`lang`), the page's own in the page's (words.js).
import { $, element, scoreBadge } from "./common.js";
import { announce } from "./page-status.js";
import { say } from "./words.js";

/** @type {Set<number>} questions whose score is shown */
let scored = new Set();
/** @type {Set<number>} questions whose score screen readers were told */
let announced = new Set();

/**
 * An answer's score and feedback, as much of them as this interview shows (a null score: not shown).
 * @param {number} number
 * @param {number | null} score
 * @param {import("./common.js").Feedback | null | undefined} feedback
 * @param {string} lang the interview's language
 * @param {boolean} [quiet] not said yet: the answer's response says it after the next question takes the focus
 */
export function showFeedback(number, score, feedback, lang, quiet = false) {
  const hidden = score === null || score === undefined;
  if (!quiet && !announced.has(number)) {
    announce(hidden ? say("recorded", { number }) : say("scoredAnnounced", { number, score }));
    announced.add(number);
  }
  scored.add(number);
  noteAnswer(hidden ? say("recorded", { number }) : say("scoreNote", { number, score }), !hidden);
  const box = $("feedback");
  box.hidden = false;
  box.replaceChildren(hidden
    ? element("p", { class: "flush" }, say("recorded", { number }))
    : element("h3", {}, say("questionLabel", { number }), scoreBadge(score)),
  ...feedbackLines(feedback, "div", lang));
}

/** @param {number} number an answer saved and not scored yet (unless its score is already shown) */
export function showFeedbackPending(number) {
  if (scored.has(number)) return;
  noteAnswer(say("beingScoredNumber", { number }), false);
  $("feedback").hidden = false;
  $("feedback").replaceChildren(element("p", {}, say("beingScoredNumber", { number })));
}

/** No answer's score is shown (and none has been, for the next interview). */
export function clearFeedback() {
  scored = new Set();
  announced = new Set();
  $("feedback").hidden = true;
  $("feedback").replaceChildren();
  $("score-note").hidden = true;
}

/**
 * The note above the question of what became of the answer just sent, not said to screen readers (the score
 * is announced once already).
 * @param {string} text
 * @param {boolean} more the card below says more than the note (the score and feedback): "See below" leads there
 */
function noteAnswer(text, more) {
  $("score-note-text").textContent = text;
  $("see-score").hidden = !more;
  $("score-note").hidden = false;
}

/** The card with the last answer's score and feedback brought into sight, with the focus: "See below". */
export function showScoreCard() {
  const box = $("feedback");
  box.scrollIntoView({ block: "start" });
  box.focus({ preventScroll: true });
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
        : scoresShown ? say("beingScored") : say("answered")),
    ),
  );
}

/**
 * An answer's feedback as common.js's feedbackParts gives it ("Good: …", then "To improve: …", each part a `tag`
 * with its label in bold, a part with nothing in it left out), its labels and separators in the page's language.
 * @param {import("./common.js").Feedback | null | undefined} feedback
 * @param {keyof HTMLElementTagNameMap} tag
 * @param {string} lang the interview's: the feedback's own words are in it
 * @returns {HTMLElement[]}
 */
export function feedbackLines(feedback, tag, lang) {
  if (!feedback) return [];
  /** @type {[string, string[]][]} */
  const parts = [[say("good"), feedback.strengths], [say("toImprove"), feedback.improvements]];
  return parts.filter(([, items]) => items.length)
    .map(([label, items]) => element(tag, {}, element("strong", {}, label), element("span", { lang }, items.join(say("feedbackSeparator")))));
}
