// @ts-check
// The positions list: each position's title, status and its candidates counted by status (a reviewer
// sees only those assigned to them), and the "New position" form for admins and recruiters. A position
// opens on its own page (position.js).
import { $, element } from "./common.js";
import { LANGUAGES, positionForm } from "./position-form.js";
import { problem, statusPill, when } from "./widgets.js";

const COUNTS = ["invited", "started", "completed", "closed", "expired", "revoked"];

/**
 * @param {import("./widgets.js").SectionContext} context
 */
export function initPositions({ data, me, say }) {
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

  /** (Re)loads the list. */
  async function show() {
    const mayCreate = me().role !== "reviewer";
    toggle.hidden = !mayCreate;
    if (!mayCreate) holder.hidden = true;
    $("positions-intro").textContent = mayCreate
      ? "Each position has its own questions and rubric; invite candidates from its page."
      : "The positions assigned to you: open one to read and review its candidates' interviews.";
    const status = $("positions-status");
    status.textContent = "Loading…";
    let positions;
    try {
      positions = (await data("/api/positions")).positions;
    } catch (/** @type {any} */ error) {
      status.textContent = "";
      if (error.status !== 401) say(problem(error));
      return;
    }
    status.textContent = positions.length ? "" : mayCreate
      ? "No positions yet: create the first one with “New position”."
      : "No position is assigned to you yet: ask an admin.";
    $("positions-wrap").hidden = !positions.length;
    $("positions-rows").replaceChildren(...positions.map((/** @type {any} */ position) =>
      element("tr", { "data-position": position.position_id },
        element("th", { scope: "row" }, element("a", { href: `#/positions/${position.position_id}` }, position.title),
          element("div", { class: "small muted" }, [position.difficulty, `${position.num_questions} ${position.num_questions === 1 ? "question" : "questions"}`,
            LANGUAGES[/** @type {keyof LANGUAGES} */ (position.language)]].filter(Boolean).join(" · "))),
        element("td", {}, statusPill(position.status)),
        ...COUNTS.map((name) => element("td", { class: "number", "data-count": name }, position.candidates[name])),
        element("td", { class: "small" }, when(position.created_at)))));
  }

  return { show };
}
