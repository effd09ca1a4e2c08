// @ts-check
// The candidate's questions about their result, under the finished interview (docs/fairness.md,
// "Candidate requests"): "That is not what I said" for an answer's transcript, a person to review the whole
// interview, and the requests made with the reviewers' answers, read again from GET /api/interview/{id}
// when asked and every 20 s while one waits, or while an upheld correction waits for its new score and the
// report written again (the page then shows the revised report). Each form opens in place; an error is said
// in it, the input kept. Its words: words.js.
import { $, api, element, HttpError } from "./common.js";
import { reasonOf } from "./page-status.js";
import { say } from "./words.js";

const POLL_MS = 20_000;
const REVISION_POLLS = 15; // an upheld correction's report written again comes within seconds; older ones have none

/**
 * One of the candidate's requests, as GET /api/interview/{id} lists it.
 * @typedef {object} CandidateRequest
 * @property {string} request_id
 * @property {"transcription" | "human_review"} kind
 * @property {number | null} question_number
 * @property {"open" | "upheld" | "declined"} status
 * @property {string} note the reviewer's
 * @property {number | null} [rescored_score]
 */

/**
 * What the card needs of the finished interview.
 * @typedef {object} FinishedState
 * @property {string} session_id
 * @property {string} [candidate_report]
 * @property {{question_number: number, question: string, answer?: string, spoken?: boolean | null}[]} answers
 * @property {CandidateRequest[]} [requests]
 * @property {object | null} [revised_report] the report written again after an upheld correction, if shown
 */

/**
 * The request's status in words.
 * @param {CandidateRequest} request
 * @param {boolean} scoresShown the candidate may see scores
 * @returns {string}
 */
export function statusText(request, scoresShown) {
  if (request.status === "open") return say("waitingReviewer");
  const status = request.status === "upheld" ? say("upheld") : say("declined");
  const said = request.note ? say("withNote", { status, note: request.note }) : status;
  if (request.status !== "upheld" || request.kind !== "transcription" || !scoresShown) return said;
  const score = request.rescored_score;
  return score === null || score === undefined ? say("scoredAgain", { status: said }) : say("newScore", { status: said, score });
}

/**
 * @param {object} options
 * @param {() => Record<string, string>} options.headers the candidate token's header
 * @param {(message: string) => void} options.announce said to screen readers
 * @param {(state: any) => void} options.revised the interview's state read again, with a new score or report
 */
export function initRequests({ headers, announce, revised }) {
  /** @type {string | null} the interview the card is built for */
  let builtFor = null;
  let scoresShown = true;
  /** @type {ReturnType<typeof setTimeout> | null} */
  let poll = null;
  let revisionPolls = 0; // reads made while only the report written again is waited for
  let shownResult = ""; // the new scores and revised report on the page (resultKey)
  let revisionShown = false;
  /** @type {Map<number, HTMLButtonElement>} each answer's "That is not what I said" button */
  const contestButtons = new Map();
  const reviewButton = $("ask-review", HTMLButtonElement);
  const list = $("request-list");

  /**
   * A form opened in place under `opener`: its fields, an alert for errors, Send and Cancel. `send` gets the
   * fields' values; when it throws, the message shows in the form and the input stays.
   * @param {object} options
   * @param {string} options.id
   * @param {string} options.label the form's accessible name
   * @param {{name: string, label: string, value?: string, hint?: string, rows?: number}[]} options.fields
   * @param {HTMLButtonElement} options.opener hidden while the form is open, focused again on Cancel
   * @param {(values: Record<string, string>) => Promise<void>} options.send
   * @returns {HTMLFormElement}
   */
  function inlineForm({ id, label, fields, opener, send }) {
    const controls = fields.map((field) => {
      const control = element("textarea", { id: `${id}-${field.name}`, class: "short", maxlength: field.name === "note" ? 2000 : 10_000,
        rows: field.rows || 3, "aria-describedby": field.hint ? `${id}-${field.name}-hint` : null });
      control.value = field.value || "";
      return { field, control };
    });
    const error = element("div", { class: "field-error form-error", role: "alert", hidden: true });
    const sendButton = element("button", { type: "submit" }, say("send"));
    const close = () => {
      form.remove();
      opener.hidden = false;
      opener.focus();
    };
    const form = element("form", { class: "request-form", novalidate: true, "aria-label": label },
      controls.flatMap(({ field, control }) => [
        element("label", { for: control.id }, field.label),
        control,
        field.hint ? element("div", { class: "muted small", id: `${control.id}-hint` }, field.hint) : null,
      ]),
      error,
      element("div", { class: "actions" }, sendButton,
        element("button", { type: "button", class: "secondary", onclick: close }, say("cancel"))));
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      if (sendButton.disabled) return;
      sendButton.disabled = true;
      sendButton.textContent = say("sending");
      error.hidden = true;
      try {
        await send(Object.fromEntries(controls.map(({ field, control }) => [field.name, control.value.trim()])));
        form.remove();
        opener.hidden = false;
      } catch (/** @type {any} */ problem) {
        const refused = problem instanceof HttpError && problem.status < 500;
        error.textContent = refused ? reasonOf(problem) : say("wroteKept", { message: reasonOf(problem) });
        error.hidden = false;
        sendButton.disabled = false;
        sendButton.textContent = say("send");
      }
    });
    opener.hidden = true;
    opener.after(form);
    controls[0].control.focus();
    return form;
  }

  /** @param {Record<string, unknown>} body */
  async function ask(body) {
    if (!builtFor) return;
    await api(`/api/interview/${builtFor}/requests`, { method: "POST", body, headers: headers() });
    announce(say("requestSent"));
    await refresh();
    $("requests-title").focus();
  }

  /** @param {{question_number: number, question: string, answer?: string}} answer */
  function contestItem(answer) {
    const number = answer.question_number;
    const heading = element("p", { class: "flush", id: `contest-${number}-question` },
      element("strong", {}, say("questionLabel", { number })), answer.question);
    const button = element("button", { type: "button", class: "secondary small-button",
      "aria-describedby": heading.id }, say("notWhatISaid"));
    button.addEventListener("click", () => inlineForm({
      id: `contest-${number}`, label: say("correctForm", { number }), opener: button,
      fields: [
        { name: "corrected_answer", label: say("whatYouSaid", { number }), value: answer.answer, rows: 6,
          hint: say("recordedHint") },
        { name: "note", label: say("noteForReviewer") },
      ],
      send: async ({ corrected_answer, note }) => {
        await ask({ kind: "transcription", question_number: number, corrected_answer, note });
      },
    }));
    contestButtons.set(number, button);
    return element("li", {}, heading, element("div", { class: "actions tight-actions" }, button));
  }

  reviewButton.addEventListener("click", () => inlineForm({
    id: "review-request", label: say("reviewForm"), opener: reviewButton,
    fields: [{ name: "note", label: say("reviewWhat") }],
    send: async ({ note }) => ask({ kind: "human_review", note }),
  }));

  /**
   * An upheld correction waits for its new score, or for the report written again over it (not when the
   * candidate sees neither).
   * @param {FinishedState} state
   */
  function revisionDue(state) {
    if (!scoresShown) return false;
    const upheld = (state.requests || []).filter((r) => r.kind === "transcription" && r.status === "upheld");
    return upheld.some((r) => r.rescored_score === null || r.rescored_score === undefined)
      || (upheld.length > 0 && !state.revised_report);
  }

  /** @param {FinishedState} state @returns {string} what changes when a new score or report arrives */
  function resultKey(state) {
    return JSON.stringify([(state.requests || []).map((r) => r.rescored_score ?? null), state.revised_report ?? null]);
  }

  /** @param {FinishedState} state */
  function showRequests(state) {
    const requests = state.requests || [];
    $("requests-none").hidden = requests.length > 0;
    list.hidden = !requests.length;
    list.replaceChildren(...requests.map((request) => {
      const what = request.kind === "human_review" ? say("requestReview")
        : say("requestCorrection", { number: String(request.question_number) });
      return element("li", { class: `request-${request.status}` },
        element("strong", {}, say("requestLabel", { what })), statusText(request, scoresShown));
    }));
    const open = requests.filter((request) => request.status === "open");
    for (const [number, button] of contestButtons) {
      const waiting = open.some((request) => request.kind === "transcription" && request.question_number === number);
      button.disabled = waiting;
      button.textContent = waiting ? say("correctionSent") : say("notWhatISaid");
    }
    const reviewWaiting = open.some((request) => request.kind === "human_review");
    reviewButton.disabled = reviewWaiting;
    reviewButton.textContent = reviewWaiting ? say("reviewAsked") : say("askReview");
    const due = revisionDue(state) && revisionPolls < REVISION_POLLS;
    $("check-requests").hidden = !open.length && !due;
    if (poll) clearTimeout(poll);
    poll = open.length || due ? setTimeout(refresh, POLL_MS) : null;
  }

  /** Reads the requests again (quietly: the next look tries again); a new score or report shows the report again. */
  async function refresh() {
    if (!builtFor) return;
    const sessionId = builtFor;
    let data;
    try {
      data = (await api(`/api/interview/${sessionId}`, { headers: headers() })).data;
    } catch {
      if (sessionId === builtFor && poll === null) poll = setTimeout(refresh, POLL_MS);
      return;
    }
    if (sessionId !== builtFor) return;
    if (!(data.requests || []).some((/** @type {CandidateRequest} */ r) => r.status === "open")) revisionPolls++;
    if (resultKey(data) === shownResult) return showRequests(data);
    if (data.revised_report && !revisionShown) announce(say("revised"));
    revised(data); // the report shown again, and this card with it (show)
  }

  $("check-requests").addEventListener("click", async () => {
    $("requests-status").textContent = say("checking");
    await refresh();
    $("requests-status").textContent = say("checkedNow");
  });

  /**
   * The card for a finished interview: built once per interview (an open form keeps its input), its
   * requests shown again each time.
   * @param {FinishedState} state
   */
  function show(state) {
    scoresShown = state.candidate_report !== "nothing";
    if (builtFor !== state.session_id) {
      builtFor = state.session_id;
      revisionPolls = 0;
      contestButtons.clear();
      for (const form of document.querySelectorAll("#requests form.request-form")) form.remove();
      reviewButton.hidden = false;
      const contestable = state.answers.filter((answer) => answer.spoken !== false); // a typed answer has no transcript
      $("contest-list").replaceChildren(...contestable.map(contestItem));
      $("contest-intro").hidden = !contestable.length;
      $("requests-status").textContent = "";
    }
    $("requests").hidden = false;
    shownResult = resultKey(state);
    revisionShown = Boolean(state.revised_report);
    showRequests(state);
  }

  function reset() {
    builtFor = null;
    if (poll) clearTimeout(poll);
    poll = null;
    $("requests").hidden = true;
  }

  return { show, reset };
}
