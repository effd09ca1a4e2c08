// @ts-check
// The audit log, for admins: who read, exported, reviewed, erased, changed or signed in, newest first,
// a page at a time, filtered by who (a user, ADMIN_TOKEN, ...), action and target (an interview's
// session id, a position's, an invitation's, a user's or a webhook's id). A target in the table filters
// by itself when clicked.
import { $, element, valueOf } from "./common.js";
import { pager, problem, when } from "./widgets.js";

/** What the server calls each audited request: AUDITED in services/persistence/api/audit.py, an export
 * named by its data set (tests/browser/test_hiring.py checks that none is missing). */
const ACTIONS = [
  "sign in", "sign out", "read interview", "list interviews", "list answers", "read candidates",
  "read invitations", "search candidates",
  "review answer", "review interview", "end interview", "resolve candidate request", "erase interview", "export interviews",
  "export answers", "export job_descriptions", "export training data", "read adverse impact",
  "export adverse impact", "create position", "change position", "invite candidates", "revoke invitation",
  "new invitation link",
  "create user", "change user", "issue token", "revoke token", "register webhook", "remove webhook",
];
const OTHER_ACTORS = [["admin-token", "ADMIN_TOKEN"], ["internal-token", "the services (INTERNAL_TOKEN)"],
  ["local", "local (no sign-in)"], ["anonymous", "anonymous (refused)"]];
const LIMIT = 50;

/**
 * @param {import("./widgets.js").SectionContext} context
 */
export function initAudit({ data, say }) {
  let offset = 0;
  let request = 0;
  const pages = pager("audit-pages", "Audit log pages", (to) => {
    offset = to;
    load();
  });
  $("audit-pager").replaceChildren(pages.node);
  $("audit-action").append(...ACTIONS.map((action) => element("option", { value: action }, action)));

  $("audit-filters").addEventListener("submit", (event) => {
    event.preventDefault();
    offset = 0;
    load();
  });

  function query() {
    const params = new URLSearchParams({ limit: String(LIMIT), offset: String(offset) });
    for (const [name, id] of [["actor", "audit-actor"], ["action", "audit-action"], ["target", "audit-target"]]) {
      const value = valueOf(id).trim();
      if (value) params.set(name, value);
    }
    return params;
  }

  /** @param {string} target */
  function filterByTarget(target) {
    $("audit-target", HTMLInputElement).value = target;
    offset = 0;
    load();
    $("audit-target").focus();
  }

  async function load() {
    const mine = ++request;
    let page;
    try {
      page = await data(`/api/audit?${query()}`);
    } catch (/** @type {any} */ error) {
      if (mine === request && error.status !== 401) say(problem(error));
      return;
    }
    if (mine !== request) return;
    $("audit-rows").replaceChildren(...page.entries.map((/** @type {any} */ entry) =>
      element("tr", { class: entry.status >= 400 ? "refused" : null, "data-action": entry.action },
        element("td", { class: "small" }, when(entry.at)),
        element("td", {}, entry.actor_name || entry.actor, element("div", { class: "small muted" }, entry.actor)),
        element("td", {}, entry.role),
        element("td", {}, entry.action),
        element("td", {}, entry.target
          ? element("button", { type: "button", class: "link-button", "aria-label": `Show only entries about ${entry.target}`,
            onclick: () => filterByTarget(entry.target) }, entry.target)
          : "—"),
        element("td", { class: "small" }, entry.client || "—"),
        element("td", { class: "number" }, entry.status >= 400 ? element("strong", {}, `${entry.status} refused`) : entry.status))));
    if (!page.entries.length) $("audit-rows").append(element("tr", {}, element("td", { colspan: 7, class: "muted" }, "No entries match.")));
    pages.update(page.offset, page.limit, page.entries.length, page.total);
  }

  /** Fills the list of people to filter by, then loads the first page. */
  async function show() {
    try {
      const users = (await data("/api/users")).users;
      const actor = $("audit-actor", HTMLSelectElement);
      const chosen = actor.value;
      actor.replaceChildren(element("option", { value: "" }, "Anyone"),
        ...users.map((/** @type {any} */ u) => element("option", { value: u.user_id }, `${u.name || u.email} (${u.role})`)),
        ...OTHER_ACTORS.map(([value, text]) => element("option", { value }, text)));
      actor.value = chosen;
    } catch (/** @type {any} */ error) {
      if (error.status === 401) return;
    }
    await load();
  }

  return { show };
}
