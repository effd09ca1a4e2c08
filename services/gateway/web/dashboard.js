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
//   #<session id>     an interview in the detail view (detail.js), over the landing section
// A reviewer lands on their positions and sees nothing they could not read. The page's one module
// script: the others are imported and given what they need (the API call, who is signed in).
import { $, all } from "./common.js";
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
import { labelTablesIn } from "./widgets.js";

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
}, myId: () => me().id });
const context = { data, me, say };
const overview = initOverview({ data, me, say, openInterview: detail.open, calibration });
const positions = initPositions(context, { openInterview: detail.open });
const position = initPosition(context, { openInterview: detail.open });
const requestList = initRequestList(context, { openInterview: detail.open });
const fairness = initFairness(context);
const shadow = initShadow(context, { openInterview: detail.open });
const users = initUsers(context);
const audit = initAudit(context);
const webhooks = initWebhooks(context);

/** @type {{view: View, id: string} | null} the section shown */
let shown = null;
let entered = false; // someone is signed in and the sections are wired: the hash may be followed
let unloaded = false; // the section shown could not load: the sign-in had ended

/** @returns {View} where a person of this role lands */
function landing() {
  return me().role === "reviewer" ? "positions" : "overview";
}

/**
 * The section and id the hash asks for; a session id alone is an interview over the landing section.
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
  const [name, id = ""] = hash.slice(1).split("/");
  if (name === "positions" && id) return { view: "position", id, interview: null };
  const view = /** @type {View} */ (name in ALLOWED && name !== "position" ? name : landing());
  return { view, id: "", interview: null };
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
  if (!wanted.interview) detail.hide();
  shown = { view, id: wanted.id };
  position.showWaiting(); // the links of other positions not hidden yet
  const endings = auth.endings();
  if (!same || reload) {
    say("");
    if (view === "overview") await overview.load();
    else if (view === "positions") await positions.show();
    else if (view === "position") await position.show(wanted.id);
    else if (view === "requests") await requestList.show();
    else if (view === "fairness") await fairness.show();
    else if (view === "shadow") await shadow.show();
    else if (view === "users") await users.show();
    else if (view === "audit") await audit.show();
    else if (view === "webhooks") await webhooks.show();
  }
  if (wanted.interview) await detail.open(wanted.interview);
  else if (focus) {
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
  route(options).catch((/** @type {any} */ error) => say(`This section could not load: ${error.message}`));
}

window.addEventListener("hashchange", () => {
  if (entered) go({ focus: true }); // before the sign-in, the hash is read once someone is signed in
});
$("refresh").addEventListener("click", () => {
  if (entered) go({ reload: true });
  else auth.retry(); // the sign-in check failed (the server unreachable): ask again
});
auth.start();
