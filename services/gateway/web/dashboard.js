// @ts-check
// The recruiters' dashboard: sign-in (signin.js), then the sections the signed-in person's role may
// see, one at a time, chosen by the address's hash:
//   #/overview        statistics, analyses, interviews, calibration, downloads (overview.js; a reviewer: the
//                     statistics, analyses and interviews of one of their positions at a time)
//   #/positions       the positions (positions.js), #/positions/<id> one of them (position.js)
//   #/requests        interviews whose candidate asked for a review or a correction (overview.js; a reviewer's positions)
//   #/fairness        the adverse-impact monitor (fairness.js; admins and recruiters)
//   #/shadow          shadow runs: a candidate scorer's scores beside the old (shadow.js; admins and recruiters)
//   #/users, #/audit, #/webhooks   admins only (users.js, audit.js, webhooks.js)
//   …/interview/<session id>  after any of these: an interview in the detail view (detail.js) over that section;
//                     opening one pushes its address (Back closes it), closing it gives the section's back
//   #<session id>     an interview over the landing section (the links of before, still followed)
// While the tab is visible, the section shown and an interview open are checked for changes every 20 s
// (?check_every=<seconds> for tests): news is said with a button to show it, never drawn by itself, so that
// what the recruiter reads, scrolls or types stays put (a row moving under the pointer opens the wrong candidate).
// A reviewer lands on their positions and sees nothing they could not read. The page's one module
// script: the others are imported and given what they need (the API call, who is signed in).
import { $, all, element } from "./common.js";
import { initAudit } from "./audit.js";
import { initCalibration } from "./calibration.js";
import { initDetail } from "./detail.js";
import { initFairness } from "./fairness.js";
import { initOverview, initRequestList } from "./overview.js";
import { initPosition } from "./position.js";
import { initPositions } from "./positions.js";
import { initShadow } from "./shadow.js";
import { initSignIn } from "./signin.js";
import { initUsers } from "./users.js";
import { initWebhooks } from "./webhooks.js";
import { labelTablesIn, whileVisible } from "./widgets.js";

/** @typedef {"overview" | "positions" | "position" | "requests" | "fairness" | "shadow" | "users" | "audit" | "webhooks"} View */
/** @typedef {import("./widgets.js").Me["role"]} Role */

/** @type {Record<View, Role[]>} which roles see each section */
const ALLOWED = {
  overview: ["admin", "recruiter", "reviewer"],
  positions: ["admin", "recruiter", "reviewer"],
  position: ["admin", "recruiter", "reviewer"],
  requests: ["admin", "recruiter", "reviewer"],
  fairness: ["admin", "recruiter"],
  shadow: ["admin", "recruiter"],
  users: ["admin"],
  audit: ["admin"],
  webhooks: ["admin"],
};
/** @type {Record<View, string>} the navigation's item of each section */
const NAV = {
  overview: "overview", positions: "positions", position: "positions", requests: "requests", fairness: "fairness",
  shadow: "shadow", users: "users", audit: "audit", webhooks: "webhooks",
};

/** @param {string} message shown at the top of the page; "" hides it */
function say(message) {
  $("message").textContent = message || "";
  $("message").hidden = !message;
}

labelTablesIn($("content")); // every table read as cards on a phone (app.css)
const auth = initSignIn({ onSignedIn: enter, onSignedInAgain: resume, say });
const { data, me } = auth;
const calibration = initCalibration(data);
const detail = initDetail({ data, say, onReviewSaved: () => {
  if (me().role !== "reviewer") calibration.loadCalibration(); // the server refuses it to reviewers
  if (shown && shown.view === "position") position.refresh(); // its rows show the verdicts
}, onRequestResolved: () => {
  if (shown && shown.view === "requests") requestList.show();
}, myId: () => me().id, onClosed: interviewClosed });
const context = { data, me, say };
const overview = initOverview({ data, me, say, openInterview, calibration });
const positions = initPositions(context, { openInterview });
const position = initPosition(context, { openInterview });
const requestList = initRequestList(context, { openInterview });
const fairness = initFairness(context);
const shadow = initShadow(context, { openInterview });
const users = initUsers(context);
const audit = initAudit(context);
const webhooks = initWebhooks(context);

/** @type {Partial<Record<View, () => Promise<boolean>>>} whether a section's main answer changed since it was shown */
const CHANGED = { overview: overview.changed, positions: positions.changed, position: position.changed, requests: requestList.changed };

/** @type {{view: View, id: string} | null} the section shown */
let shown = null;
let entered = false; // someone is signed in and the sections are wired: the hash may be followed
let unloaded = false; // the section shown could not load: the sign-in had ended
let loads = 0; // counted as a section starts and ends loading: a check made meanwhile compares with a stale answer

/** @returns {View} where a person of this role lands */
function landing() {
  return me().role === "reviewer" ? "positions" : "overview";
}

/**
 * The section, id and interview the hash asks for; a session id alone is an interview over the landing section.
 * @returns {{view: View, id: string, interview: string | null}}
 */
function parseHash() {
  let hash = "";
  try {
    hash = decodeURIComponent(location.hash.slice(1));
  } catch {
    /* a malformed address (#%E0): the landing section */
  }
  if (!hash.startsWith("/")) return { view: landing(), id: "", interview: hash || null };
  const parts = hash.slice(1).split("/");
  const at = parts.indexOf("interview", 1);
  const interview = at > 0 ? parts[at + 1] || null : null;
  const [name, id = ""] = at > 0 ? parts.slice(0, at) : parts;
  if (name === "positions" && id) return { view: "position", id, interview };
  const view = /** @type {View} */ (name in ALLOWED && name !== "position" ? name : landing());
  return { view, id: "", interview };
}

/**
 * The address of the section shown: an interview's is this and "/interview/<session id>".
 * @param {{view: View, id: string}} section
 */
function sectionHash({ view, id }) {
  return view === "position" ? `#/positions/${id}` : `#/${view}`;
}

/**
 * Opens an interview with its address, to copy for a colleague: a new history entry (Back closes it), or, over an
 * interview already open, in its place (Back still closes rather than going through each one opened).
 * @param {string} sessionId
 * @param {HTMLElement} from focused again when it closes
 */
function openInterview(sessionId, from) {
  if (!shown) return;
  const address = `${sectionHash(shown)}/interview/${encodeURIComponent(sessionId)}`;
  const pushed = Boolean(history.state && history.state.pushed); // an entry this page added: Close goes Back out of it
  if (parseHash().interview) history.replaceState({ pushed }, "", address);
  else history.pushState({ pushed: true }, "", address);
  detail.open(sessionId, from);
}

/** Closed by its button or Escape: the section's address again, by going Back out of the entry opening it pushed. */
function interviewClosed() {
  if (history.state && history.state.pushed) history.back(); // the hashchange finds it closed already
  else if (!location.hash.startsWith("#/")) history.replaceState(null, "", location.pathname + location.search); // #<session id>
  else if (shown) history.replaceState(null, "", sectionHash(shown)); // opened from a copied address: no entry before it here
}

/** The section shown again, after its notice of news; the interview open stays as it is. */
async function showNews() {
  $("news").replaceChildren();
  if (!shown) return;
  await loadSection(shown.view, shown.id);
  const heading = $(`view-${shown.view}`).querySelector("h2");
  if (heading instanceof HTMLElement) heading.focus();
}

/** Whether the section shown, and the interview open, changed since they were loaded: said, not drawn. */
async function checkForNews() {
  if (!entered || $("content").hidden) return; // the sign-in form is up: nobody to tell
  const section = shown;
  const before = loads;
  if (before % 2) return; // a section is loading: what it shows is not there to compare with yet (found by a review)
  const changed = section && !$("news").hasChildNodes() ? CHANGED[section.view] : undefined;
  // each on its own: an interview open that was erased meanwhile must not stop the section's news (found by a review)
  const [sectionNews, interviewNews] = await Promise.allSettled([changed ? changed() : false, detail.check()]);
  if (sectionNews.status === "fulfilled" && sectionNews.value && section === shown && before === loads) {
    $("news").replaceChildren("New results since this page loaded — ",
      element("button", { type: "button", class: "link-button", onclick: () => showNews().catch(cannotLoad) }, "Show them"));
  }
  const failed = [sectionNews, interviewNews].find((settled) => settled.status === "rejected");
  if (failed && failed.status === "rejected") throw failed.reason; // the server in trouble: checked less often
}

/** How often to check, in ms: every 20 s, or ?check_every=<seconds> (tests do not wait 20 s). */
function checkEvery() {
  const asked = Number(new URLSearchParams(location.search).get("check_every"));
  return asked > 0 ? asked * 1000 : 20_000;
}

/**
 * Loads a section's data and draws it.
 * @param {View} view
 * @param {string} id
 */
async function loadSection(view, id) {
  loads++;
  try {
    await drawSection(view, id);
  } finally {
    loads++;
  }
}

/**
 * @param {View} view
 * @param {string} id
 */
async function drawSection(view, id) {
  if (view === "overview") await overview.load();
  else if (view === "positions") await positions.show();
  else if (view === "position") await position.show(id);
  else if (view === "requests") await requestList.show();
  else if (view === "fairness") await fairness.show();
  else if (view === "shadow") await shadow.show();
  else if (view === "users") await users.show();
  else if (view === "audit") await audit.show();
  else if (view === "webhooks") await webhooks.show();
}

/**
 * Shows the section the hash asks for (the landing one when this role may not see it) and loads it.
 * @param {{focus?: boolean, reload?: boolean}} [options] focus: move the focus to its heading (a navigation)
 */
async function route({ focus = false, reload = false } = {}) {
  const wanted = parseHash();
  const view = ALLOWED[wanted.view].includes(me().role) ? wanted.view : landing();
  const same = shown && shown.view === view && shown.id === wanted.id;
  for (const name of /** @type {View[]} */ (Object.keys(ALLOWED))) $(`view-${name}`).hidden = name !== view;
  for (const item of all("#sections li", HTMLLIElement)) {
    const link = item.querySelector("a");
    if (link && item.dataset.view === NAV[view]) link.setAttribute("aria-current", "page");
    else if (link) link.removeAttribute("aria-current");
  }
  // Back out of an interview: the focus goes back to what opened it; another section, or one still loading: hidden
  if (!wanted.interview && same && detail.shownId() !== null) detail.dismiss();
  else if (!wanted.interview) detail.hide();
  shown = { view, id: wanted.id };
  position.showWaiting(); // the links of other positions not hidden yet
  const endings = auth.endings();
  if (!same || reload) {
    say("");
    $("news").replaceChildren();
    await loadSection(view, wanted.id);
  }
  // the one open already stays as it is (what is typed in it): Forward to it, or the address it pushed
  if (wanted.interview && (reload || detail.shownId() !== wanted.interview)) await detail.open(wanted.interview);
  else if (focus && !same) {
    const heading = $(`view-${view}`).querySelector("h2");
    if (heading instanceof HTMLElement) heading.focus();
  }
  unloaded = auth.endings() !== endings;
}

/** The same person signed in again: the page stays as it was; a section that could not load loads now. */
function resume() {
  if (unloaded) go({ reload: true });
}

/** @param {import("./widgets.js").Me} who */
function enter(who) {
  for (const item of all("#sections li", HTMLLIElement)) {
    item.hidden = !ALLOWED[/** @type {View} */ (item.dataset.view)].includes(who.role);
  }
  $("sections").hidden = false;
  $("content").hidden = false;
  entered = true;
  go();
}

/**
 * Routes, an unexpected failure said on the page rather than left unhandled.
 * @param {{focus?: boolean, reload?: boolean}} [options]
 */
function go(options) {
  route(options).catch(cannotLoad);
}

/** @param {any} error */
function cannotLoad(error) {
  say(`This section could not load: ${error.message}`);
}

window.addEventListener("hashchange", () => {
  if (entered) go({ focus: true }); // before the sign-in, the hash is read once someone is signed in
});
$("refresh").addEventListener("click", () => {
  if (entered) go({ reload: true });
  else auth.retry(); // the sign-in check failed (the server unreachable): ask again
});
auth.start();
whileVisible(checkForNews, checkEvery());
