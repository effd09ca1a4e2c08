// Tiny accessible SVG bar charts (no library, nothing fetched from the internet).
"use strict";

const SVG = "http://www.w3.org/2000/svg";

function svgElement(tag, attributes = {}, text) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

function emptyChart(container, message = "No data yet.") {
  container.replaceChildren(element("p", { class: "muted" }, message));
}

// Vertical bars: items = [{label, value}]. `format` prints a value.
function columnChart(container, items, { format = (v) => String(v), max } = {}) {
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
    if (item.value) svg.append(svgElement("text", { x: middle, y: y - 4, "text-anchor": "middle" }, format(item.value)));
    svg.append(svgElement("text", { x: middle, y: height - 10, "text-anchor": "middle" }, item.label));
  });
  container.replaceChildren(svg);
}

// Horizontal bars with their labels written out (long texts: weaknesses, questions).
function barList(container, items, { format = (v) => String(v), max } = {}) {
  if (!items.length) return emptyChart(container);
  const top_value = max ?? Math.max(...items.map((i) => i.value));
  container.replaceChildren(
    element("ol", { class: "tight", style: "list-style: none; padding: 0; margin: 0" },
      items.map((item) =>
        element("li", { style: "margin: .35rem 0" },
          element("div", { class: "small" }, item.label),
          element("div", { style: "display: flex; align-items: center; gap: .5rem" },
            element("div", {
              style: `height: .7rem; border-radius: 4px; background: var(--brand); width: ${Math.max(2, (100 * item.value) / (top_value || 1))}%`,
              "aria-hidden": "true",
            }),
            element("span", { class: "small muted" }, format(item.value)),
          ),
        ),
      ),
    ),
  );
}
