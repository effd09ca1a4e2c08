// The candidate's voice: questions read aloud, answers spoken (the server's transcription where it has
// one, else the browser's recognition, else a clear "type your answer"). Loaded before candidate.js,
// whose `current` question and `session` it reads when called.
"use strict";

// Chromium's recognition sends the audio to Google: it fails offline and in Debian's build, so the
// server's transcription comes first where there is one.
const Recognition = window.SpeechRecognition || window.webkitSpeechRecognition;
const RECOGNITION_ERRORS = {
  network: "the browser's speech service cannot be reached",
  "not-allowed": "the microphone is not allowed",
  "service-not-allowed": "the browser's speech service is not allowed",
  "audio-capture": "no microphone was found",
};
let serverVoice = null; // a promise: whether the server speaks and listens
let listener = null; // the recording or recognition running: {tag, stop}
let playing = null;

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
function questionTag() {
  return session && current ? `${session.session_id}/${current.question_number}` : null;
}

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
  const wasListening = Boolean(listener);
  stopListening();
  if (wasListening) $("voice-status").textContent = "Listening stopped: this is a new question.";
}

function offerReading() {
  $("voice-status").textContent = "Press “Read the question aloud” to hear the question.";
}

async function readAloud(text, { automatic = false } = {}) {
  const tag = questionTag();
  const voices = await voicesReady();
  if (tag !== questionTag()) return;
  if (voices.length) {
    speechSynthesis.cancel();
    const utterance = new SpeechSynthesisUtterance(text);
    utterance.onerror = (event) => event.error === "not-allowed" && offerReading();
    speechSynthesis.speak(utterance);
    return;
  }
  if (await hasServerVoice()) {
    try {
      const response = await fetch("/api/tts", {
        method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ text }),
      });
      if (response.ok) {
        const audio = new Audio(URL.createObjectURL(await response.blob()));
        if (tag !== questionTag()) return;
        playing = audio;
        await audio.play();
        return;
      }
    } catch (error) {
      if (error.name === "NotAllowedError") return offerReading();
    }
  }
  if (!automatic) $("voice-status").textContent = "Reading aloud is not available in this browser; the question is shown above.";
}

$("listen").addEventListener("click", () => current && readAloud(current.question));

function listening() {
  $("speak").setAttribute("aria-pressed", "true");
  $("speak").textContent = "Stop listening";
  $("voice-status").textContent = "Listening… speak your answer, then press Stop listening.";
}

function stopListening() {
  const active = listener;
  listener = null;
  if (active) active.stop();
  $("speak").setAttribute("aria-pressed", "false");
  $("speak").textContent = "Answer by voice";
  $("voice-status").textContent = "";
}

function voiceUnavailable(reason) {
  stopListening();
  $("voice-status").textContent = `Voice input is not available (${reason}); please type your answer.`;
  $("answer").focus();
}

function appendToAnswer(text) {
  const box = $("answer");
  box.value = (box.value ? `${box.value.trimEnd()} ` : "") + text.trim();
  box.dispatchEvent(new Event("input"));
}

function canRecord() {
  return Boolean(window.MediaRecorder && navigator.mediaDevices && navigator.mediaDevices.getUserMedia);
}

$("speak").addEventListener("click", async () => {
  if (listener) return stopListening();
  const tag = questionTag();
  if (!tag) return;
  if (canRecord() && (await hasServerVoice())) return record(tag);
  if (Recognition) return recognise(tag);
  voiceUnavailable("this browser cannot listen");
});

async function record(tag) {
  const attempt = { tag, stop: () => {} };
  listener = attempt;
  listening();
  let microphone = null;
  try {
    microphone = await navigator.mediaDevices.getUserMedia({ audio: true });
    if (listener !== attempt) return microphone.getTracks().forEach((track) => track.stop());
    const chunks = [];
    const recorder = new MediaRecorder(microphone);
    recorder.ondataavailable = (event) => chunks.push(event.data);
    recorder.onstop = () => {
      microphone.getTracks().forEach((track) => track.stop());
      transcribe(new Blob(chunks, { type: recorder.mimeType || "audio/webm" }), tag);
    };
    recorder.start();
    attempt.stop = () => recorder.stop();
  } catch (error) {
    if (microphone) microphone.getTracks().forEach((track) => track.stop());
    if (listener === attempt) voiceUnavailable(error.message || "no microphone");
  }
}

async function transcribe(audio, tag) {
  if (tag !== questionTag()) return; // recorded for an earlier question, whose answer is already in
  $("voice-status").textContent = "Transcribing…";
  try {
    const response = await fetch("/api/transcribe", { method: "POST", headers: { "Content-Type": audio.type.split(";")[0] }, body: audio });
    const data = await response.json();
    if (!response.ok) throw new Error(data.message);
    if (tag !== questionTag()) return;
    appendToAnswer(data.text);
    $("voice-status").textContent = "";
  } catch (error) {
    if (tag === questionTag()) voiceUnavailable(error.message);
  }
}

function recognise(tag) {
  const recognition = new Recognition();
  recognition.continuous = true;
  recognition.interimResults = false;
  const attempt = { tag, stop: () => recognition.stop() };
  recognition.onresult = (event) => {
    if (tag !== questionTag()) return; // a result delivered after the question changed
    for (let i = event.resultIndex; i < event.results.length; i++) {
      if (event.results[i].isFinal) appendToAnswer(event.results[i][0].transcript);
    }
  };
  recognition.onerror = (event) => listener === attempt && recognitionFailed(event.error, tag);
  recognition.onend = () => listener === attempt && stopListening();
  listener = attempt;
  try {
    recognition.start();
    listening();
  } catch (error) {
    recognitionFailed(error.message, tag);
  }
}

async function recognitionFailed(error, tag) {
  stopListening();
  if (error === "no-speech" || error === "aborted") {
    $("voice-status").textContent = "Nothing was heard. Press “Answer by voice” to try again, or type your answer.";
    return;
  }
  const fallback = canRecord() && (await hasServerVoice());
  if (tag !== questionTag() || listener) return;
  if (fallback) record(tag);
  else voiceUnavailable(RECOGNITION_ERRORS[error] || error || "an error");
}
