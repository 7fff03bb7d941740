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
// A past cutover played back from GET cutovers/{id}/replay: its messages, a frame per message (the view after it, its
// time, how many messages it shows), the frame shown, the time played to and the speed. Null while the page is live.
let replay = null;
const SPEEDS = {"1x": 1, "10x": 10, "instant": Infinity};
const TICK_MS = 100;

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
  if (Math.abs(millis) >= 3600000) {
    return Math.floor(millis / 3600000) + " h " + Math.floor((millis % 3600000) / 60000) + " min";
  }
  return Math.floor(millis / 60000) + " min " + ((millis % 60000) / 1000).toFixed(0) + " s";
}

// "14:02:11 UTC": a time of day that reads the same for every operator, as the logs write it.
function clock(instant) {
  return new Date(instant).toISOString().slice(11, 19) + " UTC";
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
        view.silent ? element("td", {class: "outcome-SILENT"}, "saga silent")
            : element("td", {class: "outcome-" + view.outcome}, cutoverState(view)),
        element("td", {class: "downtime"}, view.downtime || ""));
    row.addEventListener("click", () => select(view.id));
    return row;
  }));
}

function cutoverState(view) {
  return view.outcome === "RUNNING" && view.currentStep ? "running: " + view.currentStep : view.outcomeWords;
}

function migrationState(view) {
  return view.outcome === "RUNNING" ? (view.step || "waiting") + (view.attempt > 1 ? " (attempt " + view.attempt + ")" : "")
      : view.outcomeWords;
}

// A saga nobody is acting on: red across the top of the page whichever cutover is selected, and in the tab's title.
function drawAlerts() {
  const silent = newestFirst(cutovers).filter(view => view.silent);
  document.getElementById("alerts").replaceChildren(...silent.map(view => {
    const alert = silentAlert(view);
    alert.addEventListener("click", () => select(view.id));
    return alert;
  }));
  document.title = (silent.length ? "SAGA SILENT (" + silent.length + ") - " : "") + "cutover console";
}

function silentAlert(view) {
  const silent = view.silent;
  return element("div", {class: "alert", "data-id": view.id},
      element("strong", {}, "The saga of cutover " + view.id + " (" + view.database + ") is silent"),
      element("p", {class: "silence"}, "No event from cutover-service for " + silent.silentFor
          + " when the watchdog looked (its bound is " + silent.bound + "), since " + silent.lastEventType
          + (silent.lastStep ? " of " + silent.lastStep : "") + " at " + clock(silent.lastEventAt)
          + ". Nobody is acting on this cutover"
          + (view.stoppedOffsetMs !== null && view.endedOffsetMs === null
              ? ", and the application's traffic is stopped." : ".")),
      element("p", {class: "action"}, "What to do: ", element("b", {}, silent.action)));
}

function drawMigrations() {
  const body = document.querySelector("#migrations tbody");
  const newest = new Map();
  for (const view of newestFirst(migrations)) {
    if (!newest.has(view.database)) {
      newest.set(view.database, view.id);
    }
  }
  body.replaceChildren(...newestFirst(migrations).map(view => {
    const row = element("tr", {"data-id": view.id, title: view.progress || "",
        class: view.id === selected ? "selected" : null},
      element("td", {}, view.id),
      element("td", {}, view.database),
      element("td", {class: "outcome-" + view.outcome}, migrationState(view)),
      element("td", {class: "progress"}, view.percent === null ? "" : view.percent + " %",
          view.tablesTotal ? " (" + view.tables + " of " + view.tablesTotal + " tables)" : ""),
      element("td", {class: "eta"}, view.eta || ""),
      element("td", {}, me.mayAct && view.outcome === "READY" && newest.get(view.database) === view.id
          ? button("Start cutover", "start", () => confirmStart(view.database)) : null));
    row.addEventListener("click", () => select(view.id));
    return row;
  }));
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
  const box = document.getElementById("detail-view");
  document.getElementById("replay-controls").hidden = !(replay && replay.id === selected);
  if (replay && replay.id === selected) {
    const frame = replay.frames[replay.index];
    box.replaceChildren(...cutoverDetail({...frame.view, entries: replay.entries.slice(0, frame.entries)}));
    drawReplayControls();
    return;
  }
  if (cutovers.has(selected)) {
    box.replaceChildren(...cutoverDetail(cutovers.get(selected)));
  } else if (migrations.has(selected)) {
    box.replaceChildren(...migrationDetail(migrations.get(selected)));
  }
}

function cutoverDetail(view) {
  const replaying = replay !== null && replay.id === view.id;
  return [
      element("h2", {}, (replaying ? "Replay of cutover " : "Cutover ") + view.id + " of " + view.database
          + (view.dryRun ? " (dry run)" : "")),
      view.silent ? silentAlert(view) : null,
      element("div", {class: "figures"},
          figure("state", "state", cutoverState(view), "outcome-" + view.outcome),
          figure("predicted downtime", "predicted", view.predictedDowntime || "none predicted"),
          figure("downtime", "downtime", view.downtime
              || (view.stoppedOffsetMs !== null ? "traffic stopped" : "not yet"), null, view.downtimeSource)),
      view.lastFailure && !view.silent ? element("p", {class: "outcome-ROLLED_BACK"}, view.lastFailure) : null,
      replaying ? null : element("div", {class: "actions"}, ...actions(view),
          control("Replay", "replay", () => startReplay(view.id))),
      timeline(view, replaying ? replay.spanMs : view.spanMs, replaying ? replay.playhead : null),
      entries(view)].filter(child => child !== null);
}

function migrationDetail(view) {
  return [
      element("h2", {}, "Migration " + view.id + " of " + view.database + (view.dryRun ? " (dry run)" : "")),
      element("div", {class: "figures"},
          figure("state", "state", migrationState(view), "outcome-" + view.outcome),
          figure("load", "load", view.percent === null ? "not begun" : view.percent + " %"),
          figure("left", "left", view.eta || (view.outcome === "RUNNING" && view.percent !== null ? "unknown" : "-"))),
      view.progress ? element("p", {class: "hint"}, view.progress) : null,
      view.lastFailure ? element("p", {class: "outcome-STOPPED"}, view.lastFailure) : null,
      view.operatorAction ? element("p", {id: "operator-action"}, "What to do: " + view.operatorAction) : null,
      timeline(view, view.spanMs, null),
      view.entriesTotal > view.entries.length
          ? element("p", {class: "hint"}, "The newest " + view.entries.length + " of " + view.entriesTotal + " messages")
          : null,
      entries(view)].filter(child => child !== null);
}

function figure(label, id, value, valueClass, title) {
  return element("div", {class: "figure", title: title || null}, label,
      element("b", {id: id, class: valueClass || null}, value));
}

// The buttons the operator may press on this cutover now; none for a viewer.
function actions(view) {
  if (!me.mayAct || !view.database) {
    return [];
  }
  if (view.outcome === "RUNNING") {
    return [button("Abort cutover", "abort", () => askToConfirm({
      title: "Abort cutover " + view.id,
      what: "The saga rolls back and the source serves again, if DNS has not been flipped yet.",
      database: view.database, go: "Abort", path: "cutovers/" + encodeURIComponent(view.id) + "/abort"}))];
  }
  if (view.outcome === "COMPLETED" && !view.dryRun) {
    return [button("Fall back", "fallback", () => askToConfirm({
      title: "Fall back cutover " + view.id,
      what: "Clients go back to the source, once it has every write the target took.",
      database: view.database, go: "Fall back", path: "cutovers/" + encodeURIComponent(view.id) + "/fallback"}))];
  }
  return [];
}

// A page control that sends nothing to the server: unlike a command's button it has no data-action.
function control(label, id, act) {
  const node = element("button", {type: "button", id: id}, label);
  node.addEventListener("click", event => {
    event.stopPropagation();
    act();
  });
  return node;
}

// ---- replay of a past cutover ----

async function startReplay(id) {
  const response = await fetch("cutovers/" + encodeURIComponent(id) + "/replay");
  const data = await response.json().catch(() => ({}));
  if (!response.ok || !data.frames || data.frames.length === 0) {
    document.getElementById("detail-view").append(element("p", {class: "answer"},
        "no replay: " + (data.message || data.error || "the console holds no message of this cutover to play")));
    return;
  }
  stopReplay();
  replay = {id: id, entries: data.entries, frames: data.frames, spanMs: data.spanMs, index: 0,
    playhead: data.frames[0].offsetMs, speed: replay ? replay.speed : 1, timer: null};
  drawDetail();
}

function atEnd() {
  return replay.index === replay.frames.length - 1 && replay.playhead >= replay.spanMs;
}

function play() {
  if (replay.speed === Infinity) {
    toEnd();
    return;
  }
  if (atEnd()) {
    replay.index = 0;
    replay.playhead = replay.frames[0].offsetMs;
  }
  let last = performance.now();
  replay.timer = setInterval(() => {
    const now = performance.now();
    replay.playhead = Math.min(replay.spanMs, replay.playhead + (now - last) * replay.speed);
    last = now;
    const before = replay.index;
    while (replay.index + 1 < replay.frames.length && replay.frames[replay.index + 1].offsetMs <= replay.playhead) {
      replay.index++;
    }
    if (atEnd()) {
      pause();
    }
    if (replay.index !== before) {
      drawDetail();
    } else {
      drawReplayTimeline();
    }
  }, TICK_MS);
  drawReplayControls();
}

function pause() {
  clearInterval(replay.timer);
  replay.timer = null;
  drawReplayControls();
}

function nextMessage() {
  pause();
  if (replay.index + 1 < replay.frames.length) {
    replay.index++;
    replay.playhead = replay.frames[replay.index].offsetMs;
  }
  drawDetail();
}

function toEnd() {
  pause();
  replay.index = replay.frames.length - 1;
  replay.playhead = replay.spanMs;
  drawDetail();
}

function setSpeed(speed) {
  replay.speed = speed;
  if (speed === Infinity && replay.timer !== null) {
    toEnd();
  }
  drawReplayControls();
}

function stopReplay() {
  if (replay) {
    clearInterval(replay.timer);
    replay = null;
  }
  drawDetail();
}

// The controls stay in the page while frames are drawn under them, so a click is never lost to a redraw.
function drawReplayControls() {
  const frame = replay.frames[replay.index];
  document.getElementById("replay-status").textContent = atEnd()
      ? "Replayed to the end: " + replay.frames.length + " messages, +" + length(replay.spanMs)
      : "Message " + (replay.index + 1) + " of " + replay.frames.length + " (" + replay.entries[frame.entries - 1].type
          + "), +" + length(Math.round(replay.playhead)) + (replay.timer === null ? ", paused" : "");
  document.getElementById("replay-play").textContent = replay.timer === null ? "Play" : "Pause";
  for (const [label, speed] of Object.entries(SPEEDS)) {
    document.getElementById("replay-speed-" + label).setAttribute("aria-pressed", String(replay.speed === speed));
  }
}

function drawReplayTimeline() {
  const frame = replay.frames[replay.index];
  document.querySelector("#detail-view .timeline").replaceWith(timeline(frame.view, replay.spanMs, replay.playhead));
  drawReplayControls();
}

function wireReplayControls() {
  document.getElementById("replay-play").addEventListener("click", () => replay.timer === null ? play() : pause());
  document.getElementById("replay-next").addEventListener("click", nextMessage);
  document.getElementById("replay-live").addEventListener("click", stopReplay);
  for (const [label, speed] of Object.entries(SPEEDS)) {
    document.getElementById("replay-speed-" + label).addEventListener("click", () => setSpeed(speed));
  }
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

// Steps as bars on a time axis of span milliseconds. A bar still running reaches the playhead when replaying, else
// the newest message; the shaded span is the fence, from TrafficStopped to the end.
function timeline(view, span, playhead) {
  const width = 700, label = 160, row = 22, top = 18;
  span = Math.max(1, span);
  const now = playhead ?? view.spanMs;
  const x = offset => label + Math.min(offset, span) / span * (width - label - 10);
  const height = top + row * Math.max(1, view.steps.length) + 6;
  const svg = element("svg:svg", {viewBox: "0 0 " + width + " " + height, id: "timeline"});
  for (const tick of [0, span / 2, span]) {
    svg.append(element("svg:line", {x1: x(tick), x2: x(tick), y1: 12, y2: height}),
        element("svg:text", {x: x(tick), y: 10, "text-anchor": tick === 0 ? "start" : tick === span ? "end" : "middle"},
            "+" + length(Math.round(tick))));
  }
  if (view.stoppedOffsetMs !== null && view.stoppedOffsetMs !== undefined) {
    const end = view.endedOffsetMs ?? now;
    svg.append(element("svg:rect", {class: "fence", x: x(view.stoppedOffsetMs), y: top - 4,
      width: Math.max(1, x(end) - x(view.stoppedOffsetMs)), height: height - top}));
  }
  view.steps.forEach((bar, i) => {
    const end = bar.endOffsetMs ?? now;
    const y = top + i * row;
    svg.append(element("svg:text", {x: 0, y: y + 14}, bar.step),
        element("svg:rect", {class: bar.state, "data-step": bar.step, x: x(bar.startOffsetMs), y: y + 3,
          width: Math.max(2, x(end) - x(bar.startOffsetMs)), height: row - 8},
            element("svg:title", {}, bar.step + ": " + (bar.duration || "running"))));
  });
  if (playhead !== null) {
    svg.append(element("svg:line", {class: "playhead", id: "playhead", x1: x(playhead), x2: x(playhead), y1: 12,
      y2: height}));
  }
  return element("div", {class: "timeline"}, svg);
}

function entries(view) {
  return element("table", {class: "entries", id: "entries"}, element("tbody", {}, ...view.entries.map(entry =>
      element("tr", {class: entry.kind},
          element("td", {}, entry.offset), element("td", {}, entry.type),
          element("td", {}, entry.producer), element("td", {}, entry.summary)))));
}

function select(id) {
  if (replay && replay.id !== id) {
    clearInterval(replay.timer);
    replay = null;
  }
  selected = id;
  drawCutovers();
  drawMigrations();
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
    drawAlerts();
    // A replay goes on undisturbed; the live view is back with "Back to live".
    if (view.id === selected && !(replay && replay.id === selected)) {
      drawDetail();
    }
  });
  source.addEventListener("migration", message => {
    const view = JSON.parse(message.data);
    migrations.set(view.id, view);
    drawMigrations();
    if (view.id === selected) {
      drawDetail();
    }
  });
  source.addEventListener("lag", message => {
    const view = JSON.parse(message.data);
    lag.set(view.database, view);
    drawLag();
  });
}

wireReplayControls();
whoAmI().finally(listen);
