// @ts-check
// How far to trust the AI: its scores beside people's reviews (calibration), questions that do
// not tell candidates apart, and which job-description skills go with higher or lower scores.
// `initCalibration` is given the dashboard's API call. `/dashboard?minimum=N` asks for N reviewed answers.
import { $, element } from "./common.js";
import { scatterPlot, scoreCounts } from "./charts.js";

/**
 * The dashboard's authorised API call: the response's data; throws HttpError or NetworkError.
 * @typedef {(path: string, options?: import("./common.js").ApiOptions) => Promise<any>} DataCall
 */

/**
 * What the dashboard does with this module's sections.
 * @typedef {object} Calibration
 * @property {() => Promise<void>} loadCalibration (re)loads the calibration figures, e.g. after a review
 * @property {() => Promise<unknown>} loadQualityAnalyses loads calibration, question quality and skills
 */

const CALIBRATION_MINIMUM = new URLSearchParams(location.search).get("minimum");

/** @param {number} v */
const percent = (v) => `${Math.round(v * 100)}%`;
/** @param {number} v */
const fixed = (v) => v.toFixed(2);
/**
 * "+0.40", "−0.12"; "±0.00" for whatever rounds to zero, whichever side of it.
 * @param {number} v
 * @param {number} [digits]
 */
function signed(v, digits = 2) {
  const size = Math.abs(v).toFixed(digits);
  return `${Number(size) === 0 ? "±" : v > 0 ? "+" : "−"}${size}`;
}

/**
 * id, plain label, the statistic's field, how to print it, what it means[, column heading if not the label]
 * @typedef {[string, string, string, (value: number) => string, string, string?]} Measure
 */
/** @type {Measure[]} */
const MEASURES = [
  ["cal-mae", "Average gap", "mean_absolute_error", fixed,
    "Mean absolute error: on average the AI's score is this many points away from the reviewer's. 0 means identical."],
  ["cal-bias", "AI leaning", "mean_bias", signed,
    "Mean of AI minus human score. Positive: the AI scores higher than people do; negative: lower; near 0: no leaning."],
  ["cal-spearman", "Same ranking", "spearman", fixed,
    "Spearman rank correlation, −1 to 1: near 1 means the AI orders answers from weak to strong the way people do."],
  ["cal-exact", "Exact match", "exact_agreement", percent,
    "Share of reviewed answers where the AI and the reviewer gave exactly the same score."],
  ["cal-within-one", "Within one point", "within_one_agreement", percent,
    "Share of reviewed answers where the two scores differ by at most one point.", "Within one"],
  ["cal-kappa", "Agreement beyond chance", "quadratic_weighted_kappa", fixed,
    "Quadratic weighted kappa: 1 is perfect agreement, 0 what chance alone would give; big disagreements count more. Above 0.6 is usually called good.",
    "Kappa"],
];
/** @param {number} bias */
function leaning(bias) {
  if (Math.abs(bias) < 0.25) return "no clear leaning";
  return bias > 0 ? "AI scores higher" : "AI scores lower";
}

/**
 * @param {Measure} measure
 * @param {Record<string, any>} group the statistics of all reviewed answers or of one group
 */
function measureCard([id, label, field, format, explanation], group) {
  const value = group[field];
  return element("div", { class: "stat", title: explanation },
    element("div", { class: "muted small", id: `${id}-label` }, label),
    element("div", { class: "value", id, "data-value": value ?? "", "aria-describedby": `${id}-explain` },
      value === null || value === undefined ? "—" : format(value)),
    field === "mean_bias" && value !== null ? element("div", { class: "small" }, leaning(value)) : null,
    element("p", { class: "small muted explain", id: `${id}-explain` }, explanation));
}

/**
 * Wires the calibration, question-quality and skills sections of the dashboard, which load with `data`.
 * @param {DataCall} data
 * @returns {Calibration}
 */
export function initCalibration(data) {
  /** The calibration as last loaded, the grouping shown, and the number of the latest request. */
  const calibration = {
    /** @type {any} */
    result: null,
    groupBy: "by_difficulty",
    request: 0,
  };

  const groupBy = $("calibration-group-by", HTMLSelectElement);
  $("calibration-group-head").append(...MEASURES.map(([, label, , , , heading = label]) =>
    element("th", { scope: "col" }, heading)));

  async function loadCalibration() {
    const request = ++calibration.request;
    const query = CALIBRATION_MINIMUM ? `?minimum=${encodeURIComponent(CALIBRATION_MINIMUM)}` : "";
    const current = () => request === calibration.request;
    const result = await section("calibration-status", "Calibration", `/api/data/analysis/calibration${query}`, current);
    if (!result || !current()) return;
    calibration.result = result;
    const overall = result.overall;
    const enough = Boolean(overall.enough_data);
    const status = $("calibration-status");
    status.className = enough ? "muted small" : "banner info";
    status.textContent = enough
      ? `${result.reviewed_answers} reviewed answers; groups need at least ${result.minimum_sample} to be compared.`
      : `Not enough reviewed answers yet (${overall.n ?? result.reviewed_answers} of ${result.minimum_sample} needed). ` +
        "Score answers in an interview's detail view to compare the AI with people.";
    const reviewed = element("div", { class: "stat" },
      element("div", { class: "muted small" }, "Reviewed answers"),
      element("div", { class: "value", id: "cal-reviewed", "data-value": result.reviewed_answers }, result.reviewed_answers),
      element("p", { class: "small muted explain" }, "Answers scored by a person as well as by the AI."));
    $("calibration-measures").replaceChildren(...(enough ? [reviewed, ...MEASURES.map((m) => measureCard(m, overall))] : []));
    $("calibration-measures").hidden = !enough;
    $("calibration-groups-wrap").hidden = !enough;
    /** @type {import("./charts.js").ScorePair[]} */
    const pairs = result.pairs.map((/** @type {any} */ p) => ({ x: p.ai_score, y: p.human_score }));
    const points = scatterPlot($("calibration-scatter"), pairs);
    $("calibration-points").replaceChildren(...points.map((p) =>
      element("tr", {}, element("td", {}, p.x), element("td", {}, p.y), element("td", {}, p.count))));
    $("calibration-points-wrap").hidden = !points.length;
    $("calibration-summary").textContent = summary(pairs, enough ? overall : null);
    renderGroups();
  }

  /**
   * @param {import("./charts.js").ScorePair[]} pairs x: the AI's score, y: the person's
   * @param {any} overall the overall statistics when there are enough reviews, else null
   */
  function summary(pairs, overall) {
    if (!pairs.length) return "";
    const { same, higher, lower } = scoreCounts(pairs);
    const text = `Of ${pairs.length} reviewed answers, reviewers gave the AI's score ${same} times, a higher one ` +
      `${higher} times and a lower one ${lower} times.`;
    if (!overall || overall.mean_absolute_error === null) return text;
    return `${text} On average the two scores are ${fixed(overall.mean_absolute_error)} points apart` +
      (overall.mean_bias === null ? "." : `, and ${leaning(overall.mean_bias)} (${signed(overall.mean_bias)}).`);
  }

  function renderGroups() {
    const result = calibration.result;
    if (!result) return;
    /** @type {any[]} */
    const groups = result[calibration.groupBy] || [];
    /** @param {any} group @param {string} field @param {(value: number) => string} format */
    const cell = (group, field, format) =>
      element("td", { "data-value": group[field] ?? "" }, group.enough_data && group[field] !== null ? format(group[field]) : "—");
    $("calibration-groups").replaceChildren(...groups.map((group) =>
      element("tr", { class: group.enough_data ? "" : "muted" },
        element("th", { scope: "row" }, group.key ?? "(not recorded)",
          group.enough_data ? null : element("div", { class: "small" }, `not enough data (${group.n} of ${result.minimum_sample})`)),
        element("td", {}, group.n),
        ...MEASURES.map(([, , field, format]) => cell(group, field, format)))));
    if (!groups.length) {
      $("calibration-groups").append(element("tr", {}, element("td", { colspan: 2 + MEASURES.length, class: "muted" }, "No groups.")));
    }
    const option = /** @type {HTMLOptionElement} */ (groupBy.querySelector(`option[value="${calibration.groupBy}"]`));
    $("calibration-group-caption").textContent = `Agreement by ${(option.textContent ?? "").toLowerCase()}`;
  }

  groupBy.addEventListener("change", () => {
    calibration.groupBy = groupBy.value;
    renderGroups();
  });

  /**
   * GET `path` for the section whose status line is `id`; when it fails, says so there (unless the token
   * is needed: the token form shows, or a newer request has taken over: `current` is false) and gives null.
   * @param {string} id
   * @param {string} what
   * @param {string} path
   * @param {() => boolean} [current]
   * @returns {Promise<any>}
   */
  async function section(id, what, path, current = () => true) {
    try {
      return await data(path);
    } catch (/** @type {any} */ error) {
      if (error.status !== 401 && current()) {
        const status = $(id);
        status.className = "banner error";
        status.textContent = error.status === 404
          ? `${what} is not available on this server yet.`
          : `${what} could not load: ${error.message}`;
      }
      return null;
    }
  }

  // ---------- question quality ----------

  const QUALITY_ROWS = 10; // flagged ones come first
  /** The questions as last loaded, and whether all are shown or the first QUALITY_ROWS. */
  const quality = {
    /** @type {any[]} */
    questions: [],
    all: false,
  };

  async function loadQuestionQuality() {
    const result = await section("quality-status", "Question quality", "/api/data/analysis/question-quality?min_asked=3");
    if (!result) return;
    quality.questions = result.questions;
    const flagged = quality.questions.filter((q) => q.flagged).length;
    // every question asked comes back; only those asked 3 times or more are judged (min_asked)
    const judged = quality.questions.filter((q) => q.times_asked >= 3).length;
    const asked = quality.questions.length;
    $("quality-status").className = "muted small";
    $("quality-status").textContent = !asked
      ? "No question has been asked yet."
      : `${asked} question${asked === 1 ? "" : "s"} asked; ${judged ? `${judged} of them` : "none"} 3 times or more, ` +
        `which are judged; ${flagged} flagged.`;
    renderQuality();
  }

  function renderQuality() {
    const questions = quality.questions;
    const shown = quality.all ? questions : questions.slice(0, QUALITY_ROWS);
    $("quality-rows").replaceChildren(...shown.map((q) =>
      element("tr", { class: q.flagged ? "flagged" : "" },
        element("td", {},
          q.flagged ? element("strong", { class: "flag" }, "⚠ Flagged ") : null,
          q.question,
          q.flagged && q.reasons.length ? element("ul", { class: "tight small" }, q.reasons.map((/** @type {string} */ r) => element("li", {}, r))) : null),
        element("td", {}, q.times_asked),
        element("td", {}, q.average_score === null ? "—" : q.average_score.toFixed(1)),
        element("td", {}, q.score_spread === null ? "—" : q.score_spread.toFixed(1)),
        element("td", {}, percent(q.empty_or_unknown_share)),
        element("td", {}, q.average_answer_words === null ? "—" : Math.round(q.average_answer_words)))));
    $("quality-wrap").hidden = !questions.length;
    $("quality-more").hidden = questions.length <= QUALITY_ROWS;
    $("quality-more").textContent = quality.all ? `Show the first ${QUALITY_ROWS} only` : `Show all ${questions.length} questions`;
    $("quality-more").setAttribute("aria-expanded", String(quality.all));
  }

  $("quality-more").addEventListener("click", () => {
    quality.all = !quality.all;
    renderQuality();
  });

  // ---------- job-description skills ----------

  /** @type {Record<string, [string, string, string]>} */
  const DIFFERENCE = { "+": ["▲", "above", "up"], "−": ["▼", "below", "down"], "±": ["=", "at", "same"] };

  /** @param {number | null | undefined} value */
  function difference(value) {
    if (value === null || value === undefined) return element("td", {}, "—");
    const text = signed(value, 1);
    const [mark, words, tone] = DIFFERENCE[text[0]];
    return element("td", { class: `difference ${tone}`, "data-value": value },
      `${mark} ${text} `, element("span", { class: "small" }, `${words} average`));
  }

  async function loadSkills() {
    const result = await section("skills-status", "Job-description skills",
      "/api/data/analysis/job-description-skills?min_interviews=3");
    if (!result) return;
    $("skills-status").className = "muted small";
    $("skills-status").textContent = result.skills.length
      ? `Average score of interviews whose job description names the skill, against all interviews` +
        (result.overall_average === null ? "." : ` (${result.overall_average.toFixed(2)}).`)
      : "No skill appears in 3 interviews' job descriptions yet.";
    $("skills-rows").replaceChildren(...result.skills.map((/** @type {any} */ s) =>
      element("tr", {},
        element("td", {}, s.skill),
        element("td", {}, s.category),
        element("td", {}, s.interviews),
        element("td", {}, s.average_score === null ? "—" : s.average_score.toFixed(2)),
        difference(s.difference))));
    $("skills-wrap").hidden = !result.skills.length;
  }

  function loadQualityAnalyses() {
    return Promise.all([loadCalibration(), loadQuestionQuality(), loadSkills()]);
  }

  return { loadCalibration, loadQualityAnalyses };
}
