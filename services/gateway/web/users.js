// @ts-check
// Users, for admins: the list (role, a reviewer's positions, active or not, their API tokens), a new
// user (e-mail, name, role, and a reviewer's positions as checkboxes) whose first token is shown once,
// deactivating and reactivating, changing a reviewer's positions, and issuing or revoking each user's
// tokens (a new token is shown once too).
import { $, element } from "./common.js";
import { apiProblems, labelled, problem, showFieldError, shownOnce, statusPill, when } from "./widgets.js";

const ROLES = [
  ["recruiter", "Recruiter: positions, invitations, every interview, reviews"],
  ["reviewer", "Reviewer: reads and reviews the interviews of their positions only"],
  ["admin", "Admin: everything, users and the audit log included"],
];

const FIRST_USER = "This is the first user: they must be an admin. Creating them ends the open access of this " +
  "machine: from then on everyone signs in, you too, with the API token shown next.";

/**
 * Checkboxes of the positions, those in `chosen` checked.
 * @param {string} id prefix of the boxes' ids
 * @param {any[]} positions
 * @param {string[]} chosen
 * @param {string} legend
 * @returns {HTMLFieldSetElement}
 */
function positionBoxes(id, positions, chosen, legend) {
  return element("fieldset", { class: "choices", id },
    element("legend", {}, legend),
    positions.length
      ? positions.map((p) => element("label", { class: "inline", for: `${id}-${p.position_id}` },
        element("input", { type: "checkbox", id: `${id}-${p.position_id}`, value: p.position_id, checked: chosen.includes(p.position_id) }),
        element("span", {}, p.title, p.status === "closed" ? element("span", { class: "muted small" }, " (closed)") : null)))
      : element("p", { class: "muted small" }, "No positions yet: create one first."));
}

/** @param {HTMLElement} fieldset @returns {string[]} */
const checkedIn = (fieldset) => Array.from(fieldset.querySelectorAll("input:checked")).map((box) => /** @type {HTMLInputElement} */ (box).value);

/**
 * @param {import("./widgets.js").SectionContext} context
 */
export function initUsers({ data, me, say }) {
  /** @type {any[]} */
  let positions = [];
  const toggle = $("new-user-open", HTMLButtonElement);
  const holder = $("new-user");

  let secrets = 0; // each panel's values need ids of their own

  /**
   * A panel of values shown once, above those still shown (each stays until hidden: one not copied yet
   * must not be lost to the next).
   * @param {{heading: string, warning: string, values: {label: string, value: string}[]}} panel
   * @param {string} id prefix of the values' ids
   */
  function showSecret(panel, id) {
    const node = shownOnce({ ...panel, id: `${id}-${++secrets}` });
    $("user-secret").prepend(node);
    node.focus();
  }

  function closeForm() {
    holder.hidden = true;
    holder.replaceChildren();
    toggle.setAttribute("aria-expanded", "false");
  }

  function openForm() {
    const email = element("input", { id: "new-user-email", type: "email", maxlength: 320, required: true, autocomplete: "off" });
    const name = element("input", { id: "new-user-name", maxlength: 200, autocomplete: "off" });
    const first = me().id === "local"; // open access: the first user ends it, so they must be an admin
    const role = element("select", { id: "new-user-role" },
      ROLES.map(([value, text]) => element("option", { value, selected: first && value === "admin" }, text)));
    const boxes = positionBoxes("new-user-positions", positions, [], "Positions this reviewer may read");
    const boxesError = element("div", { class: "field-error", id: "new-user-positions-error", hidden: true });
    const formError = element("div", { class: "field-error form-error", role: "alert", hidden: true });
    const button = element("button", { type: "submit" }, "Create the user");
    const form = element("form", { id: "new-user-form", novalidate: true, "aria-labelledby": "new-user-heading" },
      element("h3", { id: "new-user-heading" }, "New user"),
      element("div", { class: "row" }, labelled(email, "E-mail"), labelled(name, "Name")),
      labelled(role, "Role", { hint: first ? FIRST_USER : undefined }),
      element("div", { id: "new-user-positions-wrap", hidden: true }, boxes, boxesError),
      formError,
      element("div", { class: "actions" }, button,
        element("button", { type: "button", class: "secondary", onclick: () => { closeForm(); toggle.focus(); } }, "Cancel")));
    role.addEventListener("change", () => ($("new-user-positions-wrap").hidden = role.value !== "reviewer"));
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      for (const control of [email, name, role]) showFieldError(control, "");
      boxesError.hidden = true;
      formError.hidden = true;
      if (!email.value.trim()) {
        showFieldError(email, "Enter their e-mail address.");
        return email.focus();
      }
      const body = { email: email.value.trim(), name: name.value.trim(), role: role.value,
        positions: role.value === "reviewer" ? checkedIn(boxes) : [] };
      button.disabled = true;
      try {
        const created = await data("/api/users", { method: "POST", body });
        closeForm();
        const who = created.user.name || created.user.email;
        showSecret({
          heading: `${who} can sign in now`,
          warning: "this API token is shown only now. Give it to them privately: they sign in to the dashboard with it." +
            (first ? " This was the first user: from now on everyone signs in. Copy the token, then reload the page and sign in." : ""),
          values: [{ label: `API token of ${who}`, value: created.token }],
        }, "new-user-token");
        if (first) { // open access has ended: the list no longer loads without signing in
          $("users-status").textContent = `${who} is the first user: copy their token, then reload the page and sign in.`;
        } else {
          await show();
        }
      } catch (/** @type {any} */ error) {
        if (error.status === 409) {
          const field = first && role.value !== "admin" ? role : email; // the first user is an admin
          showFieldError(field, error.message);
          field.focus();
        } else if (error.status === 422) {
          const { byField, rest } = apiProblems(error.body, ["email", "name", "role", "positions"]);
          if (byField.email) showFieldError(email, byField.email);
          if (byField.name) showFieldError(name, byField.name);
          if (byField.role) showFieldError(role, byField.role);
          if (byField.positions) {
            boxesError.textContent = byField.positions;
            boxesError.hidden = false;
          }
          if (rest.length) {
            formError.textContent = rest.join(" ");
            formError.hidden = false;
          }
          (byField.email ? email : byField.name ? name : role).focus();
        } else if (error.status !== 401) {
          formError.textContent = problem(error);
          formError.hidden = false;
        }
      } finally {
        button.disabled = false;
      }
    });
    holder.replaceChildren(form);
    holder.hidden = false;
    toggle.setAttribute("aria-expanded", "true");
    email.focus();
  }

  toggle.addEventListener("click", () => {
    if (holder.hidden) openForm();
    else {
      closeForm();
      toggle.focus();
    }
  });

  /**
   * A change to a user (PATCH), then the list again; says what went wrong otherwise. The button that
   * asked for it is disabled meanwhile.
   * @param {any} user
   * @param {Record<string, unknown>} change
   * @param {string} done what the status line says after it
   * @param {HTMLButtonElement} button
   */
  async function change(user, change, done, button) {
    button.disabled = true;
    try {
      await data(`/api/users/${user.user_id}`, { method: "PATCH", body: change });
      await show();
      $("users-status").textContent = done;
    } catch (/** @type {any} */ error) {
      if (error.status !== 401) say(problem(error));
    } finally {
      button.disabled = false;
    }
  }

  /** @param {any} user */
  function tokensCell(user) {
    const who = user.name || user.email;
    const label = element("input", { id: `token-label-${user.user_id}`, maxlength: 100, placeholder: "e.g. laptop", class: "auto-width" });
    const issueButton = element("button", { type: "submit", class: "secondary small-button" }, "Issue a token");
    const issue = element("form", { class: "inline-form", novalidate: true },
      element("label", { for: label.id, class: "small" }, `Label of a new token for ${who}`), label, issueButton);
    issue.addEventListener("submit", async (event) => {
      event.preventDefault();
      if (issueButton.disabled) return;
      issueButton.disabled = true;
      try {
        const issued = await data(`/api/users/${user.user_id}/tokens`, { method: "POST", body: { label: label.value.trim() } });
        await show();
        showSecret({
          heading: `A new token for ${who}`,
          warning: "this API token is shown only now. Give it to them privately.",
          values: [{ label: `API token “${issued.label || "no label"}” of ${who}`, value: issued.token }],
        }, "issued-token");
      } catch (/** @type {any} */ error) {
        if (error.status !== 401) say(problem(error));
      } finally {
        issueButton.disabled = false;
      }
    });
    return element("td", {},
      element("ul", { class: "tight tokens" }, user.tokens.map((/** @type {any} */ token) => element("li", {},
        `${token.label || "no label"} · ${when(token.issued_at)} `,
        token.revoked_at ? element("span", { class: "muted" }, `revoked ${when(token.revoked_at)}`)
          : element("button", { type: "button", class: "danger small-button",
            "aria-label": `Revoke the token “${token.label || "no label"}” of ${who}`,
            onclick: async (/** @type {MouseEvent} */ event) => {
              const button = /** @type {HTMLButtonElement} */ (event.currentTarget);
              if (!confirm(`Revoke this token of ${who}? Whatever uses it stops working.`)) return;
              button.disabled = true;
              try {
                await data(`/api/users/${user.user_id}/tokens/${token.token_id}`, { method: "DELETE" });
                await show();
                $("users-status").textContent = `A token of ${who} is revoked.`;
              } catch (/** @type {any} */ error) {
                if (error.status !== 401) say(problem(error));
              } finally {
                button.disabled = false;
              }
            } }, "Revoke")))),
      element("details", {}, element("summary", { class: "small" }, "New token"), issue));
  }

  /** @param {any} user */
  function positionsCell(user) {
    if (user.role !== "reviewer") return element("td", { class: "muted small" }, "all");
    const titles = user.positions.map((/** @type {string} */ id) => positions.find((p) => p.position_id === id)?.title || id);
    const who = user.name || user.email;
    const boxes = positionBoxes(`user-positions-${user.user_id}`, positions, user.positions, `Positions of ${who}`);
    const save = element("button", { type: "submit", class: "secondary small-button" }, "Save the positions");
    const form = element("form", { novalidate: true }, boxes, save);
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      if (!save.disabled) change(user, { positions: checkedIn(boxes) }, `The positions of ${who} are saved.`, save);
    });
    return element("td", {},
      titles.length ? element("ul", { class: "tight" }, titles.map((/** @type {string} */ t) => element("li", {}, t))) : element("span", { class: "muted" }, "none"),
      element("details", {}, element("summary", { class: "small" }, "Change"), form));
  }

  /** @param {any} user */
  function row(user) {
    const who = user.name || user.email;
    const self = user.user_id === me().id;
    const activeButton = element("button", { type: "button", class: user.active ? "danger small-button" : "secondary small-button",
      disabled: self && user.active, title: self ? "You cannot deactivate yourself" : null },
    user.active ? "Deactivate" : "Reactivate", element("span", { class: "visually-hidden" }, ` ${who}`));
    activeButton.addEventListener("click", () => {
      if (user.active && !confirm(`Deactivate ${who}? Their tokens and sign-ins stop working.`)) return;
      change(user, { active: !user.active }, user.active ? `${who} is deactivated.` : `${who} is active again.`, activeButton);
    });
    return element("tr", { "data-user": user.user_id, class: user.active ? null : "inactive" },
      element("th", { scope: "row" }, user.name || "—"),
      element("td", { class: "small" }, user.email),
      element("td", {}, user.role),
      positionsCell(user),
      element("td", {}, statusPill(user.active ? "active" : "inactive")),
      tokensCell(user),
      element("td", {}, activeButton));
  }

  /** (Re)loads the users and the positions they may be given. */
  async function show() {
    let users;
    try {
      [users, positions] = await Promise.all([
        data("/api/users").then((r) => r.users),
        data("/api/positions").then((r) => r.positions),
      ]);
    } catch (/** @type {any} */ error) {
      if (error.status !== 401) say(problem(error));
      return;
    }
    $("users-status").textContent = users.length ? "" : "No users yet: you are signed in with ADMIN_TOKEN, or nobody needs to sign in.";
    $("user-rows").replaceChildren(...users.map(row));
  }

  return { show };
}
