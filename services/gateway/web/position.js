// @ts-check
// One position's page: its settings (edit, close, reopen), its candidates ranked by the API (completed
// interviews by average score, then started, invited, unused links of a closed position, expired, revoked),
// each candidate's interview in the detail view, two or more completed candidates side by side
// (compare.js), revoking an unused invitation, and inviting more candidates (invite.js). A reviewer reads
// and opens; only admins and recruiters change anything (and see the accommodations each invitation gives
// its candidate).
import { $, element, teamVerdicts, valueOf, verdictClass } from "./common.js";
import { showComparison } from "./compare.js";
import { initInvite } from "./invite.js";
import { LANGUAGES, STANDARD_TERMS, accommodationsText, positionForm, timeText } from "./position-form.js";
import { CHECKING } from "./signin.js";
import { problem, statusPill, when } from "./widgets.js";

/**
 * A candidate of the position, as GET /api/positions/{id}/candidates lists them.
 * @typedef {object} Candidate
 * @property {string} invitation_id
 * @property {string} candidate_name
 * @property {string} email
 * @property {string} status
 * @property {string | null} session_id
 * @property {number | null} average_score
 * @property {number | null} overall_score
 * @property {string | null} hire_recommendation
 * @property {string | null} human_verdict the latest of anyone's
 * @property {{verdict: string, reviewer: string}[]} [human_verdicts] each person's own
 * @property {number} questions_answered
 * @property {boolean} ended_early completed before every planned question was answered
 * @property {number | null} total_questions
 * @property {string | null} [started_at]
 * @property {string | null} [last_active_at] an interview in progress: when its candidate last did something
 */

/**
 * An e-mail address that wraps, where it must, before its @ and dots rather than anywhere.
 * @param {string} email
 * @returns {(string | HTMLElement)[]}
 */
const breakable = (email) => email.split(/(?=[@.])/).flatMap((part, index) => (index ? [element("wbr"), part] : [part]));

const FILTER_FROM = 8; // candidates from which the list has its filter

/** @param {number | null | undefined} value @param {number} [digits] */
const number = (value, digits = 2) => (value === null || value === undefined ? "—" : value.toFixed(digits));

/**
 * @param {import("./widgets.js").SectionContext} context
 * @param {{openInterview: (sessionId: string, opener: HTMLElement) => void}} options
 */
export function initPosition(context, { openInterview }) {
  const { data, me, say } = context;
  /** @type {any} the position shown */
  let position = null;
  /** @type {Candidate[]} */
  let candidates = [];
  /** @type {Map<string, any>} each invitation's own accommodations (recruiters and admins only) */
  let accommodations = new Map();
  /** @type {Set<string>} the session ids of the candidates selected for comparison */
  const selected = new Set();
  let request = 0;
  /** @type {{path: string, text: string} | null} the candidates' request and its answer as shown: what `changed` compares */
  let candidatesShown = null;
  const invite = initInvite(context, { onInvited: () => loadCandidates() });
  const compareButton = $("compare-button", HTMLButtonElement);

  const mayChange = () => me().role !== "reviewer";

  /** @param {string} positionId */
  async function show(positionId) {
    const mine = ++request;
    selected.clear();
    $("compare").hidden = true;
    $("compare").replaceChildren();
    $("position-edit").hidden = true;
    $("position-edit").replaceChildren();
    $("position-saved").textContent = "";
    $("position-title").textContent = "Loading…";
    $("position-body").hidden = true;
    candidatesShown = null;
    try {
      position = await data(`/api/positions/${encodeURIComponent(positionId)}`);
    } catch (/** @type {any} */ error) {
      if (mine !== request) return;
      $("position-title").textContent = "Position not available";
      if (error.status !== 401) say(problem(error));
      return;
    }
    if (mine !== request) return;
    $("position-body").hidden = false;
    renderSettings();
    invite.show(position, mayChange());
    await loadCandidates();
  }

  function renderSettings() {
    $("position-title").textContent = position.title;
    $("position-status").replaceChildren(statusPill(position.status, position.status === "open" ? "open" : "closed"));
    /** @param {string} term @param {import("./common.js").Child | import("./common.js").Child[]} value */
    const fact = (term, value) => [element("dt", {}, term), element("dd", {}, value)];
    $("position-summary").replaceChildren(
      element("dl", { class: "facts" },
        fact("Difficulty", position.difficulty),
        fact("Questions", String(position.num_questions)),
        fact("Language", LANGUAGES[/** @type {keyof LANGUAGES} */ (position.language)] || "from the job description"),
        fact("Must-ask questions", position.must_ask.length
          ? element("ol", { class: "tight" }, position.must_ask.map((/** @type {string} */ q) => element("li", {}, q)))
          : "none"),
        fact("Rubric", position.rubric || "none"),
        fact("Time per answer", timeText(position.answer_time_limit_seconds)),
        fact("Accommodations", accommodationsText(position.accommodations) || STANDARD_TERMS),
        fact("Created", when(position.created_at))),
      element("details", {}, element("summary", {}, "Job description"), element("p", { class: "small said" }, position.job_description)));
    const actions = $("position-actions");
    actions.replaceChildren();
    if (!mayChange()) return;
    const edit = element("button", { type: "button", class: "secondary", "aria-expanded": "false", "aria-controls": "position-edit" },
      "Edit settings");
    edit.addEventListener("click", () => (edit.getAttribute("aria-expanded") === "true" ? closeEdit(edit) : openEdit(edit)));
    const closing = position.status === "open";
    const toggle = element("button", { type: "button", class: closing ? "danger" : "secondary" },
      closing ? "Close the position" : "Reopen the position");
    toggle.addEventListener("click", () => setStatus(closing ? "closed" : "open", toggle));
    actions.append(edit, toggle);
  }

  /** @param {HTMLButtonElement} button */
  function openEdit(button) {
    const holder = $("position-edit");
    holder.replaceChildren(positionForm({
      id: "edit-position",
      heading: "Edit the settings",
      submitLabel: "Save the settings",
      values: position,
      cancel: () => closeEdit(button),
      submit: async (body) => {
        position = await data(`/api/positions/${position.position_id}`, { method: "PATCH", body });
        renderSettings();
        invite.show(position, mayChange()); // its accommodations start from the position's
        $("position-edit").hidden = true;
        $("position-edit").replaceChildren();
        $("position-saved").textContent = "Saved. Interviews already started keep the settings they started with.";
        $("position-title").focus();
      },
    }));
    holder.hidden = false;
    button.setAttribute("aria-expanded", "true");
    $("edit-position-title").focus();
  }

  /** @param {HTMLButtonElement} button */
  function closeEdit(button) {
    $("position-edit").hidden = true;
    $("position-edit").replaceChildren();
    button.setAttribute("aria-expanded", "false");
    button.focus();
  }

  /**
   * @param {"open" | "closed"} status
   * @param {HTMLButtonElement} button
   */
  async function setStatus(status, button) {
    if (status === "closed" && !confirm(`Close “${position.title}”? Its unused invitation links stop working until you reopen it.`)) return;
    button.disabled = true;
    try {
      position = await data(`/api/positions/${position.position_id}`, { method: "PATCH", body: { status } });
      renderSettings();
      invite.show(position, mayChange());
      loadCandidates(); // their unused links are "position closed" while it is closed, invited again once it opens
      $("position-saved").textContent = status === "closed" ? "The position is closed." : "The position is open again.";
      const again = $("position-actions").lastElementChild;
      if (again instanceof HTMLElement) again.focus(); // the new Close / Reopen button
    } catch (/** @type {any} */ error) {
      button.disabled = false;
      if (error.status !== 401) say(problem(error));
    }
  }

  async function loadCandidates() {
    if (!position) return;
    const mine = request;
    const status = $("candidates-status");
    const path = `/api/positions/${position.position_id}/candidates`;
    let result;
    try {
      [result, accommodations] = await Promise.all([data(path), ownAccommodations()]);
    } catch (/** @type {any} */ error) {
      if (mine === request && error.status !== 401) status.textContent = `The candidates could not load: ${problem(error)}`;
      return;
    }
    if (mine !== request) return;
    candidatesShown = { path, text: JSON.stringify(result) };
    candidates = result.candidates;
    for (const id of [...selected]) if (!candidates.some((c) => c.session_id === id && c.status === "completed")) selected.delete(id);
    const completed = candidates.filter((c) => c.status === "completed").length;
    status.textContent = candidates.length
      ? `${candidates.length} ${candidates.length === 1 ? "candidate" : "candidates"}; ` +
        (completed ? `${completed} completed, ranked by average score, those who answered every question first.`
          : "none has completed the interview yet.")
      : mayChange() ? "Nobody is invited yet: invite candidates below." : "Nobody is invited yet.";
    // the Overview's table sorts by average alone: here an interview ended early ranks after every complete one
    const endedEarly = candidates.some((c) => c.status === "completed" && c.ended_early);
    $("ranking-note").hidden = !endedEarly;
    $("ranking-note").textContent = endedEarly
      ? "Candidates whose interview ended early rank after those who answered every question, whatever their average " +
        "(the Overview's table, sorted by average, mixes them)."
      : "";
    $("candidates-wrap").hidden = !candidates.length;
    $("candidates-filter").hidden = candidates.length < FILTER_FROM;
    let rank = 0;
    $("candidate-rows").replaceChildren(...candidates.map((candidate) => row(candidate, candidate.status === "completed" ? ++rank : null)));
    filterRows();
    updateCompare();
  }

  /** The rows the filter lets through (a position of sixty candidates is one long table otherwise); ranks stay. */
  function filterRows() {
    const text = valueOf("cf-text").trim().toLowerCase();
    const status = valueOf("cf-status");
    let shown = 0;
    for (const tr of $("candidate-rows").children) {
      if (!(tr instanceof HTMLElement) || !tr.dataset.invitation) continue; // a message under a row goes with it
      const candidate = candidates.find((c) => c.invitation_id === tr.dataset.invitation);
      const fits = Boolean(candidate) && (!status || candidate?.status === status)
        && (!text || `${candidate?.candidate_name} ${candidate?.email}`.toLowerCase().includes(text));
      tr.hidden = !fits;
      shown += fits ? 1 : 0;
    }
    $("cf-count").textContent = text || status ? `${shown} of ${candidates.length} shown.` : "";
  }
  $("cf-text").addEventListener("input", filterRows);
  $("cf-status").addEventListener("change", filterRows);
  $("candidates-filter").addEventListener("submit", (event) => event.preventDefault());

  /** The accommodations invitations give their candidates, by invitation id (reviewers may not list them). */
  async function ownAccommodations() {
    if (!mayChange()) return new Map();
    const listed = await data(`/api/positions/${position.position_id}/invitations`).catch(() => null);
    if (!listed) return new Map(); // the candidates are shown without them
    return new Map(listed.invitations.filter((/** @type {any} */ i) => i.accommodations)
      .map((/** @type {any} */ i) => [i.invitation_id, i.accommodations]));
  }

  /**
   * @param {Candidate} candidate
   * @param {number | null} rank
   */
  function row(candidate, rank) {
    const name = candidate.candidate_name || "(no name yet)";
    const comparable = candidate.status === "completed" && Boolean(candidate.session_id);
    const box = element("input", { type: "checkbox", id: `compare-${candidate.invitation_id}`, disabled: !comparable,
      checked: comparable && selected.has(candidate.session_id || "") });
    box.addEventListener("change", () => {
      const id = candidate.session_id || "";
      if (box.checked) selected.add(id);
      else selected.delete(id);
      updateCompare();
    });
    const open = candidate.session_id
      ? element("a", { href: `#${candidate.session_id}`, onclick: (/** @type {MouseEvent} */ e) => {
        e.preventDefault();
        openInterview(candidate.session_id || "", /** @type {HTMLElement} */ (e.currentTarget));
      } }, name)
      : element("span", {}, name);
    const revoke = mayChange() && (candidate.status === "invited" || candidate.status === "closed")
      ? element("button", { type: "button", class: "danger small-button", "aria-label": `Revoke the invitation of ${name}`,
        onclick: (/** @type {MouseEvent} */ e) => revokeInvitation(candidate, /** @type {HTMLButtonElement} */ (e.currentTarget)) }, "Revoke")
      : null;
    // a link is shown once: one lost, or expired, gets a new one (the same candidate; the old link stops)
    const renew = mayChange() && position && position.status === "open" && (candidate.status === "invited" || candidate.status === "expired")
      ? element("button", { type: "button", class: "secondary small-button", "aria-label": `A new link for ${name}`,
        onclick: (/** @type {MouseEvent} */ e) => newLink(candidate, /** @type {HTMLButtonElement} */ (e.currentTarget)) }, "New link")
      : null;
    // an interview its candidate left stays started for ever: a recruiter ends it, and its report covers what was answered
    const end = mayChange() && candidate.status === "started" && candidate.session_id
      ? element("button", { type: "button", class: "secondary small-button", "aria-label": `End the interview of ${name}`,
        onclick: (/** @type {MouseEvent} */ e) => endInterview(candidate, /** @type {HTMLButtonElement} */ (e.currentTarget)) }, "End")
      : null;
    const answered = candidate.total_questions ? [`${candidate.questions_answered}/${candidate.total_questions}`,
      candidate.ended_early ? element("span", { class: "small muted ended-early" }, " (ended early)") : null] : "—";
    return element("tr", { "data-invitation": candidate.invitation_id, "data-status": candidate.status },
      element("td", {}, box, element("label", { for: box.id, class: "visually-hidden" }, `Select ${name} to compare`)),
      element("td", { class: "number" }, rank ?? "—"),
      element("th", { scope: "row" }, open, ownAccommodationsOf(candidate)),
      element("td", { class: "small email" }, candidate.email ? breakable(candidate.email) : "—"),
      element("td", {}, statusPill(candidate.status, candidate.status === "closed" ? "position closed" : candidate.status),
        candidate.last_active_at ? element("div", { class: "small muted last-active" }, `last active ${when(candidate.last_active_at)}`) : null),
      element("td", { class: "number", "data-value": candidate.average_score ?? "" }, number(candidate.average_score)),
      element("td", { class: "number" }, number(candidate.overall_score, 1)),
      element("td", {}, candidate.hire_recommendation
        ? element("span", { class: verdictClass(candidate.hire_recommendation) }, candidate.hire_recommendation) : "—"),
      element("td", {}, teamVerdicts(candidate.human_verdicts)),
      element("td", { class: "number" }, answered),
      element("td", { class: "row-actions" }, renew, end, revoke));
  }

  /** @param {Candidate} candidate the accommodations its invitation gives, under its name; null for the position's */
  function ownAccommodationsOf(candidate) {
    const own = accommodations.get(candidate.invitation_id);
    if (!own) return null;
    return element("span", { class: "accommodation-list" }, `Accommodations: ${accommodationsText(own) || STANDARD_TERMS}`);
  }

  /**
   * @param {Candidate} candidate
   * @param {HTMLButtonElement} button
   */
  async function revokeInvitation(candidate, button) {
    const name = candidate.candidate_name || candidate.email || "this candidate";
    if (!confirm(`Revoke the invitation of ${name}? Their link stops working.`)) return;
    button.disabled = true;
    try {
      await data(`/api/invitations/${candidate.invitation_id}/revoke`, { method: "POST" });
      await loadCandidates();
      $("candidates-status").textContent = `The invitation of ${name} is revoked.`;
      $("candidates-title").focus();
    } catch (/** @type {any} */ error) {
      button.disabled = false;
      if (error.status === 401) return; // the sign-in form shows: the row stays as it was, to try again
      await loadCandidates(); // the refusal may be news (the candidate started meanwhile): the rows as they are now
      rowProblem(candidate.invitation_id, `Not revoked: ${problem(error)}`);
    }
  }

  /**
   * A new link for a candidate whose link was lost or expired: the old one stops working, the new one is shown
   * once, with the links made on this page.
   * @param {Candidate} candidate
   * @param {HTMLButtonElement} button
   */
  async function newLink(candidate, button) {
    const name = candidate.candidate_name || candidate.email || "this candidate";
    if (candidate.status === "invited" && !confirm(`A new link for ${name}? The link they have stops working.`)) return;
    button.disabled = true;
    try {
      const made = await data(`/api/invitations/${candidate.invitation_id}/new-link`, { method: "POST" });
      await loadCandidates();
      $("candidates-status").textContent = `${name} has a new link: copy it below; their old one no longer works.`;
      invite.showLinks(made.invitations, position);
    } catch (/** @type {any} */ error) {
      button.disabled = false;
      if (error.status === 401) return; // the sign-in form shows: the row stays as it was, to try again
      await loadCandidates();
      rowProblem(candidate.invitation_id, `No new link: ${problem(error)}`);
    }
  }

  /**
   * Ends an interview its candidate left: its report is then written over the answers given.
   * @param {Candidate} candidate
   * @param {HTMLButtonElement} button
   */
  async function endInterview(candidate, button) {
    const name = candidate.candidate_name || candidate.email || "this candidate";
    const started = candidate.started_at ? ` (started ${when(candidate.started_at)})` : "";
    if (!confirm(`End the interview of ${name}${started}? Do it only if they left it: its report covers the ` +
      `${candidate.questions_answered} ${candidate.questions_answered === 1 ? "answer" : "answers"} given, and their link takes no more.`)) return;
    button.disabled = true;
    try {
      await data(`/api/data/interview/${encodeURIComponent(candidate.session_id || "")}/end`, { method: "POST" });
      await loadCandidates();
      $("candidates-status").textContent = `The interview of ${name} is ended: its report is being written.`;
      setTimeout(() => loadCandidates(), 3000); // the report, written meanwhile, shows in its row
    } catch (/** @type {any} */ error) {
      button.disabled = false;
      if (error.status === 401) return;
      await loadCandidates();
      rowProblem(candidate.invitation_id, `Not ended: ${problem(error)}`);
    }
  }

  /**
   * A message under a candidate's row, announced, in view and focused (the button that was clicked may be gone).
   * @param {string} invitationId
   * @param {string} message
   */
  function rowProblem(invitationId, message) {
    const at = Array.from($("candidate-rows").children).find((row) => row instanceof HTMLElement && row.dataset.invitation === invitationId);
    if (!at) return say(message);
    const note = element("p", { class: "field-error flush", role: "alert", tabindex: -1 }, message);
    at.after(element("tr", { class: "row-problem", "data-problem-of": invitationId },
      element("td", { colspan: at.children.length }, note)));
    note.scrollIntoView({ block: "nearest" });
    note.focus();
  }

  function updateCompare() {
    compareButton.disabled = selected.size < 2;
    $("compare-hint").textContent = selected.size === 0
      ? "Select two or more completed candidates to see them side by side."
      : selected.size === 1 ? "1 selected: select one more." : `${selected.size} selected.`;
  }

  compareButton.addEventListener("click", async () => {
    const chosen = candidates.filter((c) => c.session_id && selected.has(c.session_id));
    if (chosen.length < 2) return;
    compareButton.disabled = true;
    try {
      await showComparison($("compare"), data, chosen.map((c) => c.session_id || ""), say);
    } finally {
      updateCompare();
    }
  });

  /**
   * Whether the candidates changed since they were shown (an interview completed, a verdict given): their request
   * alone is asked again. Throws when the check failed.
   * @returns {Promise<boolean>}
   */
  async function changed() {
    const before = candidatesShown;
    if (!before) return false;
    const result = await data(before.path, CHECKING);
    return before === candidatesShown && JSON.stringify(result) !== before.text;
  }

  // the candidates again (a verdict saved in the detail view over them shows in its row)
  return { show, refresh: loadCandidates, showWaiting: invite.showWaiting, changed };
}
