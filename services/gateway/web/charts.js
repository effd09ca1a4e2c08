// @ts-check
// Tiny accessible SVG bar charts (no library, nothing fetched from the internet).
import { element } from "./common.js";

const SVG = "http://www.w3.org/2000/svg";

/**
 * One bar, column or row of a chart.
 * @typedef {{label: string, value: number}} ChartItem
 */

/**
 * How a chart prints its values, and the value of a full-length bar (the largest value if not given).
 * @typedef {{format?: (value: number) => string, max?: number}} ChartOptions
 */

/**
 * A score the AI gave (x) and the one a person gave the same answer (y).
 * @typedef {{x: number, y: number}} ScorePair
 */

/**
 * @template {keyof SVGElementTagNameMap} K
 * @param {K} tag
 * @param {Record<string, string | number>} [attributes]
 * @param {string | number} [text]
 * @returns {SVGElementTagNameMap[K]}
 */
function svgElement(tag, attributes = {}, text) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  if (text !== undefined) node.textContent = String(text);
  return node;
}

/**
 * Replaces the chart in `container` by a line saying there is nothing to show.
 * @param {HTMLElement} container
 * @param {string} [message]
 */
function emptyChart(container, message = "No data yet.") {
  container.replaceChildren(element("p", { class: "muted" }, message));
}

/**
 * Vertical bars, one per item, in `container`. `format` prints a value.
 * @param {HTMLElement} container
 * @param {ChartItem[]} items
 * @param {ChartOptions} [options]
 */
export function columnChart(container, items, { format = (v) => String(v), max } = {}) {
  if (!items.length || items.every((i) => !i.value)) return emptyChart(container);
  const width = 420, height = 200, bottom = 28, top = 16;
  const top_value = max ?? Math.max(...items.map((i) => i.value));
  const step = width / items.length;
  const svg = svgElement("svg", { viewBox: `0 0 ${width} ${height}`, role: "img" });
  svg.append(svgElement("title", {}, items.map((i) => `${i.label}: ${format(i.value)}`).join(", ")));
  const barWidth = Math.min(step * 0.7, 48);
  items.forEach((item, index) => {
    const barHeight = top_value ? ((height - bottom - top) * item.value) / top_value : 0;
    const middle = index * step + step / 2;
    const y = height - bottom - barHeight;
    svg.append(svgElement("rect", { class: "bar", x: middle - barWidth / 2, y, width: barWidth, height: Math.max(barHeight, 0), rx: 3 }));
    if (item.value) svg.append(svgElement("text", { class: "value-label", x: middle, y: y - 4, "text-anchor": "middle" }, format(item.value)));
    svg.append(svgElement("text", { class: "axis-label", x: middle, y: height - 10, "text-anchor": "middle" }, item.label));
  });
  container.replaceChildren(svg);
  const labels = Array.from(svg.querySelectorAll(".axis-label"));
  new ResizeObserver(() => thinLabels(labels)).observe(svg); // first when laid out, again on every resize
}

// Labels too wide for their column would run into each other: show every k-th, counted back from the
// last (the latest day stays labelled), so those shown are evenly spaced. Every bar keeps its value.
/** @param {Element[]} labels */
function thinLabels(labels) {
  if (labels.length < 2) return;
  const boxes = labels.map((label) => label.getBoundingClientRect()); // hidden ones (visibility) keep their box
  const step = boxes[1].left + boxes[1].width / 2 - (boxes[0].left + boxes[0].width / 2);
  if (step <= 0) return; // not laid out yet
  const every = Math.ceil((Math.max(...boxes.map((box) => box.width)) + 6) / step);
  labels.forEach((label, index) => {
    if ((labels.length - 1 - index) % every) label.setAttribute("visibility", "hidden");
    else label.removeAttribute("visibility");
  });
}

/**
 * Horizontal bars with their labels written out (long texts: weaknesses, questions), in `container`.
 * A bar's length is its value's share of `max` (the largest value if not given); it is the one style
 * set here, being data.
 * @param {HTMLElement} container
 * @param {ChartItem[]} items
 * @param {ChartOptions} [options]
 */
export function barList(container, items, { format = (v) => String(v), max } = {}) {
  if (!items.length) return emptyChart(container);
  const top_value = max ?? Math.max(...items.map((i) => i.value));
  container.replaceChildren(
    element("ol", { class: "bar-list" },
      items.map((item) => {
        const bar = element("div", { class: "bar-fill", "aria-hidden": "true" });
        bar.style.width = `${Math.max(2, (100 * item.value) / (top_value || 1))}%`;
        return element("li", {},
          element("div", { class: "small" }, item.label),
          // the bar in a track of its own: the value beside it keeps its width, on one line
          element("div", { class: "bar-row" }, element("div", { class: "bar-track" }, bar),
            element("span", { class: "small muted bar-value" }, format(item.value))),
        );
      }),
    ),
  );
}

/**
 * How often the person (y) gave the same score as the AI (x), a higher one and a lower one.
 * @param {ScorePair[]} pairs
 * @returns {{same: number, higher: number, lower: number}}
 */
export function scoreCounts(pairs) {
  const same = pairs.filter((p) => p.y === p.x).length;
  const higher = pairs.filter((p) => p.y > p.x).length;
  return { same, higher, lower: pairs.length - same - higher };
}

/**
 * Paired integer scores (AI across, a person up), one circle per distinct pair sized by how many
 * answers share it, and the diagonal where both agree. Returns the distinct points (none without pairs).
 * @param {HTMLElement} container
 * @param {ScorePair[]} pairs
 * @param {{max?: number, xLabel?: string, yLabel?: string}} [options]
 * @returns {{x: number, y: number, count: number}[]}
 */
export function scatterPlot(container, pairs, { max = 10, xLabel = "AI score", yLabel = "Human score" } = {}) {
  if (!pairs.length) {
    emptyChart(container, "No reviewed answers yet.");
    return [];
  }
  /** @type {Map<string, number>} */
  const counts = new Map();
  for (const { x, y } of pairs) counts.set(`${x},${y}`, (counts.get(`${x},${y}`) || 0) + 1);
  const points = [...counts].map(([key, count]) => {
    const [x, y] = key.split(",").map(Number);
    return { x, y, count };
  }).sort((a, b) => a.x - b.x || a.y - b.y);
  const size = 320, left = 40, bottom = 36, top = 8, right = 8;
  /** @param {number} v */
  const px = (v) => left + ((size - left - right) * (v + 0.5)) / (max + 1);  // half a point of room around 0 and max
  /** @param {number} v */
  const py = (v) => size - bottom - ((size - bottom - top) * (v + 0.5)) / (max + 1);
  const largest = Math.max(...points.map((p) => p.count));
  const { same, higher, lower } = scoreCounts(pairs);
  const svg = svgElement("svg", { viewBox: `0 0 ${size} ${size}`, role: "img" });
  svg.append(svgElement("title", {},
    `${pairs.length} reviewed answers at ${points.length} distinct score pairs: the reviewer scored ` +
    `${same} the same as the AI, ${higher} higher and ${lower} lower.`));
  svg.append(svgElement("rect", { class: "frame", x: left, y: top, width: size - left - right, height: size - top - bottom }));
  for (let tick = 0; tick <= max; tick += 2) {
    svg.append(svgElement("line", { class: "grid-line", x1: px(tick), x2: px(tick), y1: top, y2: size - bottom }));
    svg.append(svgElement("line", { class: "grid-line", x1: left, x2: size - right, y1: py(tick), y2: py(tick) }));
    svg.append(svgElement("text", { x: px(tick), y: size - bottom + 14, "text-anchor": "middle" }, tick));
    svg.append(svgElement("text", { x: left - 6, y: py(tick) + 4, "text-anchor": "end" }, tick));
  }
  svg.append(svgElement("line", { class: "diagonal", x1: px(-0.5), y1: py(-0.5), x2: px(max + 0.5), y2: py(max + 0.5) }));
  svg.append(svgElement("text", { x: px(max / 2), y: size - 4, "text-anchor": "middle" }, xLabel));
  svg.append(svgElement("text", { x: 12, y: py(max / 2), "text-anchor": "middle", transform: `rotate(-90 12 ${py(max / 2)})` }, yLabel));
  for (const point of points) {
    const circle = svgElement("circle", {
      class: `point ${point.y > point.x ? "above" : point.y < point.x ? "below" : "on"}`,
      cx: px(point.x), cy: py(point.y), r: 3 + 9 * Math.sqrt(point.count / largest),
      "data-ai": point.x, "data-human": point.y, "data-count": point.count,
    });
    circle.append(svgElement("title", {}, `${xLabel} ${point.x}, ${yLabel.toLowerCase()} ${point.y}: ${point.count} answer${point.count === 1 ? "" : "s"}`));
    svg.append(circle);
  }
  container.replaceChildren(svg);
  return points;
}
