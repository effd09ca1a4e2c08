// @ts-check
// An answer with the passages that earned or cost it points marked (docs/evidence.md): each span is
// the answer's characters (Unicode code points, as Python counts them) from start to end, its reason the mark's title. Built from text nodes only: the answer is the
// candidate's own text and never becomes HTML.
import { element } from "./common.js";

/**
 * @typedef {object} Evidence
 * @property {number} start
 * @property {number} end
 * @property {"earned" | "cost"} effect
 * @property {string} reason
 */

/**
 * The answer as text and <mark> elements, in order; spans out of range or overlapping an earlier one are skipped.
 * @param {string} answer
 * @param {Evidence[] | null | undefined} evidence
 * @returns {(string | HTMLElement)[]}
 */
export function highlighted(answer, evidence) {
  /** @type {(string | HTMLElement)[]} */
  const parts = [];
  const chars = Array.from(answer); // code points: an emoji is one, as in the offsets; .slice would count two
  const text = (/** @type {number} */ from, /** @type {number} */ to) => chars.slice(from, to).join("");
  let at = 0;
  const spans = [...(evidence || [])].sort((a, b) => a.start - b.start);
  for (const span of spans) {
    if (span.start < at || span.end <= span.start || span.end > chars.length) continue;
    if (span.start > at) parts.push(text(at, span.start));
    const label = span.effect === "earned" ? "Earned points" : "Cost points";
    parts.push(element("mark", { class: `evidence evidence-${span.effect}`, title: `${label}: ${span.reason}` },
      text(span.start, span.end)));
    at = span.end;
  }
  if (at < chars.length) parts.push(text(at, chars.length));
  return parts;
}

/** A one-line key to the marks. */
export function evidenceKey() {
  return element("p", { class: "small muted evidence-key" },
    element("mark", { class: "evidence evidence-earned" }, "earned points"), " ",
    element("mark", { class: "evidence evidence-cost" }, "cost points"), " (hover for the reason)");
}
