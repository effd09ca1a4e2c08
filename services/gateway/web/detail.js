// @ts-check
// One interview in the dashboard's detail view: the candidate, scores, report (after an upheld correction
// the report written again is the outcome, the first one beside it), provenance, the
// candidate's requests (each upheld or declined here once), the time per answer and accommodations the
// candidate had, the transcript with any corrected answer and
// its new score, and the signed-in person's reviews (review.js). Opened from the interviews table, a
// position's candidates, the requests list, or its address (dashboard.js); closing it (its Close button, or
// Escape) gives the focus back to what opened it. What the interviewer wrote and the candidate said is marked
// as in the interview's language (`lang`, where it is recorded); the dashboard's own words stay English.
import { $, element, feedbackParts, HttpError, listItems, scoreBadge, sleep, verdictClass } from "./common.js";
import { STANDARD_TERMS, accommodationsText, timeText } from "./position-form.js";
import { evidenceKey, markedAnswer } from "./evidence.js";
import { answerReview, verdictReview } from "./review.js";
import { CHECKING } from "./signin.js";
import { problem, statusPill, when } from "./widgets.js";

const RESCORE_CHECKS = 30; // every 2 s: the scoring service answers within seconds

/**
 * A candidate's request as the read API lists it.
 * @typedef {object} RequestRecord
 * @property {string} request_id
 * @property {"human_review" | "transcription"} kind
 * @property {number | null} question_number
 * @property {string} corrected_answer
 * @property {string} note the candidate's
 * @property {string} requested_at
 * @property {"open" | "upheld" | "declined"} status
 * @property {string | null} [resolution_note]
 * @property {string | null} [resolved_by]
 * @property {string | null} [resolved_at]
 */

/**
 * The transcript beside the candidate's correction, each labelled.
 * @param {string} transcribed
 * @param {string} corrected
 * @param {string | null} lang the interview's language
 */
function correction(transcribed, corrected, lang) {
  return element("div", { class: "corrected" },
    element("div", {}, element("h4", {}, "As transcribed"),
      element("p", { class: "said", lang: transcribed ? lang : null }, transcribed || "(no answer)")),
    element("div", {}, element("h4", {}, "Candidate's correction"), element("p", { class: "said", lang }, corrected)));
}

/**
 * "Re-scored: 8/10" once the corrected answer is scored, "Re-scoring…" meanwhile; null when not corrected.
 * @param {any} qa
 * @param {boolean} upheld an upheld transcription request names this answer
 */
function rescoreText(qa, upheld) {
  if (qa.rescored_score !== null && qa.rescored_score !== undefined) return `Re-scored: ${qa.rescored_score}/10`;
  return qa.corrected_answer || upheld ? "Re-scoring…" : null;
}

/**
 * What a report concluded: the first report's fields in the interview, or its revision's (report_revision).
 * @typedef {object} Outcome
 * @property {{score?: number | null}[]} [questions_and_answers] the interview's (a revision has none: it is scored)
 * @property {number} average_score
 * @property {number | null} overall_score
 * @property {string | null} hire_recommendation
 * @property {string} summary
 * @property {string[]} strengths
 * @property {string[]} weaknesses
 */

/**
 * A report's outcome: its scores and recommendation, summary, strengths and weaknesses.
 * @param {Outcome} outcome
 * @param {"h3" | "h4"} heading the level of its lists' headings
 * @param {string | null} lang the interview's language
 */
function outcomeParts(outcome, heading, lang) {
  return [
    element("p", { class: "outcome-scores" },
      // nothing scored yet (an interview in progress, found by a newcomer: "0.00/10 average"): no average, as in the lists
      (outcome.questions_and_answers || [{ score: 0 }]).every((qa) => typeof qa.score !== "number")
        ? "No answer scored yet"
        : [scoreBadge(outcome.average_score, `${outcome.average_score.toFixed(2)}/10`), " average"],
      outcome.overall_score !== null ? ` · ${outcome.overall_score}/10 overall ` : " ",
      outcome.hire_recommendation ? element("span", { class: verdictClass(outcome.hire_recommendation) }, outcome.hire_recommendation) : null),
    // the overall is the average lowered by the questions left unanswered (the offline report's rule)
    outcome.overall_score !== null && outcome.overall_score < outcome.average_score - 0.05
      ? element("p", { class: "small muted outcome-note" },
        "The overall score is below the average because not every question was answered: each question left unanswered lowers it.")
      : null,
    outcome.summary ? element("p", { lang }, outcome.summary) : null,
    element("div", { class: "row" },
      element("div", {}, element(heading, {}, "Strengths"), listItems(element("ul", { class: "tight", lang }), outcome.strengths)),
      element("div", {}, element(heading, {}, "Weaknesses"), listItems(element("ul", { class: "tight", lang }), outcome.weaknesses))),
  ];
}

/**
 * The interview's outcome: its report's; after an upheld correction, the report written again as the outcome
 * and the first report beside it, each saying which it is.
 * @param {any} interview
 */
function outcomeView(interview) {
  const revision = interview.report_revision;
  const lang = interview.language || null;
  const provenance = interview.report_provenance
    ? provenanceDetails("How the report was written", "Report by ", interview.report_provenance) : null;
  if (!revision) return [...outcomeParts(interview, "h3", lang), provenance];
  return [element("div", { class: "report-outcomes" },
    element("section", { class: "current", "aria-labelledby": "detail-revised-title" },
      element("h3", { id: "detail-revised-title" }, "Outcome: the report written again"),
      element("p", { class: "small muted" }, `After an upheld correction of the transcript · ${when(revision.revised_at)}`),
      ...outcomeParts(revision, "h4", lang)),
    element("section", { class: "first", "aria-labelledby": "detail-first-title" },
      element("h3", { id: "detail-first-title" }, "The first report"),
      element("p", { class: "small muted" }, "Written when the interview ended; kept as it was"),
      ...outcomeParts(interview, "h4", lang), provenance))];
}

/**
 * The report is to be written again: the latest upheld correction of a transcript is not the one the
 * interview's revision (if any) was written for.
 * @param {any} interview
 * @returns {boolean}
 */
function revisionDue(interview) {
  /** @type {RequestRecord[]} */
  const upheld = (interview.candidate_requests || []).filter(
    (/** @type {RequestRecord} */ r) => r.kind === "transcription" && r.status === "upheld");
  const latest = upheld.sort((a, b) => String(a.resolved_at).localeCompare(String(b.resolved_at))).at(-1);
  return Boolean(latest) && (!interview.report_revision || interview.report_revision.request_id !== latest?.request_id);
}

const LANGUAGES = { en: "English", de: "German", es: "Spanish", fr: "French" };

/**
 * The interview's language for the header ("language not recorded" for interviews from before it was kept).
 * @param {string | null | undefined} code
 */
function languageText(code) {
  if (!code) return "language not recorded";
  return /** @type {Record<string, string>} */ (LANGUAGES)[code] || code;
}

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
 * What scored an answer or wrote a report, folded away under `label`: the model's name and its working are
 * for whoever checks the scoring, not what a recruiter reads first.
 * @param {string} label
 * @param {string} lead "Scored by ", "Report by "
 * @param {Parameters<typeof provenanceText>[0]} provenance
 */
function provenanceDetails(label, lead, provenance) {
  return element("details", { class: "small muted provenance" }, element("summary", {}, label),
    element("p", { class: "flush" }, lead, provenanceText(provenance)));
}

const OWN_WRITE_MS = 5000; // no check for news this long after one's own save (it is read back meanwhile)

/**
 * @param {object} options
 * @param {import("./widgets.js").DataCall} options.data
 * @param {(message: string) => void} options.say
 * @param {() => void} options.onReviewSaved
 * @param {() => void} options.onRequestResolved after a request is upheld or declined (the list is read again)
 * @param {() => string} options.myId the signed-in person's id (their own verdict is the one with it)
 * @param {() => void} options.onClosed after its Close button or Escape (the address no longer names it)
 */
export function initDetail({ data, say, onReviewSaved, onRequestResolved, myId, onClosed }) {
  /** @type {HTMLElement | null} what opened the detail view, focused again when it closes */
  let opener = null;
  let request = 0; // the latest interview asked for: a slower, older answer must not replace it
  /** @type {{sessionId: string, text: string} | null} the interview shown, as read: what `check` compares with */
  let read = null;
  let ownWrite = 0; // when this person last sent a review, a verdict or an answer to a request (ms), or saw it read back
  const detail = $("detail");
  const news = $("detail-news");
  // one's own saves are no news (found under load: a check crossing a save said "a colleague changed" it)
  detail.addEventListener("submit", () => { ownWrite = Date.now(); }, true);

  function hide() {
    request++;
    read = null;
    news.replaceChildren();
    detail.hidden = true;
    detail.replaceChildren();
    opener = null;
  }

  /** Hides it and gives the focus back to what opened it (its Close button, Escape, or Back in the browser). */
  function dismiss() {
    const from = opener;
    const sessionId = read ? read.sessionId : "";
    hide();
    // the link that opened it, or the same link drawn again meanwhile (a saved verdict redraws a position's rows),
    // or, opened by its address (Forward, a copied link), the section's link to it
    const href = from && !from.isConnected ? from.getAttribute("href") : !from && sessionId ? `#${sessionId}` : null;
    const again = href ? document.querySelector(`#content a[href="${CSS.escape(href)}"]`) : null;
    const target = from && from.isConnected ? from : again;
    if (target instanceof HTMLElement) target.focus();
  }

  function close() {
    dismiss();
    onClosed();
  }

  /**
   * Whether the interview shown changed since it was read (a colleague's verdict, a request answered): said in a
   * polite notice with a button to read it again, never redrawn by itself (a review being typed would be lost).
   * Not while its re-scores are followed (followRescores writes them in place). Throws when the check failed.
   */
  async function check() {
    const before = read;
    const started = Date.now();
    if (!before || news.hasChildNodes() || detail.querySelector("[data-rescoring], [data-revising]")) return;
    if (started - ownWrite < OWN_WRITE_MS) return; // a save of one's own may be on its way: its read-back decides
    let interview;
    try {
      interview = await data(`/api/data/interview/${encodeURIComponent(before.sessionId)}`, CHECKING);
    } catch (/** @type {any} */ error) {
      if (!(error instanceof HttpError) || ![403, 404].includes(error.status) || before !== read) throw error;
      news.replaceChildren(error.status === 404 ? "This interview is no longer available (it was erased)."
        : "This interview is no longer yours to read.");
      return;
    }
    if (before !== read || ownWrite >= started || JSON.stringify(interview) === before.text) return;
    news.replaceChildren("A colleague changed this interview — ", element("button", { type: "button", class: "link-button",
      onclick: () => open(before.sessionId, opener) }, "Reload it"));
  }

  /**
   * What this person saved is shown already: the interview as it is now is what later checks compare with.
   * @param {string} sessionId
   */
  async function readAgain(sessionId) {
    const before = read;
    const interview = await data(`/api/data/interview/${encodeURIComponent(sessionId)}`).catch(() => null);
    if (interview && before === read && before?.sessionId === sessionId) before.text = JSON.stringify(interview);
    ownWrite = Date.now();
  }

  // Escape closes it as its Close button does, unless something in it used the key (a passage's open reason)
  detail.addEventListener("keydown", (event) => {
    if (event.key !== "Escape" || event.defaultPrevented || event.isComposing || detail.hidden) return;
    event.preventDefault();
    close();
  });

  /**
   * A candidate's request: what they asked, and either the answer given or the form to give it.
   * @param {any} interview
   * @param {RequestRecord} request
   */
  function candidateRequest(interview, request) {
    const id = `request-${request.request_id}`;
    const qa = interview.questions_and_answers.find((/** @type {any} */ a) => a.question_number === request.question_number);
    const how = !qa || qa.spoken == null ? "" : qa.spoken ? " (spoken)" : " (typed: no speech recognition was involved)";
    const what = request.kind === "human_review" ? "A person to review the interview"
      : `Answer ${request.question_number}${how}: the transcript is not what they said`;
    const box = element("div", { class: `candidate-request${request.status === "open" ? "" : " resolved"}`, id, tabindex: -1 },
      element("p", {}, element("strong", {}, what), ` · asked ${when(request.requested_at)} `,
        statusPill(request.status === "open" ? "pending" : request.status, request.status === "open" ? "waiting" : request.status)),
      request.kind === "transcription" ? correction(qa ? qa.answer : "", request.corrected_answer) : null,
      request.note ? element("p", {}, element("strong", {}, "The candidate's note: "), `“${request.note}”`) : null,
      request.status === "open" ? null : element("p", { class: "small muted" },
        `${request.status === "upheld" ? "Upheld" : "Declined"}${request.resolved_by ? ` by ${request.resolved_by}` : ""} · ${when(request.resolved_at)}`,
        request.resolution_note ? ` — “${request.resolution_note}”` : ""));
    if (request.status === "open") box.append(resolveForm(interview, request, id));
    return box;
  }

  /**
   * Uphold or decline, with a note the candidate reads; the interview is read again after.
   * @param {any} interview
   * @param {RequestRecord} request
   * @param {string} id
   */
  function resolveForm(interview, request, id) {
    const note = element("input", { id: `${id}-note`, maxlength: 2000 });
    const error = element("div", { class: "field-error form-error", role: "alert", hidden: true });
    const form = element("form", { class: "review", novalidate: true, "aria-label": "Answer the candidate's request" });
    /** @param {"upheld" | "declined"} decision */
    const decide = async (decision) => {
      for (const button of form.querySelectorAll("button")) button.disabled = true;
      form.setAttribute("aria-busy", "true");
      error.hidden = true;
      try {
        const path = `/api/data/interview/${encodeURIComponent(interview.session_id)}/requests/${encodeURIComponent(request.request_id)}/resolve`;
        await data(path, { method: "POST", body: { decision, note: note.value.trim() } });
        onRequestResolved();
        await open(interview.session_id, opener, id);
      } catch (/** @type {any} */ failure) {
        error.textContent = `Not saved: ${problem(failure)}${failure.status === 409 ? "" : " Your note is kept; try again."}`;
        error.hidden = false;
        for (const button of form.querySelectorAll("button")) button.disabled = false;
        form.removeAttribute("aria-busy");
        if (failure.status === 409) await open(interview.session_id, opener, id); // answered meanwhile: show how
      }
    };
    form.append(
      element("div", { class: "review-fields" },
        element("div", { class: "grow" }, element("label", { for: note.id }, "Note to the candidate (optional)"), note),
        element("div", { class: "button-row" },
          element("button", { type: "button", onclick: () => decide("upheld") }, "Uphold"),
          element("button", { type: "button", class: "secondary", onclick: () => decide("declined") }, "Decline"))),
      error);
    form.addEventListener("submit", (event) => event.preventDefault());
    return form;
  }

  /**
   * Reads the interview again every 2 s while an upheld correction waits for its new score or the report written
   * again over it, writing them in place (the rest of the view, and any review being typed, stays).
   * @param {string} sessionId
   * @param {number} mine the view's request number: another interview opened stops this
   */
  async function followRescores(sessionId, mine) {
    for (let check = 0; check < RESCORE_CHECKS; check++) {
      await sleep(2000);
      const outcome = detail.querySelector("#detail-outcome");
      if (mine !== request || !(detail.querySelector("[data-rescoring]") || outcome?.hasAttribute("data-revising"))) return;
      let interview;
      try {
        interview = await data(`/api/data/interview/${encodeURIComponent(sessionId)}`);
      } catch {
        continue;
      }
      if (mine !== request) return;
      if (read) read.text = JSON.stringify(interview); // written in place below: not a colleague's change
      for (const qa of interview.questions_and_answers) {
        const place = detail.querySelector(`[data-rescoring="${qa.question_number}"]`);
        if (place && qa.rescored_score !== null && qa.rescored_score !== undefined) {
          place.replaceWith(rescored(qa, true, interview.language || null));
        }
      }
      if (outcome && interview.report_revision && !revisionDue(interview)) {
        outcome.replaceChildren(...outcomeView(interview).filter(Boolean));
        outcome.removeAttribute("data-revising");
      }
    }
  }

  /**
   * The new score beside the first one, with its feedback; "Re-scoring…" while it is being scored.
   * @param {any} qa
   * @param {boolean} upheld
   * @param {string | null} lang the interview's language
   */
  function rescored(qa, upheld, lang) {
    const text = rescoreText(qa, upheld);
    if (!text) return null;
    const done = qa.rescored_score !== null && qa.rescored_score !== undefined;
    return element("p", { class: "rescored", "data-rescoring": done ? null : qa.question_number, role: done ? null : "status" },
      element("strong", {}, text), done ? feedbackParts(qa.rescored_feedback, undefined, lang) : " The corrected answer is being scored.");
  }

  /**
   * @param {string} sessionId
   * @param {HTMLElement | null} [from] focused again when the view closes
   * @param {string} [focusId] an element of the view to focus rather than the view (a request just answered)
   */
  async function open(sessionId, from = null, focusId = "") {
    const mine = ++request;
    let interview;
    try {
      interview = await data(`/api/data/interview/${encodeURIComponent(sessionId)}`);
    } catch (/** @type {any} */ error) {
      if (mine === request && error.status !== 401) say(error.message);
      return;
    }
    // which position it is for: the same name may be in several (a position's title, or its id if unreadable)
    const position = interview.position_id
      ? await data(`/api/positions/${encodeURIComponent(interview.position_id)}`).catch(() => null) : null;
    if (mine !== request) return;
    opener = from;
    read = { sessionId, text: JSON.stringify(interview) };
    news.replaceChildren();
    detail.hidden = false;
    /** @type {import("./review.js").ReviewContext} */
    const reviews = { data, onSaved: () => { readAgain(sessionId); onReviewSaved(); }, myId };
    /** @type {RequestRecord[]} */
    const asked = interview.candidate_requests || [];
    /** @param {number} n */
    const upheld = (n) => asked.some((r) => r.kind === "transcription" && r.status === "upheld" && r.question_number === n);
    const lang = interview.language || null; // not recorded: unknown, so not marked
    detail.replaceChildren(...[
      element("h2", { id: "detail-title" }, `${interview.candidate_name} · ${interview.session_id}`),
      element("p", { id: "detail-position" }, element("strong", {}, "Position: "), interview.position_id
        ? element("a", { href: `#/positions/${encodeURIComponent(interview.position_id)}` }, position ? position.title : interview.position_id)
        : "none (an open interview)"),
      element("p", { class: "muted" },
        `${interview.candidate_experience} years · ${interview.difficulty} · ${languageText(interview.language)}`,
        ` · started ${new Date(interview.started_at).toLocaleString()}`,
        interview.ended_at ? ` · ended ${new Date(interview.ended_at).toLocaleString()}` : " · in progress"),
      element("p", { class: "small", id: "detail-pace" },
        element("strong", {}, "Time per answer: "), timeText(interview.seconds_per_answer),
        interview.seconds_per_answer && interview.accommodations && interview.accommodations.extra_time > 1 ? " (extra time included)" : "",
        " · ", element("strong", {}, "Accommodations: "), accommodationsText(interview.accommodations) || STANDARD_TERMS),
      element("div", { id: "detail-outcome", "data-revising": revisionDue(interview) }, outcomeView(interview)),
      element("details", {}, element("summary", {}, "Job description"), element("p", { class: "small said" }, interview.job_description)),
      asked.length ? element("section", { class: "candidate-requests", "aria-labelledby": "detail-requests-title" },
        element("h3", { id: "detail-requests-title" }, `The candidate's requests (${interview.open_requests} waiting)`),
        asked.map((r) => candidateRequest(interview, r))) : null,
      verdictReview(interview, reviews),
      element("h3", {}, "Transcript"),
      interview.questions_and_answers.some((/** @type {any} */ qa) => qa.evidence && qa.evidence.length) ? evidenceKey() : null,
      ...interview.questions_and_answers.map((/** @type {any} */ qa) =>
        element("div", { class: "qa" },
          element("p", {}, element("strong", {}, `Q${qa.question_number}. `), element("span", { lang }, qa.question)),
          qa.corrected_answer ? correction(qa.answer, qa.corrected_answer, lang)
            : qa.answer ? markedAnswer(qa.answer, qa.evidence, { class: "said", lang })
              : element("p", { class: "said" }, element("em", {}, "(no answer)")),
          element("p", {}, scoreBadge(qa.score), feedbackParts(qa.feedback, undefined, lang)),
          rescored(qa, upheld(qa.question_number), lang),
          qa.provenance ? provenanceDetails("How it was scored", "Scored by ", qa.provenance) : null,
          answerReview(interview, qa, reviews),
        ),
      ),
      element("div", { class: "actions" }, element("button", { type: "button", class: "secondary", onclick: close }, "Close")),
    ].filter(Boolean));
    const target = focusId ? document.getElementById(focusId) : null;
    (target || detail).focus();
    if (detail.querySelector("[data-rescoring], [data-revising]")) followRescores(sessionId, mine);
  }

  return {
    open, hide, dismiss, check,
    /** @returns {string | null} the session id of the interview shown */
    shownId: () => (read ? read.sessionId : null),
  };
}
