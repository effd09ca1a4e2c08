// @ts-check
// Webhooks, for admins: the endpoints of an applicant-tracking system that hear about interviews (a
// signed POST per event of the topics they ask for, retried until accepted). Register one (URL and
// topics; its signing secret is shown once), remove one, and follow each one's deliveries: every
// attempt with its status code, error and time, and whether it was delivered or when it is tried next.
import { $, element } from "./common.js";
import { apiProblems, problem, showFieldError, shownOnce, statusPill, when } from "./widgets.js";

const TOPICS = [
  ["interview.completed", "An interview is completed (the interview document)"],
  ["report.generated", "A report is written (the interview document)"],
  ["report.revised", "A report is written again after an upheld correction (the corrected interview document)"],
  ["interview.erased", "A candidate is erased (nothing personal)"],
];

/**
 * @param {import("./widgets.js").SectionContext} context
 */
export function initWebhooks({ data, say }) {
  const form = $("webhook-form", HTMLFormElement);
  const url = $("webhook-url", HTMLInputElement);
  const formError = $("webhook-form-error");
  /** @type {string | null} the webhook whose deliveries are shown */
  let following = null;
  let request = 0; // the latest deliveries asked for: a slower, older answer must not replace them

  $("webhook-topics").append(...TOPICS.map(([topic, text]) =>
    element("label", { class: "inline", for: `topic-${topic}` },
      element("input", { type: "checkbox", id: `topic-${topic}`, value: topic, name: "topic", checked: topic === "interview.completed" }),
      element("span", {}, element("code", {}, topic), ` ${text}`))));

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    showFieldError(url, "");
    $("webhook-topics-error").hidden = true;
    formError.hidden = true;
    const topics = Array.from(form.querySelectorAll("input[name=topic]:checked")).map((box) => /** @type {HTMLInputElement} */ (box).value);
    if (!/^https?:\/\/\S+$/i.test(url.value.trim())) {
      showFieldError(url, "Enter the full address of the endpoint, starting with https://.");
      return url.focus();
    }
    if (!topics.length) {
      $("webhook-topics-error").textContent = "Choose at least one topic.";
      $("webhook-topics-error").hidden = false;
      return /** @type {HTMLElement} */ (form.querySelector("input[name=topic]")).focus();
    }
    const button = /** @type {HTMLButtonElement} */ (form.querySelector("button[type=submit]"));
    button.disabled = true;
    try {
      const created = await data("/api/webhooks", { method: "POST", body: { url: url.value.trim(), topics } });
      url.value = "";
      const box = shownOnce({
        heading: "The webhook's signing secret",
        warning: "this secret is shown only now. The receiver checks each delivery's X-Interviewer-Signature with it.",
        id: "webhook-secret-value",
        values: [{ label: `Signing secret for ${created.url}`, value: created.secret }],
      });
      $("webhook-secret").replaceChildren(box);
      box.focus();
      await list();
    } catch (/** @type {any} */ error) {
      if (error.status === 422) {
        const { byField, rest } = apiProblems(error.body, ["url", "topics"]);
        if (byField.url) showFieldError(url, byField.url);
        if (byField.topics) {
          $("webhook-topics-error").textContent = byField.topics;
          $("webhook-topics-error").hidden = false;
        }
        if (rest.length) {
          formError.textContent = rest.join(" ");
          formError.hidden = false;
        }
        url.focus();
      } else if (error.status !== 401) {
        formError.textContent = problem(error);
        formError.hidden = false;
      }
    } finally {
      button.disabled = false;
    }
  });

  /** @param {any} webhook */
  function row(webhook) {
    const counts = webhook.deliveries || {};
    const show = element("button", { type: "button", class: "secondary small-button", "aria-controls": "deliveries",
      onclick: () => deliveries(webhook) }, "Deliveries", element("span", { class: "visually-hidden" }, ` to ${webhook.url}`));
    const remove = element("button", { type: "button", class: "danger small-button", disabled: webhook.active === false,
      onclick: () => removeWebhook(webhook) }, "Remove", element("span", { class: "visually-hidden" }, ` ${webhook.url}`));
    return element("tr", { "data-webhook": webhook.webhook_id },
      element("th", { scope: "row", class: "url" }, webhook.url),
      element("td", {}, element("ul", { class: "tight topics" }, (webhook.topics || []).map((/** @type {string} */ t) => element("li", {}, element("code", {}, t))))),
      element("td", {}, statusPill(webhook.active === false ? "removed" : "active")),
      element("td", { class: "small" }, `${counts.delivered ?? 0} delivered · ${counts.pending ?? 0} pending · ${counts.failed ?? 0} failed`),
      element("td", { class: "small" }, when(webhook.created_at)),
      element("td", {}, element("div", { class: "button-row" }, show, remove)));
  }

  /** @param {any} webhook */
  async function removeWebhook(webhook) {
    if (!confirm(`Remove the webhook ${webhook.url}? Nothing more is delivered to it.`)) return;
    try {
      await data(`/api/webhooks/${webhook.webhook_id}`, { method: "DELETE" });
      if (following === webhook.webhook_id) closeDeliveries();
      await list();
      $("webhooks-status").textContent = `The webhook ${webhook.url} is removed: nothing more is delivered to it.`;
    } catch (/** @type {any} */ error) {
      if (error.status !== 401) say(problem(error));
    }
  }

  function closeDeliveries() {
    request++;
    following = null;
    $("deliveries").hidden = true;
    $("deliveries").replaceChildren();
  }

  /** @param {any} attempt */
  function attemptText(attempt) {
    return [
      `Attempt ${attempt.attempt}`,
      when(attempt.attempted_at),
      attempt.status_code === null || attempt.status_code === undefined ? "no answer" : `HTTP ${attempt.status_code}`,
      attempt.error && attempt.error !== `HTTP ${attempt.status_code}` ? attempt.error : null,
      attempt.delivered ? "delivered" : "failed",
    ].filter(Boolean).join(" · ");
  }

  /**
   * One row per delivery: its event, its interview, whether it was delivered (or when it is tried next),
   * and each attempt.
   * @param {any[]} items
   * @param {string} url
   */
  function deliveriesTable(items, url) {
    /** @param {any} d */
    const outcome = (d) => (d.delivered ? statusPill("delivered")
      : [statusPill("pending", "not delivered yet"),
        element("div", { class: "small" }, d.next_attempt_at ? `next attempt ${when(d.next_attempt_at)}` : "no more attempts")]);
    /** @param {any} d */
    const attempts = (d) => element("ol", { class: "tight small" },
      (d.attempts || []).map((/** @type {any} */ a) => element("li", { class: a.delivered ? null : "failed" }, attemptText(a))));
    const rows = items.map((d) => element("tr", { "data-delivery": d.delivery_id },
      element("th", { scope: "row" }, element("code", {}, d.topic), element("div", { class: "small muted" }, d.event_id)),
      element("td", { class: "small" }, d.interview_session_id || "—"),
      element("td", {}, outcome(d)),
      element("td", {}, attempts(d))));
    return element("div", { class: "table-wrap" },
      element("table", { class: "compact" },
        element("caption", { class: "visually-hidden" }, `Deliveries to ${url}, newest first`),
        element("thead", {}, element("tr", {}, ["Event", "Interview", "Outcome", "Attempts"].map((h) => element("th", { scope: "col" }, h)))),
        element("tbody", {}, rows)));
  }

  /** @param {any} webhook */
  async function deliveries(webhook) {
    const mine = ++request;
    following = webhook.webhook_id;
    const box = $("deliveries");
    let result;
    try {
      result = await data(`/api/webhooks/${webhook.webhook_id}/deliveries`);
    } catch (/** @type {any} */ error) {
      if (mine === request && error.status !== 401) say(problem(error));
      return;
    }
    if (mine !== request) return;
    /** @type {any[]} */
    const items = result.deliveries;
    box.replaceChildren(
      element("h3", { id: "deliveries-title" }, `Deliveries to ${webhook.url}`),
      items.length ? deliveriesTable(items, webhook.url) : element("p", { class: "muted" }, "Nothing delivered to it yet."),
      element("div", { class: "actions" },
        element("button", { type: "button", class: "secondary", onclick: () => deliveries(webhook) }, "Refresh the deliveries"),
        element("button", { type: "button", class: "secondary", onclick: closeDeliveries }, "Close")));
    box.hidden = false;
    box.focus();
  }

  async function list() {
    let result;
    try {
      result = await data("/api/webhooks");
    } catch (/** @type {any} */ error) {
      if (error.status !== 401) say(problem(error));
      return;
    }
    /** @type {any[]} */
    const hooks = result.webhooks || [];
    $("webhooks-status").textContent = hooks.length ? "" : "No webhooks yet.";
    $("webhooks-wrap").hidden = !hooks.length;
    $("webhook-rows").replaceChildren(...hooks.map(row));
  }

  return { show: list };
}
