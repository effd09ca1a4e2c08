// @ts-check
// The positions list: each position's title, status and its candidates counted by status (a reviewer
// sees only those assigned to them), the "New position" form for admins and recruiters, and the search for
// an invited candidate across positions (by name or e-mail). A position opens on its own page (position.js).
import { $, element, teamVerdicts, valueOf, verdictClass } from "./common.js";
import { LANGUAGES, positionForm } from "./position-form.js";
import { CHECKING } from "./signin.js";
import { problem, statusPill, when } from "./widgets.js";

const COUNTS = ["invited", "started", "completed", "closed", "expired", "revoked"];

/**
 * @param {import("./widgets.js").SectionContext} context
 * @param {{openInterview: (sessionId: string, opener: HTMLElement) => void}} options
 */
export function initPositions({ data, me, say }, { openInterview }) {
  const toggle = $("new-position-open", HTMLButtonElement);
  const holder = $("new-position");

  function closeForm() {
    holder.hidden = true;
    holder.replaceChildren();
    toggle.setAttribute("aria-expanded", "false");
    toggle.focus();
  }

  function openForm() {
    holder.replaceChildren(positionForm({
      id: "new-position-form",
      heading: "New position",
      submitLabel: "Create the position",
      values: null,
      cancel: closeForm,
      submit: async (body) => {
        const position = await data("/api/positions", { method: "POST", body });
        holder.hidden = true;
        holder.replaceChildren();
        toggle.setAttribute("aria-expanded", "false");
        location.hash = `#/positions/${position.position_id}`;
      },
    }));
    holder.hidden = false;
    toggle.setAttribute("aria-expanded", "true");
    $("new-position-form-title").focus();
  }

  toggle.addEventListener("click", () => (holder.hidden ? openForm() : closeForm()));

  let searches = 0; // a slower, older answer must not overwrite a newer one
  /** @type {string | null} the list's answer as shown: what `changed` compares */
  let listShown = null;
  $("find-candidate").addEventListener("submit", async (event) => {
    event.preventDefault();
    const text = valueOf("find-candidate-text").trim();
    const status = $("found-status");
    const mine = ++searches;
    $("found-wrap").hidden = true;
    if (text.length < 2) {
      status.textContent = text ? "Type at least 2 characters of a name or an e-mail." : "";
      return;
    }
    status.textContent = "Searching…";
    let found;
    try {
      found = await data(`/api/invitations?${new URLSearchParams({ search: text, limit: "50" })}`);
    } catch (/** @type {any} */ error) {
      if (mine === searches) status.textContent = error.status === 401 ? "" : `The search failed: ${problem(error)}`;
      return;
    }
    if (mine !== searches) return;
    const shown = found.candidates.length;
    status.textContent = !found.total ? `No invited candidate matches “${text}”.`
      : `${found.total} ${found.total === 1 ? "invitation matches" : "invitations match"} “${text}”` +
        (shown < found.total ? `; the first ${shown} are shown, by name.` : ".");
    $("found-rows").replaceChildren(...found.candidates.map(foundRow));
    $("found-wrap").hidden = !shown;
  });

  /** @param {any} candidate an invitation found, with its position */
  function foundRow(candidate) {
    const name = candidate.candidate_name || "(no name yet)";
    const open = candidate.session_id
      ? element("a", { href: `#${candidate.session_id}`, onclick: (/** @type {MouseEvent} */ e) => {
        e.preventDefault();
        openInterview(candidate.session_id, /** @type {HTMLElement} */ (e.currentTarget));
      } }, name)
      : element("span", {}, name);
    /** @param {string | null} verdict */
    const verdict = (verdict) => verdict ? element("span", { class: verdictClass(verdict) }, verdict) : "—";
    return element("tr", { "data-invitation": candidate.invitation_id, "data-status": candidate.status },
      element("th", { scope: "row" }, open),
      element("td", { class: "small email" }, candidate.email || "—"),
      element("td", {}, element("a", { href: `#/positions/${candidate.position_id}` }, candidate.position_title),
        candidate.position_status === "closed" ? element("span", { class: "muted small" }, " (closed)") : ""),
      element("td", {}, statusPill(candidate.status, candidate.status === "closed" ? "position closed" : candidate.status)),
      element("td", { class: "number" }, candidate.average_score === null ? "—" : candidate.average_score.toFixed(2)),
      element("td", {}, verdict(candidate.hire_recommendation)),
      element("td", {}, teamVerdicts(candidate.human_verdicts))); // each person's (found by a recruiter's test)
  }

  /** (Re)loads the list. */
  async function show() {
    const mayCreate = me().role !== "reviewer";
    toggle.hidden = !mayCreate;
    if (!mayCreate) holder.hidden = true;
    $("positions-intro").textContent = mayCreate
      ? "Each position has its own questions and rubric; invite candidates from its page."
      : "The positions assigned to you: open one to read and review its candidates' interviews.";
    $("find-candidate-hint").textContent = mayCreate ? "across every position's invitations" : "across your positions' invitations";
    const status = $("positions-status");
    status.textContent = "Loading…";
    let positions;
    listShown = null;
    try {
      const listed = await data("/api/positions");
      listShown = JSON.stringify(listed);
      positions = listed.positions;
    } catch (/** @type {any} */ error) {
      status.textContent = "";
      if (error.status !== 401) say(problem(error));
      return;
    }
    status.textContent = positions.length ? "" : mayCreate
      ? "No positions yet: create the first one with “New position”."
      : "No position is assigned to you yet: ask an admin.";
    $("positions-wrap").hidden = !positions.length;
    $("find-candidate").hidden = !positions.length;
    $("positions-rows").replaceChildren(...positions.map((/** @type {any} */ position) =>
      element("tr", { "data-position": position.position_id },
        element("th", { scope: "row" }, element("a", { href: `#/positions/${position.position_id}` }, position.title),
          element("div", { class: "small muted" }, [position.difficulty, `${position.num_questions} ${position.num_questions === 1 ? "question" : "questions"}`,
            LANGUAGES[/** @type {keyof LANGUAGES} */ (position.language)]].filter(Boolean).join(" · "))),
        element("td", {}, statusPill(position.status)),
        ...COUNTS.map((name) => element("td", { class: "number", "data-count": name }, position.candidates[name])),
        element("td", { class: "small" }, when(position.created_at)))));
  }

  /**
   * Whether the list changed since it was shown (a candidate invited, an interview completed). Throws when the
   * check failed.
   * @returns {Promise<boolean>}
   */
  async function changed() {
    const before = listShown;
    if (before === null) return false;
    const listed = await data("/api/positions", CHECKING);
    return before === listShown && JSON.stringify(listed) !== before;
  }

  return { show, changed };
}
