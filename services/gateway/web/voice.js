// @ts-check
// The candidate's voice: questions read aloud, answers spoken (the server's transcription where it has
// one, else the browser's recognition, else a clear "type your answer"). candidate.js starts it with
// `initVoice`, telling it which question is open; it hears when words reach the answer box and when the
// candidate stops speaking (an answer sent then, when they do not check the transcript first), and is told when
// the open question changes: its buttons work only while one is open. What it says of reading aloud is by its
// button in the question, what it says of listening by "Answer by voice" (where the candidate tapped, on a
// phone far below the question), in the page's words (words.js).
import { $, api } from "./common.js";
import { say, sayRefusal } from "./words.js";

/**
 * What the voice needs to know of the interview, asked each time it is needed.
 * @typedef {object} VoiceHost
 * @property {() => string | null} questionTag the open question's tag ("session id/question number"), null
 *   when none is open: a recording or a reading for another tag than the open one's is dropped
 * @property {() => string | null} questionText the open question's text, null when none is open
 * @property {() => void} heard words heard were put in the answer box
 * @property {(tag: string) => void} doneSpeaking the recognition or recording of the question `tag` ended
 *   with words in the answer box
 * @property {() => string} language the interview's language ("en", "de", "es", "fr")
 * @property {() => Record<string, string>} headers the candidate's token: the server's voice is only theirs
 */

/**
 * What candidate.js does with the voice.
 * @typedef {object} Voice
 * @property {() => void} stop stops reading aloud and listening (a new question, the report)
 * @property {(text: string, options?: {automatic?: boolean}) => Promise<void>} readAloud reads `text`
 *   aloud; `automatic`: the candidate did not ask for it, so nothing is said when it is not possible
 * @property {() => Promise<boolean>} hasServerVoice whether the server speaks and listens (asked once)
 * @property {() => void} questionChanged a question was opened (voice input is tried again) or none is open
 */

/** @type {Record<string, string>} the interview's language as speech synthesis and recognition name it */
const SPEECH_LOCALES = { en: "en-US", de: "de-DE", es: "es-ES", fr: "fr-FR" };

/** @param {string} language @returns {string} */
export const speechLocale = (language) => SPEECH_LOCALES[language] || SPEECH_LOCALES.en;

/** The recognition errors said in words (the others as the browser names them). */
const RECOGNITION_ERRORS = /** @type {const} */ (["network", "not-allowed", "service-not-allowed", "audio-capture"]);

/** @param {string} error @returns {string} */
function recognitionError(error) {
  const known = RECOGNITION_ERRORS.find((name) => name === error);
  return known ? say(`recognition_${known}`) : error || say("anError");
}
/**
 * Why the microphone cannot be had, as getUserMedia says it: refused and missing in words (as recognition's).
 * @param {any} error
 * @returns {string}
 */
function microphoneError(error) {
  if (error && error.name === "NotAllowedError") return say("recognition_not-allowed");
  if (error && error.name === "NotFoundError") return say("recognition_audio-capture");
  return (error && error.message) || say("noMicrophone");
}

/**
 * Wires the "Read the question aloud" and "Answer by voice" buttons for the interview `host` describes.
 * @param {VoiceHost} host
 * @returns {Voice}
 */
export function initVoice(host) {
  // Chromium's recognition sends the audio to Google: it fails offline and in Debian's build, so the
  // server's transcription comes first where there is one. (Not typed by the DOM library: any.)
  const Recognition = /** @type {any} */ (window).SpeechRecognition || /** @type {any} */ (window).webkitSpeechRecognition;
  /** @type {Promise<boolean> | null} whether the server speaks and listens, once asked */
  let serverVoice = null;
  /** @type {{tag: string, stop: () => void} | null} the recording or recognition running */
  let listener = null;
  /** @type {HTMLAudioElement | null} */
  let playing = null;
  const status = $("voice-status");
  const readStatus = $("read-status");
  const listen = $("listen", HTMLButtonElement);
  const speak = $("speak", HTMLButtonElement);
  let unavailable = false; // voice input failed for the open question: off until the next one
  const answer = $("answer", HTMLTextAreaElement);

  /** @returns {Promise<boolean>} */
  function hasServerVoice() {
    serverVoice ??= api("/api/voice").then(
      ({ data }) => Boolean(data.server_voice),
      () => {
        serverVoice = null; // not known: ask again next time
        return false;
      },
    );
    return serverVoice;
  }

  // The interview and question that a recording or reading belongs to: one for an earlier question is dropped.
  const questionTag = () => host.questionTag();

  /** @param {string} tag @returns {{session_id: string, question_number: number}} the question a tag names */
  function taggedQuestion(tag) {
    const [session_id, number] = tag.split("/");
    return { session_id, question_number: Number(number) };
  }

  /** @returns {Promise<SpeechSynthesisVoice[]>} */
  function voicesReady() {
    // Chrome lists its voices only after "voiceschanged": wait for it a moment
    if (!("speechSynthesis" in window)) return Promise.resolve([]);
    const now = speechSynthesis.getVoices();
    if (now.length) return Promise.resolve(now);
    return new Promise((resolve) => {
      const done = () => resolve(speechSynthesis.getVoices());
      speechSynthesis.addEventListener("voiceschanged", done, { once: true });
      setTimeout(done, 1000);
    });
  }

  function stopVoice() {
    if ("speechSynthesis" in window) speechSynthesis.cancel();
    if (playing) playing.pause();
    playing = null;
    readStatus.textContent = "";
    const wasListening = Boolean(listener);
    stopListening();
    if (wasListening) status.textContent = say("listeningStopped");
  }

  function offerReading() {
    readStatus.textContent = say("pressReadAloud");
  }

  /** @param {string} text @param {{automatic?: boolean}} [options] */
  async function readAloud(text, { automatic = false } = {}) {
    const tag = questionTag();
    const voices = await voicesReady();
    if (tag !== questionTag()) return;
    if (voices.length) {
      speechSynthesis.cancel();
      const utterance = new SpeechSynthesisUtterance(text);
      utterance.lang = speechLocale(host.language());
      utterance.onerror = (event) => event.error === "not-allowed" && offerReading();
      speechSynthesis.speak(utterance);
      return;
    }
    if (tag !== null && (await hasServerVoice())) {
      try {
        const response = await fetch("/api/tts", {
          method: "POST", headers: { "Content-Type": "application/json", ...host.headers() },
          body: JSON.stringify(taggedQuestion(tag)), // the server reads the question itself, in the interview's language
        });
        if (response.ok) {
          const audio = new Audio(URL.createObjectURL(await response.blob()));
          if (tag !== questionTag()) return;
          playing = audio;
          await audio.play();
          return;
        }
      } catch (/** @type {any} */ error) {
        if (error.name === "NotAllowedError") return offerReading();
      }
    }
    if (!automatic) readStatus.textContent = say("readingUnavailable");
  }

  listen.addEventListener("click", () => {
    const question = host.questionText();
    if (question !== null) readAloud(question);
  });

  /** The buttons as things stand: nothing to read or answer without a question; listening stops still. */
  function showButtons() {
    const open = questionTag() !== null;
    listen.disabled = !open;
    speak.disabled = listener ? false : unavailable || !open;
    speak.setAttribute("aria-pressed", String(Boolean(listener)));
    speak.textContent = listener ? say("stopListening") : say("answerByVoice");
  }

  function questionChanged() {
    if (questionTag() !== null) unavailable = false; // the microphone may be allowed by now
    showButtons();
  }

  function listening() {
    showButtons();
    status.textContent = say("listening");
  }

  function stopListening() {
    const active = listener;
    listener = null;
    if (active) active.stop();
    showButtons();
    status.textContent = "";
  }

  /**
   * Said by the button tapped, the button off until the next question, the focus in the answer box to type.
   * @param {string} reason
   */
  function voiceUnavailable(reason) {
    stopListening();
    unavailable = true;
    showButtons();
    answer.focus();
    status.textContent = say("voiceUnavailable", { reason }); // after the focus moves: it would cut this short
    status.scrollIntoView({ block: "nearest" }); // under the buttons, the answer box above it: both in sight
  }

  /** @param {string} text @returns {boolean} whether there were words to add */
  function appendToAnswer(text) {
    if (!text.trim()) return false;
    answer.value = (answer.value ? `${answer.value.trimEnd()} ` : "") + text.trim();
    answer.dispatchEvent(new Event("input"));
    host.heard();
    return true;
  }

  function canRecord() {
    return Boolean(window.MediaRecorder && navigator.mediaDevices && navigator.mediaDevices.getUserMedia);
  }

  speak.addEventListener("click", async () => {
    if (listener) return stopListening();
    const tag = questionTag();
    if (!tag) return;
    if (canRecord() && (await hasServerVoice())) return record(tag);
    if (Recognition) return recognise(tag);
    voiceUnavailable(say("cannotListen"));
  });

  /** @param {string} tag */
  async function record(tag) {
    const attempt = { tag, stop: () => {} };
    listener = attempt;
    listening();
    /** @type {MediaStream | null} */
    let microphone = null;
    try {
      microphone = await navigator.mediaDevices.getUserMedia({ audio: true });
      if (listener !== attempt) return microphone.getTracks().forEach((track) => track.stop());
      /** @type {Blob[]} */
      const chunks = [];
      const recorder = new MediaRecorder(microphone);
      recorder.ondataavailable = (event) => chunks.push(event.data);
      const tracks = microphone.getTracks();
      recorder.onstop = () => {
        tracks.forEach((track) => track.stop());
        transcribe(new Blob(chunks, { type: recorder.mimeType || "audio/webm" }), tag);
      };
      recorder.start();
      attempt.stop = () => recorder.stop();
    } catch (/** @type {any} */ error) {
      if (microphone) microphone.getTracks().forEach((track) => track.stop());
      if (listener === attempt) voiceUnavailable(microphoneError(error));
    }
  }

  /** @param {Blob} audio @param {string} tag */
  async function transcribe(audio, tag) {
    if (tag !== questionTag()) return; // recorded for an earlier question, whose answer is already in
    status.textContent = say("transcribing");
    try {
      const address = `/api/transcribe?session_id=${encodeURIComponent(taggedQuestion(tag).session_id)}`;
      const response = await fetch(address, { method: "POST", headers: { "Content-Type": audio.type.split(";")[0], ...host.headers() }, body: audio });
      const data = await response.json();
      if (!response.ok) throw new Error(sayRefusal(data) || data.message);
      if (tag !== questionTag()) return;
      status.textContent = "";
      if (appendToAnswer(data.text)) host.doneSpeaking(tag);
    } catch (/** @type {any} */ error) {
      if (tag === questionTag()) voiceUnavailable(error.message);
    }
  }

  /** @param {string} tag */
  function recognise(tag) {
    const recognition = new Recognition();
    recognition.continuous = true;
    recognition.lang = speechLocale(host.language());
    recognition.interimResults = false;
    const attempt = { tag, stop: () => recognition.stop() };
    let heard = false; // words of this recognition are in the box: its end (stopped or not) is the answer's
    let failed = false;
    recognition.onresult = (/** @type {any} */ event) => {
      if (tag !== questionTag()) return; // a result delivered after the question changed
      for (let i = event.resultIndex; i < event.results.length; i++) {
        if (event.results[i].isFinal && appendToAnswer(event.results[i][0].transcript)) heard = true;
      }
    };
    recognition.onerror = (/** @type {any} */ event) => {
      failed = true;
      if (listener === attempt) recognitionFailed(event.error, tag);
    };
    recognition.onend = () => {
      if (listener === attempt) stopListening();
      if (heard && !failed && tag === questionTag()) host.doneSpeaking(tag);
    };
    listener = attempt;
    try {
      recognition.start();
      listening();
    } catch (/** @type {any} */ error) {
      recognitionFailed(error.message, tag);
    }
  }

  /** @param {string} error @param {string} tag */
  async function recognitionFailed(error, tag) {
    stopListening();
    if (error === "no-speech" || error === "aborted") {
      status.textContent = say("nothingHeard");
      return;
    }
    const fallback = canRecord() && (await hasServerVoice());
    if (tag !== questionTag() || listener) return;
    if (fallback) record(tag);
    else voiceUnavailable(recognitionError(error));
  }

  return { stop: stopVoice, readAloud, hasServerVoice, questionChanged };
}
