// @ts-check
// The finished interview's report on the candidate page, as far as the position shares it (docs/fairness.md,
// "What the candidate sees"): all of it, the scores alone, or only that the interview is complete. After an
// upheld correction the report written again is the result, the first one kept below it; then the answers
// question by question and how the candidate was assessed. What the interviewer wrote or the candidate said is
// marked as in the interview's language (`lang`), as is how the candidate was assessed (the server writes it in
// that language); the page's own words are in the page's (words.js).
import { $, element, listItems, scoreBadge, scoreClass, verdictClass } from "./common.js";
import { evidenceKey, markedAnswer } from "./evidence.js";
import { feedbackLines } from "./feedback.js";
import { isOne, say, sayNumber, wordsLanguage } from "./words.js";

/**
 * What the candidate is shown of their assessment: everything, the scores alone, or nothing.
 * @typedef {"full" | "scores" | "nothing"} CandidateReport
 */

/**
 * A report as the API and the live stream give it (the first, or the one written again after a correction).
 * @typedef {object} Report
 * @property {string} candidate_name
 * @property {string} difficulty
 * @property {number} total_questions
 * @property {string} started_at
 * @property {number | null} overall_score
 * @property {string | null} hire_recommendation
 * @property {string} summary
 * @property {string[]} strengths
 * @property {string[]} weaknesses
 * @property {string[]} recommendations
 * @property {{question_number: number, question: string, answer: string, score: number,
 *   feedback: import("./common.js").Feedback | null, evidence?: import("./evidence.js").Evidence[]}[]} questions_and_answers
 */

/**
 * What the report needs of the finished interview's state.
 * @typedef {object} FinishedInterview
 * @property {string | null} [candidate_name]
 * @property {number} total_questions
 * @property {{question_number: number, question: string, answer?: string}[]} answers
 * @property {Report | null} [report]
 * @property {Report | null} [revised_report] after an upheld correction: the result from then on
 * @property {string[]} [how_assessed]
 * @property {string} [language] the interview's ("en", "de", "es", "fr")
 */

/**
 * A report's outcome: its overall score and recommendation, its summary, and its written parts when they are
 * shown. The report in force carries the page's ids (#overall, #verdict, #summary); the first one, under it,
 * its headings a level down.
 * @param {Report} report
 * @param {boolean} written strengths, weaknesses and recommendations are shown
 * @param {boolean} current
 * @param {string} lang the interview's language
 * @returns {(HTMLElement | null)[]}
 */
function outcome(report, written, current, lang) {
  /** @param {string} name */
  const id = (name) => (current ? name : null);
  const heading = current ? "h3" : "h4";
  const overall = report.overall_score;
  const verdict = report.hire_recommendation;
  /** @param {string} title @param {string[]} items */
  const part = (title, items) => [element(heading, {}, title), listItems(element("ul", { class: "tight", lang }), items)];
  return [
    overall === null || overall === undefined ? null : element("p", { id: id("overall-line") },
      element("span", { class: `score ${scoreClass(overall)}`, id: id("overall") }, `${sayNumber(overall)}/10`), " ",
      element("span", { class: "muted" }, say("overall")),
      verdict ? ["\u00a0 ", element("span", { class: verdictClass(verdict), id: id("verdict") },
        say("recommendation", { verdict: sayVerdict(verdict) }))] : null),
    // ended early: the overall score counts the questions left unanswered against it (the server's rule)
    overall !== null && overall !== undefined && report.questions_and_answers.length < report.total_questions
      ? element("p", { class: "small muted", id: id("overall-note") }, say("overallLowered")) : null,
    report.summary ? element("p", { class: "summary", id: id("summary"), lang }, report.summary) : null,
    written ? element("div", { class: "report-feedback" },
      element("div", { class: "row" },
        element("div", {}, part(say("strengths"), report.strengths)),
        element("div", {}, part(say("weaknesses"), report.weaknesses))),
      part(say("recommendations"), report.recommendations)) : null,
  ];
}

/**
 * A hire recommendation in the page's words ("strong yes" in English; an unknown one as it is).
 * @param {string} verdict
 */
function sayVerdict(verdict) {
  const key = `verdict_${verdict}`;
  return ["verdict_strong yes", "verdict_yes", "verdict_maybe", "verdict_no"].includes(key)
    ? say(/** @type {import("./words.js").WordKey} */ (key)) : verdict;
}

/** @param {string} difficulty @returns {string} "intermediate interview" in the page's words */
function sayDifficulty(difficulty) {
  const key = `interview_${difficulty}`;
  return ["interview_beginner", "interview_intermediate", "interview_advanced"].includes(key)
    ? say(/** @type {import("./words.js").WordKey} */ (key)) : `${difficulty} interview`;
}

/**
 * "2 of 3 questions answered" in the page's words, each count with its noun in the singular or plural.
 * @param {number} answered
 * @param {number} total
 */
function sayAnswered(answered, total) {
  const answers = say(isOne(answered) ? "answerCountOne" : "answerCount", { count: answered });
  return say(isOne(total) ? "answeredOfOne" : "answeredOf", { answered, total, answers });
}

/**
 * The report's card: the report in force (the revised one, saying so, with the first one folded under it),
 * the scores without the written parts, or the completion message.
 * @param {FinishedInterview} state
 * @param {Report | null} first
 * @param {Report | null} revised
 * @param {boolean} written
 * @param {string} lang
 */
function showCard(state, first, revised, written, lang) {
  const report = revised || first;
  $("report-title").textContent = report ? say("yourReport") : say("thankYou");
  $("complete-message").hidden = Boolean(report);
  $("report-body").hidden = !report;
  const answered = report ? report.questions_and_answers.length : state.answers.length;
  $("report-meta").textContent = [
    (report && report.candidate_name) || state.candidate_name,
    report && report.difficulty ? sayDifficulty(report.difficulty) : null,
    sayAnswered(answered, state.total_questions),
    report ? new Date(report.started_at).toLocaleDateString(wordsLanguage() === "en" ? undefined : wordsLanguage()) : null,
  ].filter(Boolean).join(" · ");
  if (!report) return $("report-body").replaceChildren();
  $("report-body").replaceChildren(...[
    revised ? element("p", { class: "revised-note", id: "revised-note" },
      element("strong", {}, say("revised")), " ", say("revisedRest")) : null,
    ...outcome(report, written, true, lang),
    first && revised ? element("details", { class: "first-report", id: "first-report" },
      element("summary", {}, say("firstReport")),
      element("p", { class: "muted small" }, say("firstReportNote")),
      ...outcome(first, written, false, lang)) : null,
  ].filter(Boolean));
}

/** @type {string | null} what the report shows, as last shown */
let lastShown = null;

/**
 * The finished interview's report, answers and how the candidate was assessed, as far as `disclosed` shows.
 * @param {FinishedInterview} state
 * @param {CandidateReport} disclosed
 */
export function showReport(state, disclosed) {
  // the same report again (the live stream repeats it): left as it is, with any passage's reason still open
  const shown = JSON.stringify([state, disclosed]);
  if (shown === lastShown) return;
  lastShown = shown;
  const first = disclosed === "nothing" ? null : state.report || null;
  const revised = first && state.revised_report ? state.revised_report : null;
  const lang = state.language || "en";
  showCard(state, first, revised, disclosed === "full", lang);
  const report = revised || first;
  const answers = report ? report.questions_and_answers
    : state.answers.map((a) => ({ ...a, score: null, feedback: null, evidence: [] }));
  // the passages that earned or cost points are feedback: shown only where the position shares it
  const marked = disclosed === "full" && answers.some((qa) => qa.evidence && qa.evidence.length);
  $("answers-title").textContent = report ? say("questionByQuestion") : say("yourAnswers");
  $("answers").replaceChildren(marked ? evidenceKey() : "", ...answers.map((qa) =>
    element("div", { class: "qa" },
      element("h3", {}, `${qa.question_number}. `, element("span", { lang }, qa.question)),
      qa.score !== null && qa.score !== undefined ? element("p", {}, scoreBadge(qa.score)) : null,
      qa.answer ? markedAnswer(qa.answer, marked ? qa.evidence : null, { class: "muted said", lang })
        : element("p", { class: "muted said" }, say("noAnswer")),
      feedbackLines(qa.feedback, "p", lang),
    )));
  const told = state.how_assessed || []; // written by the server in the interview's language
  $("how-assessed").hidden = !told.length;
  listItems($("how-assessed-list"), told).lang = lang;
}
