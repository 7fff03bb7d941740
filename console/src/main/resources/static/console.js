// The console page: keeps the newest view of each cutover, migration and database the server streams, and draws
// them. Every view arrives whole, so drawing is the only work here; the server does all the folding.
"use strict";

const cutovers = new Map();
const migrations = new Map();
const lag = new Map();
let selected = null;
// Who the page is for (GET me): whether to offer the commands, and the CSRF token they carry. The server refuses a
// viewer's command whatever this says.
let me = {user: null, mayAct: false};

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
    const row = element("tr", {"data-id": view.id, "data-database": view.database,
        class: view.id === selected ? "selected" : null},
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
  const newest = new Map();
  for (const view of newestFirst(migrations)) {
    if (!newest.has(view.database)) {
      newest.set(view.database, view.id);
    }
  }
  body.replaceChildren(...newestFirst(migrations).map(view => element("tr", {"data-id": view.id, title: view.progress || ""},
      element("td", {}, view.id),
      element("td", {}, view.database),
      element("td", {class: "outcome-" + view.outcome},
          view.outcome === "RUNNING" ? (view.step || "waiting") + (view.attempt > 1 ? " (attempt " + view.attempt + ")" : "")
              : view.outcomeWords),
      element("td", {class: "progress"}, view.percent === null ? "" : view.percent + " %",
          view.tablesTotal ? " (" + view.tables + " of " + view.tablesTotal + " tables)" : ""),
      element("td", {class: "eta"}, view.eta || ""),
      element("td", {}, me.mayAct && view.outcome === "READY" && newest.get(view.database) === view.id
          ? button("Start cutover", "start", () => confirmStart(view.database)) : null))));
}

function button(label, name, act) {
  const node = element("button", {type: "button", class: name, "data-action": name}, label);
  node.addEventListener("click", event => {
    event.stopPropagation();
    act();
  });
  return node;
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
      actions(view),
      timeline(view),
      entries(view)].filter(child => child !== null));
}

function actions(view) {
  if (!me.mayAct || !view.database) {
    return null;
  }
  if (view.outcome === "RUNNING") {
    return element("div", {class: "actions"}, button("Abort cutover", "abort", () => askToConfirm({
      title: "Abort cutover " + view.id,
      what: "The saga rolls back and the source serves again, if DNS has not been flipped yet.",
      database: view.database, go: "Abort", path: "cutovers/" + encodeURIComponent(view.id) + "/abort"})));
  }
  if (view.outcome === "COMPLETED" && !view.dryRun) {
    return element("div", {class: "actions"}, button("Fall back", "fallback", () => askToConfirm({
      title: "Fall back cutover " + view.id,
      what: "Clients go back to the source, once it has every write the target took.",
      database: view.database, go: "Fall back", path: "cutovers/" + encodeURIComponent(view.id) + "/fallback"})));
  }
  return null;
}

function confirmStart(database) {
  askToConfirm({title: "Start a cutover of " + database,
    what: "Stops the application's traffic to the source, waits for the target to catch up, and sends clients to it.",
    database: database, go: "Start cutover", path: "cutovers", start: true});
}

// One dialog for every command: it asks why, and for the database's name typed out, before it sends anything.
function askToConfirm(command) {
  const dialog = document.getElementById("confirm");
  const reason = document.getElementById("confirm-reason");
  const name = document.getElementById("confirm-name");
  const go = document.getElementById("confirm-go");
  const answer = document.getElementById("confirm-answer");
  const dryRun = document.getElementById("confirm-dry-run");
  document.getElementById("confirm-title").textContent = command.title;
  document.getElementById("confirm-what").textContent = command.what;
  document.getElementById("confirm-database").textContent = command.database;
  document.getElementById("confirm-dry-run-line").hidden = !command.start;
  reason.value = "";
  name.value = "";
  dryRun.checked = false;
  answer.textContent = "";
  go.textContent = command.go;
  const ready = () => go.disabled = name.value !== command.database || reason.value.trim() === "";
  reason.oninput = ready;
  name.oninput = ready;
  ready();
  document.getElementById("confirm-cancel").onclick = () => dialog.close();
  go.onclick = async () => {
    go.disabled = true;
    const body = {reason: reason.value, confirm: name.value};
    if (command.start) {
      body.database = command.database;
      body.dryRun = dryRun.checked;
    }
    const headers = {"Content-Type": "application/json"};
    if (me.csrf) {
      headers[me.csrf.header] = me.csrf.token;
    }
    try {
      const response = await fetch(command.path, {method: "POST", headers: headers, body: JSON.stringify(body)});
      if (response.status === 202) {
        const accepted = await response.json();
        dialog.close();
        select(accepted.cutoverId);
        return;
      }
      const refused = await response.json().catch(() => ({}));
      answer.textContent = response.status + ": " + (refused.message || refused.error || "refused");
    } catch (error) {
      answer.textContent = "the console did not answer: " + error;
    }
    ready();
  };
  dialog.showModal();
  reason.focus();
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

async function whoAmI() {
  const response = await fetch("me");
  if (response.ok) {
    me = await response.json();
  }
  if (me.user) {
    document.getElementById("user").textContent = me.user + " (" + me.roles.join(", ") + ")";
    document.getElementById("who").hidden = false;
  }
}

function listen() {
  const source = new EventSource("events");
  const status = document.getElementById("connection");
  source.onopen = () => status.textContent = "live";
  source.onerror = () => {
    status.textContent = "reconnecting";
    // A stream refused (the login ended) is not retried by the browser: the page goes back to the login.
    if (source.readyState === EventSource.CLOSED) {
      status.textContent = "disconnected";
      fetch("me").then(response => response.status === 401 ? location.reload() : null);
    }
  };
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

whoAmI().finally(listen);
