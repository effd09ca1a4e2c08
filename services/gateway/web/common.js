// Shared by the candidate page and the dashboard: small DOM and HTTP helpers.
"use strict";

const $ = (id) => document.getElementById(id);

function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (name === "class") node.className = value;
    else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else if (value !== false && value !== null && value !== undefined) node.setAttribute(name, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

// Fills `list` with one <li> per item ("—" when there are none) and returns it.
function listItems(list, items) {
  list.replaceChildren(...(items && items.length ? items : ["—"]).map((item) => element("li", {}, item)));
  return list;
}

// Shows `message` under the field `id` (its box is `${id}-error`) and marks the field invalid; "" clears both.
function fieldError(id, message) {
  $(`${id}-error`).textContent = message;
  $(`${id}-error`).hidden = !message;
  $(id).setAttribute("aria-invalid", message ? "true" : "false");
}

function scoreClass(score) {
  return score >= 7 ? "good" : score >= 5 ? "mid" : "low";
}

// A score coloured by how good it is, written "7/10" unless `text` says otherwise.
function scoreBadge(score, text = `${score}/10`) {
  return element("span", { class: `score ${scoreClass(score)}` }, text);
}

// An answer's feedback, "Good: …" then "To improve: …", leaving out a part with nothing in it. With a
// `tag`, each part is such an element with its label in bold; without, a " · Good: …" text to run on.
function feedbackParts(feedback, tag) {
  if (!feedback) return [];
  return [["Good", feedback.strengths], ["To improve", feedback.improvements]]
    .filter(([, items]) => items.length)
    .map(([label, items]) => tag
      ? element(tag, {}, element("strong", {}, `${label}: `), items.join("; "))
      : ` · ${label}: ${items.join("; ")}`);
}

function verdictClass(verdict) {
  return "pill verdict-" + String(verdict || "none").replace(/\s+/g, "-");
}

class HttpError extends Error {
  constructor(status, body, retryAfter = null) {
    const detail = body && typeof body.detail === "string" ? body.detail : null;
    super((body && body.message) || detail || `The server answered ${status}.`);
    this.status = status;
    this.body = body || {};
    this.retryAfter = retryAfter;
  }
}

class NetworkError extends Error {}

// JSON over HTTP. Throws HttpError for 4xx/5xx (with the server's message), NetworkError when unreachable.
async function api(path, { method = "GET", body, headers = {}, signal } = {}) {
  let response;
  try {
    response = await fetch(path, {
      method,
      signal,
      headers: { ...(body === undefined ? {} : { "Content-Type": "application/json" }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (error) {
    if (error.name === "AbortError") throw error;
    throw new NetworkError("The server cannot be reached. Check your connection.");
  }
  const data = await response.json().catch(() => ({}));
  if (!response.ok) throw new HttpError(response.status, data, response.headers.get("Retry-After"));
  return { status: response.status, data };
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
