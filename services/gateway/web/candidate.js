// @ts-check
// The candidate's interview: start form, questions (read aloud where possible), answers (typed or
// spoken), live scores over Server-Sent Events, and the finished interview: the report (or as much of it as
// the position shares: docs/fairness.md), how the candidate was assessed, the optional form they may describe
// themselves in for the fairness audit, and their questions about the result (requests.js). Survives reloads
// and network errors; the finished interview stays on this browser until the candidate starts a new one.
// Opened from an invitation link (/?invitation=<token>, invitation.js) it shows the position's title and
// asks only what the invitation lacks (the name) and the candidate's consent; otherwise (open mode) the
// whole start form. Every call about the interview carries the candidate token the start gave.
// The interview's accommodations (docs/fairness.md) shape the page: typed answers only (no voice controls),
// a countdown per answer (the answer sent as it is when it ends), a spoken answer sent when the candidate stops
// speaking unless they check it first.
// The page's one module script; the voice (voice.js) is told the open question through `initVoice`.
import {
  $, api, element, feedbackParts, fieldError, HttpError, listItems, NetworkError, scoreBadge, scoreClass, sleep,
  valueOf, verdictClass,
} from "./common.js";
import {
  forgetStart, invitationInAddress, lookUpInvitation, pendingStart, refusal, rememberDone, rememberStart,
} from "./invitation.js";
import { initRequests } from "./requests.js";
import { initVoice } from "./voice.js";

/**
 * The interview this browser is in, kept in localStorage so that a reload resumes it: with the candidate
 * token its start gave (sent with every call about it), and the invitation it came from, if any.
 * @typedef {object} Session
 * @property {string} session_id
 * @property {number} total
 * @property {string} [candidate_token]
 * @property {string | null} [invitation]
 * @property {string | null} [position_title]
 * @property {"sent" | "dismissed"} [self_id] the optional form was answered or declined: not offered again
 * @property {boolean} [finished] the interview has its report: the page shows it until a new one starts
 */

/**
 * A question being asked.
 * @typedef {{question_number: number, question: string}} Question
 */

/**
 * An answer as the interview's state lists it; its score is null while it is being scored.
 * @typedef {object} AnswerState
 * @property {number} question_number
 * @property {string} question
 * @property {number | null} score
 * @property {import("./common.js").Feedback | null} [feedback]
 */

/**
 * The final report, as the API and the live stream give it.
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
 *   feedback: import("./common.js").Feedback | null}[]} questions_and_answers
 */

/**
 * The whole state of an interview, from GET /api/interview/{id} or the live stream's snapshot.
 * @typedef {object} InterviewState
 * @property {string} session_id
 * @property {string | null} [candidate_name]
 * @property {number} total_questions
 * @property {AnswerState[]} answers
 * @property {Report | null} [report]
 * @property {string | null} [problem]
 * @property {Question | null} [current_question]
 * @property {string} [status] "completed" once the report is written, even when it is not shown
 * @property {CandidateReport} [candidate_report]
 * @property {string[]} [how_assessed]
 * @property {import("./requests.js").CandidateRequest[]} [requests]
 * @property {number} [seconds_per_answer] 0: untimed; else the time for each answer, extra time included
 * @property {Accommodations} [accommodations] the candidate's, as the position or the invitation set them
 */

/**
 * What the hiring team arranged for the candidate (docs/fairness.md, "Accommodations").
 * @typedef {object} Accommodations
 * @property {boolean} text_only no voice: the questions are not read aloud and the answers are typed
 * @property {number} extra_time already in seconds_per_answer
 * @property {boolean} confirm_transcript a spoken answer waits in the box to be corrected and sent
 */

/**
 * What the candidate is shown of their assessment: everything, the scores alone, or nothing.
 * @typedef {"full" | "scores" | "nothing"} CandidateReport
 */

const SESSION_KEY = "interviewer.session";
const RETRY_DELAYS = [1000, 2000, 4000, 8000, 15000];
/** @type {Session | null} */
let session = JSON.parse(localStorage.getItem(SESSION_KEY) || "null");
/** @type {Question | null} the open question */
let current = null;
/** @type {EventSource | null} */
let stream = null;
let busy = false;
let missedWhileBusy = false; // live events that arrived during a request: re-read the state after it
/** @type {Set<number>} questions whose score is shown */
let scored = new Set();
let readNextAloud = false; // the candidate has just acted (start, submit): the next question may be read aloud
/** @type {string | null} the interview the optional self-identification form is offered for */
let offeredFor = null;
/** @type {CandidateReport} what this interview shows the candidate (each response says it again) */
let disclosed = "full";
/** @type {string | null} the finished interview on the screen (its focus moved there once) */
let finishedShown = null;
/** The invitation's token when the page was opened from a link (invitation mode), else null (open mode). */
const INVITATION = invitationInAddress();
/** @type {Accommodations} */
const NO_ACCOMMODATIONS = { text_only: false, extra_time: 1, confirm_transcript: true };
/** @type {{seconds: number, accommodations: Accommodations}} the time per answer (0: untimed), the accommodations */
let pace = { seconds: 0, accommodations: NO_ACCOMMODATIONS };
/** @type {{question: number, timer: number} | null} the open question's countdown */
let countdown = null;
const TIME_WARNINGS = [10, 30, 60]; // seconds left that screen readers are told of (the nearest first)

const questionTag = () => (session && current ? `${session.session_id}/${current.question_number}` : null);
const voice = initVoice({
  questionTag,
  questionText: () => (current ? current.question : null),
  heard: () => {
    if (pace.accommodations.confirm_transcript) $("transcript-hint").textContent = "Check what we heard and correct it before you send.";
  },
  doneSpeaking: (tag) => {
    if (!pace.accommodations.confirm_transcript && tag === questionTag() && answerBox.value.trim()) sendAnswer("voice");
  },
});

const answerBox = $("answer", HTMLTextAreaElement);
const submitButton = $("submit-answer", HTMLButtonElement);
const startButton = $("start-button", HTMLButtonElement);
const endButton = $("end", HTMLButtonElement);
const requests = initRequests({ headers: candidateHeaders, announce });

/**
 * The interview in progress: there is one whenever a question, an answer or the live stream is about.
 * @returns {Session}
 */
function inSession() {
  if (!session) throw new Error("There is no interview in progress.");
  return session;
}

/**
 * The header that proves this browser started the interview (the API needs it for invited interviews).
 * @returns {Record<string, string>}
 */
function candidateHeaders() {
  return session && session.candidate_token ? { "X-Candidate-Token": session.candidate_token } : {};
}

// ---------- screens ----------

/** @param {"start" | "interview" | "report" | "refused" | null} screen null: none (while checking a link) */
function show(screen) {
  for (const name of ["start", "interview", "report", "refused"]) $(`${name}-screen`).hidden = name !== screen;
  $("checking").hidden = true;
  $("check-failed").hidden = true;
}

/** @param {string} message said by screen readers */
function announce(message) {
  $("announcer").textContent = "";
  setTimeout(() => ($("announcer").textContent = message), 50);
}

/**
 * The banner at the top of the page; "" hides it.
 * @param {string | null | undefined} message
 * @param {"warn" | "error"} [kind]
 */
function banner(message, kind = "warn") {
  const box = $("connection");
  box.className = `banner ${kind}`;
  box.textContent = message || "";
  box.hidden = !message;
}

// ---------- start ----------

/**
 * The start form's fields by the API's name: the control's id, and its check ("" when the value is fine).
 * @type {Record<string, [string, (value: string) => string]>}
 */
const FIELDS = {
  candidate_name: ["name", (v) => (v.trim() ? "" : "Please enter your name.")],
  experience_years: ["experience", (v) => (/^\d+$/.test(v) && +v <= 60 ? "" : "Enter whole years between 0 and 60.")],
  num_questions: ["count", (v) => (/^\d+$/.test(v) && +v >= 1 && +v <= 20 ? "" : "Choose between 1 and 20 questions.")],
  job_description: ["job", (v) => (v.trim().length >= 20 ? "" : "Paste the job description (at least 20 characters).")],
};

/** The start form's fields that are on the page (an invitation needs only the name, if it lacks one). */
function shownFields() {
  return Object.entries(FIELDS).filter(([, [id]]) => document.getElementById(id));
}

function validateStart() {
  let first = null;
  for (const [, [id, check]] of shownFields()) {
    const message = check(valueOf(id));
    fieldError(id, message);
    if (message && !first) first = id;
  }
  const consent = $("consent", HTMLInputElement).checked ? "" : "Please confirm that you understand how the interview works.";
  fieldError("consent", consent);
  if (consent && !first) first = "consent";
  if (first) $(first).focus();
  return !first;
}

// Errors show on submit and then update as the field is corrected (not on blur: a message appearing
// there would move the button under a click that is already on its way).
for (const [, [id, check]] of Object.entries(FIELDS)) {
  $(id).addEventListener("input", () => $(id).getAttribute("aria-invalid") === "true" && fieldError(id, check(valueOf(id))));
}
$("consent").addEventListener("change", () => $("consent", HTMLInputElement).checked && fieldError("consent", ""));

// 128 random bits, in hex: a retried start with the same id finds its interview again, and the candidate
// token of an open-mode start derives from it, so it must not be guessable (crypto.randomUUID needs https).
function randomId() {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");
}

$("start-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  if (!validateStart() || busy) return;
  if (INVITATION) {
    // the same request_id as a start sent before a reload, if there was one: the server answers with its interview
    const pending = pendingStart(INVITATION);
    const name = document.getElementById("name") ? valueOf("name").trim() : "";
    await begin(invitationStart(INVITATION, pending ? pending.request_id : randomId(), name));
    return;
  }
  // One id per interview asked for: a retry after a lost response finds the interview already started.
  await begin({
    candidate_name: valueOf("name").trim(),
    experience_years: Number(valueOf("experience")),
    difficulty: valueOf("difficulty"),
    num_questions: Number(valueOf("count")),
    job_description: valueOf("job"),
    request_id: randomId(),
  });
});

/**
 * The start of an invited interview (consent given); remembered until answered, so that a reload in
 * between asks again with the same request_id.
 * @param {string} invitation
 * @param {string} requestId
 * @param {string} name "" when the invitation gives the name
 * @returns {Record<string, unknown>}
 */
function invitationStart(invitation, requestId, name) {
  rememberStart({ invitation, request_id: requestId, candidate_name: name });
  return { invitation, consent: true, request_id: requestId, ...(name ? { candidate_name: name } : {}) };
}

/**
 * Starts the interview: POST /api/start-interview with `body`, then the first question (or a wait for it).
 * @param {Record<string, unknown>} body
 */
async function begin(body) {
  busy = true;
  readNextAloud = true;
  startButton.disabled = true;
  $("start-status").textContent = "Preparing your first question…";
  try {
    const { status, data } = await withRetries(() => api("/api/start-interview", { method: "POST", body }),
      { kept: "your details are kept", whole: true });
    session = {
      session_id: data.session_id, total: data.total_questions, candidate_token: data.candidate_token,
      invitation: INVITATION, position_title: data.position_title ?? null,
    };
    localStorage.setItem(SESSION_KEY, JSON.stringify(session));
    forgetStart();
    banner("");
    learnPace(data);
    show("interview");
    showPosition();
    setTotal(data.total_questions);
    if (status === 200) showQuestion({ question_number: data.question_number, question: data.question });
    else waitingForQuestion(data.message);
    connectStream();
  } catch (/** @type {any} */ error) {
    const refused = INVITATION ? refusal(error, INVITATION) : null;
    if (refused) {
      forgetStart();
      showRefused(refused);
    } else if (error instanceof HttpError && error.status === 422) showServerErrors(error.body);
    else banner(error.message, "error");
  } finally {
    busy = false;
    startButton.disabled = false;
    $("start-status").textContent = "";
  }
}

/**
 * A 422's errors under the fields they are about (the banner says it when none is a field's).
 * @param {{errors?: {loc?: (string | number)[], msg: string}[], message?: string}} body
 */
function showServerErrors(body) {
  /** @type {Record<string, string>} */
  const byField = Object.fromEntries(shownFields().map(([field, [id]]) => [field, id]));
  let shown = false;
  for (const error of body.errors || []) {
    const field = String((error.loc || []).at(-1));
    if (byField[field]) {
      fieldError(byField[field], error.msg);
      shown = true;
    }
  }
  const named = /^candidate_name: (.*)$/s.exec(body.message || ""); // an invitation without a name, and none given
  if (!shown && named && byField.candidate_name) {
    fieldError(byField.candidate_name, `${named[1][0].toUpperCase()}${named[1].slice(1)}.`);
    $(byField.candidate_name).focus();
    shown = true;
  }
  if (!shown) banner(body.message || "Please check the form.", "error");
}

// ---------- an invitation link ----------

/**
 * A page-level message for a link that cannot start an interview.
 * @param {{title: string, text: string}} refused
 */
function showRefused({ title, text }) {
  show("refused");
  banner("");
  $("refused-title").textContent = title;
  $("refused-text").textContent = text;
  $("refused-title").focus();
}

/** The position's title above the question, for an invited interview. */
function showPosition() {
  const title = session && session.position_title;
  $("position-name").textContent = title ? `Interview for ${title}` : "";
  $("position-name").hidden = !title;
}

/**
 * The start form of an invitation: the position's title, the name only if the invitation lacks it, the
 * consent; none of the open mode's fields.
 * @param {import("./invitation.js").InvitationDetails} details
 */
function invitationForm(details) {
  document.getElementById("open-fields")?.remove();
  if (details.candidate_name) document.getElementById("name-field")?.remove();
  $("start-title").textContent = details.position_title;
  $("invitation-intro").textContent = (details.candidate_name ? `Welcome, ${details.candidate_name}. ` : "") +
    `You are invited to an interview for this position: ${details.total_questions} ` +
    `${details.total_questions === 1 ? "question" : "questions"}, answered by typing or speaking.` +
    (details.candidate_name ? "" : " Please give your name.");
  $("invitation-intro").hidden = false;
  $("new-interview").hidden = true;
  document.title = `Interview for ${details.position_title} · Interviewer`;
}

/**
 * Opened from a link: what the server says about it, then its start form or why it cannot start. A start
 * sent before a reload and not answered is sent again (the same request_id: the same interview).
 * @param {string} token
 */
async function prepareInvitation(token) {
  show(null);
  $("checking").hidden = false;
  try {
    const details = await withRetries(async () => ({ status: 200, data: await lookUpInvitation(token) }),
      { kept: "nothing is lost" });
    invitationForm(details);
    show("start");
  } catch (error) {
    const refused = refusal(error, token);
    const pending = pendingStart(token);
    if (error instanceof HttpError && error.status === 409 && pending) {
      show(null);
      $("checking").hidden = false;
      await begin(invitationStart(token, pending.request_id, pending.candidate_name));
      if (!$("checking").hidden) checkFailed(); // the start failed (a network error, a 5xx): nothing else is shown
    } else if (refused) showRefused(refused);
    else if (error instanceof HttpError && error.status === 422) { // not even shaped like a token
      showRefused({ title: "This invitation link is not valid",
        text: "The link is incomplete or damaged: check that it was copied whole, or ask the hiring team for a new one." });
    } else {
      banner(/** @type {any} */ (error).message, "error");
      checkFailed();
    }
  }
}

/** The link could not be checked, or its start resumed (the server unreachable or failing): say so, and offer to try again. */
function checkFailed() {
  show(null);
  $("check-failed").hidden = false;
  $("check-failed-title").focus();
}

$("check-again").addEventListener("click", () => {
  banner("");
  if (INVITATION) prepareInvitation(INVITATION);
});

// ---------- interview ----------

/** @param {number} total the number of questions */
function setTotal(total) {
  inSession().total = total;
  $("q-total").textContent = String(total);
  $("progress").setAttribute("aria-valuemax", String(total));
}

/** @param {number} answered the number of questions answered */
function setProgress(answered) {
  $("progress").setAttribute("aria-valuenow", String(answered));
  const bar = /** @type {HTMLElement} */ ($("progress").firstElementChild);
  bar.style.width = `${Math.round((100 * answered) / Math.max(1, inSession().total))}%`;
}

/**
 * Where the typed answer to question `number` is kept (its prefix with number "").
 * @param {number | ""} number
 * @param {string} [sessionId]
 */
function draftKey(number, sessionId = inSession().session_id) {
  return `interviewer.draft.${sessionId}.${number}`;
}

/** @param {string} sessionId */
function forgetDrafts(sessionId) {
  const prefix = draftKey("", sessionId);
  for (const key of Object.keys(localStorage)) if (key.startsWith(prefix)) localStorage.removeItem(key);
}

// Everything that belongs to one interview, so that the next candidate on this browser starts clean.
function resetInterview() {
  voice.stop();
  stopCountdown();
  learnPace({ seconds_per_answer: 0, accommodations: NO_ACCOMMODATIONS });
  $("sent-note").textContent = "";
  if (stream) stream.close();
  stream = null;
  streamRetries = 0;
  if (session) forgetDrafts(session.session_id);
  localStorage.removeItem(SESSION_KEY);
  session = null;
  current = null;
  missedWhileBusy = false;
  readNextAloud = false;
  scored = new Set();
  clearFeedback();
  showHistory([]);
  offeredFor = null;
  disclosed = "full";
  finishedShown = null;
  $("self-id").hidden = true;
  $("how-assessed").hidden = true;
  requests.reset();
  $("question").textContent = "";
  answerBox.value = "";
  fieldError("answer", "");
  $("voice-status").textContent = "";
  banner("");
}

/** @param {Question | null | undefined} question */
function showQuestion(question) {
  if (!question || (current && current.question_number === question.question_number)) return;
  current = question;
  voice.stop();
  $("q-number").textContent = String(question.question_number);
  setProgress(question.question_number - 1);
  $("question").textContent = question.question;
  answerBox.value = localStorage.getItem(draftKey(question.question_number)) || "";
  answerBox.disabled = false;
  submitButton.disabled = false;
  fieldError("answer", "");
  $("transcript-hint").textContent = "";
  $("question").focus();
  announce(`Question ${question.question_number} of ${inSession().total}: ${question.question}`);
  // unasked, a browser may refuse to speak: read aloud only right after the candidate acted
  if (readNextAloud && !pace.accommodations.text_only) voice.readAloud(question.question, { automatic: true });
  readNextAloud = false;
  startCountdown(question.question_number); // after a reload, from the full time again
}

/** @param {string | null | undefined} message what the question's place says meanwhile */
function waitingForQuestion(message) {
  current = null;
  stopCountdown();
  $("question").textContent = message || "Preparing the next question…";
  submitButton.disabled = true;
}

/**
 * An answer's score and feedback, as much of them as this interview shows (a null score: not shown).
 * @param {number} number
 * @param {number | null} score
 * @param {import("./common.js").Feedback | null | undefined} feedback
 */
function showFeedback(number, score, feedback) {
  const hidden = score === null || score === undefined;
  if (!scored.has(number)) announce(hidden ? `Your answer to question ${number} is recorded.` : `Question ${number} scored ${score} out of 10.`);
  scored.add(number);
  const box = $("feedback");
  box.hidden = false;
  box.replaceChildren(hidden
    ? element("p", { class: "flush" }, `Your answer to question ${number} is recorded.`)
    : element("h3", {}, `Question ${number}: `, scoreBadge(score)),
  ...feedbackParts(feedback, "div"));
}

/** @param {{candidate_report?: CandidateReport} | null | undefined} data a response or state that may say it */
function learnDisclosure(data) {
  if (data && data.candidate_report) disclosed = data.candidate_report;
}

function clearFeedback() {
  $("feedback").hidden = true;
  $("feedback").replaceChildren();
}

/** @param {AnswerState[]} answers */
function showHistory(answers) {
  $("history").hidden = !answers.length;
  $("history-list").replaceChildren(
    ...answers.map((a) =>
      element("li", {}, a.question, " — ", a.score !== null && a.score !== undefined ? `${a.score}/10`
        : disclosed === "nothing" ? "answered" : "being scored…"),
    ),
  );
}

/**
 * The whole state of the interview, from GET /api/interview/{id} or the stream's snapshot.
 * @param {InterviewState} state
 */
function applyState(state) {
  learnDisclosure(state);
  learnPace(state);
  setTotal(state.total_questions);
  showHistory(state.answers);
  const last = state.answers.at(-1);
  if (last && (last.score !== null || disclosed === "nothing")) showFeedback(last.question_number, last.score, last.feedback);
  else if (!last) clearFeedback();
  if (state.status === "completed" || state.report) return showFinished(state);
  show("interview");
  if (state.problem) banner(state.problem, "error");
  if (state.current_question) showQuestion(state.current_question);
  else waitingForQuestion(state.status === "ending" ? finishingText() : null);
  setProgress(state.answers.length);
}

answerBox.addEventListener("input", () => {
  if (current) localStorage.setItem(draftKey(current.question_number), answerBox.value);
});

$("answer-form").addEventListener("submit", (event) => {
  event.preventDefault();
  sendAnswer("candidate");
});

/** What the page says of an answer it sent by itself. */
const SENT_BY_ITSELF = {
  time: "Time was up: your answer was sent as it was.",
  voice: "Your spoken answer was sent when you stopped speaking.",
};

/**
 * Sends the answer in the box to the open question: the candidate pressed Submit, the time ran out (sent as it
 * is, even empty), or they stopped speaking (when they do not confirm the transcript first).
 * @param {"candidate" | "time" | "voice"} how
 */
async function sendAnswer(how) {
  if (!current || busy) return;
  const text = answerBox.value;
  if (how === "candidate" && !text.trim() && !confirm("Submit an empty answer? It will score 0.")) return;
  stopCountdown();
  $("sent-note").textContent = how === "candidate" ? "" : SENT_BY_ITSELF[how];
  busy = true;
  readNextAloud = true;
  submitButton.disabled = true;
  const question = current;
  try {
    const data = await withRetries(() =>
      api("/api/submit-answer", {
        method: "POST",
        body: { session_id: inSession().session_id, answer: text, question_number: question.question_number },
        headers: candidateHeaders(),
      }),
    );
    localStorage.removeItem(draftKey(question.question_number));
    learnDisclosure(data);
    await refreshHistory();
    if (data.status === "failed") banner(data.message, "error");
    if (data.status === "scored") showFeedback(data.question_number, data.score, data.feedback);
    else if (data.status === "pending" && !scored.has(data.question_number)) showFeedbackPending(data.question_number);
    if (data.next_question) showQuestion(data.next_question);
    else waitingForQuestion(data.completed ? finishingText() : null);
    if (data.report || data.completed) await showFinishedState(); // the report, how assessed, the requests
  } catch (/** @type {any} */ error) {
    if (error instanceof HttpError && error.status === 409) {
      banner(error.message, "warn");
      await refreshState();
    } else {
      readNextAloud = false;
      banner(`${error.message} Your answer is still here; press Submit to try again.`, "error");
      submitButton.disabled = false;
    }
  } finally {
    busy = false;
    // A question or score may have come over the stream while this request was out: re-read.
    const stillWaiting = !current || current.question_number === question.question_number;
    if (missedWhileBusy || (submitButton.disabled && stillWaiting)) {
      missedWhileBusy = false;
      await refreshState();
    }
  }
}

// ---------- accommodations and the time per answer ----------

/**
 * The time per answer and the accommodations of this interview, as a response or the state gives them;
 * the voice controls are taken away for typed answers.
 * @param {{seconds_per_answer?: number, accommodations?: Accommodations} | null | undefined} data
 */
function learnPace(data) {
  if (!data || typeof data.seconds_per_answer !== "number") return;
  pace = { seconds: data.seconds_per_answer, accommodations: { ...NO_ACCOMMODATIONS, ...data.accommodations } };
  const typed = pace.accommodations.text_only;
  if (typed) voice.stop();
  $("listen-actions").hidden = typed;
  $("speak").hidden = typed;
  $("answer-hint").textContent = typed ? "Type your answer. Your text is kept if the page reloads."
    : "Type your answer, or use the microphone where your browser allows it. Your text is kept if the page reloads.";
  const notes = [typed ? "Typed answers, as arranged with the hiring team." : "",
    pace.seconds ? `You have ${duration(pace.seconds)} for each answer.` : ""].filter(Boolean);
  $("pace-note").textContent = notes.join(" ");
  $("pace-note").hidden = !notes.length;
}

/** @param {number} seconds @returns {string} "3 minutes", "1 minute 30 seconds", "45 seconds" */
function duration(seconds) {
  const minutes = Math.floor(seconds / 60);
  const rest = seconds % 60;
  /** @param {number} n @param {string} unit */
  const count = (n, unit) => `${n} ${unit}${n === 1 ? "" : "s"}`;
  return [minutes ? count(minutes, "minute") : "", rest || !minutes ? count(rest, "second") : ""].filter(Boolean).join(" ");
}

/** @param {number} seconds @returns {string} "1:30" */
function clock(seconds) {
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
}

/**
 * The countdown of question `number`, from the full time: said to screen readers at a minute, 30 and 10
 * seconds left; at zero the answer in the box is sent as it is. Untimed interviews have none.
 * @param {number} number
 */
function startCountdown(number) {
  stopCountdown();
  if (!pace.seconds) return;
  const ends = Date.now() + pace.seconds * 1000;
  const warned = new Set(TIME_WARNINGS.filter((left) => left >= pace.seconds));
  sayTime("");
  const tick = () => {
    const left = Math.max(0, Math.ceil((ends - Date.now()) / 1000));
    $("countdown-time").textContent = clock(left);
    $("countdown").classList.toggle("low", left <= 10);
    const warning = TIME_WARNINGS.find((mark) => left <= mark && !warned.has(mark));
    if (warning !== undefined && left > 0) {
      for (const mark of TIME_WARNINGS) if (mark >= left) warned.add(mark);
      sayTime(warning === 60 ? "1 minute left for this answer." : `${warning} seconds left for this answer.`);
    }
    if (left > 0 || !countdown || countdown.question !== number) return;
    stopCountdown();
    if (current && current.question_number === number) sendAnswer("time");
  };
  countdown = { question: number, timer: window.setInterval(tick, 250) };
  $("countdown").hidden = false;
  tick();
}

function stopCountdown() {
  if (countdown) clearInterval(countdown.timer);
  countdown = null;
  $("countdown").hidden = true;
}

/** @param {string} message said to screen readers, apart from the page's other announcements */
function sayTime(message) {
  $("time-announcer").textContent = message;
}

/** What the question's place says while the interview is being finished. */
function finishingText() {
  return disclosed === "nothing" ? "Your interview is ending…" : "Your interview is ending; the report is being written…";
}

/** @param {number} number */
function showFeedbackPending(number) {
  $("feedback").hidden = false;
  $("feedback").replaceChildren(element("p", {}, `Your answer to question ${number} is saved and being scored…`));
}

/**
 * Network errors and 503s are retried with growing delays, saying so; nothing typed is lost.
 * The response's data (`whole`: {status, data}), after retrying network errors, 429 and 5xx gateways.
 * @param {() => Promise<{status: number, data: any}>} call
 * @param {{kept?: string, whole?: boolean}} [options] `kept`: what the banner says is kept meanwhile
 * @returns {Promise<any>}
 */
async function withRetries(call, { kept = "your answer is kept", whole = false } = {}) {
  for (let attempt = 0; ; attempt++) {
    try {
      const result = await call();
      banner("");
      return whole ? result : result.data;
    } catch (/** @type {any} */ error) {
      const status = error instanceof HttpError ? error.status : null;
      const retryable = error instanceof NetworkError || (status !== null && [429, 502, 503, 504].includes(status));
      if (!retryable || attempt >= RETRY_DELAYS.length) throw error;
      const asked = Number(error.retryAfter);
      const delay = status === 429 && asked ? asked * 1000 : RETRY_DELAYS[attempt];
      banner(`${error.message} Retrying in ${Math.round(delay / 1000)} s… (${kept})`, "warn");
      await sleep(delay);
    }
  }
}

async function refreshState() {
  try {
    const { data } = await api(`/api/interview/${inSession().session_id}`, { headers: candidateHeaders() });
    applyState(data);
  } catch (/** @type {any} */ error) {
    banner(error.message, "error");
  }
}

async function refreshHistory() {
  try {
    const { data } = await api(`/api/interview/${inSession().session_id}`, { headers: candidateHeaders() });
    showHistory(data.answers);
  } catch {
    /* the stream or the next action will bring it */
  }
}

endButton.addEventListener("click", async () => {
  if (!confirm("End the interview now? Your report will cover the answers given so far.")) return;
  endButton.disabled = true;
  try {
    const data = await withRetries(() => api("/api/end-interview", { method: "POST", body: { session_id: inSession().session_id },
      headers: candidateHeaders() }));
    learnDisclosure(data);
    if (data.report || data.completed) await showFinishedState();
    else waitingForQuestion(data.message || finishingText());
  } catch (/** @type {any} */ error) {
    banner(error.message, "error");
  } finally {
    endButton.disabled = false;
  }
});

// ---------- live updates ----------

let streamRetries = 0;

function connectStream() {
  if (stream) stream.close();
  // an EventSource cannot send headers: the candidate token goes in the query
  const token = inSession().candidate_token;
  const query = token ? `?candidate_token=${encodeURIComponent(token)}` : "";
  const source = new EventSource(`/api/interview/${inSession().session_id}/events${query}`);
  stream = source;
  source.onopen = () => {
    streamRetries = 0;
    if (($("connection").textContent ?? "").startsWith("Live updates")) banner("");
  };
  source.onerror = () => {
    if (source !== stream || !session) return;
    banner("Live updates interrupted; reconnecting…", "warn");
    if (source.readyState === EventSource.CLOSED) {
      // the browser gives up after an error status: reconnect with backoff, and read the state meanwhile
      const delay = RETRY_DELAYS[Math.min(streamRetries++, RETRY_DELAYS.length - 1)];
      setTimeout(() => {
        if (source === stream && session) {
          refreshState();
          connectStream();
        }
      }, delay);
    }
  };
  /** @param {string} type @param {(data: any) => void} handler */
  const on = (type, handler) => source.addEventListener(type, (message) => handler(JSON.parse(message.data)));
  on("snapshot", applyState);
  on("QuestionGenerated", (data) => {
    if (busy) missedWhileBusy = true;
    else if (!current || data.question_number > current.question_number) refreshState();
  });
  on("AnswerScored", (data) => {
    showFeedback(data.question_number, data.score, data.feedback);
    if (busy) missedWhileBusy = true;
    else refreshHistory();
  });
  on("ProcessingFailed", (data) => banner(data.message, "error"));
  on("ReportGenerated", (data) => {
    stream?.close();
    learnDisclosure(data);
    showFinishedState(); // the report as shown to the candidate, with how they were assessed and their requests
  });
}

// ---------- the finished interview ----------

/**
 * The finished interview, as the interview's state gives it: the report as far as this interview shows it
 * (all of it; the scores alone; or that it is complete), how the candidate was assessed, the optional form,
 * their questions about the result. The session stays saved: a reload comes back here.
 * @param {InterviewState} state
 */
function showFinished(state) {
  if (stream) stream.close();
  voice.stop();
  stopCountdown();
  current = null;
  if (session) {
    session.finished = true;
    localStorage.setItem(SESSION_KEY, JSON.stringify(session));
    forgetDrafts(session.session_id);
    if (session.invitation) rememberDone(session.invitation);
  }
  $("new-interview").hidden = Boolean(INVITATION); // an invitation's link starts nothing more; "/" may
  show("report");
  banner("");
  const report = disclosed === "nothing" ? null : state.report || null;
  showReportCard(state, report);
  const answers = report ? report.questions_and_answers : state.answers.map((a) => ({ ...a, score: null, feedback: null }));
  $("answers-title").textContent = report ? "Question by question" : "Your answers";
  $("answers").replaceChildren(...answers.map((qa) =>
    element("div", { class: "qa" },
      element("h3", {}, `${qa.question_number}. ${qa.question}`),
      qa.score !== null && qa.score !== undefined ? element("p", {}, scoreBadge(qa.score)) : null,
      element("p", { class: "muted said" }, qa.answer || "(no answer)"),
      feedbackParts(qa.feedback, "p"),
    )));
  const told = state.how_assessed || [];
  $("how-assessed").hidden = !told.length;
  listItems($("how-assessed-list"), told);
  offerSelfIdentification();
  requests.show({ ...state, candidate_report: disclosed });
  if (session && finishedShown !== session.session_id) {
    finishedShown = session.session_id;
    $("report-title").focus();
  }
}

/**
 * The report's card: the whole report, the scores without the written parts, or the completion message.
 * @param {InterviewState} state
 * @param {Report | null} report
 */
function showReportCard(state, report) {
  $("report-title").textContent = report ? "Your interview report" : "Thank you for your interview";
  $("complete-message").hidden = Boolean(report);
  $("report-body").hidden = !report;
  const answered = report ? report.questions_and_answers.length : state.answers.length;
  $("report-meta").textContent = [
    (report && report.candidate_name) || state.candidate_name,
    report && report.difficulty ? `${report.difficulty} interview` : null,
    `${answered} of ${state.total_questions} questions answered`,
    report ? new Date(report.started_at).toLocaleDateString() : null,
  ].filter(Boolean).join(" · ");
  if (!report) return;
  const overall = report.overall_score;
  $("overall-line").hidden = overall === null || overall === undefined;
  if (overall !== null && overall !== undefined) {
    $("overall").textContent = `${overall}/10`;
    $("overall").className = `score ${scoreClass(overall)}`;
  }
  $("verdict").hidden = !report.hire_recommendation;
  $("verdict").textContent = report.hire_recommendation ? `Recommendation: ${report.hire_recommendation}` : "";
  $("verdict").className = verdictClass(report.hire_recommendation);
  $("summary").textContent = report.summary || "";
  $("summary").hidden = !report.summary;
  const written = disclosed === "full";
  $("report-feedback").hidden = !written;
  listItems($("strengths"), report.strengths);
  listItems($("weaknesses"), report.weaknesses);
  listItems($("recommendations"), report.recommendations);
}

/** The finished interview's state, read again until it answers (a network error, a 5xx), then shown. */
async function showFinishedState() {
  try {
    const data = await withRetries(() => api(`/api/interview/${inSession().session_id}`, { headers: candidateHeaders() }));
    applyState(data);
  } catch (/** @type {any} */ error) {
    banner(`${error.message} Your interview is saved: reload the page in a moment to see it.`, "error");
  }
}

$("print").addEventListener("click", () => window.print());
$("new-interview").addEventListener("click", () => {
  resetInterview();
  show("start");
  $("start-form", HTMLFormElement).reset();
  $("name").focus();
});

// ---------- optional self-identification ----------

/** The form's controls by the API's field name. */
const SELF_ID_FIELDS = { sex: "self-sex", race_ethnicity: "self-race", age_band: "self-age" };

/** The form under the report, fresh, once per interview (a report shown twice keeps its choices), and not
 * again once the candidate answered or declined it (a reload included). */
function offerSelfIdentification() {
  if (!session || offeredFor === session.session_id) return;
  if (session.self_id) {
    $("self-id").hidden = true;
    return;
  }
  offeredFor = session.session_id;
  $("self-id-form", HTMLFormElement).reset();
  $("self-id-form").hidden = false;
  $("self-id-thanks").hidden = true;
  selfIdError("");
  $("self-id").hidden = false;
}

/** @param {"sent" | "dismissed"} outcome kept with the saved interview: the form is not offered again */
function rememberSelfId(outcome) {
  if (!session) return;
  session.self_id = outcome;
  localStorage.setItem(SESSION_KEY, JSON.stringify(session));
}

/** @param {string} message "" hides it */
function selfIdError(message) {
  $("self-id-error").textContent = message;
  $("self-id-error").hidden = !message;
}

$("self-id-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const send = $("self-id-send", HTMLButtonElement);
  if (!offeredFor || send.disabled) return;
  send.disabled = true;
  selfIdError("");
  const answers = Object.fromEntries(Object.entries(SELF_ID_FIELDS).map(([field, id]) => [field, valueOf(id)]));
  try {
    await api("/api/self-identification", {
      method: "POST", body: { session_id: offeredFor, ...answers }, headers: candidateHeaders(),
    });
    rememberSelfId("sent");
    $("self-id-form").hidden = true;
    $("self-id-thanks").hidden = false;
    $("self-id-thanks").focus();
  } catch (/** @type {any} */ error) {
    const refused = error instanceof HttpError && error.status < 500; // the server's reason is the whole story
    selfIdError(refused ? error.message : `${error.message} Your choices are kept: press Send to try again.`);
  } finally {
    send.disabled = false;
  }
});

$("self-id-skip").addEventListener("click", () => {
  rememberSelfId("dismissed");
  $("self-id").hidden = true;
  $("answers-title").focus();
});

// ---------- resume ----------

/** The start screen of this page: an invitation's (after asking about the link), or the open one. */
function startScreen() {
  if (INVITATION) prepareInvitation(INVITATION);
  else show("start");
}

(async function resume() {
  voice.hasServerVoice();
  // a saved interview is resumed, unless the page is opened from another invitation's link
  if (!session || (INVITATION && session.invitation !== INVITATION)) return startScreen();
  showPosition();
  try {
    const { data } = await api(`/api/interview/${session.session_id}`, { headers: candidateHeaders() });
    applyState(data);
    if (data.status !== "completed") connectStream();
  } catch (error) {
    if (error instanceof HttpError && error.status === 404) {
      forgetDrafts(inSession().session_id);
      localStorage.removeItem(SESSION_KEY);
      session = null;
      startScreen();
      return;
    }
    // keep the interview (and the saved session): say so, and try again until it answers
    show("interview");
    waitingForQuestion("Reconnecting to your interview…");
    try {
      const data = await withRetries(() => api(`/api/interview/${inSession().session_id}`, { headers: candidateHeaders() }));
      applyState(data);
      if (data.status !== "completed") connectStream();
    } catch (/** @type {any} */ again) {
      banner(`${again.message} Your interview is saved: reload the page in a moment to continue.`, "error");
    }
  }
})();
