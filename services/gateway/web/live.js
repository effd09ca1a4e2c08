// @ts-check
// The candidate's interview followed live over Server-Sent Events: the handlers get each event's data; when
// the browser gives up on the stream (an error status) it is opened again with growing delays, the state
// read meanwhile, the banner saying so (in the page's words).
import { $ } from "./common.js";
import { banner, RETRY_DELAYS } from "./page-status.js";
import { say } from "./words.js";

/**
 * @param {object} options
 * @param {Record<string, (data: any) => void>} options.handlers by the event's type ("snapshot", "AnswerScored", …)
 * @param {() => void} options.missed the stream was lost: read the state again
 */
export function initLive({ handlers, missed }) {
  /** @type {EventSource | null} */
  let stream = null;
  let retries = 0;

  /**
   * Follows interview `sessionId` (instead of any other).
   * @param {string} sessionId
   * @param {string | undefined} token the candidate token: an EventSource cannot send headers, so it goes in the query
   */
  function connect(sessionId, token) {
    if (stream) stream.close();
    const query = token ? `?candidate_token=${encodeURIComponent(token)}` : "";
    const source = new EventSource(`/api/interview/${sessionId}/events${query}`);
    stream = source;
    source.onopen = () => {
      retries = 0;
      if ($("connection").textContent === say("liveInterrupted")) banner("");
    };
    source.onerror = () => {
      if (source !== stream) return;
      banner(say("liveInterrupted"), "warn");
      if (source.readyState === EventSource.CLOSED) {
        // the browser gives up after an error status: reconnect with backoff, and read the state meanwhile
        const delay = RETRY_DELAYS[Math.min(retries++, RETRY_DELAYS.length - 1)];
        setTimeout(() => {
          if (source === stream) {
            missed();
            connect(sessionId, token);
          }
        }, delay);
      }
    };
    for (const [type, handler] of Object.entries(handlers)) {
      source.addEventListener(type, (message) => handler(JSON.parse(/** @type {MessageEvent} */ (message).data)));
    }
  }

  /** Stops following (the interview is over, or another starts). */
  function close() {
    if (stream) stream.close();
    stream = null;
    retries = 0;
  }

  return { connect, close };
}
