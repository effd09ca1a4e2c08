// @ts-check
// Signing in to the dashboard. GET /api/auth/me says who is signed in (a fresh machine with no
// ADMIN_TOKEN and no users answers at once on the machine it runs on: the "local" admin, and the dashboard
// opens straight away);
// otherwise the sign-in form takes an API token (a personal one or ADMIN_TOKEN), POST /api/auth/sign-in
// sets an HttpOnly cookie, and from then on every request is same-origin with that cookie and the header
// `X-Requested-With: interviewer` (the server refuses a change made with the cookie alone). Single sign-on
// is offered when GET /api/auth/methods says it is on (a refused one comes back with ?sign_in_error=, said
// under the form). Nothing secret is kept by the page.
import { $, api, element, fieldError, HttpError } from "./common.js";

/** Sent with every request: the server refuses a change made with the sign-in cookie without it. */
export const REQUEST_HEADERS = { "X-Requested-With": "interviewer" };
// on the dashboard's checks for news: the audit log records such a read once in ten minutes, not every 20 s
export const CHECKING = { headers: { "X-Interviewer-Check": "news" } };

/**
 * @typedef {import("./widgets.js").Me} Me
 */

/**
 * Wires the sign-in form and the signed-in person's name and sign-out button in the header.
 * @param {object} options
 * @param {(me: Me) => void} options.onSignedIn called once someone is signed in
 * @param {() => void} options.onSignedInAgain called when the same person signs in again after their sign-in
 *   ended: the page stays as it was (what they typed, the links shown), and they press the button again
 * @param {(message: string) => void} options.say the page-level message
 */
export function initSignIn({ onSignedIn, onSignedInAgain, say }) {
  /** @type {Me | null} */
  let me = null;
  /** @type {Element | null} where the focus was when the sign-in ended, to go back to once signed in again */
  let focusBefore = null;
  /** @type {Element | null} the last control focused in the page (a button being disabled while it sends loses it) */
  let lastFocused = null;
  let ended = 0;
  $("content").addEventListener("focusin", (event) => (lastFocused = /** @type {Element} */ (event.target)));
  let methodsShown = false;
  /** @type {"asking" | "answered" | "failed"} where GET /api/auth/me stands: failed is a network error or a 5xx */
  let check = "asking";

  /**
   * The API's answer with the sign-in cookie; a 401 (the sign-in ended, or the person was deactivated)
   * shows the sign-in form again, and is thrown like any error.
   * @param {string} path
   * @param {import("./common.js").ApiOptions} [options]
   * @returns {Promise<any>}
   */
  async function data(path, options = {}) {
    try {
      return (await api(path, { ...options, headers: { ...REQUEST_HEADERS, ...(options.headers || {}) } })).data;
    } catch (error) {
      if (error instanceof HttpError && error.status === 401) {
        askToSignIn(/deactivated/.test(error.message) ? error.message : "Your sign-in has ended: sign in again.");
      }
      throw error;
    }
  }

  /**
   * The sign-in form in place of the page, which is hidden but kept as it is (forms, what was typed).
   * @param {string} problem why (shown under the field)
   */
  function askToSignIn(problem) {
    ended += 1;
    if ($("signin").hidden) focusBefore = lastFocused;
    $("content").hidden = true;
    $("sections").hidden = true;
    $("who").hidden = true;
    $("signin").hidden = false;
    fieldError("signin-token", problem);
    showMethods();
    $("signin-token").focus();
  }

  async function showMethods() {
    if (methodsShown) return;
    try {
      const methods = (await api("/api/auth/methods", { headers: REQUEST_HEADERS })).data;
      methodsShown = true;
      if (methods.oidc) {
        $("signin-oidc").replaceChildren(
          element("p", { class: "muted small" }, "or"),
          element("a", { class: "button-link", href: "/api/auth/oidc/start" }, `Sign in with ${methods.oidc_name || "single sign-on"}`));
        $("signin-oidc").hidden = false;
      }
    } catch {
      /* the token form is enough */
    }
  }

  /** @param {Me} who */
  function signedIn(who) {
    const before = me;
    me = who;
    if (before && !samePerson(before, who)) {
      location.reload(); // everything shown so far was for the person before, with their rights: start afresh
      return;
    }
    $("signin").hidden = true;
    $("who-name").textContent = who.name;
    $("who-role").textContent = who.role;
    $("sign-out").hidden = who.id === "local"; // nobody signed in: a fresh machine, open on loopback
    $("who").hidden = false;
    if (!before) return onSignedIn(who);
    $("sections").hidden = false;
    $("content").hidden = false;
    const back = focusBefore;
    focusBefore = null;
    onSignedInAgain();
    const heading = $("content").querySelector(".view:not([hidden]) h2");
    if (back instanceof HTMLElement && back !== document.body && back.getClientRects().length) back.focus();
    else if (heading instanceof HTMLElement) heading.focus();
  }

  /**
   * Whether a new sign-in is the one before's: the same person with the same rights.
   * @param {Me} before
   * @param {Me} now
   */
  function samePerson(before, now) {
    return before.id === now.id && before.role === now.role
      && JSON.stringify([...before.positions || []].sort()) === JSON.stringify([...now.positions || []].sort());
  }

  $("signin").addEventListener("submit", async (event) => {
    event.preventDefault();
    const input = $("signin-token", HTMLInputElement);
    const token = input.value.trim();
    if (!token) return fieldError("signin-token", "Enter your API token.");
    const button = $("signin-button", HTMLButtonElement);
    button.disabled = true;
    try {
      const who = (await api("/api/auth/sign-in", { method: "POST", body: { token }, headers: REQUEST_HEADERS })).data;
      input.value = "";
      fieldError("signin-token", "");
      say("");
      signedIn(who);
    } catch (/** @type {any} */ error) {
      fieldError("signin-token", error instanceof HttpError && error.status < 500
        ? error.message : `Sign-in failed: ${error.message}`);
      input.focus();
    } finally {
      button.disabled = false;
    }
  });

  $("sign-out").addEventListener("click", async () => {
    try {
      await api("/api/auth/sign-out", { method: "POST", headers: REQUEST_HEADERS });
    } catch {
      /* the cookie ends with the page anyway: go to the sign-in form */
    }
    location.replace("/dashboard");
  });

  /**
   * Why single sign-on sent the browser back without signing in (`?sign_in_error=`), once: the address
   * is cleaned so that a reload does not say it again.
   * @returns {string}
   */
  function singleSignOnProblem() {
    const params = new URLSearchParams(location.search);
    const problem = params.get("sign_in_error") || "";
    if (problem) {
      params.delete("sign_in_error");
      const query = params.toString();
      history.replaceState(null, "", `${location.pathname}${query ? `?${query}` : ""}${location.hash}`);
    }
    return problem;
  }

  /** Who is signed in: the dashboard opens, or the sign-in form shows. */
  async function start() {
    const problem = singleSignOnProblem();
    check = "asking";
    say("");
    let who;
    try {
      who = (await api("/api/auth/me", { headers: REQUEST_HEADERS })).data;
    } catch (/** @type {any} */ error) {
      if (error instanceof HttpError && error.status === 401) {
        check = "answered";
        // a fresh machine reached from another one says so, rather than asking for a token unexplained
        askToSignIn(problem || (error.body.reason === "open_on_this_machine_only" ? error.message : ""));
      } else {
        check = "failed";
        say(`The dashboard could not load: ${error.message} Press Refresh to try again.`);
      }
      return;
    }
    check = "answered";
    signedIn(who);
  }

  return {
    data,
    start,
    /** @returns {number} how many times a request found the sign-in ended */
    endings: () => ended,
    /** Asks again who is signed in, if the last time failed (a network error, a 5xx). */
    retry: () => (check === "failed" ? start() : Promise.resolve()),
    /** @returns {Me} who is signed in (only asked once someone is) */
    me: () => {
      if (!me) throw new Error("Nobody is signed in.");
      return me;
    },
  };
}
