// @ts-check
// Shadow runs (docs/shadow-scoring.md), for admins and recruiters: the reviewed answers scored again by a
// candidate provider or prompt (`python -m services.scoring shadow`), never the candidates' own scores. A run
// shows how far its scores moved, the old and the new scores' agreement with people's side by side, and each
// answer's pair of scores (a click opens the interview).
import { $, element, scoreBadge } from "./common.js";
import { problem, when } from "./widgets.js";

const PATH = "/api/data/analysis/shadow";
/** @type {[string, string, boolean][]} each statistic: its name, label, and whether lower is better */
const STATISTICS = [
  ["mean_absolute_error", "Mean absolute error", true],
  ["mean_bias", "Mean bias (AI − person)", true],
  ["spearman", "Spearman correlation", false],
  ["exact_agreement", "Exact agreement", false],
  ["within_one_agreement", "Agreement within one point", false],
  ["quadratic_weighted_kappa", "Quadratic-weighted kappa", false],
];

/**
 * @typedef {object} ShadowRun
 * @property {string} run_id
 * @property {string} status
 * @property {string | null} provider
 * @property {string | null} model
 * @property {string | null} prompt_version
 * @property {string} label
 * @property {string | null} started_at
 * @property {string | null} completed_at
 * @property {number} answers
 */

/**
 * @typedef {object} ShadowPair
 * @property {string} session_id
 * @property {number} question_number
 * @property {string} question
 * @property {number} original_score
 * @property {number} shadow_score
 * @property {number | null} human_score
 */

/**
 * GET /api/data/analysis/shadow/{run_id}'s answer.
 * @typedef {ShadowRun & {differences: Record<string, number | null>, pairs: ShadowPair[],
 *   calibration: {reviewed: number, old: Record<string, number | null>, new: Record<string, number | null>}}} ShadowReport
 */

/** @param {number | null | undefined} value @returns {string} */
const figure = (value) => (value === null || value === undefined ? "—" : String(value));

/**
 * @param {{data: (path: string) => Promise<any>}} context
 * @param {{openInterview: (sessionId: string) => void}} actions
 */
export function initShadow({ data }, { openInterview }) {
  let request = 0;

  /** @param {string} message "" hides it */
  function showError(message) {
    $("shadow-error").textContent = message;
    $("shadow-error").hidden = !message;
  }

  /** @param {ShadowRun[]} runs */
  function renderRuns(runs) {
    $("shadow-status").textContent = runs.length ? "" : "No shadow runs yet: start one with "
      + "`python -m services.scoring shadow --provider …` (docs/shadow-scoring.md).";
    $("shadow-runs-wrap").hidden = !runs.length;
    $("shadow-run-rows").replaceChildren(...runs.map((run) =>
      element("tr", { "data-run": run.run_id },
        element("th", { scope: "row" },
          element("button", { type: "button", class: "link-button", onclick: () => open(run.run_id) },
            run.label || run.run_id)),
        element("td", {}, [run.provider, run.model].filter(Boolean).join(" · ") || "—"),
        element("td", {}, run.prompt_version || "shipped"),
        element("td", { class: "number" }, run.answers),
        element("td", {}, run.status === "completed" ? when(run.started_at || "") : "running"))));
  }

  /** @param {ShadowReport} report */
  function renderReport(report) {
    const moved = report.differences;
    $("shadow-report-title").textContent = `${report.label || report.run_id}: ${report.provider || "?"} `
      + `${report.model || ""} (prompt ${report.prompt_version || "shipped"})`;
    $("shadow-differences").replaceChildren(
      element("strong", { "data-figure": "answers" }, figure(moved.n)), " answers scored again · mean |new − old| ",
      element("strong", { "data-figure": "mean_absolute_difference" }, figure(moved.mean_absolute_difference)),
      " · mean new − old ", element("strong", { "data-figure": "mean_difference" }, figure(moved.mean_difference)),
      " · ", element("strong", { "data-figure": "changed" }, figure(moved.changed)), " changed");
    const { old: before, new: after, reviewed } = report.calibration;
    $("shadow-calibration-caption").textContent = `Against people's scores of the same ${reviewed} reviewed answers`;
    $("shadow-calibration-rows").replaceChildren(...STATISTICS.map(([name, label]) =>
      element("tr", { "data-statistic": name },
        element("th", { scope: "row" }, label),
        element("td", { class: "number" }, figure(before[name])),
        element("td", { class: "number" }, figure(after[name])))));
    $("shadow-pair-rows").replaceChildren(...report.pairs.map((pair) =>
      element("tr", {},
        element("th", { scope: "row" },
          element("button", { type: "button", class: "link-button", onclick: () => openInterview(pair.session_id) },
            `${pair.session_id} #${pair.question_number}`)),
        element("td", {}, pair.question),
        element("td", { class: "number" }, scoreBadge(pair.original_score)),
        element("td", { class: "number" }, scoreBadge(pair.shadow_score)),
        element("td", { class: "number" }, pair.human_score === null ? "—" : scoreBadge(pair.human_score)))));
    $("shadow-report").hidden = false;
  }

  /** @param {string} runId shows one run's report */
  async function open(runId) {
    const mine = ++request;
    showError("");
    try {
      const report = await data(`${PATH}/${encodeURIComponent(runId)}`);
      if (mine === request) renderReport(report);
    } catch (/** @type {any} */ error) {
      if (mine === request && error.status !== 401) showError(`The shadow run could not load: ${problem(error)}`);
    }
  }

  /** Lists the runs (newest first) and hides any run shown before. */
  async function show() {
    const mine = ++request;
    showError("");
    $("shadow-report").hidden = true;
    $("shadow-status").textContent = "Loading…";
    try {
      const { runs } = await data(PATH);
      if (mine === request) renderRuns(runs);
    } catch (/** @type {any} */ error) {
      if (mine !== request) return;
      $("shadow-status").textContent = "";
      if (error.status !== 401) showError(`The shadow runs could not load: ${problem(error)}`);
    }
  }

  return { show, open };
}
