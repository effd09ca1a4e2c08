// @ts-check
// Shared by the candidate page and the dashboard: small DOM and HTTP helpers.

/**
 * Something `element` can put inside an element: a node, or text (numbers and the like are written
 * out); null, undefined and false are left out; an array is one level of such children.
 * @typedef {Node | string | number | boolean | null | undefined} Child
 */

/**
 * An answer's feedback as the API gives it.
 * @typedef {{strengths: string[], improvements: string[]}} Feedback
 */

/**
 * The element with this `id`. With a `type` (HTMLInputElement, …) it is checked to be one, and typed so.
 * Throws when there is no such element: every id asked for is in the page.
 * @template {HTMLElement} [T=HTMLElement]
 * @param {string} id
 * @param {{new (): T, prototype: T}} [type]
 * @returns {T}
 */
export function $(id, type) {
  const node = document.getElementById(id);
  if (!node) throw new Error(`The page has no element #${id}.`);
  if (type && !(node instanceof type)) throw new Error(`#${id} is a <${node.tagName.toLowerCase()}>, not a ${type.name}.`);
  return /** @type {T} */ (node);
}

/**
 * The elements matching `selector` in the page that are `type`s (HTMLButtonElement, …), as an array.
 * @template {Element} T
 * @param {string} selector
 * @param {{new (): T, prototype: T}} type
 * @returns {T[]}
 */
export function all(selector, type) {
  return Array.from(document.querySelectorAll(selector)).filter(
    /** @type {(node: Element) => node is T} */ ((node) => node instanceof type));
}

/**
 * The value of the form control (input, select or textarea) with this `id`.
 * @param {string} id
 * @returns {string}
 */
export function valueOf(id) {
  const control = $(id);
  if (control instanceof HTMLInputElement || control instanceof HTMLSelectElement || control instanceof HTMLTextAreaElement) {
    return control.value;
  }
  throw new Error(`#${id} is not a form control.`);
}

/**
 * A new element. Attributes: false, null and undefined leave the attribute out; "class" sets the class
 * name; "onclick" and other "on…" add that event's listener; true is an empty attribute; anything else is
 * written out as text.
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Record<string, any>} [attributes]
 * @param {...(Child | Child[])} children
 * @returns {HTMLElementTagNameMap[K]}
 */
export function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === false || value === null || value === undefined) continue;
    if (name === "class") node.className = value;
    else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/**
 * Fills `list` with one <li> per item ("—" when there are none) and returns it.
 * @template {HTMLElement} L
 * @param {L} list
 * @param {string[] | null | undefined} items
 * @returns {L}
 */
export function listItems(list, items) {
  list.replaceChildren(...(items && items.length ? items : ["—"]).map((item) => element("li", {}, item)));
  return list;
}

/**
 * Shows `message` under the field `id` (its box is `${id}-error`) and marks the field invalid; "" clears both.
 * @param {string} id
 * @param {string} message
 */
export function fieldError(id, message) {
  $(`${id}-error`).textContent = message;
  $(`${id}-error`).hidden = !message;
  $(id).setAttribute("aria-invalid", message ? "true" : "false");
}

/**
 * "good", "mid" or "low": the class that colours a score from 0 to 10.
 * @param {number} score
 * @returns {"good" | "mid" | "low"}
 */
export function scoreClass(score) {
  return score >= 7 ? "good" : score >= 5 ? "mid" : "low";
}

/**
 * A score coloured by how good it is, written "7/10" unless `text` says otherwise.
 * @param {number} score
 * @param {string} [text]
 * @returns {HTMLSpanElement}
 */
export function scoreBadge(score, text = `${score}/10`) {
  return element("span", { class: `score ${scoreClass(score)}` }, text);
}

/**
 * An answer's feedback, "Good: …" then "To improve: …", leaving out a part with nothing in it. With a
 * `tag`, each part is such an element with its label in bold; without, a " · Good: …" span to run on.
 * With a `lang` (the interview's), the feedback's own words are marked as in it; the labels stay the page's.
 * @param {Feedback | null | undefined} feedback
 * @param {keyof HTMLElementTagNameMap} [tag]
 * @param {string | null} [lang]
 * @returns {HTMLElement[]}
 */
export function feedbackParts(feedback, tag, lang) {
  if (!feedback) return [];
  /** @type {[string, string[]][]} */
  const parts = [["Good", feedback.strengths], ["To improve", feedback.improvements]];
  return parts
    .filter(([, items]) => items.length)
    .map(([label, items]) => {
      const said = element("span", { lang }, items.join("; "));
      return tag ? element(tag, {}, element("strong", {}, `${label}: `), said) : element("span", {}, ` · ${label}: `, said);
    });
}

/**
 * The classes of a hire recommendation's pill ("pill verdict-strong-yes", …; "pill verdict-none").
 * @param {string | null | undefined} verdict
 * @returns {string}
 */
export function verdictClass(verdict) {
  return "pill verdict-" + String(verdict || "none").replace(/\s+/g, "-");
}

/**
 * A hiring team's verdicts, one line each, who gave it beside it: "yes Rita Recruiter" ("—": nobody yet).
 * @param {{verdict: string, reviewer: string}[] | undefined} verdicts
 * @returns {string | HTMLElement[]}
 */
export function teamVerdicts(verdicts) {
  if (!verdicts || !verdicts.length) return "—";
  return verdicts.map((v) => element("div", { class: "team-verdict" },
    element("span", { class: verdictClass(v.verdict) }, v.verdict), " ", element("span", { class: "small muted" }, v.reviewer)));
}

/** The server answered with an error status (4xx, 5xx); `message` is the server's own where it gave one. */
export class HttpError extends Error {
  /**
   * @param {number} status
   * @param {any} body the response's JSON ({} when it had none)
   * @param {string | null} [retryAfter] the Retry-After header
   */
  constructor(status, body, retryAfter = null) {
    const detail = body && typeof body.detail === "string" ? body.detail : null;
    super((body && body.message) || detail || `The server answered ${status}.`);
    /** @type {number} */
    this.status = status;
    /** @type {any} */
    this.body = body || {};
    /** @type {string | null} */
    this.retryAfter = retryAfter;
    /** @type {boolean} the message is the server's own, not the English fallback (which a page may word its way) */
    this.told = Boolean((body && body.message) || detail);
  }
}

/** The server could not be reached at all. */
export class NetworkError extends Error {}

/**
 * @typedef {object} ApiOptions
 * @property {string} [method]
 * @property {unknown} [body] sent as JSON; a Blob (a file) is sent as it is, with the Content-Type in `headers`
 * @property {Record<string, string>} [headers]
 * @property {AbortSignal} [signal]
 */

/**
 * JSON over HTTP. Throws HttpError for 4xx/5xx (with the server's message), NetworkError when unreachable.
 * @param {string} path
 * @param {ApiOptions} [options]
 * @returns {Promise<{status: number, data: any}>}
 */
export async function api(path, { method = "GET", body, headers = {}, signal } = {}) {
  let response;
  const raw = body instanceof Blob;
  try {
    response = await fetch(path, {
      method,
      signal,
      headers: { ...(body === undefined || raw ? {} : { "Content-Type": "application/json" }), ...headers },
      body: body === undefined ? undefined : raw ? body : JSON.stringify(body),
    });
  } catch (/** @type {any} */ error) {
    if (error.name === "AbortError") throw error;
    throw new NetworkError("The server cannot be reached. Check your connection.");
  }
  const data = await response.json().catch(() => ({}));
  if (!response.ok) throw new HttpError(response.status, data, response.headers.get("Retry-After"));
  return { status: response.status, data };
}

/**
 * A length of time in words: "3 minutes", "1 minute 30 seconds", "45 seconds".
 * @param {number} seconds
 * @returns {string}
 */
export function duration(seconds) {
  const minutes = Math.floor(seconds / 60);
  const rest = seconds % 60;
  /** @param {number} n @param {string} unit */
  const count = (n, unit) => `${n} ${unit}${n === 1 ? "" : "s"}`;
  return [minutes ? count(minutes, "minute") : "", rest || !minutes ? count(rest, "second") : ""].filter(Boolean).join(" ");
}

/**
 * Resolves after `ms` milliseconds.
 * @param {number} ms
 * @returns {Promise<void>}
 */
export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
