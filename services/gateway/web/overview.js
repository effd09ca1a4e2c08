// @ts-check
// The dashboard's overview: statistics, the seed's analyses as charts, the searchable, sortable table of
// interviews (each opens in the detail view), and for admins and recruiters the calibration and question
// quality (calibration.js), downloads, and the push to Google Sheets. A reviewer sees the statistics, the
// analyses and the interviews of one of their positions at a time (the API answers them no more). Beside it, the list of interviews whose
// candidate asked for a review or a correction (`initRequestList`, every role: a reviewer's positions).
import { $, all, element, sleep, teamVerdicts, valueOf, verdictClass } from "./common.js";
import { barList, columnChart } from "./charts.js";
import { LANGUAGES } from "./position-form.js";
import { CHECKING, REQUEST_HEADERS } from "./signin.js";
import { problem, when } from "./widgets.js";

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

/**
 * An interview's Average, Overall and Recommendation cells: after an upheld correction its revised report's
 * (saying so, the first report's in the title), and no average while nothing is answered.
 * @param {any} interview a row of /api/data/interviews
 * @returns {HTMLTableCellElement[]}
 */
function outcomeCells(interview) {
  const revision = interview.report_revision;
  const outcome = revision || interview;
  const verdict = outcome.hire_recommendation;
  const firstReport = revision && `Revised after an upheld correction of the transcript. The first report said: average ` +
    `${interview.average_score.toFixed(2)}, overall ${interview.overall_score ?? "—"}, ${interview.hire_recommendation || "no recommendation"}.`;
  // an average of fewer answers than asked ranks where its score puts it: it says so, as the Top performers do
  const endedEarly = interview.completion_reason === "ended_early"
    ? element("span", { class: "small muted ended-early", title: "Ended before every question was answered: the average is of the answers given." },
      " (ended early)")
    : null;
  return [
    element("td", {}, interview.questions_and_answers.length ? outcome.average_score.toFixed(2) : "—", endedEarly),
    element("td", {}, outcome.overall_score == null ? "—" : outcome.overall_score.toFixed(1)),
    element("td", {},
      verdict ? element("span", { class: verdictClass(verdict) }, verdict) : interview.status.replace("_", " "),
      revision ? element("span", { class: "muted small revised", title: firstReport }, " (revised)") : null),
  ];
}

const POSITION_KEY = "interviewer.overview-position"; // the Position filter's choice, kept across a reload

/**
 * Wires the overview's sections; `load` (re)loads them all.
 * @param {object} options
 * @param {import("./widgets.js").DataCall} options.data
 * @param {() => import("./widgets.js").Me} options.me
 * @param {(message: string) => void} options.say
 * @param {(sessionId: string, opener: HTMLElement) => void} options.openInterview
 * @param {import("./calibration.js").Calibration} options.calibration
 */
export function initOverview({ data, me, say, openInterview, calibration }) {
  /** The table's sorting and page, its row count, and the number of its latest request. */
  const table = { sort: "started_at", order: "desc", offset: 0, limit: 25, total: 0, request: 0 };
  /** @type {{path: string, text: string} | null} the table's request and its answer as shown: what `changed` compares */
  let tableShown = null;
  let following = false;
  /** @type {Map<string, string>} the positions' titles by id: the table's Position column and filter */
  let positionTitles = new Map();

  // ---------- statistics and charts ----------

  async function loadOverview() {
    const position = valueOf("f-position"); // "" for all
    showDownloadScope(position);
    /** @param {string} path @param {Record<string, string>} [params] */
    const scoped = (path, params = {}) =>
      data(`${path}?${new URLSearchParams(position ? { ...params, position_id: position } : params)}`);
    const [stats, distribution, top, experience, weaknesses, questions, days] = await Promise.all([
      scoped("/api/data/statistics"),
      scoped("/api/data/analysis/score-distribution"),
      scoped("/api/data/analysis/top-performers", { limit: "8" }),
      scoped("/api/data/analysis/score-by-experience"),
      scoped("/api/data/analysis/common-weaknesses", { limit: "8" }),
      scoped("/api/data/analysis/question-effectiveness", { limit: "8" }),
      scoped("/api/data/analysis/interviews-over-time"),
    ]);
    /** @param {string} label @param {string | number} value @param {string} id */
    const card = (label, value, id) =>
      element("div", { class: "stat" }, element("div", { class: "muted small" }, label), element("div", { class: "value", id }, value));
    $("stats").replaceChildren(
      card("Completed interviews", stats.total_interviews, "stat-interviews"),
      card("Average score", stats.average_score.toFixed(2), "stat-average"),
      card("Questions planned", stats.total_questions, "stat-questions"), // the completed interviews' num_questions (docs/data-model.md)
      card("Answers scored", stats.total_answers, "stat-answers"),
      card("In progress", stats.interviews_in_progress, "stat-in-progress"),
    );
    columnChart($("chart-distribution"), distribution.buckets.map((/** @type {any} */ b) => ({ label: b.label, value: b.interviews })));
    // an average of fewer answers than asked says so: it ranks where its score puts it, as the seed's sort does;
    // across positions, each says which it is for (the same name may be in several)
    const named = (/** @type {any} */ t) => [
      t.candidate_name,
      position || !t.position_id ? "" : ` · ${positionTitles.get(t.position_id) || t.position_id}`,
      t.completion_reason === "ended_early" ? " (ended early)" : "",
    ].join("");
    barList($("chart-top"), top.top_performers.map((/** @type {any} */ t) => ({ label: named(t), value: t.average_score })),
      { format: (v) => `${v.toFixed(2)}/10`, max: 10 });
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

  // ---------- the table ----------

  function query() {
    const params = new URLSearchParams({
      limit: String(table.limit), offset: String(table.offset), sort: table.sort, order: table.order,
      status: valueOf("f-status"),
    });
    /** @param {string} name @param {string} value */
    const add = (name, value) => value !== "" && params.append(name, value);
    add("name", valueOf("f-name").trim());
    add("position_id", valueOf("f-position"));
    add("hire_recommendation", valueOf("f-verdict"));
    add("human_verdict", valueOf("f-human-verdict"));
    add("difficulty", valueOf("f-difficulty"));
    add("min_score", valueOf("f-min"));
    add("max_score", valueOf("f-max"));
    return params;
  }

  /**
   * Why the score filters cannot be applied ("" when they can): checked before asking, as the server would refuse.
   * @returns {string}
   */
  function scoreRangeProblem() {
    const [min, max] = [valueOf("f-min"), valueOf("f-max")];
    return min !== "" && max !== "" && Number(min) > Number(max)
      ? `The minimum average (${min}) is above the maximum (${max}): no interview can match.` : "";
  }

  /**
   * The filters' problem said beside them, the score fields marked; "" clears it. While there is one, no rows
   * are shown: the list must not look filtered when it is not.
   * @param {string} message
   */
  function showFilterProblem(message) {
    $("filters-error").textContent = message;
    $("filters-error").hidden = !message;
    const range = /average|score/i.test(message);
    for (const id of ["f-min", "f-max"]) $(id).setAttribute("aria-invalid", message && range ? "true" : "false");
    if (!message) return;
    tableShown = null;
    $("rows").replaceChildren(element("tr", {}, element("td", { colspan: 9, class: "muted" }, "No interviews shown: the filters above need fixing.")));
    $("table-status").textContent = "Not filtered: the filters need fixing.";
    $("previous", HTMLButtonElement).disabled = true;
    $("next", HTMLButtonElement).disabled = true;
  }

  async function loadTable() {
    const request = ++table.request; // a slower, older answer must not overwrite a newer one
    const refused = scoreRangeProblem();
    showFilterProblem(refused);
    if (refused) return;
    const path = `/api/data/interviews?${query()}`;
    let page;
    try {
      page = await data(path);
    } catch (/** @type {any} */ error) {
      if (request !== table.request || error.status === 401) return;
      if (error.status === 422) showFilterProblem(`These filters cannot be applied: ${error.message}`);
      else say(error.message);
      return;
    }
    if (request !== table.request) return;
    tableShown = { path, text: JSON.stringify(page) };
    table.total = page.total;
    $("rows").replaceChildren(
      ...page.interviews.map((/** @type {any} */ interview) =>
        element("tr", {},
          element("td", {}, element("a", { href: `#${interview.session_id}`, onclick: (/** @type {MouseEvent} */ e) => { e.preventDefault(); openInterview(interview.session_id, /** @type {HTMLElement} */ (e.currentTarget)); } },
            interview.candidate_name)),
          element("td", {}, interview.position_id ? positionTitles.get(interview.position_id) || interview.position_id : "— (open)"),
          element("td", {}, `${interview.candidate_experience} y`),
          element("td", {}, interview.language && interview.language !== "en" // English goes without saying
            ? `${interview.difficulty} · ${LANGUAGES[/** @type {keyof LANGUAGES} */ (interview.language)] || interview.language}`
            : interview.difficulty),
          ...outcomeCells(interview),
          element("td", {}, teamVerdicts(interview.human_verdicts)),
          element("td", {}, new Date(interview.started_at).toLocaleString()),
        ),
      ),
    );
    if (!page.interviews.length) $("rows").append(element("tr", {}, element("td", { colspan: 9, class: "muted" }, "No interviews match.")));
    const first = page.total ? table.offset + 1 : 0;
    $("table-status").textContent = `${first}–${table.offset + page.interviews.length} of ${page.total}`;
    $("previous", HTMLButtonElement).disabled = table.offset === 0;
    $("next", HTMLButtonElement).disabled = table.offset + table.limit >= page.total;
    for (const button of all("th button", HTMLButtonElement)) {
      const active = button.dataset.sort === table.sort;
      button.closest("th")?.setAttribute("aria-sort", active ? (table.order === "asc" ? "ascending" : "descending") : "none");
    }
  }

  $("f-position").addEventListener("change", async () => {
    sessionStorage.setItem(POSITION_KEY, valueOf("f-position")); // a reload keeps the position chosen
    table.offset = 0;
    try {
      await loadOverview();
    } catch (/** @type {any} */ error) {
      if (error.status !== 401) say(`The analyses could not load: ${error.message}`);
    }
    await loadTable();
  });
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
      const first = sort === "candidate_name" ? "asc" : "desc"; // names A to Z first, numbers and dates highest
      table.order = table.sort !== sort ? first : table.order === "desc" ? "asc" : "desc";
      table.sort = sort;
      table.offset = 0;
      loadTable();
    });
  }

  /**
   * The positions, for the Position filter (its choice kept) and column; without them, ids show instead. A
   * reviewer chooses among theirs only (the first unless one was chosen): no choice for "all".
   * @returns {Promise<number>} how many positions there are to choose from
   */
  async function loadPositions() {
    const reviewer = me().role === "reviewer";
    const listed = await data("/api/positions").catch((/** @type {any} */ error) => {
      if (reviewer) throw error; // nothing is theirs to show without them
      return null;
    });
    if (!listed) return 0;
    positionTitles = new Map(listed.positions.map((/** @type {any} */ p) => [p.position_id, p.title]));
    // the choice on the page, else the one before a reload (this tab's), if the position is still listed
    const kept = sessionStorage.getItem(POSITION_KEY) || "";
    const chosen = valueOf("f-position") || (listed.positions.some((/** @type {any} */ p) => p.position_id === kept) ? kept : "");
    const options = listed.positions.map((/** @type {any} */ p) => element("option", { value: p.position_id, selected: p.position_id === chosen },
      p.status === "closed" ? `${p.title} (closed)` : p.title));
    $("f-position").replaceChildren(...(reviewer ? [] : [element("option", { value: "" }, "All positions, and interviews without one")]), ...options);
    return listed.positions.length;
  }

  // ---------- downloads and Sheets ----------

  /**
   * Says what the downloads hold while the overview shows one position's: its interviews and answers (job
   * descriptions are not kept per position: that download stays whole).
   * @param {string} position the chosen position's id, "" for all
   */
  function showDownloadScope(position) {
    $("downloads-scope").hidden = !position;
    $("downloads-scope").textContent = position
      ? `The interviews and answers downloaded are those of ${positionTitles.get(position) || position}; the job descriptions and the training data are all of them.`
      : "";
  }

  /**
   * Downloads the export `name` (with the sign-in cookie), the button saying so meanwhile.
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
        response = await fetch(`/api/data/export/${name}${query}`, { headers: REQUEST_HEADERS });
      } catch {
        throw new Error("Download failed: the server cannot be reached.");
      }
      if (!response.ok) throw new Error((await response.json().catch(() => ({}))).message || `Download failed (${response.status}).`);
      const url = URL.createObjectURL(await response.blob());
      // the server names one position's file after it (answers-senior-python-developer.csv)
      const named = /filename="([^"]+)"/.exec(response.headers.get("Content-Disposition") || "");
      const link = element("a", { href: url, download: named ? named[1] : name });
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
    const name = button.dataset.download || "";
    button.addEventListener("click", () => {
      const position = valueOf("f-position");
      const scoped = position && !name.startsWith("job_descriptions"); // not kept per position
      const query = new URLSearchParams({ ...(scoped ? { position_id: position } : {}), ...(name.endsWith(".csv") ? { excel: "true" } : {}) });
      download(button, name, query.size ? `?${query}` : ""); // excel: the byte-order mark Excel needs for accented names
    });
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

  /**
   * Whether the table's answer changed since it was shown (an interview completed, a verdict given): its request
   * alone is asked again, the cheapest that sees both. Throws when the check failed.
   * @returns {Promise<boolean>}
   */
  async function changed() {
    const before = tableShown;
    if (!before) return false;
    const page = await data(before.path, CHECKING);
    return before === tableShown && JSON.stringify(page) !== before.text;
  }

  /** Loads everything (the rest is not tried when the statistics could not load). */
  async function load() {
    const staff = me().role !== "reviewer";
    for (const section of all("[data-staff-only]", HTMLElement)) section.hidden = !staff;
    let positionCount;
    try {
      positionCount = await loadPositions();
      const nothing = !staff && !positionCount;
      $("overview-status").hidden = !nothing;
      $("overview-status").textContent = nothing ? "No position is assigned to you yet: ask an admin." : "";
      for (const part of all("#view-overview > :not(h2, #overview-status)", HTMLElement)) {
        if (!part.hasAttribute("data-staff-only")) part.hidden = nothing;
      }
      if (nothing) return;
      await loadOverview();
    } catch (/** @type {any} */ error) {
      if (error.status !== 401) say(`The dashboard could not load: ${error.message}`);
      return;
    }
    if (!staff) {
      await loadTable(); // calibration, question quality, skills, downloads and Sheets are the staff's
      return;
    }
    await Promise.all([loadTable(), calibration.loadQualityAnalyses()]);
    if (!following) {
      following = true;
      followPush().finally(() => (following = false));
    }
  }

  return { load, changed };
}

/** @type {Record<string, string>} a request's kind, as the list says it */
const ASKING_FOR = { human_review: "a human review", transcription: "a corrected transcript" };

/**
 * The interviews with candidates' requests waiting, oldest request first; each opens in the detail view.
 * Admins and recruiters see them all; a reviewer those of their positions (the API lists no more).
 * @param {import("./widgets.js").SectionContext} context
 * @param {{openInterview: (sessionId: string, opener: HTMLElement) => void}} options
 */
export function initRequestList({ data, me }, { openInterview }) {
  let request = 0; // a slower, older answer must not overwrite a newer one
  /** @type {string | null} the interviews listed, as shown: what `changed` compares */
  let listShown = null;

  /**
   * @param {import("./common.js").ApiOptions} [options] the request's (a check for news says so)
   * @returns {Promise<any[]>} the interviews with open requests this person may read
   */
  async function waiting(options = {}) {
    const query = "/api/data/interviews?open_requests=true&status=all&limit=100&sort=started_at&order=asc";
    if (me().role !== "reviewer") return (await data(query, options)).interviews;
    const pages = await Promise.all(me().positions.map((id) => data(`${query}&position_id=${encodeURIComponent(id)}`, options)));
    return pages.flatMap((page) => page.interviews);
  }

  async function show() {
    const mine = ++request;
    const status = $("requests-status");
    status.textContent = "Loading…";
    let interviews;
    /** @type {Record<string, string>} */
    let titles = {};
    try {
      const [listed, positions] = await Promise.all([waiting(), data("/api/positions").catch(() => ({ positions: [] }))]);
      interviews = listed;
      titles = Object.fromEntries(positions.positions.map((/** @type {any} */ p) => [p.position_id, p.title]));
    } catch (/** @type {any} */ error) {
      if (mine === request) status.textContent = `The requests could not load: ${problem(error)}`;
      return;
    }
    if (mine !== request) return;
    listShown = JSON.stringify(interviews);
    /** @param {any} interview */
    const open = (interview) => interview.candidate_requests.filter((/** @type {any} */ r) => r.status === "open");
    /** @param {any} interview */
    const first = (interview) => open(interview).map((/** @type {any} */ r) => r.requested_at).sort()[0] || "";
    interviews.sort((a, b) => first(a).localeCompare(first(b)));
    $("request-rows").replaceChildren(...interviews.map((interview) => {
      const kinds = [...new Set(open(interview).map((/** @type {any} */ r) => ASKING_FOR[r.kind] || r.kind))];
      return element("tr", {},
        element("td", {}, element("a", { href: `#${interview.session_id}`, onclick: (/** @type {MouseEvent} */ e) => {
          e.preventDefault();
          openInterview(interview.session_id, /** @type {HTMLElement} */ (e.currentTarget));
        } }, interview.candidate_name)),
        element("td", {}, interview.position_id ? titles[interview.position_id] || interview.position_id : "Open interview"),
        element("td", {}, when(first(interview))),
        element("td", {}, kinds.join(", ")),
        element("td", { class: "number" }, interview.open_requests));
    }));
    $("requests-wrap").hidden = !interviews.length;
    status.textContent = interviews.length
      ? `${interviews.length} ${interviews.length === 1 ? "interview has" : "interviews have"} requests waiting.`
      : "No requests are waiting.";
  }

  /**
   * Whether the requests waiting changed since they were listed (one more, one answered): the positions' titles
   * are not asked again. Throws when the check failed.
   * @returns {Promise<boolean>}
   */
  async function changed() {
    const before = listShown;
    if (before === null) return false;
    const interviews = await waiting(CHECKING);
    return before === listShown && JSON.stringify(interviews) !== before;
  }

  return { show, changed };
}
