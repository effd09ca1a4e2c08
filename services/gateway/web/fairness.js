// @ts-check
// The adverse-impact monitor (docs/fairness.md), for admins and recruiters: per position or overall, over a
// period, the selection and scoring rates of each group candidates say they belong to, with impact ratios
// and the four-fifths flag written out beside the ratio; overall, each position's flags too (a click opens
// that position's tables). The CSV is the server's; the printout is the audit report.
import { $, element, valueOf } from "./common.js";
import { problem } from "./widgets.js";

const PATH = "/api/data/analysis/adverse-impact";
const HEADINGS = ["Category", "Interviews", "Selected", "Selection rate", "Impact ratio", "Mean score", "Scoring rate",
  "Scoring impact ratio"];

/**
 * @typedef {object} CategoryImpact
 * @property {string} category
 * @property {string} label
 * @property {number} [interviews]
 * @property {number} [selected]
 * @property {number} [selection_rate]
 * @property {number | null} [impact_ratio]
 * @property {number} [mean_score]
 * @property {number} [scoring_rate]
 * @property {number | null} [scoring_impact_ratio]
 * @property {boolean} four_fifths_flag
 * @property {boolean} scoring_flag
 * @property {number | null} [p_value] Fisher's exact test against the category compared with
 * @property {number | null} [scoring_p_value]
 * @property {number | null} [adjusted_p_value] the same, adjusted for all the analysis's comparisons (Holm)
 * @property {number | null} [scoring_adjusted_p_value]
 */

/**
 * @typedef {{dimension: string, label: string, unknown: number, hidden: number, categories: CategoryImpact[]}} DimensionImpact
 * @typedef {{position_id: string | null, interviews: number, flagged: string[]}} PositionFlags
 */

/**
 * GET /api/data/analysis/adverse-impact's answer.
 * @typedef {object} AdverseImpact
 * @property {string | null} position_id
 * @property {string | null} since
 * @property {string | null} until
 * @property {number} interviews
 * @property {number} self_identified
 * @property {number} selected
 * @property {number | null} median_score
 * @property {number} min_group
 * @property {string} rule
 * @property {DimensionImpact[]} dimensions
 * @property {PositionFlags[]} positions
 */

/** @param {number | null | undefined} rate 0..1 @returns {string} */
const percent = (rate) => (rate === null || rate === undefined ? "—" : `${(rate * 100).toFixed(1)}%`);
/** @param {number | null | undefined} value @returns {string} */
const ratio = (value) => (value === null || value === undefined ? "—" : value.toFixed(3));

/**
 * A ratio's cell, with "below four-fifths" in words where it is flagged, and the chance of a gap this large
 * by chance alone (Fisher's exact test's p, and the same adjusted for every comparison shown) under it.
 * @param {number | null | undefined} value
 * @param {boolean} flagged
 * @param {string} column
 * @param {number | null | undefined} p
 * @param {number | null | undefined} adjusted
 */
function ratioCell(value, flagged, column, p, adjusted) {
  /** @param {number} x */
  const shown = (x) => x < 0.001 ? "< 0.001" : x.toFixed(3);
  const chance = p === null || p === undefined ? null
    : element("span", {
      class: "p-value",
      title: "Fisher's exact test: below 0.05, unlikely to be chance. Adjusted: the same, counting every "
        + "comparison of this analysis (Holm)",
    }, `p = ${shown(p)}`, adjusted === null || adjusted === undefined ? "" : ` (adjusted ${shown(adjusted)})`);
  return element("td", { class: "number", "data-column": column },
    ratio(value), flagged ? element("span", { class: "flag" }, "▼ below four-fifths") : null, chance);
}

/** @param {CategoryImpact} c */
function categoryRow(c) {
  return element("tr", { class: c.four_fifths_flag || c.scoring_flag ? "flagged" : null, "data-category": c.category },
    element("th", { scope: "row" }, c.label),
    element("td", { class: "number", "data-column": "interviews" }, c.interviews),
    element("td", { class: "number", "data-column": "selected" }, c.selected),
    element("td", { class: "number", "data-column": "selection_rate" }, percent(c.selection_rate)),
    ratioCell(c.impact_ratio, c.four_fifths_flag, "impact_ratio", c.p_value, c.adjusted_p_value),
    element("td", { class: "number", "data-column": "mean_score" }, c.mean_score?.toFixed(2) ?? "—"),
    element("td", { class: "number", "data-column": "scoring_rate" }, percent(c.scoring_rate)),
    ratioCell(c.scoring_impact_ratio, c.scoring_flag, "scoring_impact_ratio", c.scoring_p_value,
      c.scoring_adjusted_p_value));
}

/**
 * One dimension's table: its shown categories, how many are not shown (not named), and the candidates who
 * did not say.
 * @param {DimensionImpact} dimension
 * @param {number} minGroup
 */
function dimensionTable(dimension, minGroup) {
  const id = `fairness-${dimension.dimension}-title`;
  const note = (/** @type {string} */ label, /** @type {string | number} */ text, /** @type {string} */ kind) =>
    element("tr", { class: "muted", "data-row": kind }, element("th", { scope: "row" }, label),
      element("td", { colspan: HEADINGS.length - 1 }, text));
  return element("section", { class: "card fairness-dimension", "data-dimension": dimension.dimension, "aria-labelledby": id },
    element("h3", { id }, dimension.label),
    element("div", { class: "table-wrap" },
      element("table", { class: "compact" },
        element("thead", {}, element("tr", {}, HEADINGS.map((text, index) =>
          element("th", { scope: "col", class: index ? "number" : null }, text)))),
        element("tbody", {},
          dimension.categories.map(categoryRow),
          dimension.hidden ? note(`${dimension.hidden} not shown`,
            `${dimension.hidden === 1 ? "A category" : "Categories"} with fewer than ${minGroup} (or under 2% of those `
            + "known), or hidden so that a small one cannot be worked out from the others", "hidden") : null,
          dimension.categories.length || dimension.hidden ? null : note("—", "No candidate gave this.", "none"),
          note("Did not say", `${dimension.unknown} (left out of the ratios)`, "unknown")))));
}

/** @param {AdverseImpact} report */
function period(report) {
  if (report.since && report.until) return `completed from ${report.since} to before ${report.until}`;
  if (report.since) return `completed on or after ${report.since}`;
  if (report.until) return `completed before ${report.until}`;
  return "all completed interviews to date";
}

/**
 * @param {import("./widgets.js").SectionContext} context
 */
export function initFairness({ data }) {
  let request = 0;
  /** @type {Map<string, string>} the positions' titles by id */
  let titles = new Map();
  /** @type {AdverseImpact | null} */
  let shown = null;
  const select = $("fairness-position", HTMLSelectElement);

  /** @param {string | null} positionId */
  const positionName = (positionId) =>
    positionId === null ? "Interviews without a position" : titles.get(positionId) || positionId;

  /** @param {string} message "" hides it */
  function showError(message) {
    $("fairness-error").textContent = message;
    $("fairness-error").hidden = !message;
  }

  /** The filters as the API's query, or the problem with them. */
  function query() {
    const params = new URLSearchParams();
    if (select.value) params.set("position_id", select.value);
    for (const name of ["since", "until"]) if (valueOf(`fairness-${name}`)) params.set(name, valueOf(`fairness-${name}`));
    const minGroup = valueOf("fairness-min-group").trim();
    if (minGroup && !(/^\d+$/.test(minGroup) && +minGroup >= 2 && +minGroup <= 1000)) {
      return { params, invalid: "The smallest group shown is a whole number from 2 to 1000." };
    }
    if (minGroup) params.set("min_group", minGroup);
    return { params, invalid: "" };
  }

  /** @param {AdverseImpact} report */
  function printHeading(report) {
    $("fairness-print-title").textContent = `Adverse-impact audit: ${report.position_id ? positionName(report.position_id) : "all positions"}`;
    $("fairness-print-meta").textContent = `Period: ${period(report)}. Generated ${new Date().toLocaleString()}. ` +
      `Smallest group shown: ${report.min_group}.`;
  }

  /** @param {AdverseImpact} report */
  function render(report) {
    shown = report;
    const empty = report.interviews === 0;
    const filtered = report.position_id || report.since || report.until;
    $("fairness-status").textContent = !empty ? "" : filtered
      ? "No completed interviews match this position and period."
      : "No completed interviews yet: the tables fill in as candidates finish their interviews.";
    $("fairness-report").hidden = empty;
    if (empty) return;
    printHeading(report);
    const figure = (/** @type {string} */ name, /** @type {unknown} */ value) =>
      element("strong", { "data-figure": name }, String(value ?? "—"));
    $("fairness-summary").replaceChildren(
      figure("interviews", report.interviews), " completed interviews · ",
      figure("self_identified", report.self_identified), " self-identified · ",
      figure("selected", report.selected), " selected (the AI said yes or strong yes) · median overall score ",
      figure("median_score", report.median_score));
    $("fairness-rule").textContent = report.rule;
    $("fairness-dimensions").replaceChildren(...report.dimensions.map((d) => dimensionTable(d, report.min_group)));
    renderPositions(report);
  }

  /** @param {AdverseImpact} report overall: a line per position with its flags */
  function renderPositions(report) {
    $("fairness-positions").hidden = Boolean(report.position_id) || !report.positions.length;
    /** @param {string} flag "sex: female" */
    const flagText = (flag) => {
      const [name, category] = flag.split(": ");
      const dimension = report.dimensions.find((d) => d.dimension === name);
      const found = dimension?.categories.find((c) => c.category === category);
      return `${dimension ? dimension.label : name}: ${found ? found.label : category}`;
    };
    $("fairness-position-rows").replaceChildren(...report.positions.map((p) =>
      element("tr", { "data-position": p.position_id ?? "" },
        element("th", { scope: "row" }, p.position_id === null ? positionName(null)
          : element("button", { type: "button", class: "link-button", onclick: () => choose(/** @type {string} */ (p.position_id)) },
            positionName(p.position_id))),
        element("td", { class: "number" }, p.interviews),
        element("td", {}, p.flagged.length
          ? element("ul", { class: "tight" }, p.flagged.map((flag) => element("li", { class: "flag" }, flagText(flag))))
          : element("span", { class: "muted" }, "None")))));
  }

  /** @param {string} positionId shows that position's own tables */
  function choose(positionId) {
    if (![...select.options].some((option) => option.value === positionId)) {
      select.append(element("option", { value: positionId }, positionName(positionId)));
    }
    select.value = positionId;
    load();
    select.focus();
  }

  async function load() {
    const mine = ++request;
    const { params, invalid } = query();
    showError(invalid);
    if (invalid) return;
    const suffix = params.toString() ? `?${params}` : "";
    $("fairness-csv").setAttribute("href", `${PATH}.csv${suffix}`);
    $("fairness-status").textContent = "Loading…";
    let report;
    try {
      report = await data(`${PATH}${suffix}`);
    } catch (/** @type {any} */ error) {
      if (mine !== request) return;
      $("fairness-status").textContent = "";
      $("fairness-report").hidden = true;
      if (error.status !== 401) showError(`The analysis could not load: ${problem(error)}`);
      return;
    }
    if (mine === request) render(report);
  }

  /** Fills the positions to choose from (kept if they cannot be read), then loads the analysis. */
  async function show() {
    try {
      const positions = (await data("/api/positions")).positions;
      titles = new Map(positions.map((/** @type {any} */ p) => [p.position_id, p.title]));
      const chosen = select.value;
      select.replaceChildren(element("option", { value: "" }, "All positions"),
        ...positions.map((/** @type {any} */ p) => element("option", { value: p.position_id }, p.title)));
      if (chosen && !titles.has(chosen)) select.append(element("option", { value: chosen }, chosen));
      select.value = chosen;
    } catch (/** @type {any} */ error) {
      if (error.status === 401) return;
    }
    await load();
  }

  $("fairness-filters").addEventListener("submit", (event) => {
    event.preventDefault();
    load();
  });
  select.addEventListener("change", () => load());
  $("fairness-print").addEventListener("click", () => {
    if (shown) printHeading(shown); // the date generated is the printout's
    window.print();
  });

  return { show };
}
