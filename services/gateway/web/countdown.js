// @ts-check
// The time per answer on the candidate page (docs/fairness.md, "Accommodations"): what the candidate is told
// of it and of their accommodations (before the start and beside each question), and the countdown of the
// open question, said to screen readers at a minute, 30 and 10 seconds left, and repeated at the answer box (kept in
// sight while typing on a phone, its keyboard open and the question scrolled away); in the page's words (words.js).
import { $ } from "./common.js";
import { say, sayDuration } from "./words.js";

/**
 * What the hiring team arranged for the candidate.
 * @typedef {object} Accommodations
 * @property {boolean} text_only no voice: the questions are not read aloud and the answers are typed
 * @property {number} extra_time already in seconds_per_answer
 * @property {boolean} confirm_transcript a spoken answer waits in the box to be corrected and sent
 */

/** @type {Accommodations} */
export const NO_ACCOMMODATIONS = { text_only: false, extra_time: 1, confirm_transcript: true };
const TIME_WARNINGS = [10, 30, 60]; // seconds left that screen readers are told of (the nearest first)

/**
 * The time per answer in a sentence, or "" when untimed.
 * @param {number} seconds 0: untimed
 * @returns {string}
 */
export function timeForEachAnswer(seconds) {
  if (!seconds) return "";
  // a time starting with one minute (or one second) may be worded apart: French "d’une minute", not "de une"
  const one = Math.floor(seconds / 60) === 1 || seconds === 1;
  return say(one ? "timeForEachOne" : "timeForEach", { duration: sayDuration(seconds) });
}

/** @param {number} seconds @returns {string} "1:30" */
function clock(seconds) {
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
}

/** @param {string} message said to screen readers, apart from the page's other announcements */
function sayTime(message) {
  $("time-announcer").textContent = message;
}

/**
 * The countdown of the open question.
 * @param {(question: number) => void} timeUp when question's time is up (it is still the one counted)
 */
export function initCountdown(timeUp) {
  /** @type {{question: number, timer: number} | null} */
  let countdown = null;

  function stop() {
    if (countdown) clearInterval(countdown.timer);
    countdown = null;
    $("countdown").hidden = true;
    $("answer-clock").hidden = true;
  }

  /**
   * The countdown of question `number`, from the full time; none for an untimed interview (0 seconds).
   * @param {number} number
   * @param {number} seconds
   */
  function start(number, seconds) {
    stop();
    if (!seconds) return;
    const ends = Date.now() + seconds * 1000;
    const warned = new Set(TIME_WARNINGS.filter((left) => left >= seconds));
    sayTime("");
    const tick = () => {
      const left = Math.max(0, Math.ceil((ends - Date.now()) / 1000));
      $("countdown-time").textContent = clock(left);
      $("countdown").classList.toggle("low", left <= 10);
      $("answer-clock").textContent = say("timeLeftShort", { time: clock(left) });
      $("answer-clock").classList.toggle("low", left <= 10);
      const warning = TIME_WARNINGS.find((mark) => left <= mark && !warned.has(mark));
      if (warning !== undefined && left > 0) {
        for (const mark of TIME_WARNINGS) if (mark >= left) warned.add(mark);
        sayTime(warning === 60 ? say("oneMinuteLeft") : say("secondsLeft", { seconds: warning }));
      }
      if (left > 0 || !countdown || countdown.question !== number) return;
      stop();
      timeUp(number);
    };
    countdown = { question: number, timer: window.setInterval(tick, 250) };
    $("countdown").hidden = false;
    $("answer-clock").hidden = false;
    tick();
  }

  return { start, stop };
}
