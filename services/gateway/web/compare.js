// @ts-check
// Two or more candidates of a position side by side, from each one's interview
// (GET /api/data/interview/{session_id}): overall and average score, the AI's recommendation and the
// people's verdict, the score of each question (with the question asked: after the must-ask ones they
// differ), each answer a click away (one given word for word by another of them flagged), and the report's
// strengths and weaknesses. One column per candidate; a table, so a screen
// reader reads each cell with its row and column.
import { element, listItems, scoreBadge, teamVerdicts, verdictClass } from "./common.js";
import { problem } from "./widgets.js";

/** @param {string | null | undefined} verdict */
const verdictCell = (verdict) => (verdict ? element("span", { class: verdictClass(verdict) }, verdict) : "—");

/** @param {string} text an answer as it compares with others: case, spacing and punctuation aside */
const comparable = (text) => text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, " ").trim();

/**
 * The other candidates whose answer to the same question is this one's, word for word (found by a recruiter's
 * test: two candidates had given identical answers to all five questions, and nothing said so). Short answers
 * ("I don't know") are alike by nature: not flagged.
 * @param {any[]} interviews
 * @param {any} interview
 * @param {number} index the question's
 * @returns {string[]}
 */
function sameAnswer(interviews, interview, index) {
  const mine = comparable(interview.questions_and_answers[index]?.answer || "");
  if (mine.split(" ").length < 8) return [];
  return interviews.filter((other) => other !== interview
    && comparable(other.questions_and_answers[index]?.answer || "") === mine).map((other) => other.candidate_name);
}

/**
 * Loads the interviews and shows them side by side in `container` (a section), focused once shown.
 * @param {HTMLElement} container
 * @param {import("./widgets.js").DataCall} data
 * @param {string[]} sessionIds in the order to show them (the ranking)
 * @param {(message: string) => void} say
 */
export async function showComparison(container, data, sessionIds, say) {
  let interviews;
  try {
    interviews = await Promise.all(sessionIds.map((id) => data(`/api/data/interview/${encodeURIComponent(id)}`)));
  } catch (/** @type {any} */ error) {
    if (error.status !== 401) say(`The comparison could not load: ${problem(error)}`);
    return;
  }
  const most = Math.max(...interviews.map((i) => i.questions_and_answers.length));
  /**
   * A row: its heading, then one cell per interview.
   * @param {string} heading
   * @param {(interview: any) => import("./common.js").Child | import("./common.js").Child[]} cell
   * @param {string} [className]
   */
  const row = (heading, cell, className) => element("tr", { class: className || null },
    element("th", { scope: "row" }, heading),
    ...interviews.map((interview) => element("td", {}, cell(interview))));
  const questions = Array.from({ length: most }, (_, index) => row(`Question ${index + 1}`, (interview) => {
    const qa = interview.questions_and_answers[index];
    if (!qa) return element("span", { class: "muted" }, "not answered");
    const copies = sameAnswer(interviews, interview, index);
    return [scoreBadge(qa.score), element("div", { class: "small muted" }, qa.question),
      // the answers themselves, a click away (a recruiter's test: the scores alone did not say why)
      element("details", { class: "compare-answer" }, element("summary", {}, "Answer"),
        element("p", { class: "small", lang: interview.language || null }, qa.answer || "—")),
      copies.length ? element("p", { class: "small warn same-answer" }, `Word for word the same as ${copies.join(", ")}'s answer`) : null];
  }, "question-row"));
  const names = interviews.map((i) => i.candidate_name).join(", ");
  container.replaceChildren(
    element("h3", { id: "compare-title" }, "Side by side"),
    element("div", { class: "table-wrap" },
      element("table", { class: "compare compact" },
        element("caption", { class: "visually-hidden" }, `Comparison of ${names}`),
        element("thead", {}, element("tr", {}, element("td", {}),
          ...interviews.map((i) => element("th", { scope: "col" }, i.candidate_name)))),
        element("tbody", {},
          row("Overall score", (i) => (i.overall_score === null ? "—" : scoreBadge(i.overall_score, `${i.overall_score}/10`))),
          row("Average score", (i) => i.average_score.toFixed(2)),
          row("Recommendation", (i) => verdictCell(i.hire_recommendation)),
          row("Team's verdicts", (i) => teamVerdicts(i.human_verdicts)),
          ...questions,
          row("Strengths", (i) => listItems(element("ul", { class: "tight" }), i.strengths)),
          row("Weaknesses", (i) => listItems(element("ul", { class: "tight" }), i.weaknesses))))),
    element("div", { class: "actions" }, element("button", { type: "button", class: "secondary", onclick: () => {
      container.hidden = true;
      container.replaceChildren();
      document.getElementById("compare-button")?.focus();
    } }, "Close the comparison")));
  container.hidden = false;
  container.focus();
}
