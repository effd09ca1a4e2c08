// @ts-check
// Inviting candidates to a position: rows of name and e-mail typed in, with accommodations for them when they
// differ from the position's, or a CSV file uploaded as it is (Content-Type text/csv: a header row naming
// candidate_name or name, and email; optionally text_only, extra_time, confirm_transcript; separated by commas,
// semicolons or tabs, which the server tells apart). The links come back once (the server keeps only a hash
// of each token): each batch is shown with copy buttons, a download, and a warning that they are not shown
// again, above the batches before it. One batch is sent at a time. Batches stay with their position for the
// page's life until the recruiter hides them: another position shown and this one again shows them again, a
// banner names the positions whose links wait, and leaving or reloading the page asks first.
import { $, element } from "./common.js";
import { accommodationControls } from "./position-form.js";
import { apiProblems, labelled, problem, showFieldError, shownOnce } from "./widgets.js";

const MAX_ROWS = 500;

/**
 * A CSV cell: quoted when it holds a quote, a comma or a line break; a leading quote mark keeps a value
 * that a spreadsheet would run as a formula (= + - @, or a tab or carriage return first) plain text.
 * @param {string} value
 * @returns {string}
 */
function csvCell(value) {
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * The links as a CSV file the recruiter can keep or mail-merge.
 * @param {any[]} invitations
 * @param {string} title the position's
 * @returns {string}
 */
function linksCsv(invitations, title) {
  return ["position,candidate_name,email,url,expires_at",
    ...invitations.map((i) => [title, i.candidate_name, i.email, i.url, i.expires_at].map((v) => csvCell(String(v ?? ""))).join(","))]
    .join("\n") + "\n";
}

/**
 * A title as a file name's part: "Senior Python Developer (Berlin)" → "senior-python-developer-berlin".
 * @param {string} title
 * @returns {string}
 */
function slug(title) {
  return title.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
    .replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 60).replace(/-+$/, "");
}

/**
 * @param {import("./widgets.js").SectionContext} context
 * @param {{onInvited: () => void}} options
 */
export function initInvite({ data }, { onInvited }) {
  /** @type {any} */
  let position = null;
  let rowCount = 0;
  let batchCount = 0;
  let sending = false; // one batch at a time: both forms wait for it
  /** @type {Map<string, {title: string, batches: HTMLElement}>} each position's links not hidden yet, newest first */
  const waiting = new Map();

  /** Whether the forms may be used: the position is open and no batch is being sent. */
  const usable = () => Boolean(position && position.status === "open" && !sending);

  // ---------- rows typed in ----------

  const rows = element("ol", { class: "invite-rows", id: "invite-rows" });
  const addRow = element("button", { type: "button", class: "secondary" }, "Add a candidate");
  const days = element("input", { id: "invite-days", type: "number", inputmode: "numeric", min: 1, max: 365, step: 1,
    placeholder: "14", class: "auto-width" });
  const rowsError = element("div", { class: "field-error form-error", role: "alert", hidden: true });
  const rowsButton = element("button", { type: "submit" }, "Create the links");
  const accommodations = accommodationControls("invite", "Accommodations for these candidates (optional)", null,
    "They start as the position's; changed, they are these candidates' own.");
  const rowsForm = element("form", { id: "invite-form", novalidate: true, "aria-labelledby": "invite-rows-title" },
    element("h4", { id: "invite-rows-title" }, "Type them in"),
    rows, element("div", { class: "actions" }, addRow), accommodations.fieldset,
    labelled(days, "Links valid for (days, optional)", { hint: "Unless set, the server's default (usually 14 days)." }),
    rowsError, element("div", { class: "actions" }, rowsButton));

  function renumber() {
    Array.from(rows.children).forEach((item, index) => {
      for (const hidden of Array.from(item.querySelectorAll(".row-number"))) hidden.textContent = String(index + 1);
    });
    addRow.disabled = !usable() || rows.children.length >= MAX_ROWS;
  }

  /** Adds a row of name and e-mail, and returns its name field. */
  function newRow() {
    const n = ++rowCount;
    const name = element("input", { id: `invite-name-${n}`, maxlength: 200, autocomplete: "off", class: "invite-name" });
    const email = element("input", { id: `invite-email-${n}`, type: "email", maxlength: 320, autocomplete: "off", class: "invite-email" });
    /** @param {string} text @param {HTMLInputElement} control */
    const field = (text, control) => element("div", {},
      element("label", { for: control.id }, text, element("span", { class: "visually-hidden" }, " of candidate ",
        element("span", { class: "row-number" }))),
      control, element("div", { class: "field-error", id: `${control.id}-error`, hidden: true }));
    name.setAttribute("aria-describedby", `${name.id}-error`);
    email.setAttribute("aria-describedby", `${email.id}-error`);
    const remove = element("button", { type: "button", class: "secondary small-button" }, "Remove",
      element("span", { class: "visually-hidden" }, " candidate ", element("span", { class: "row-number" })));
    const item = element("li", { class: "invite-row" }, field("Name", name), field("E-mail", email), element("div", { class: "remove" }, remove));
    remove.addEventListener("click", () => {
      const next = item.nextElementSibling || item.previousElementSibling;
      item.remove();
      if (!rows.children.length) newRow();
      renumber();
      const focus = next && next.querySelector("input");
      (focus || rows.querySelector("input"))?.focus();
    });
    rows.append(item);
    renumber();
    return name;
  }

  addRow.addEventListener("click", () => newRow().focus());

  rowsForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (sending) return;
    rowsError.hidden = true;
    /** @type {{name: HTMLInputElement, email: HTMLInputElement}[]} */
    const sent = [];
    for (const item of Array.from(rows.children)) {
      const name = /** @type {HTMLInputElement} */ (item.querySelector(".invite-name"));
      const email = /** @type {HTMLInputElement} */ (item.querySelector(".invite-email"));
      showFieldError(name, "");
      showFieldError(email, "");
      if (name.value.trim() || email.value.trim()) sent.push({ name, email });
    }
    if (!sent.length) return formProblem(rowsError, "Enter a name or an e-mail address for at least one candidate.", rows.querySelector("input"));
    /** @type {Record<string, unknown>} */
    const own = ownAccommodations();
    const body = { candidates: sent.map(({ name, email }) => ({ candidate_name: name.value.trim(), email: email.value.trim(),
      ...(own ? { accommodations: own } : {}) })) };
    showFieldError(days, "");
    if (days.value.trim()) {
      if (!/^\d+$/.test(days.value.trim())) {
        showFieldError(days, "Enter a whole number of days from 1 to 365.");
        return days.focus();
      }
      body.expires_in_days = Number(days.value);
    }
    await send(body, {}, (error) => {
      const { rest } = apiProblems(error.body, []);
      /** @type {HTMLElement | null} */
      let first = null;
      const left = [];
      for (const part of rest) {
        const match = /^candidates\.(\d+)\.(candidate_name|email): (.*)$/s.exec(part);
        const target = match ? sent[Number(match[1])] : null;
        if (match && target) {
          const control = match[2] === "email" ? target.email : target.name;
          showFieldError(control, match[3].replace(/^Value error, /, ""));
          first = first || control;
        } else if (/^candidates\.\d+\.accommodations/.test(part)) {
          showFieldError(accommodations.control, part.replace(/^[^:]*: /, ""));
          first = first || accommodations.control;
        } else if (/^expires_in_days: /.test(part)) {
          showFieldError(days, part.replace(/^expires_in_days: /, ""));
          first = first || days;
        } else left.push(part);
      }
      if (left.length || !first) formProblem(rowsError, left.join(" ") || problem(error), null);
      if (first) first.focus();
    }, rowsError);
  });

  // ---------- a CSV file ----------

  const file = element("input", { id: "invite-file", type: "file", accept: ".csv,text/csv" });
  const csvError = element("div", { class: "field-error form-error", role: "alert", hidden: true });
  const csvButton = element("button", { type: "submit", class: "secondary" }, "Upload and create the links");
  const csvForm = element("form", { id: "invite-csv-form", novalidate: true, "aria-labelledby": "invite-csv-title" },
    element("h4", { id: "invite-csv-title" }, "Or upload a CSV file"),
    labelled(file, "CSV file of candidates", { hint: "UTF-8, with a header row naming candidate_name (or name) and email, " +
      "separated by commas, semicolons or tabs; one candidate per line. Optional columns give a candidate their own " +
      "accommodations: text_only and confirm_transcript (yes or no), extra_time (from 1 to 3, e.g. 1.5); left out " +
      "or empty, the position's apply." }),
    csvError, element("div", { class: "actions" }, csvButton));

  csvForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (sending) return;
    csvError.hidden = true;
    showFieldError(file, "");
    const chosen = file.files && file.files[0];
    if (!chosen) {
      showFieldError(file, "Choose a CSV file first.");
      return file.focus();
    }
    await send(chosen, { "Content-Type": "text/csv" }, (error) => {
      // every problem of the file at once, each saying its line ("CSV line 6: ..."): kept apart as the API parts them
      showFieldError(file, apiProblems(error.body, []).rest.join("; ") || problem(error));
      file.focus();
    }, csvError);
  });

  /** The accommodations chosen for the candidates typed in, or null when they are the position's. */
  function ownAccommodations() {
    const chosen = accommodations.value();
    const positions = { ...chosen, ...(position && position.accommodations) };
    return Object.entries(chosen).some(([name, value]) => positions[name] !== value) ? chosen : null;
  }

  /**
   * @param {HTMLElement} box
   * @param {string} message
   * @param {HTMLElement | null} focus
   */
  function formProblem(box, message, focus) {
    box.textContent = message;
    box.hidden = false;
    if (focus) focus.focus();
  }

  /** Enables both forms' controls when they may be used, disables them otherwise. */
  function enableForms() {
    const enabled = usable();
    for (const control of [...Array.from(rowsForm.elements), ...Array.from(csvForm.elements)]) {
      if (control instanceof HTMLButtonElement || control instanceof HTMLInputElement || control instanceof HTMLSelectElement) {
        control.disabled = !enabled;
      }
    }
    if (enabled) renumber();
  }

  /**
   * Sends the invitations, both forms disabled meanwhile; on success shows the links and resets the forms.
   * @param {unknown} body JSON, or the CSV file
   * @param {Record<string, string>} headers
   * @param {(error: any) => void} invalid what a 422 does
   * @param {HTMLElement} errorBox where other refusals are said
   */
  async function send(body, headers, invalid, errorBox) {
    const to = position;
    sending = true;
    enableForms();
    let result;
    try {
      result = await data(`/api/positions/${to.position_id}/invitations`, { method: "POST", body, headers });
    } catch (/** @type {any} */ error) {
      sending = false;
      enableForms(); // before the focus goes to a field the refusal is about
      if (error.status === 422) invalid(error);
      else if (error.status === 401) { // the sign-in form is shown over the page, which stays as it is
        formProblem(errorBox, "No links were created: your sign-in had ended. Once signed in again, send them again.", null);
      } else formProblem(errorBox, problem(error), null);
      return;
    }
    sending = false;
    if (position && position.position_id === to.position_id) resetForms();
    enableForms();
    showLinks(result.invitations, to);
    onInvited();
  }

  /**
   * A box of the links just created, above those shown before (each is shown only once).
   * @param {any[]} invitations
   * @param {any} to the position they invite to
   */
  function showLinks(invitations, to) {
    const batch = ++batchCount;
    const download = element("button", { type: "button", class: "secondary" }, "Download the links (CSV)");
    download.addEventListener("click", () => {
      const url = URL.createObjectURL(new Blob([linksCsv(invitations, to.title)], { type: "text/csv" }));
      const link = element("a", { href: url, download: `invitation-links-${slug(to.title) || to.position_id}.csv` });
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    });
    const box = shownOnce({
      heading: `${invitations.length} invitation ${invitations.length === 1 ? "link" : "links"} created for ${to.title}`,
      warning: "these links are shown only now (the server keeps no copy it could show again). Send each candidate their own link; each works once.",
      id: `invitation-link-${batch}`,
      values: invitations.map((i) => ({
        label: i.candidate_name || i.email || "A candidate without a name",
        detail: i.candidate_name && i.email ? i.email : undefined,
        value: i.url,
      })),
      extra: [download],
    });
    box.id = `invitation-links-${batch}`;
    box.classList.add("invitation-links");
    const batches = batchesOf(to);
    batches.prepend(box);
    if (position && position.position_id === to.position_id) {
      if (!batches.isConnected) $("invite-result").replaceChildren(batches);
      box.focus();
    }
  }

  /**
   * The box holding a position's batches (shown in #invite-result while that position is): hiding a batch
   * removes it from there, which the waiting links' banner and the question before leaving hear of.
   * @param {any} to
   * @returns {HTMLElement}
   */
  function batchesOf(to) {
    let entry = waiting.get(to.position_id);
    if (!entry) {
      const batches = element("div", { class: "invitation-batches" });
      new MutationObserver(showWaiting).observe(batches, { childList: true });
      entry = { title: to.title, batches };
      waiting.set(to.position_id, entry);
    }
    return entry.batches;
  }

  /** The banner naming the other positions whose links are not hidden yet (none: hidden). */
  function showWaiting() {
    const here = !$("view-position").hidden && position ? position.position_id : null;
    const others = [...waiting].filter(([id, { batches }]) => id !== here && batches.children.length);
    const banner = $("links-waiting");
    banner.hidden = !others.length;
    banner.replaceChildren(...(others.length ? [
      element("strong", {}, "Invitation links not copied yet: "),
      ...others.flatMap(([id, { title, batches }], index) => [index ? ", " : "",
        element("a", { href: `#/positions/${encodeURIComponent(id)}` }, title),
        ` (${links(batches)})`]),
      ". The server keeps no copy: copy them from their position, then hide them there."] : []));
  }

  /** @param {HTMLElement} batches @returns {string} "3 links" */
  function links(batches) {
    const count = batches.querySelectorAll("input.secret-value").length;
    return `${count} ${count === 1 ? "link" : "links"}`;
  }

  window.addEventListener("beforeunload", (event) => {
    if (![...waiting.values()].some(({ batches }) => batches.children.length)) return;
    event.preventDefault(); // the links would be lost: the browser asks whether to leave
    event.returnValue = "Invitation links not copied yet would be lost."; // what older browsers look for
  });

  function resetForms() {
    rows.replaceChildren();
    newRow();
    accommodations.set(position && position.accommodations);
    showFieldError(accommodations.control, "");
    days.value = "";
    file.value = "";
  }

  const closedNote = element("p", { class: "banner info", hidden: true }, "This position is closed: reopen it to invite candidates.");
  $("invite-body").replaceChildren(closedNote, element("div", { class: "invite-forms" }, rowsForm, csvForm));

  return {
    /**
     * The section for this position (hidden for those who may not invite).
     * @param {any} shown
     * @param {boolean} mayInvite
     */
    show(shown, mayInvite) {
      const samePosition = position && position.position_id === shown.position_id;
      const defaultsChanged = samePosition && JSON.stringify(position.accommodations) !== JSON.stringify(shown.accommodations);
      position = shown;
      if (defaultsChanged) accommodations.set(shown.accommodations);
      $("invite").hidden = !mayInvite;
      if (!samePosition) {
        const kept = waiting.get(shown.position_id);
        if (kept) kept.title = shown.title;
        $("invite-result").replaceChildren(...(kept ? [kept.batches] : []));
        resetForms();
        rowsError.hidden = true;
        csvError.hidden = true;
      }
      closedNote.hidden = shown.status === "open";
      enableForms();
      showWaiting();
    },
    /** Says again which positions' links wait (another section was shown). */
    showWaiting,
    /**
     * Links made elsewhere on the page (a candidate's new link), shown and kept as those made here are.
     * @param {any[]} invitations
     * @param {any} to the position they invite to
     */
    showLinks,
  };
}
