// The page's fixed parts for report.html: its style sheet and the drill-down script.
// Internal to reports/html_writer.cc.
#pragma once

#include <string_view>

namespace zooter::reports::html_page {

constexpr std::string_view kStyle = R"css(
:root{--ink:#1d2433;--muted:#5b6475;--line:#d9dee7;--paper:#fff;--band:#f4f6fa;--accent:#1f5fae}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);
  background:var(--band)}
nav{position:sticky;top:0;z-index:2;background:var(--ink);padding:6px 20px;display:flex;gap:18px;
  flex-wrap:wrap}
nav a{color:#fff;text-decoration:none;font-weight:600}
nav a:hover{text-decoration:underline}
main{max-width:1360px;margin:0 auto;padding:12px 20px 40px}
section{background:var(--paper);border:1px solid var(--line);border-radius:6px;padding:8px 20px 16px;
  margin:14px 0;scroll-margin-top:40px}
h1{font-size:22px;margin:10px 0 4px}h2{font-size:18px;margin:10px 0 8px}h3{font-size:14px;margin:10px 0 6px}
p.lead,.muted{color:var(--muted)}
.warning{background:#fff4d6;border:1px solid #e8c66a;border-radius:4px;padding:6px 10px;margin:8px 0}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:2px 14px;margin:8px 0}
dl.facts dt{color:var(--muted)}dl.facts dd{margin:0}
.scroll{overflow-x:auto}
table{border-collapse:collapse;margin:6px 0}
th,td{border-bottom:1px solid var(--line);padding:3px 5px;vertical-align:top}
table.table1,table.heatmap{font-size:13px}
th{background:var(--band);font-weight:600;text-align:center}
td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.name{white-space:nowrap;font-family:ui-monospace,Menlo,Consolas,monospace;font-size:13px}
.ci{display:block;color:var(--muted);font-size:10.5px}
tr.best-single td.name::after{content:" (reference for vs best)";color:var(--muted);
  font-family:system-ui,sans-serif}
tr.paper td{color:#7a4b00;background:#fffaf0;font-size:12px}
tr.paper td.name{font-style:italic}
.legend{display:flex;flex-wrap:wrap;gap:6px 16px;margin:6px 0;align-items:center}
.swatch{display:inline-block;width:14px;height:14px;border-radius:2px;vertical-align:-2px;margin-right:5px;
  border:1px solid rgba(0,0,0,.15)}
:root{--k0:#4e79a7;--k1:#f28e2b;--k2:#e15759;--k3:#76b7b2;--k4:#59a14f;--k5:#edc948;--k6:#b07aa1;
  --k7:#ff9da7;--k8:#9c755f;--k9:#bab0ac}
.c0{background:var(--k0)}.c1{background:var(--k1)}.c2{background:var(--k2)}.c3{background:var(--k3)}
.c4{background:var(--k4)}.c5{background:var(--k5)}.c6{background:var(--k6)}.c7{background:var(--k7)}
.c8{background:var(--k8)}.c9{background:var(--k9)}
.heatmap th.subset{writing-mode:vertical-rl;transform:rotate(180deg);text-align:left;font-weight:500;
  padding:6px 2px;max-height:160px}
.heatmap td.num{text-align:center;padding:2px 3px;font-size:11px}
.heatmap td small{display:block;font-size:10px;opacity:.85}
.rank1{background:#08306b;color:#fff}.rank2{background:#08519c;color:#fff}
.rank3{background:#2171b5;color:#fff}.rank4{background:#4292c6;color:#fff}
.rank5{background:#6baed6}.rank6{background:#9ecae1}.rank7{background:#c6dbef}.rank8{background:#deebf7}
.rank-na{background:#eee}
.routing-grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(400px,1fr));gap:10px;
  align-items:start}

.routing-grid details{border:1px solid var(--line);border-radius:4px;padding:4px 10px 8px}
.routing-grid summary{cursor:pointer;font-weight:600;font-family:ui-monospace,Menlo,Consolas,monospace;
  font-size:13px}

.bar-row{display:grid;grid-template-columns:130px 1fr;gap:8px;align-items:center;margin:2px 0}
.bar-label{font-size:12px;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.bar{display:flex;height:13px;background:#eee;border-radius:2px;overflow:hidden}
.bar span{display:block;height:100%}
svg text{font:11px system-ui,sans-serif;fill:var(--ink)}
svg .axis{stroke:#444}svg .grid{stroke:#e4e7ee}
svg .hull{fill:none;stroke:#1f5fae;stroke-width:2}
svg .point{fill:#fff;stroke:#5b6475;stroke-width:1.5}svg .point.pareto{fill:#1f5fae;stroke:#0b2f5c}
svg .sweep{fill:none;stroke-width:2}
.controls{display:flex;flex-wrap:wrap;gap:8px 18px;align-items:center;margin:8px 0}
.controls input[type=search]{width:260px}
.pager{display:flex;gap:8px;align-items:center;margin:6px 0}
#dd-table td.name{min-width:150px;max-width:200px;white-space:normal;overflow-wrap:anywhere}
#dd-table td.subset{min-width:110px;max-width:150px;overflow-wrap:anywhere}
#dd-table td.text{min-width:220px;max-width:440px;white-space:pre-wrap;overflow-wrap:anywhere}
#dd-table td.labels{text-align:right;white-space:nowrap;color:var(--muted)}
#dd-table td.cand{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}
#dd-table td.cand.best{font-weight:700}
#dd-table td.cand.chosen{background:#dbe9fb;outline:2px solid #1f5fae;outline-offset:-2px}
#dd-table .reward{display:block;font-size:11px;color:var(--muted);font-weight:400}
#dd-table td.choice{font-size:12px;min-width:150px;max-width:220px}
#dd-chosen{max-width:220px;overflow-wrap:anywhere}
section.provenance{background:#f7f7f2;border-style:dashed;margin-top:40px}
)css";

// The drill-down's pager, filters and row drawing. Rows are built with textContent, never
// innerHTML, so query texts cannot inject markup. It logs nothing: a browser check treats any
// console output as a failure.
constexpr std::string_view kScript = R"js(
(function () {
  "use strict";
  var source = document.getElementById("drilldown-data");
  if (!source) return;
  var data = JSON.parse(source.textContent);
  source.textContent = "";  // the parsed copy is all the page needs: half the memory
  var PAGE_SIZE = 50;
  function byId(id) { return document.getElementById(id); }
  var subsetSelect = byId("dd-subset"), search = byId("dd-search"), adapterSelect = byId("dd-adapter"),
      missedBox = byId("dd-missed"), rewardSelect = byId("dd-reward"), body = byId("dd-body"),
      status = byId("dd-status");
  var matches = [], page = 0, searchable = null;

  function number(v) { return typeof v === "number" && isFinite(v) ? v.toFixed(3) : "n/a"; }
  function mean(values) {
    var sum = 0;
    for (var i = 0; i < values.length; i++) sum += values[i];
    return values.length ? sum / values.length : null;
  }
  function better(a, b, higher) { return higher ? a > b : a < b; }
  function bestGold(q) {
    var gold = q[3], higher = data.higher_is_better[q[1]], best = gold[0];
    for (var m = 1; m < gold.length; m++) if (better(gold[m], best, higher)) best = gold[m];
    return best;
  }
  function chosenGold(q, a) {
    var answer = q[5][a];
    return answer < 0 ? mean(q[3]) : q[3][answer];
  }
  function missed(q, a) {
    return better(bestGold(q), chosenGold(q, a), data.higher_is_better[q[1]]);
  }
  function describe(q, a) {
    var answer = q[5][a];
    if (answer < 0) return "uniform expectation (" + number(mean(q[3])) + ")";
    return (answer < data.models.length ? data.models[answer] : "?") + " (" + number(q[3][answer]) + ")";
  }
  function cell(row, text, className) {
    var td = document.createElement("td");
    td.textContent = text;
    if (className) td.className = className;
    row.appendChild(td);
    return td;
  }
  function line(parent, text, className) {
    var span = document.createElement("span");
    span.className = className;
    span.textContent = text;
    parent.appendChild(span);
  }

  // Reward models shown: all (-1), one (its index) or none (-2).
  function shownRewards(reward) {
    var shown = [];
    for (var r = 0; r < data.reward_models.length; r++) {
      if (reward === -1 || reward === r) shown.push(r);
    }
    return shown;
  }

  // Candidate cells hold numbers only, one line each; the "Score" cell names the lines, so
  // six candidates with five reward models still fit the screen.
  function drawRow(q, adapter, rewards) {
    var row = document.createElement("tr");
    cell(row, q[0], "name");
    cell(row, data.subsets[q[1]], "subset");
    cell(row, q[2], "text");
    var labels = cell(row, "gold", "labels");
    for (var i = 0; i < rewards.length; i++) line(labels, data.reward_models[rewards[i]], "reward");
    var best = bestGold(q), chosen = adapter >= 0 ? q[5][adapter] : null;
    for (var m = 0; m < data.models.length; m++) {
      var td = cell(row, number(q[3][m]), "cand" + (q[3][m] === best ? " best" : "") +
                                           (chosen === m ? " chosen" : ""));
      for (var k = 0; k < rewards.length; k++) line(td, number(q[4][rewards[k]][m]), "reward");
    }
    var choice = cell(row, adapter >= 0 ? describe(q, adapter) : "", "choice");
    if (adapter < 0) {
      for (var a = 0; a < data.adapters.length; a++) {
        line(choice, data.adapters[a] + ": " + describe(q, a), "reward");
      }
    }
    return row;
  }

  function draw() {
    var pages = Math.max(1, Math.ceil(matches.length / PAGE_SIZE));
    page = Math.min(Math.max(page, 0), pages - 1);
    var start = page * PAGE_SIZE, end = Math.min(matches.length, start + PAGE_SIZE);
    var adapter = Number(adapterSelect.value), rewards = shownRewards(Number(rewardSelect.value));
    var rows = document.createDocumentFragment();
    for (var i = start; i < end; i++) rows.appendChild(drawRow(data.queries[matches[i]], adapter, rewards));
    body.textContent = "";
    body.appendChild(rows);
    status.textContent = matches.length === 0 ? "no query matches" :
        "queries " + (start + 1) + "\u2013" + end + " of " + matches.length + " (page " + (page + 1) +
        " of " + pages + ")";
    byId("dd-first").disabled = byId("dd-prev").disabled = page === 0;
    byId("dd-next").disabled = byId("dd-last").disabled = page >= pages - 1;
    byId("dd-chosen").textContent =
        adapter >= 0 ? "Chosen by " + data.adapters[adapter] : "Chosen by each adapter";
    document.documentElement.setAttribute("data-drilldown-rows", String(end - start));
  }

  function filter() {
    var subset = Number(subsetSelect.value), adapter = Number(adapterSelect.value);
    var needle = search.value.trim().toLowerCase();
    var onlyMissed = missedBox.checked && adapter >= 0;
    missedBox.disabled = adapter < 0;
    if (needle && !searchable) {
      searchable = data.queries.map(function (q) { return (q[0] + "\n" + q[2]).toLowerCase(); });
    }
    matches = [];
    for (var i = 0; i < data.queries.length; i++) {
      var q = data.queries[i];
      if (subset >= 0 && q[1] !== subset) continue;
      if (needle && searchable[i].indexOf(needle) < 0) continue;
      if (onlyMissed && !missed(q, adapter)) continue;
      matches.push(i);
    }
    page = 0;
    draw();
  }

  subsetSelect.addEventListener("change", filter);
  search.addEventListener("input", filter);
  adapterSelect.addEventListener("change", filter);
  missedBox.addEventListener("change", filter);
  rewardSelect.addEventListener("change", draw);
  byId("dd-first").addEventListener("click", function () { page = 0; draw(); });
  byId("dd-prev").addEventListener("click", function () { page -= 1; draw(); });
  byId("dd-next").addEventListener("click", function () { page += 1; draw(); });
  byId("dd-last").addEventListener("click", function () { page = matches.length; draw(); });
  filter();
})();
)js";

}  // namespace zooter::reports::html_page
