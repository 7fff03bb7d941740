// The console page: keeps the newest view of each cutover, migration and database the server streams, and draws
// them. Every view arrives whole, so drawing is the only work here; the server does all the folding.
"use strict";

const cutovers = new Map();
const migrations = new Map();
const lag = new Map();
let selected = null;

const SVG = "http://www.w3.org/2000/svg";

function element(tag, attributes, ...children) {
  const node = tag.startsWith("svg:") ? document.createElementNS(SVG, tag.slice(4)) : document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value !== null && value !== undefined) {
      node.setAttribute(name, value);
    }
  }
  for (const child of children) {
    if (child !== null && child !== undefined) {
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
  }
  return node;
}

function length(millis) {
  if (millis === null || millis === undefined) {
    return "";
  }
  if (Math.abs(millis) < 1000) {
    return millis + " ms";
  }
  if (Math.abs(millis) < 60000) {
    return (millis / 1000).toFixed(3) + " s";
  }
  return Math.floor(millis / 60000) + " min " + ((millis % 60000) / 1000).toFixed(0) + " s";
}

function newestFirst(views) {
  return [...views.values()].sort((a, b) => String(b.startedAt).localeCompare(String(a.startedAt)));
}

function drawCutovers() {
  const body = document.querySelector("#cutovers tbody");
  body.replaceChildren(...newestFirst(cutovers).map(view => {
    const row = element("tr", {"data-id": view.id, class: view.id === selected ? "selected" : null},
        element("td", {}, view.id),
        element("td", {}, view.database),
        element("td", {class: "outcome-" + view.outcome},
            view.outcome === "RUNNING" && view.currentStep ? "running: " + view.currentStep : view.outcomeWords),
        element("td", {class: "downtime"}, view.downtime || ""));
    row.addEventListener("click", () => select(view.id));
    return row;
  }));
}

function drawMigrations() {
  const body = document.querySelector("#migrations tbody");
  body.replaceChildren(...newestFirst(migrations).map(view => element("tr", {"data-id": view.id, title: view.progress || ""},
      element("td", {}, view.id),
      element("td", {}, view.database),
      element("td", {class: "outcome-" + view.outcome},
          view.outcome === "RUNNING" ? (view.step || "waiting") + (view.attempt > 1 ? " (attempt " + view.attempt + ")" : "")
              : view.outcomeWords),
      element("td", {class: "progress"}, view.percent === null ? "" : view.percent + " %",
          view.tablesTotal ? " (" + view.tables + " of " + view.tablesTotal + " tables)" : ""),
      element("td", {class: "eta"}, view.eta || ""))));
}

function drawLag() {
  const box = document.getElementById("lag");
  box.replaceChildren(...[...lag.values()].map(view => {
    const values = view.points.map(point => point.applyLagMs ?? 0);
    const times = view.points.map(point => point.at);
    const highest = Math.max(1, ...values);
    const first = times[0];
    const span = Math.max(1, times[times.length - 1] - first);
    const line = view.points.map((point, i) =>
        ((point.at - first) / span * 300).toFixed(1) + "," + (38 - values[i] / highest * 36).toFixed(1)).join(" ");
    return element("div", {class: "lag", "data-database": view.database},
        element("span", {}, view.database + " (" + view.engine + ", " + view.state + "): apply lag "),
        element("b", {class: "value"}, view.applyLagMs === null ? "unknown" : length(view.applyLagMs)),
        element("svg:svg", {viewBox: "0 0 300 40", preserveAspectRatio: "none"},
            element("svg:polyline", {points: line})));
  }));
}

function drawDetail() {
  const box = document.getElementById("detail");
  const view = cutovers.get(selected);
  if (!view) {
    return;
  }
  box.replaceChildren(...[
      element("h2", {}, "Cutover " + view.id + " of " + view.database + (view.dryRun ? " (dry run)" : "")),
      element("div", {class: "figures"},
          element("div", {class: "figure"}, "state", element("b", {id: "state", class: "outcome-" + view.outcome},
              view.outcome === "RUNNING" && view.currentStep ? "running: " + view.currentStep : view.outcomeWords)),
          element("div", {class: "figure"}, "predicted downtime",
              element("b", {id: "predicted"}, view.predictedDowntime || "none predicted")),
          element("div", {class: "figure", title: view.downtimeSource || ""}, "downtime",
              element("b", {id: "downtime"}, view.downtime
                  || (view.stoppedOffsetMs !== null ? "traffic stopped" : "not yet")))),
      view.lastFailure ? element("p", {class: "outcome-ROLLED_BACK"}, view.lastFailure) : null,
      timeline(view),
      entries(view)].filter(child => child !== null));
}

function timeline(view) {
  const width = 700, label = 130, row = 22, top = 18;
  const span = Math.max(1, view.spanMs);
  const x = offset => label + offset / span * (width - label - 10);
  const height = top + row * Math.max(1, view.steps.length) + 6;
  const svg = element("svg:svg", {viewBox: "0 0 " + width + " " + height, id: "timeline"});
  for (const tick of [0, span / 2, span]) {
    svg.append(element("svg:line", {x1: x(tick), x2: x(tick), y1: 12, y2: height}),
        element("svg:text", {x: x(tick), y: 10, "text-anchor": tick === 0 ? "start" : tick === span ? "end" : "middle"},
            "+" + length(Math.round(tick))));
  }
  if (view.stoppedOffsetMs !== null) {
    const end = view.endedOffsetMs ?? view.spanMs;
    svg.append(element("svg:rect", {class: "fence", x: x(view.stoppedOffsetMs), y: top - 4,
      width: Math.max(1, x(end) - x(view.stoppedOffsetMs)), height: height - top}));
  }
  view.steps.forEach((bar, i) => {
    const end = bar.endOffsetMs ?? view.spanMs;
    const y = top + i * row;
    svg.append(element("svg:text", {x: 0, y: y + 14}, bar.step),
        element("svg:rect", {class: bar.state, "data-step": bar.step, x: x(bar.startOffsetMs), y: y + 3,
          width: Math.max(2, x(end) - x(bar.startOffsetMs)), height: row - 8},
            element("svg:title", {}, bar.step + ": " + (bar.duration || "running"))));
  });
  return element("div", {class: "timeline"}, svg);
}

function entries(view) {
  return element("table", {class: "entries", id: "entries"}, element("tbody", {}, ...view.entries.map(entry =>
      element("tr", {class: entry.kind},
          element("td", {}, entry.offset), element("td", {}, entry.type),
          element("td", {}, entry.producer), element("td", {}, entry.summary)))));
}

function select(id) {
  selected = id;
  drawCutovers();
  drawDetail();
}

function listen() {
  const source = new EventSource("events");
  const status = document.getElementById("connection");
  source.onopen = () => status.textContent = "live";
  source.onerror = () => status.textContent = "reconnecting";
  source.addEventListener("cutover", message => {
    const view = JSON.parse(message.data);
    cutovers.set(view.id, view);
    drawCutovers();
    if (view.id === selected) {
      drawDetail();
    }
  });
  source.addEventListener("migration", message => {
    const view = JSON.parse(message.data);
    migrations.set(view.id, view);
    drawMigrations();
  });
  source.addEventListener("lag", message => {
    const view = JSON.parse(message.data);
    lag.set(view.database, view);
    drawLag();
  });
}

listen();
