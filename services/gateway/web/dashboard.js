// @ts-check
// The recruiters' dashboard: statistics, the seed's analyses as charts, a searchable table of
// interviews with a detail view (and people's reviews: review.js), the AI's calibration and
// question quality (calibration.js), downloads, and the push to Google Sheets. Asks for the admin token
// when the API requires one (kept for this browser tab only). The page's one module script: the others
// are imported, and given `data` (the authorised API call) where they need it.
import {
  $, all, api, element, feedbackParts, fieldError, HttpError, listItems, scoreBadge, sleep, valueOf, verdictClass,
} from "./common.js";
import { barList, columnChart } from "./charts.js";
import { answerReview, reviewerField, verdictReview } from "./review.js";
import { initCalibration } from "./calibration.js";

const TOKEN_KEY = "interviewer.admin-token";
/** The table's sorting and page, its row count, and the number of its latest request. */
const table = { sort: "started_at", order: "desc", offset: 0, limit: 25, total: 0, request: 0 };
/** @type {HTMLElement | null} the link that opened the detail view, focused again when it closes */
let detailOpener = null;

/** @returns {Record<string, string>} */
function authorization() {
  const token = sessionStorage.getItem(TOKEN_KEY);
  return token ? { Authorization: `Bearer ${token}` } : {};
}

/**
 * The API's answer with the admin token; asks for the token (and throws) when it is refused or missing.
 * @param {string} path
 * @param {import("./common.js").ApiOptions} [options]
 * @returns {Promise<any>}
 */
async function data(path, options = {}) {
  try {
    return (await api(path, { ...options, headers: { ...authorization(), ...(options.headers || {}) } })).data;
  } catch (error) {
    if (error instanceof HttpError && error.status === 401) askForToken(sessionStorage.getItem(TOKEN_KEY) ? "That token was refused." : "");
    throw error;
  }
}

const calibration = initCalibration(data);

/** @param {string} message shown at the top of the page; "" hides it */
function say(message) {
  $("message").textContent = message || "";
  $("message").hidden = !message;
}

/** @param {string} problem why the token is asked for again ("" for the first time) */
function askForToken(problem) {
  $("content").hidden = true;
  $("token-form").hidden = false;
  fieldError("token", problem);
  $("token").focus();
}

$("token-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const token = $("token", HTMLInputElement).value.trim();
  if (!token) return fieldError("token", "Enter the admin token.");
  sessionStorage.setItem(TOKEN_KEY, token);
  load();
});

// ---------- statistics and charts ----------

async function loadOverview() {
  const [stats, distribution, experience, weaknesses, questions, days] = await Promise.all([
    data("/api/data/statistics"),
    data("/api/data/analysis/score-distribution"),
    data("/api/data/analysis/score-by-experience"),
    data("/api/data/analysis/common-weaknesses?limit=8"),
    data("/api/data/analysis/question-effectiveness?limit=8"),
    data("/api/data/analysis/interviews-over-time"),
  ]);
  /** @param {string} label @param {string | number} value @param {string} id */
  const card = (label, value, id) =>
    element("div", { class: "stat" }, element("div", { class: "muted small" }, label), element("div", { class: "value", id }, value));
  $("stats").replaceChildren(
    card("Completed interviews", stats.total_interviews, "stat-interviews"),
    card("Average score", stats.average_score.toFixed(2), "stat-average"),
    card("Questions asked", stats.total_questions, "stat-questions"),
    card("Answers scored", stats.total_answers, "stat-answers"),
    card("In progress", stats.interviews_in_progress, "stat-in-progress"),
  );
  columnChart($("chart-distribution"), distribution.buckets.map((/** @type {any} */ b) => ({ label: b.label, value: b.interviews })));
  columnChart(
    $("chart-experience"),
    experience.by_experience.map((/** @type {any} */ row) => ({ label: `${row.candidate_experience}y`, value: row.average_score })),
    { format: (v) => v.toFixed(1), max: 10 },
  );
  barList($("chart-weaknesses"), weaknesses.weaknesses.map((/** @type {any} */ w) => ({ label: w.weakness, value: w.count })), {
    format: (v) => `${v}×`,
  });
  barList(
    $("chart-questions"),
    questions.questions.map((/** @type {any} */ q) => ({ label: q.question, value: q.average_score, answers: q.answers })),
    { format: (v) => `${v.toFixed(1)}/10`, max: 10 },
  );
  columnChart($("chart-days"), lastDays(days.days, 14));
}

/**
 * The last `count` calendar days up to the latest one with interviews, empty days included.
 * @param {{date: string, interviews: number}[]} days
 * @param {number} count
 * @returns {import("./charts.js").ChartItem[]}
 */
function lastDays(days, count) {
  if (!days.length) return [];
  const byDate = Object.fromEntries(days.map((d) => [d.date, d.interviews]));
  const end = new Date(`${days.at(-1)?.date}T00:00:00Z`);
  return Array.from({ length: count }, (_, i) => {
    const day = new Date(end.getTime() - (count - 1 - i) * 86_400_000).toISOString().slice(0, 10);
    return { label: day.slice(5), value: byDate[day] || 0 };
  });
}

// ---------- the table ----------

function query() {
  const params = new URLSearchParams({
    limit: String(table.limit), offset: String(table.offset), sort: table.sort, order: table.order,
    status: valueOf("f-status"),
  });
  /** @param {string} name @param {string} value */
  const add = (name, value) => value !== "" && params.append(name, value);
  add("name", valueOf("f-name").trim());
  add("hire_recommendation", valueOf("f-verdict"));
  add("difficulty", valueOf("f-difficulty"));
  add("min_score", valueOf("f-min"));
  add("max_score", valueOf("f-max"));
  return params;
}

async function loadTable() {
  const request = ++table.request; // a slower, older answer must not overwrite a newer one
  let page;
  try {
    page = await data(`/api/data/interviews?${query()}`);
  } catch (/** @type {any} */ error) {
    if (request === table.request && error.status !== 401) say(error.message);
    return;
  }
  if (request !== table.request) return;
  table.total = page.total;
  $("rows").replaceChildren(
    ...page.interviews.map((/** @type {any} */ interview) =>
      element("tr", {},
        element("td", {}, element("a", { href: `#${interview.session_id}`, onclick: (/** @type {MouseEvent} */ e) => { e.preventDefault(); detailOpener = /** @type {HTMLElement} */ (e.currentTarget); showDetail(interview.session_id); } },
          interview.candidate_name)),
        element("td", {}, `${interview.candidate_experience} y`),
        element("td", {}, interview.difficulty),
        element("td", {}, interview.average_score.toFixed(2)),
        element("td", {}, interview.overall_score ?? "—"),
        element("td", {}, interview.hire_recommendation ? element("span", { class: verdictClass(interview.hire_recommendation) }, interview.hire_recommendation) : interview.status.replace("_", " ")),
        element("td", {}, new Date(interview.started_at).toLocaleString()),
      ),
    ),
  );
  if (!page.interviews.length) $("rows").append(element("tr", {}, element("td", { colspan: 7, class: "muted" }, "No interviews match.")));
  const first = page.total ? table.offset + 1 : 0;
  $("table-status").textContent = `${first}–${table.offset + page.interviews.length} of ${page.total}`;
  $("previous", HTMLButtonElement).disabled = table.offset === 0;
  $("next", HTMLButtonElement).disabled = table.offset + table.limit >= page.total;
  for (const button of all("th button", HTMLButtonElement)) {
    const active = button.dataset.sort === table.sort;
    button.closest("th")?.setAttribute("aria-sort", active ? (table.order === "asc" ? "ascending" : "descending") : "none");
  }
}

$("filters").addEventListener("submit", (event) => {
  event.preventDefault();
  table.offset = 0;
  loadTable();
});
$("previous").addEventListener("click", () => { table.offset = Math.max(0, table.offset - table.limit); loadTable(); });
$("next").addEventListener("click", () => { table.offset += table.limit; loadTable(); });
$("page-size").addEventListener("change", () => { table.limit = Number(valueOf("page-size")); table.offset = 0; loadTable(); });
for (const button of all("th button", HTMLButtonElement)) {
  const sort = button.dataset.sort || "";
  button.addEventListener("click", () => {
    table.order = table.sort === sort && table.order === "desc" ? "asc" : "desc";
    table.sort = sort;
    table.offset = 0;
    loadTable();
  });
}

// ---------- one interview ----------

/**
 * "provider · model · prompt version — rationale": what scored an answer or wrote a report.
 * @param {{provider?: string, model?: string, prompt_version?: string, rationale?: string} | null | undefined} provenance
 */
function provenanceText(provenance) {
  if (!provenance) return "";
  const model = [provenance.provider, provenance.model, provenance.prompt_version].filter(Boolean).join(" · ");
  return `${model}${provenance.rationale ? ` — ${provenance.rationale}` : ""}`;
}

/** @param {string} sessionId */
async function showDetail(sessionId) {
  let interview;
  try {
    interview = await data(`/api/data/interview/${encodeURIComponent(sessionId)}`);
  } catch (/** @type {any} */ error) {
    return say(error.message);
  }
  const detail = $("detail");
  detail.hidden = false;
  const reviewer = reviewerField();
  /** @type {import("./review.js").ReviewContext} */
  const reviews = { data, reviewer: reviewer.name, onSaved: () => calibration.loadCalibration() };
  detail.replaceChildren(...[
    element("h2", { id: "detail-title" }, `${interview.candidate_name} · ${interview.session_id}`),
    element("p", { class: "muted" },
      `${interview.candidate_experience} years · ${interview.difficulty} · started ${new Date(interview.started_at).toLocaleString()}`,
      interview.ended_at ? ` · ended ${new Date(interview.ended_at).toLocaleString()}` : " · in progress"),
    element("p", {},
      scoreBadge(interview.average_score, `${interview.average_score.toFixed(2)}/10`), " average",
      interview.overall_score !== null ? ` · ${interview.overall_score}/10 overall ` : " ",
      interview.hire_recommendation ? element("span", { class: verdictClass(interview.hire_recommendation) }, interview.hire_recommendation) : null),
    interview.summary ? element("p", {}, interview.summary) : null,
    interview.report_provenance ? element("p", { class: "small muted" }, "Report by ", provenanceText(interview.report_provenance)) : null,
    element("div", { class: "row" },
      element("div", {}, element("h3", {}, "Strengths"), listItems(element("ul", { class: "tight" }), interview.strengths)),
      element("div", {}, element("h3", {}, "Weaknesses"), listItems(element("ul", { class: "tight" }), interview.weaknesses))),
    element("details", {}, element("summary", {}, "Job description"), element("p", { class: "small said" }, interview.job_description)),
    reviewer.node,
    verdictReview(interview, reviews),
    element("h3", {}, "Transcript"),
    ...interview.questions_and_answers.map((/** @type {any} */ qa) =>
      element("div", { class: "qa" },
        element("p", {}, element("strong", {}, `Q${qa.question_number}. `), qa.question),
        element("p", { class: "said" }, qa.answer || element("em", {}, "(no answer)")),
        element("p", {}, scoreBadge(qa.score), feedbackParts(qa.feedback)),
        qa.provenance ? element("p", { class: "small muted" }, "Scored by ", provenanceText(qa.provenance)) : null,
        answerReview(interview, qa, reviews),
      ),
    ),
    element("div", { class: "actions" }, element("button", { type: "button", class: "secondary", onclick: () => {
      detail.hidden = true;
      if (detailOpener && detailOpener.isConnected) detailOpener.focus();
    } }, "Close")),
  ].filter(Boolean));
  detail.focus();
}

// ---------- downloads and Sheets ----------

/**
 * Downloads the export `name` with the admin token, the button saying so meanwhile.
 * @param {HTMLButtonElement} button
 * @param {string} name
 * @param {string} [query]
 */
async function download(button, name, query = "") {
  const label = button.textContent;
  button.disabled = true;
  button.textContent = `${label} …`;
  try {
    let response;
    try {
      response = await fetch(`/api/data/export/${name}${query}`, { headers: authorization() });
    } catch {
      throw new Error("Download failed: the server cannot be reached.");
    }
    if (!response.ok) throw new Error((await response.json().catch(() => ({}))).message || `Download failed (${response.status}).`);
    const url = URL.createObjectURL(await response.blob());
    const link = element("a", { href: url, download: name });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  } catch (/** @type {any} */ error) {
    say(error.message);
  } finally {
    button.disabled = false;
    button.textContent = label;
  }
}

for (const button of all("button[data-download]", HTMLButtonElement)) {
  button.addEventListener("click", () => download(button, button.dataset.download || ""));
}
const trainingButton = $("download-training", HTMLButtonElement);
trainingButton.addEventListener("click", () =>
  download(trainingButton, "training.jsonl", `?anonymise=${$("anonymise", HTMLInputElement).checked}`));

async function loadSheets() {
  try {
    const status = await data("/api/sheets/status");
    $("sheets").hidden = !status.configured;
    const last = status.last_export;
    const running = Boolean(last && last.status === "running");
    $("push-sheets", HTMLButtonElement).disabled = !status.ready || running;
    $("sheets-status").textContent = !status.ready
      ? `Google Sheets is not ready: ${status.problem || "connecting…"}`
      : last ? `Last push: ${last.status}${last.interviews !== undefined ? ` (${last.interviews} interviews)` : ""}${last.message ? ` — ${last.message}` : ""}` : "";
    return running;
  } catch {
    $("sheets").hidden = true; // the exporter is not reachable: nothing to offer
    return false;
  }
}

async function followPush() {
  while (await loadSheets()) await sleep(1000);
}

const pushButton = $("push-sheets", HTMLButtonElement);
pushButton.addEventListener("click", async () => {
  pushButton.disabled = true;
  try {
    await data("/api/sheets/export", { method: "POST", body: { sheet_name: valueOf("sheet-name").trim() || "Interview Data" } });
    $("sheets-status").textContent = "Pushing…";
    await followPush();
  } catch (/** @type {any} */ error) {
    $("sheets-status").textContent = error.message;
    pushButton.disabled = false;
  }
});

// ---------- start ----------

async function load() {
  say("");
  try {
    await loadOverview();
  } catch (/** @type {any} */ error) {
    if (error.status !== 401) say(`The dashboard could not load: ${error.message}`);
    return;
  }
  $("token-form").hidden = true;
  $("content").hidden = false;
  await Promise.all([loadTable(), calibration.loadQualityAnalyses()]);
  followPush();
  if (location.hash.length > 1) showDetail(location.hash.slice(1));
}

$("refresh").addEventListener("click", load);
load();
