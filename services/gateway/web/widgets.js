// @ts-check
// Small pieces the dashboard's sections share: labelled fields with their error boxes, the API's 422
// messages put under the fields they are about, status pills, dates, copy buttons, secrets shown once,
// and a pager.
import { element } from "./common.js";

/**
 * The dashboard's authorised API call (the sign-in cookie, and the header every change needs): the
 * response's data; throws HttpError or NetworkError.
 * @typedef {(path: string, options?: import("./common.js").ApiOptions) => Promise<any>} DataCall
 */

/**
 * Who is signed in, as GET /api/auth/me says.
 * @typedef {object} Me
 * @property {string} id a user's id, "admin-token" or "local"
 * @property {string} name
 * @property {"admin" | "recruiter" | "reviewer"} role
 * @property {string[]} positions a reviewer's
 */

/**
 * What every section is given: the API call, who is signed in, and the page-level message.
 * @typedef {object} SectionContext
 * @property {DataCall} data
 * @property {() => Me} me
 * @property {(message: string) => void} say "" hides the message
 */

/**
 * A labelled control with its error box `${id}-error` (and an optional hint), the control described by both.
 * @param {HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement} control it must have its id already
 * @param {string} label
 * @param {{hint?: string, className?: string}} [options]
 * @returns {HTMLDivElement}
 */
export function labelled(control, label, { hint, className } = {}) {
  const id = control.id;
  const described = [hint ? `${id}-hint` : "", `${id}-error`].filter(Boolean).join(" ");
  control.setAttribute("aria-describedby", described);
  return element("div", { class: className || null },
    element("label", { for: id }, label),
    control,
    hint ? element("div", { class: "muted small", id: `${id}-hint` }, hint) : null,
    element("div", { class: "field-error", id: `${id}-error`, hidden: true }));
}

/**
 * Shows `message` in the error box of `control` (found in its own document or fragment) and marks it
 * invalid; "" clears both.
 * @param {HTMLElement} control
 * @param {string} message
 */
export function showFieldError(control, message) {
  const box = control.ownerDocument.getElementById(`${control.id}-error`)
    || control.parentElement?.querySelector(`[id="${control.id}-error"]`);
  if (box) {
    box.textContent = message;
    box.hidden = !message;
  }
  control.setAttribute("aria-invalid", message ? "true" : "false");
}

/**
 * The API's 422 answer split by field: FastAPI's `errors` (each with its `loc`), or a message made of
 * "field: problem" parts joined by "; ". `fields` are the names that have a control; anything else is
 * left in `rest`, to show for the whole form. Pydantic's "Value error, " prefix is dropped.
 * @param {any} body the response's JSON
 * @param {string[]} fields
 * @returns {{byField: Record<string, string>, rest: string[]}}
 */
export function apiProblems(body, fields) {
  /** @type {Record<string, string>} */
  const byField = {};
  /** @type {string[]} */
  const rest = [];
  /** @param {string} field @param {string} message */
  const add = (field, message) => {
    const text = message.replace(/^Value error, /, "");
    if (!fields.includes(field)) return rest.push(text);
    // under its field, the API's "must be at most 20" is a sentence: "Must be at most 20."
    const sentence = /^[a-z]/.test(text) ? `${text[0].toUpperCase()}${text.slice(1)}${/[.!?]$/.test(text) ? "" : "."}` : text;
    byField[field] = byField[field] ? `${byField[field]} ${sentence}` : sentence;
  };
  const errors = Array.isArray(body && body.errors) ? body.errors : null;
  if (errors) {
    for (const error of errors) {
      const loc = (error.loc || []).map(String);
      const field = loc.find((/** @type {string} */ part) => fields.includes(part))
        || fields.find((name) => String(error.msg || "").toLowerCase().includes(name.replace(/_/g, "-")))
        || "";
      add(field, String(error.msg || ""));
    }
  } else {
    for (const part of String((body && body.message) || "").split("; ").filter(Boolean)) {
      const match = /^([A-Za-z_][\w.]*): (.*)$/s.exec(part);
      const path = match ? match[1].split(".") : [];
      const field = path.find((name) => fields.includes(name)) || "";
      add(field, match && field ? match[2] : part);
    }
  }
  return { byField, rest };
}

/**
 * A date and time as this browser writes them ("—" for none).
 * @param {string | null | undefined} iso
 * @returns {string}
 */
export function when(iso) {
  return iso ? new Date(iso).toLocaleString() : "—";
}

/**
 * A pill naming a status (its colour from the class `status-<status>`).
 * @param {string} status
 * @param {string} [text]
 * @returns {HTMLSpanElement}
 */
export function statusPill(status, text = status) {
  return element("span", { class: `pill status-${status.replace(/[^a-z0-9]+/gi, "-").toLowerCase()}` }, text);
}

/**
 * Puts `text` on the clipboard: the Clipboard API where the page may use it, else a hidden selection.
 * @param {string} text
 * @returns {Promise<boolean>} whether it worked
 */
export async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const area = element("textarea", { class: "visually-hidden", readonly: true, "aria-hidden": "true" });
    area.value = text;
    document.body.append(area);
    area.select();
    let copied = false;
    try {
      copied = document.execCommand("copy");
    } catch {
      copied = false;
    }
    area.remove();
    return copied;
  }
}

/**
 * A button that copies `text`, saying so (on itself, and to screen readers through `status`).
 * @param {string} text
 * @param {string} label its accessible name, e.g. "Copy the link for Ada Lovelace"
 * @param {HTMLElement} status a role=status element
 * @returns {HTMLButtonElement}
 */
export function copyButton(text, label, status) {
  const button = element("button", { type: "button", class: "secondary small-button", "aria-label": label }, "Copy");
  button.addEventListener("click", async () => {
    const copied = await copyText(text);
    button.textContent = copied ? "Copied" : "Copy";
    status.textContent = copied ? "Copied to the clipboard." : "This browser did not copy it: select the text and copy it.";
    setTimeout(() => (button.textContent = "Copy"), 2000);
  });
  return button;
}

/**
 * A secret (a token, a link, a signing secret) shown this once: a warning that it is not shown again,
 * each value in a read-only field with a copy button, and a button that hides it all.
 * @param {object} options
 * @param {string} options.heading
 * @param {string} options.warning
 * @param {{label: string, value: string, detail?: string}[]} options.values
 * @param {string} options.id prefix of the fields' ids
 * @param {HTMLElement[]} [options.extra] more controls beside the dismiss button
 * @returns {HTMLElement}
 */
export function shownOnce({ heading, warning, values, id, extra = [] }) {
  const status = element("span", { class: "muted small", role: "status" });
  const box = element("div", { class: "once", role: "region", "aria-label": heading, tabindex: -1 },
    element("h3", {}, heading),
    element("p", { class: "banner warn" }, element("strong", {}, "Copy now: "), warning),
    element("ul", { class: "once-values" }, values.map((item, index) => {
      const input = element("input", { id: `${id}-${index}`, readonly: true, class: "secret-value", spellcheck: "false" });
      input.value = item.value;
      input.addEventListener("focus", () => input.select());
      return element("li", {},
        element("label", { for: input.id }, item.label, item.detail ? element("span", { class: "muted small" }, ` ${item.detail}`) : null),
        element("div", { class: "copy-row" }, input, copyButton(item.value, `Copy: ${item.label}`, status)));
    })),
    element("div", { class: "actions" }, ...extra,
      element("button", { type: "button", class: "secondary", onclick: () => box.remove() }, "I have copied it: hide this"),
      status));
  return box;
}

/**
 * Previous / "1–25 of 70" / Next, for a paged list.
 * @param {string} id prefix of the buttons' ids
 * @param {string} label what the pages are of, for screen readers ("Audit log pages")
 * @param {(offset: number) => void} go called with the offset of the page asked for
 */
export function pager(id, label, go) {
  const status = element("span", { class: "muted", role: "status", id: `${id}-status` });
  const previous = element("button", { type: "button", class: "secondary", id: `${id}-previous` }, "Previous");
  const next = element("button", { type: "button", class: "secondary", id: `${id}-next` }, "Next");
  const state = { offset: 0, limit: 25, total: 0 };
  previous.addEventListener("click", () => go(Math.max(0, state.offset - state.limit)));
  next.addEventListener("click", () => go(state.offset + state.limit));
  return {
    node: element("nav", { class: "actions", "aria-label": label }, previous, status, next),
    /** @param {number} offset @param {number} limit @param {number} shown @param {number} total */
    update(offset, limit, shown, total) {
      Object.assign(state, { offset, limit, total });
      status.textContent = `${total ? offset + 1 : 0}–${offset + shown} of ${total}`;
      previous.disabled = offset === 0;
      next.disabled = offset + limit >= total;
    },
  };
}

/**
 * What a failed request says to the person (the server's own message for a 4xx).
 * @param {any} error
 * @returns {string}
 */
export function problem(error) {
  if (error && error.status >= 500) return `The server had a problem (${error.status}): ${error.message}`;
  return error && error.message ? String(error.message) : "Something went wrong.";
}

/** The roles of a table's parts, given outright: a table laid out as cards (app.css) loses its implicit ones. */
const TABLE_ROLES = { TABLE: "table", THEAD: "rowgroup", TBODY: "rowgroup", TFOOT: "rowgroup", TR: "row", TD: "cell" };

/**
 * Each body cell of `table` labelled with its column's heading (`data-label`, shown beside the value when the
 * table is read as cards on a phone); a cell spanning columns, or under no heading, gets none. Every part is
 * given its table role, so that screen readers keep the rows, the cells and their headers on a phone too.
 * @param {HTMLTableElement} table
 */
export function labelCells(table) {
  const headRow = table.tHead?.rows[table.tHead.rows.length - 1];
  /** @type {string[]} */
  const headings = [];
  for (const cell of headRow?.cells || []) {
    for (let span = 0; span < cell.colSpan; span++) headings.push(cell.textContent?.replace(/\s+/g, " ").trim() || "");
  }
  for (const part of [table, ...table.querySelectorAll("thead, tbody, tfoot, tr, td")]) {
    if (part.closest("table") === table) part.setAttribute("role", TABLE_ROLES[/** @type {keyof TABLE_ROLES} */ (part.tagName)]);
  }
  for (const cell of table.querySelectorAll("th")) {
    if (cell.closest("table") === table) cell.setAttribute("role", cell.closest("thead") ? "columnheader" : "rowheader");
  }
  for (const body of table.tBodies) {
    for (const row of body.rows) {
      let column = 0;
      for (const cell of row.cells) {
        const label = cell.colSpan === 1 ? headings[column] : "";
        if (label) cell.dataset.label = label;
        else delete cell.dataset.label;
        column += cell.colSpan;
      }
    }
  }
}

/**
 * Keeps every table under `root` labelled (labelCells) as its rows, or its headings, are drawn and drawn again.
 * @param {HTMLElement} root
 */
export function labelTablesIn(root) {
  for (const table of root.querySelectorAll("table")) labelCells(table);
  new MutationObserver((changes) => {
    /** @type {Set<HTMLTableElement>} */
    const tables = new Set();
    for (const change of changes) {
      const around = change.target instanceof Element ? change.target.closest("table") : null;
      if (around) tables.add(around);
      for (const node of change.addedNodes) {
        if (node instanceof Element) for (const table of node.querySelectorAll("table")) tables.add(table);
        if (node instanceof HTMLTableElement) tables.add(node);
      }
    }
    for (const table of tables) labelCells(table);
  }).observe(root, { childList: true, subtree: true });
}

/**
 * Calls `check` every `every` ms while the tab is visible, never two at once; after a failure it waits twice as
 * long each time (up to eight times), back to `every` once one succeeds. A hidden tab costs the server nothing.
 * @param {() => Promise<void>} check
 * @param {number} every
 */
export function whileVisible(check, every) {
  let wait = every;
  let timer = 0;
  let running = false;
  const schedule = () => {
    clearTimeout(timer);
    timer = window.setTimeout(tick, wait);
  };
  async function tick() {
    if (document.hidden) return; // shown again: visibilitychange schedules the next
    running = true;
    try {
      await check();
      wait = every;
    } catch {
      wait = Math.min(wait * 2, every * 8);
    } finally {
      running = false;
    }
    if (!document.hidden) schedule();
  }
  document.addEventListener("visibilitychange", () => {
    if (document.hidden) clearTimeout(timer);
    else if (!running) schedule();
  });
  schedule();
}
