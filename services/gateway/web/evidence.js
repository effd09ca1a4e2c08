// @ts-check
// An answer with the passages that earned or cost it points marked (docs/evidence.md): each span is
// the answer's characters (Unicode code points, as Python counts them) from start to end. Built from text
// nodes only: the answer is the candidate's own text and never becomes HTML. Each mark is a toggle
// (focusable, aria-expanded) for its reason, listed under the answer (so the answer's text stays the answer's)
// and shown on Enter, Space, click or tap (not on focus alone: the first key would close it), and on hover
// with a mouse; hidden again by Escape or the focus leaving; the reason is the mark's accessible
// description whether shown or not. Its own words are the page's (words.js): English unless the page set its
// language (the candidate page does; the dashboard does not).
import { element } from "./common.js";
import { say, wordsLanguage } from "./words.js";

/**
 * @typedef {object} Evidence
 * @property {number} start
 * @property {number} end
 * @property {"earned" | "cost"} effect
 * @property {string} reason
 */

let reasons = 0; // the reasons' ids, unique in the page

/** @param {Event} event @returns {HTMLElement} */
const markOf = (event) => /** @type {HTMLElement} */ (event.currentTarget);

/**
 * Shows or hides a mark's reason: `open` (by keyboard, click or tap, said by aria-expanded) or `hovered`.
 * @param {HTMLElement} mark
 * @param {"open" | "hovered"} how
 * @param {boolean} shown
 */
function showReason(mark, how, shown) {
  if (how === "open") mark.setAttribute("aria-expanded", String(shown));
  document.getElementById(mark.getAttribute("aria-controls") || "")?.classList.toggle(how, shown);
}

/** @param {Event} event closing it hides it even under a hovering mouse, so that the click shows an effect */
function toggle(event) {
  const mark = markOf(event);
  const open = mark.getAttribute("aria-expanded") !== "true";
  showReason(mark, "open", open);
  if (!open) showReason(mark, "hovered", false);
}

/** @param {KeyboardEvent} event Enter and Space toggle the reason, Escape hides it */
function onKey(event) {
  if (event.key === "Escape") showReason(markOf(event), "open", false);
  else if (event.key === "Enter" || event.key === " ") toggle(event);
  else return;
  event.preventDefault(); // Space would scroll the page
}

const MARK_EVENTS = {
  onclick: toggle,
  onkeydown: onKey,
  onblur: (/** @type {Event} */ e) => showReason(markOf(e), "open", false),
  // a mouse's hover, not a finger's (a tap opens it, and a second tap closes it)
  onpointerenter: (/** @type {PointerEvent} */ e) => e.pointerType === "mouse" && showReason(markOf(e), "hovered", true),
  onpointerleave: (/** @type {PointerEvent} */ e) => showReason(markOf(e), "hovered", false),
};

/**
 * The answer as a paragraph (with `attributes`) of text and <mark> elements in order, and the list of their
 * reasons under it ("Earned points: …", "Cost points: …", the labels in the page's words, each shown while its
 * mark is open or hovered); spans out of range or overlapping an earlier one are skipped.
 * @param {string} answer
 * @param {Evidence[] | null | undefined} evidence
 * @param {Record<string, any>} attributes the paragraph's; its `lang` is the reasons' too
 * @returns {HTMLElement[]}
 */
export function markedAnswer(answer, evidence, attributes) {
  /** @type {(string | HTMLElement)[]} */
  const parts = [];
  /** @type {HTMLElement[]} */
  const why = [];
  const chars = Array.from(answer); // code points: an emoji is one, as in the offsets; .slice would count two
  const text = (/** @type {number} */ from, /** @type {number} */ to) => chars.slice(from, to).join("");
  let at = 0;
  const spans = [...(evidence || [])].sort((a, b) => a.start - b.start);
  for (const span of spans) {
    if (span.start < at || span.end <= span.start || span.end > chars.length) continue;
    if (span.start > at) parts.push(text(at, span.start));
    const id = `evidence-reason-${++reasons}`;
    parts.push(element("mark", { class: `evidence evidence-${span.effect}`, tabindex: 0, role: "button",
      "aria-expanded": "false", "aria-controls": id, "aria-describedby": id, ...MARK_EVENTS }, text(span.start, span.end)));
    why.push(element("li", { class: `evidence-reason evidence-reason-${span.effect}`, id },
      element("span", { lang: wordsLanguage() },
        say(span.effect === "earned" ? "earnedPointsLabel" : "costPointsLabel")), " ", span.reason));
    at = span.end;
  }
  if (at < chars.length) parts.push(text(at, chars.length));
  const paragraph = element("p", attributes, parts);
  return why.length ? [paragraph, element("ul", { class: "evidence-reasons", lang: attributes.lang }, why)] : [paragraph];
}

/** A one-line key to the marks. */
export function evidenceKey() {
  return element("p", { class: "small muted evidence-key" },
    element("mark", { class: "evidence evidence-earned" }, say("earnedPoints")), " ",
    element("mark", { class: "evidence evidence-cost" }, say("costPoints")),
    " ", say("evidenceHowTo"));
}
