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

function listItems(list, items) {
  list.replaceChildren(...(items && items.length ? items : ["—"]).map((item) => element("li", {}, item)));
}

function scoreClass(score) {
  return score >= 7 ? "good" : score >= 5 ? "mid" : "low";
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
