// @ts-check
// The candidate's interview: start form, questions (read aloud where possible), answers (typed or
// spoken), live scores over Server-Sent Events, and the finished interview: the report (or as much of it as
// the position shares: docs/fairness.md; report.js), how the candidate was assessed, the optional form they may
// describe themselves in for the fairness audit (self-id.js), and their questions about the result (requests.js).
// Survives reloads and network errors (an answer not sent goes again by itself once the browser is back online;
// the same invitation started in another tab of this browser is resumed); the finished interview stays on this
// browser until the candidate starts a new one. Opened from an invitation link (/?invitation=<token>,
// invitation-link.js) it shows the position's title and asks the years of experience, what the invitation lacks
// (the name) and the candidate's consent (start-form.js); otherwise (open mode) the whole start form (neither
// shows before this script knows which: index.html hides both). Every call about the interview carries the
// candidate token. An answer over the API's limit is not cut: the page says so and sends it once it fits (only
// when its time runs out is its beginning sent, saying so).
// The interview's accommodations (docs/fairness.md) shape the page: typed answers only (no voice controls),
// a countdown per answer (countdown.js: the answer sent as it is when it ends), a spoken answer sent when the
// candidate stops speaking unless they check it first.
// Once the interview's language is known, the page speaks it (words.js), `<html lang>` with it; before, the open
// form speaks the language chosen on it (else the browser's), a link the browser's until its position's is known.
// The page's one module script; the voice (voice.js) is told the open question through `initVoice`.
import { $, api, fieldError, HttpError, valueOf } from "./common.js";
import { initCountdown, NO_ACCOMMODATIONS, timeForEachAnswer } from "./countdown.js";
import { clearFeedback, showFeedback, showFeedbackPending, showHistory, showScoreCard } from "./feedback.js";
import { forgetStart, invitationInAddress, pendingStart, refusal, rememberDone } from "./invitation.js";
import { invitationStart, prepareInvitation, showRefused } from "./invitation-link.js";
import { initLive } from "./live.js";
import { announce, banner, isRetryable, reasonOf, show, silence, withRetries } from "./page-status.js";
import { showReport } from "./report.js";
import { initRequests } from "./requests.js";
import { initSelfIdentification } from "./self-id.js";
import { openForm, showServerErrors, validateStart } from "./start-form.js";
import { initVoice } from "./voice.js";
import { say, sayNumber, setWords, translatePage } from "./words.js";

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
 * @property {string} [language] the interview's: a reload speaks it before the interview's state is read again
 */

/**
 * A question being asked.
 * @typedef {{question_number: number, question: string, seconds_left?: number | null}} Question
 */

/**
 * An answer as the interview's state lists it; its score is null while it is being scored.
 * @typedef {object} AnswerState
 * @property {number} question_number
 * @property {string} question
 * @property {number | null} score
 * @property {import("./common.js").Feedback | null} [feedback]
 */

/** @typedef {import("./report.js").Report} Report */
/** @typedef {import("./report.js").CandidateReport} CandidateReport */
/** @typedef {import("./countdown.js").Accommodations} Accommodations */

/**
 * The whole state of an interview, from GET /api/interview/{id} or the live stream's snapshot.
 * @typedef {object} InterviewState
 * @property {string} session_id
 * @property {string | null} [candidate_name]
 * @property {number} total_questions
 * @property {AnswerState[]} answers
 * @property {Report | null} [report]
 * @property {Report | null} [revised_report] the report written again after an upheld correction, if shown
 * @property {string | null} [problem]
 * @property {Question | null} [current_question]
 * @property {string} [status] "completed" once the report is written, even when it is not shown
 * @property {CandidateReport} [candidate_report]
 * @property {string[]} [how_assessed]
 * @property {import("./requests.js").CandidateRequest[]} [requests]
 * @property {number} [seconds_per_answer] 0: untimed; else the time for each answer, extra time included
 * @property {Accommodations} [accommodations] the candidate's, as the position or the invitation set them
 * @property {string} [language] the interview's ("en", "de", "es", "fr")
 */

const SESSION_KEY = "interviewer.session";
/** @returns {Session | null} the interview this browser saved (read again: another tab may have saved one since) */
function savedSession() {
  return JSON.parse(localStorage.getItem(SESSION_KEY) || "null");
}
let session = savedSession();
/** @type {Question | null} the open question */
let current = null;
let busy = false;
let missedWhileBusy = false; // live events that arrived during a request: re-read the state after it
let readNextAloud = false; // the candidate has just acted (start, submit): the next question may be read aloud
/** @type {CandidateReport} what this interview shows the candidate (each response says it again) */
let disclosed = "full";
/** @type {string | null} the finished interview on the screen (its focus moved there once) */
let finishedShown = null;
/** The invitation's token when the page was opened from a link (invitation mode), else null (open mode). */
const INVITATION = invitationInAddress();
$("recruiters-link").hidden = Boolean(INVITATION); // hidden until known (an invited candidate has no use for the dashboard)
/** @type {{seconds: number, accommodations: Accommodations}} the time per answer (0: untimed), the accommodations */
let pace = { seconds: 0, accommodations: NO_ACCOMMODATIONS };
/** the interview's language: the voice's, the page's own words' (words.js) and the `lang` of what is said in it */
let language = "en";

const questionTag = () => (session && current ? `${session.session_id}/${current.question_number}` : null);
const voice = initVoice({
  questionTag,
  questionText: () => (current ? current.question : null),
  language: () => language,
  headers: () => candidateHeaders(),
  heard: () => {
    if (current) localStorage.setItem(spokenKey(current.question_number), "1"); // its transcript may be contested
    if (pace.accommodations.confirm_transcript) $("transcript-hint").textContent = say("checkWhatWeHeard");
  },
  doneSpeaking: (tag) => {
    if (!pace.accommodations.confirm_transcript && tag === questionTag() && answerBox.value.trim()) sendAnswer("voice");
  },
});

const answerBox = $("answer", HTMLTextAreaElement);
const submitButton = $("submit-answer", HTMLButtonElement);
const startButton = $("start-button", HTMLButtonElement);
const endButton = $("end", HTMLButtonElement);
const requests = initRequests({ headers: candidateHeaders, announce, revised: applyState });
const selfId = initSelfIdentification({ headers: candidateHeaders, remember: rememberSelfId });
const countdown = initCountdown((number) => {
  if (current && current.question_number === number) sendAnswer("time");
});

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

// ---------- start ----------

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
    await begin(invitationStart(INVITATION, pending ? pending.request_id : randomId(), name, Number(valueOf("experience"))));
    return;
  }
  // One id per interview asked for: a retry after a lost response finds the interview already started.
  await begin({
    candidate_name: valueOf("name").trim(),
    experience_years: Number(valueOf("experience")),
    difficulty: valueOf("difficulty"),
    num_questions: Number(valueOf("count")),
    ...(valueOf("language") ? { language: valueOf("language") } : {}),
    job_description: valueOf("job"),
    request_id: randomId(),
  });
});

/**
 * Starts the interview: POST /api/start-interview with `body`, then the first question (or a wait for it).
 * @param {Record<string, unknown>} body
 */
async function begin(body) {
  busy = true;
  readNextAloud = true;
  startButton.disabled = true;
  $("start-status").textContent = say("preparingFirst");
  // not "preparing" while the start cannot get through: the banner says why, in sight (page-status.js)
  const retrying = () => ($("start-status").textContent = say("waitingConnection"));
  try {
    const { status, data } = await withRetries(() => api("/api/start-interview", { method: "POST", body }),
      { kept: say("keptDetails"), whole: true, retrying });
    session = {
      session_id: data.session_id, total: data.total_questions, candidate_token: data.candidate_token,
      invitation: INVITATION, position_title: data.position_title ?? null, language: data.language || "en",
    };
    localStorage.setItem(SESSION_KEY, JSON.stringify(session));
    forgetStart();
    banner("");
    learnPace(data);
    show("interview");
    showPosition();
    setTotal(data.total_questions);
    if (status === 200) showQuestion({ question_number: data.question_number, question: data.question });
    else waitingForQuestion(data.status === "failed" ? data.message : null, 1); // not "pending"'s English
    follow();
  } catch (/** @type {any} */ error) {
    const refused = INVITATION ? refusal(error, INVITATION) : null;
    const here = INVITATION && error instanceof HttpError && error.status === 409 ? savedSessionOf(INVITATION) : null;
    if (here) {
      forgetStart();
      banner("");
      session = here;
      await resumeSaved();
    } else if (refused) {
      forgetStart();
      showRefused(refused);
    } else if (error instanceof HttpError && error.status === 422) banner(showServerErrors(error.body), "error");
    else banner(reasonOf(error), "error");
  } finally {
    busy = false;
    startButton.disabled = false;
    $("start-status").textContent = "";
  }
}

/**
 * The interview this browser saved for invitation `token`, if any: started in another tab of this browser, the
 * invitation is used but the interview is this candidate's (a reload of that tab would resume it too).
 * @param {string} token
 * @returns {Session | null}
 */
function savedSessionOf(token) {
  const saved = savedSession();
  return saved && saved.invitation === token && saved.candidate_token ? saved : null;
}

/** The position's title above the question and in the page's title, for an invited interview. */
function showPosition() {
  const title = session && session.position_title;
  $("position-name").textContent = title ? say("interviewFor", { title }) : "";
  $("position-name").hidden = !title;
  document.title = title ? say("pageTitle", { title }) : "Interviewer";
}

$("check-again").addEventListener("click", () => {
  banner("");
  if (INVITATION) prepareInvitation(INVITATION, begin);
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

/**
 * Where it is kept that speech recognition wrote (some of) the answer to question `number`: sent with it,
 * only such an answer's transcript may be contested afterwards (a typed one has none).
 * @param {number} number
 */
function spokenKey(number) {
  return `${draftKey(number)}.spoken`;
}

/** @param {string} sessionId */
function forgetDrafts(sessionId) {
  const prefix = draftKey("", sessionId);
  for (const key of Object.keys(localStorage)) if (key.startsWith(prefix)) localStorage.removeItem(key);
}

// Everything that belongs to one interview, so that the next candidate on this browser starts clean.
function resetInterview() {
  voice.stop();
  countdown.stop();
  forgetUnsent();
  learnPace({ seconds_per_answer: 0, accommodations: NO_ACCOMMODATIONS, language: "en" });
  $("sent-note").textContent = "";
  live.close();
  if (session) forgetDrafts(session.session_id);
  localStorage.removeItem(SESSION_KEY);
  session = null;
  current = null;
  missedWhileBusy = false;
  readNextAloud = false;
  clearFeedback();
  showHistory([], true, language);
  selfId.reset();
  disclosed = "full";
  finishedShown = null;
  $("how-assessed").hidden = true;
  requests.reset();
  $("question").textContent = "";
  $("question").removeAttribute("lang");
  answerBox.value = "";
  fieldError("answer", "");
  checkAnswerLength();
  $("voice-status").textContent = "";
  $("read-status").textContent = "";
  banner("");
  silence();
  showPosition();
}

/** @param {Question | null | undefined} question */
function showQuestion(question) {
  if (!question || (current && current.question_number === question.question_number)) return;
  current = question;
  voice.stop();
  $("q-number").textContent = String(question.question_number);
  setProgress(question.question_number - 1);
  $("question").textContent = question.question;
  $("question").lang = language;
  answerBox.value = localStorage.getItem(draftKey(question.question_number)) || "";
  answerBox.disabled = false;
  submitButton.disabled = false;
  fieldError("answer", "");
  checkAnswerLength();
  $("transcript-hint").textContent = "";
  voice.questionChanged();
  // read by screen readers as it gets the focus: not announced as well (it would be twice). Its own scroll would
  // bring the heading alone into sight (after a submit on a phone: the progress above it cut off), so the page
  // is shown from its top: what became of the answer just sent (the notes), then the question from its heading.
  $("question").focus({ preventScroll: true });
  window.scrollTo(0, 0);
  // unasked, a browser may refuse to speak: read aloud only right after the candidate acted
  if (readNextAloud && !pace.accommodations.text_only) voice.readAloud(question.question, { automatic: true });
  readNextAloud = false;
  // resumed after a reload: the time it has left (at least a moment, then what is typed is sent)
  const left = question.seconds_left;
  countdown.start(question.question_number, left === null || left === undefined ? pace.seconds : Math.max(1, left));
}

/**
 * No question is open: nothing to answer or read aloud meanwhile.
 * @param {string | null | undefined} message what the question's place says meanwhile; null: that question
 *   `number` is being prepared
 * @param {number} [number] the question coming, when known
 */
function waitingForQuestion(message, number) {
  current = null;
  countdown.stop();
  if (number && number <= inSession().total) $("q-number").textContent = String(number);
  $("question").textContent = message || (number === 1 ? say("preparingFirst") : say("preparingNext"));
  $("question").removeAttribute("lang"); // the page's words
  submitButton.disabled = true;
  voice.questionChanged();
}

/** @param {{candidate_report?: CandidateReport} | null | undefined} data a response or state that may say it */
function learnDisclosure(data) {
  if (data && data.candidate_report) disclosed = data.candidate_report;
}

/**
 * The whole state of the interview, from GET /api/interview/{id} or the stream's snapshot.
 * @param {InterviewState} state
 */
function applyState(state) {
  learnDisclosure(state);
  learnPace(state);
  setTotal(state.total_questions);
  showHistory(state.answers, disclosed !== "nothing", language);
  const last = state.answers.at(-1);
  const showLast = () => {
    if (!last) clearFeedback();
    else if (last.score !== null || disclosed === "nothing") showFeedback(last.question_number, last.score, last.feedback, language);
  };
  if (state.status === "completed" || state.report) {
    showLast();
    return showFinished(state);
  }
  show("interview");
  if (state.problem) banner(state.problem, "error");
  if (state.current_question) showQuestion(state.current_question); // before the score: its focus move would cut it short
  else waitingForQuestion(state.status === "ending" ? finishingText() : null, state.answers.length + 1);
  showLast();
  setProgress(state.answers.length);
}

answerBox.addEventListener("input", () => {
  if (current) localStorage.setItem(draftKey(current.question_number), answerBox.value);
  checkAnswerLength();
});

/** The longest answer the API takes, in characters (counted as the server does: code points). */
const ANSWER_LIMIT = 10_000;
/** @type {"fine" | "near" | "over"} where the answer's length stood when last checked (said on each change) */
let answerLength = "fine";

/**
 * The answer's length against the limit: counted under the box from 90% of it, an error over it (typed, pasted
 * or dictated: every change comes as an input event; a restored draft is checked when it is put back).
 * @returns {boolean} the answer fits
 */
function checkAnswerLength() {
  const length = [...answerBox.value].length;
  const state = length > ANSWER_LIMIT ? "over" : length >= 0.9 * ANSWER_LIMIT ? "near" : "fine";
  const count = sayNumber(length);
  const limit = sayNumber(ANSWER_LIMIT);
  $("answer-length").textContent = say("answerLength", { count, limit });
  $("answer-length").hidden = state !== "near";
  const over = say("answerOver", { count, limit });
  if (state === "over") fieldError("answer", over);
  else if (answerBox.getAttribute("aria-invalid") === "true") fieldError("answer", "");
  if (state !== answerLength && state !== "fine") {
    announce(state === "over" ? over : say("answerNear", { limit }));
  }
  answerLength = state;
  return state !== "over";
}

$("answer-form").addEventListener("submit", (event) => {
  event.preventDefault();
  sendAnswer("candidate");
});
$("see-score").addEventListener("click", showScoreCard);

/**
 * What the page says of an answer it sends by itself: while it is being sent, then once it is accepted.
 * @param {"time" | "voice" | "cut"} how
 * @param {boolean} sent
 */
function sentByItself(how, sent) {
  const limit = sayNumber(ANSWER_LIMIT);
  if (how === "time") return sent ? say("sentTime") : say("sendingTime");
  if (how === "voice") return sent ? say("sentVoice") : say("sendingVoice");
  return sent ? say("sentCut", { limit }) : say("sendingCut", { limit });
}

/**
 * An answer whose sending failed on the way (the retries ran out): sent again by itself when the browser is
 * back online, or after a while; Submit sends it at once.
 * @type {{question: number, how: "candidate" | "time" | "voice", timer: number} | null}
 */
let unsent = null;
const RESEND_MS = 30_000;

function forgetUnsent() {
  if (unsent) clearTimeout(unsent.timer);
  unsent = null;
}

function resendUnsent() {
  const waiting = unsent;
  forgetUnsent();
  if (waiting && current && current.question_number === waiting.question) sendAnswer(waiting.how, true);
}
window.addEventListener("online", resendUnsent);

/** @param {boolean} sending the answer is on its way: the box read-only (an edit would not be sent), the button says so */
function showSending(sending) {
  answerBox.readOnly = sending;
  submitButton.textContent = sending ? say("sending") : say("submitAnswer");
}

/**
 * Sends the answer in the box to the open question: the candidate pressed Submit, the time ran out (sent as it
 * is, even empty; over the limit, its beginning, saying so), or they stopped speaking (when they do not confirm
 * the transcript first). An answer over the limit is otherwise not sent: it stays in the box to be shortened.
 * @param {"candidate" | "time" | "voice"} how
 * @param {boolean} [again] sent again by itself after a failure (an empty answer was confirmed already)
 */
async function sendAnswer(how, again = false) {
  if (!current || busy) return;
  forgetUnsent();
  const fits = checkAnswerLength();
  if (!fits && how !== "time") {
    answerBox.focus();
    return;
  }
  const text = fits ? answerBox.value : [...answerBox.value].slice(0, ANSWER_LIMIT).join("");
  // an empty answer scores 0; a candidate who is not shown scores is not told of one either
  const empty = disclosed === "nothing" ? say("confirmEmpty") : say("confirmEmptyZero");
  if (how === "candidate" && !again && !text.trim() && !confirm(empty)) return;
  countdown.stop();
  const byItself = how === "candidate" ? null : fits ? how : "cut";
  $("sent-note").textContent = byItself ? sentByItself(byItself, false) : "";
  busy = true;
  readNextAloud = true;
  submitButton.disabled = true;
  showSending(true);
  const question = current;
  try {
    const data = await withRetries(() =>
      api("/api/submit-answer", {
        method: "POST",
        body: { session_id: inSession().session_id, answer: text, question_number: question.question_number,
          spoken: localStorage.getItem(spokenKey(question.question_number)) === "1" },
        headers: candidateHeaders(),
      }),
    );
    localStorage.removeItem(draftKey(question.question_number));
    localStorage.removeItem(spokenKey(question.question_number));
    if (byItself) $("sent-note").textContent = sentByItself(byItself, true);
    learnDisclosure(data);
    await refreshHistory();
    if (data.status === "failed") banner(data.message, "error");
    // the next question first: its focus move would cut short a score said before it
    if (data.next_question) showQuestion(data.next_question);
    else waitingForQuestion(data.completed ? finishingText() : null, question.question_number + 1);
    if (data.status === "scored") showFeedback(data.question_number, data.score, data.feedback, language);
    else if (data.status === "pending") showFeedbackPending(data.question_number);
    if (data.report || data.completed) await showFinishedState(); // the report, how assessed, the requests
  } catch (/** @type {any} */ error) {
    if (error instanceof HttpError && error.status === 409) {
      banner(reasonOf(error), "warn");
      await refreshState();
    } else if (isRetryable(error)) {
      readNextAloud = false;
      unsent = { question: question.question_number, how, timer: window.setTimeout(resendUnsent, RESEND_MS) };
      banner(say("answerKeptAuto", { message: reasonOf(error) }), "error");
      submitButton.disabled = false;
    } else {
      readNextAloud = false;
      banner(say("answerKept", { message: reasonOf(error) }), "error");
      submitButton.disabled = false;
    }
  } finally {
    busy = false;
    showSending(false);
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
 * The time per answer, the accommodations and the language of this interview, as a response or the state
 * gives them; the voice controls are taken away for typed answers.
 * @param {{seconds_per_answer?: number, accommodations?: Accommodations, language?: string} | null | undefined} data
 */
function learnPace(data) {
  if (!data || typeof data.seconds_per_answer !== "number") return;
  language = data.language || "en";
  if (setWords(language)) {
    translatePage();
    showPosition();
  }
  answerBox.lang = language;
  pace = { seconds: data.seconds_per_answer, accommodations: { ...NO_ACCOMMODATIONS, ...data.accommodations } };
  const typed = pace.accommodations.text_only;
  if (typed) voice.stop();
  $("listen-actions").hidden = typed;
  $("speak").hidden = typed;
  $("answer-hint").textContent = typed ? say("hintTyped") : say("hintVoice");
  const notes = [typed ? say("typedArranged") : "",
    timeForEachAnswer(pace.seconds)].filter(Boolean);
  $("pace-note").textContent = notes.join(" ");
  $("pace-note").hidden = !notes.length;
}

/** What the question's place says while the interview is being finished. */
function finishingText() {
  return disclosed === "nothing" ? say("ending") : say("endingReport");
}

async function refreshState() {
  try {
    const { data } = await api(`/api/interview/${inSession().session_id}`, { headers: candidateHeaders() });
    applyState(data);
  } catch (/** @type {any} */ error) {
    banner(reasonOf(error), "error");
  }
}

async function refreshHistory() {
  try {
    const { data } = await api(`/api/interview/${inSession().session_id}`, { headers: candidateHeaders() });
    showHistory(data.answers, disclosed !== "nothing", language);
  } catch {
    /* the stream or the next action will bring it */
  }
}

endButton.addEventListener("click", async () => {
  if (!confirm(say("confirmEnd"))) return;
  endButton.disabled = true;
  try {
    const data = await withRetries(() => api("/api/end-interview", { method: "POST", body: { session_id: inSession().session_id },
      headers: candidateHeaders() }));
    learnDisclosure(data);
    if (data.report || data.completed) await showFinishedState();
    else waitingForQuestion(data.message || finishingText());
  } catch (/** @type {any} */ error) {
    banner(reasonOf(error), "error");
  } finally {
    endButton.disabled = false;
  }
});

// ---------- live updates ----------

const live = initLive({
  missed: refreshState,
  handlers: {
    snapshot: applyState,
    QuestionGenerated: (data) => {
      if (busy) missedWhileBusy = true;
      else if (!current || data.question_number > current.question_number) refreshState();
    },
    AnswerScored: (data) => {
      showFeedback(data.question_number, data.score, data.feedback, language, busy); // while busy: the response says it
      if (busy) missedWhileBusy = true;
      else refreshHistory();
    },
    ProcessingFailed: (data) => banner(data.message, "error"),
    ReportGenerated: (data) => {
      live.close();
      learnDisclosure(data);
      showFinishedState(); // the report as shown to the candidate, with how they were assessed and their requests
    },
  },
});

/** Follows the interview in progress live. */
function follow() {
  live.connect(inSession().session_id, inSession().candidate_token);
}

// ---------- the finished interview ----------

/**
 * The finished interview, as the interview's state gives it: the report as far as this interview shows it
 * (all of it; the scores alone; or that it is complete), how the candidate was assessed, the optional form,
 * their questions about the result. The session stays saved: a reload comes back here.
 * @param {InterviewState} state
 */
function showFinished(state) {
  live.close();
  voice.stop();
  countdown.stop();
  current = null;
  if (session) {
    session.finished = true;
    localStorage.setItem(SESSION_KEY, JSON.stringify(session));
    forgetDrafts(session.session_id);
    if (session.invitation) rememberDone(session.invitation);
  }
  // an invitation's link starts nothing more (its address lost the token after the start: the saved
  // interview remembers it), and its report and requests stay on this page; "/" may start another
  $("new-interview").hidden = Boolean(INVITATION || (session && session.invitation));
  show("report");
  banner("");
  showReport(state, disclosed);
  if (session) selfId.offer(session.session_id, Boolean(session.self_id));
  requests.show({ ...state, candidate_report: disclosed });
  if (session && finishedShown !== session.session_id) {
    finishedShown = session.session_id;
    $("report-title").focus();
  }
}

/** The finished interview's state, read again until it answers (a network error, a 5xx), then shown. */
async function showFinishedState() {
  try {
    const data = await withRetries(() => api(`/api/interview/${inSession().session_id}`, { headers: candidateHeaders() }));
    applyState(data);
  } catch (/** @type {any} */ error) {
    banner(say("savedSee", { message: reasonOf(error) }), "error");
  }
}

$("print").addEventListener("click", () => window.print());
$("new-interview").addEventListener("click", () => {
  if (!confirm(say("confirmNew"))) return;
  resetInterview();
  show("start");
  $("start-form", HTMLFormElement).reset();
  openForm();
  $("name").focus();
});

// ---------- optional self-identification ----------

/** @param {"sent" | "dismissed"} outcome kept with the saved interview: the form is not offered again */
function rememberSelfId(outcome) {
  if (!session) return;
  session.self_id = outcome;
  localStorage.setItem(SESSION_KEY, JSON.stringify(session));
}

// ---------- resume ----------

/** The start screen of this page: an invitation's (after asking about the link), or the open one. */
function startScreen() {
  if (INVITATION) prepareInvitation(INVITATION, begin);
  else {
    openForm();
    show("start");
  }
}

(async function resume() {
  voice.hasServerVoice();
  // a saved interview is resumed, unless the page is opened from another invitation's link
  if (!session || (INVITATION && session.invitation !== INVITATION)) return startScreen();
  await resumeSaved();
})();

/** The saved interview read again and shown, followed live; kept (and tried again) while the server cannot answer. */
async function resumeSaved() {
  if (setWords(inSession().language)) translatePage();
  showPosition();
  try {
    const { data } = await api(`/api/interview/${inSession().session_id}`, { headers: candidateHeaders() });
    applyState(data);
    if (data.status !== "completed") follow();
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
    waitingForQuestion(say("reconnecting"));
    try {
      const data = await withRetries(() => api(`/api/interview/${inSession().session_id}`, { headers: candidateHeaders() }));
      applyState(data);
      if (data.status !== "completed") follow();
    } catch (/** @type {any} */ again) {
      banner(say("savedContinue", { message: reasonOf(again) }), "error");
    }
  }
}
