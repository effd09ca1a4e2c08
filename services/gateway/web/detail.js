// @ts-check
// One interview in the dashboard's detail view: the candidate, scores, report, provenance, the
// transcript, and the signed-in person's reviews (review.js). Opened from the interviews table, a
// position's candidates, or /dashboard#<session id>; closing it gives the focus back to what opened it.
import { $, element, feedbackParts, listItems, scoreBadge, verdictClass } from "./common.js";
import { answerReview, verdictReview } from "./review.js";

/**
 * "provider · model · prompt version — rationale": what scored an answer or wrote a report.
 * @param {{provider?: string, model?: string, prompt_version?: string, rationale?: string} | null | undefined} provenance
 */
function provenanceText(provenance) {
  if (!provenance) return "";
  const model = [provenance.provider, provenance.model, provenance.prompt_version].filter(Boolean).join(" · ");
  return `${model}${provenance.rationale ? ` — ${provenance.rationale}` : ""}`;
}

/**
 * @param {object} options
 * @param {import("./widgets.js").DataCall} options.data
 * @param {(message: string) => void} options.say
 * @param {() => void} options.onReviewSaved
 */
export function initDetail({ data, say, onReviewSaved }) {
  /** @type {HTMLElement | null} what opened the detail view, focused again when it closes */
  let opener = null;
  let request = 0; // the latest interview asked for: a slower, older answer must not replace it
  const detail = $("detail");

  function hide() {
    request++;
    detail.hidden = true;
    detail.replaceChildren();
    opener = null;
  }

  function close() {
    const from = opener;
    hide();
    // opened from /dashboard#<session id>: a refresh must not open it again
    if (location.hash && !location.hash.startsWith("#/")) history.replaceState(history.state, "", location.pathname + location.search);
    if (from && from.isConnected) from.focus();
  }

  /**
   * @param {string} sessionId
   * @param {HTMLElement | null} [from] focused again when the view closes
   */
  async function open(sessionId, from = null) {
    const mine = ++request;
    let interview;
    try {
      interview = await data(`/api/data/interview/${encodeURIComponent(sessionId)}`);
    } catch (/** @type {any} */ error) {
      if (mine === request && error.status !== 401) say(error.message);
      return;
    }
    if (mine !== request) return;
    opener = from;
    detail.hidden = false;
    /** @type {import("./review.js").ReviewContext} */
    const reviews = { data, onSaved: onReviewSaved };
    detail.replaceChildren(...[
      element("h2", { id: "detail-title" }, `${interview.candidate_name} · ${interview.session_id}`),
      element("p", { class: "muted" },
        `${interview.candidate_experience} years · ${interview.difficulty} · started ${new Date(interview.started_at).toLocaleString()}`,
        interview.ended_at ? ` · ended ${new Date(interview.ended_at).toLocaleString()}` : " · in progress"),
      element("p", {},
        scoreBadge(interview.average_score, `${interview.average_score.toFixed(2)}/10`), " average",
        interview.overall_score !== null ? ` · ${interview.overall_score}/10 overall ` : " ",
        interview.hire_recommendation ? element("span", { class: verdictClass(interview.hire_recommendation) }, interview.hire_recommendation) : null),
      interview.summary ? element("p", {}, interview.summary) : null,
      interview.report_provenance ? element("p", { class: "small muted" }, "Report by ", provenanceText(interview.report_provenance)) : null,
      element("div", { class: "row" },
        element("div", {}, element("h3", {}, "Strengths"), listItems(element("ul", { class: "tight" }), interview.strengths)),
        element("div", {}, element("h3", {}, "Weaknesses"), listItems(element("ul", { class: "tight" }), interview.weaknesses))),
      element("details", {}, element("summary", {}, "Job description"), element("p", { class: "small said" }, interview.job_description)),
      verdictReview(interview, reviews),
      element("h3", {}, "Transcript"),
      ...interview.questions_and_answers.map((/** @type {any} */ qa) =>
        element("div", { class: "qa" },
          element("p", {}, element("strong", {}, `Q${qa.question_number}. `), qa.question),
          element("p", { class: "said" }, qa.answer || element("em", {}, "(no answer)")),
          element("p", {}, scoreBadge(qa.score), feedbackParts(qa.feedback)),
          qa.provenance ? element("p", { class: "small muted" }, "Scored by ", provenanceText(qa.provenance)) : null,
          answerReview(interview, qa, reviews),
        ),
      ),
      element("div", { class: "actions" }, element("button", { type: "button", class: "secondary", onclick: close }, "Close")),
    ].filter(Boolean));
    detail.focus();
  }

  return { open, hide };
}
