// Shared by the staff pages (committee, secretariat, jury, agency focal point): the login and
// role gate, the header, the campaign the page is about (?campaign=CODE), tables that stack
// into cards on a phone, number and date formats, the participation table and its bar chart
// (inline SVG), and how a section says that it has no data or that the API refused.
(function () {
  "use strict";
  var App = window.App, t = App.t, $ = App.$, el = App.el;
  var DEFAULT_CAMPAIGN = "hp-cchc-2023";
  var SVG = "http://www.w3.org/2000/svg";
  var locale = (window.I18N && window.I18N.locale) || "vi-VN";

  // ---- the campaign this page is about
  function campaignCode() {
    // Any value is passed on (encoded in the path): a wrong code gets the API's 404.
    var c = (new URLSearchParams(window.location.search).get("campaign") || "").trim();
    return c ? c.slice(0, 200) : DEFAULT_CAMPAIGN;
  }
  var code = campaignCode();
  function path(rest) { return "/campaigns/" + encodeURIComponent(code) + (rest || ""); }

  // The campaign switcher: a form with #campaign-code that reloads the page on another code.
  function bindCampaignForm() {
    var form = $("#campaign-form"), input = $("#campaign-code");
    if (!form || !input) { return; }
    input.value = code;
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var v = input.value.trim();
      var q = new URLSearchParams(window.location.search);
      if (v && v !== DEFAULT_CAMPAIGN) { q.set("campaign", v); } else { q.delete("campaign"); }
      var s = q.toString();
      window.location.assign(window.location.pathname + (s ? "?" + s : ""));
    });
  }

  // ---- formats
  function num(n, digits) {
    if (n === null || n === undefined || isNaN(Number(n))) { return "–"; }
    return new Intl.NumberFormat(locale, { maximumFractionDigits: digits === undefined ? 0 : digits }).format(Number(n));
  }
  function percent(fraction) {
    if (fraction === null || fraction === undefined || isNaN(Number(fraction))) { return "–"; }
    return new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 1 }).format(Number(fraction));
  }
  function date(iso) { return App.formatDateTime(iso).slice(0, 10); }
  function mmss(seconds) {
    var s = Math.max(0, Math.round(Number(seconds) || 0));
    return Math.floor(s / 60) + ":" + (s % 60 < 10 ? "0" : "") + (s % 60);
  }

  // ---- API answers
  // list returns the array an answer holds (the answer itself, or its field), or null when
  // the request failed or the answer is not what the API documents.
  function list(res, field) {
    if (!res.ok || !res.data) { return null; }
    var v = field ? res.data[field] : res.data;
    return Array.isArray(v) ? v : null;
  }

  // noData fills a container with "Chưa có dữ liệu" and, when the API refused, its message.
  function noData(box, res, emptyKey) {
    box.textContent = "";
    box.removeAttribute("aria-busy");
    var p = el("div", { "class": "empty" }, [el("p", { "class": "empty-title", text: t(emptyKey || "staff.no_data") })]);
    if (res && !res.ok && res.error) {
      p.appendChild(el("p", { "class": "message message-error", text: res.error.message }));
    }
    box.appendChild(p);
  }

  function loading(box) {
    box.textContent = "";
    box.setAttribute("aria-busy", "true");
    box.appendChild(el("p", { "class": "muted", text: t("common.loading") }));
  }

  // ---- tables: columns [{label, cell(row) → string | Node, cls}], stacked into labelled
  // cards below 40rem (data-label feeds the CSS).
  function table(opts) {
    var head = el("tr", null, opts.columns.map(function (c) { return el("th", { scope: "col", "class": c.cls || "", text: c.label }); }));
    var body = el("tbody");
    opts.rows.forEach(function (row) {
      var tr = el("tr", opts.rowClass ? { "class": opts.rowClass(row) || "" } : null);
      opts.columns.forEach(function (c, i) {
        var v = c.cell(row);
        var td = el(i === 0 && opts.rowHeader ? "th" : "td", { "data-label": c.label, "class": c.cls || "" });
        if (i === 0 && opts.rowHeader) { td.setAttribute("scope", "row"); }
        // One wrapper per cell: on a phone the cell is a grid of its label and this value.
        var value = el("span", { "class": "cell-value" });
        if (v instanceof Node) { value.appendChild(v); } else { value.textContent = v === null || v === undefined ? "" : String(v); }
        td.appendChild(value);
        tr.appendChild(td);
      });
      body.appendChild(tr);
    });
    var tbl = el("table", { "class": "data-table stack" + (opts.cls ? " " + opts.cls : "") }, [
      opts.caption ? el("caption", { "class": opts.captionVisible ? "" : "visually-hidden", text: opts.caption }) : null,
      el("thead", null, [head]), body
    ]);
    if (opts.id) { tbl.id = opts.id; }
    return tbl;
  }

  function badge(text, kind) { return el("span", { "class": "badge badge-" + kind, text: text }); }

  function frag(nodes) {
    var f = document.createDocumentFragment();
    nodes.forEach(function (n) { if (n) { f.appendChild(typeof n === "string" ? document.createTextNode(n) : n); } });
    return f;
  }

  // ---- participation
  // participationRows maps the rows of GET …/participation (rates and thresholds are
  // fractions; a district's figures include its communes) to what the table and chart draw.
  function participationRows(rows) {
    return rows.map(function (r) {
      return {
        id: r.agency_id, name: r.name, category: r.category, parentId: r.parent_id,
        participants: r.participants, headcount: r.headcount, rate: r.rate, threshold: r.threshold,
        meets: r.meets_target, rolledUp: r.rolled_up, sample: r.headcount_is_sample,
        over: !!r.over_headcount, rawRate: r.raw_rate
      };
    });
  }

  // fetchParticipation → {ok, rows, res}: {campaign, round, agency_id, rows} from the API.
  function fetchParticipation(round) {
    return App.api("GET", path("/participation" + (round ? "?round=" + encodeURIComponent(round) : ""))).then(function (res) {
      var rows = list(res, "rows");
      return { ok: !!rows, rows: rows ? participationRows(rows) : [], res: res };
    });
  }

  function categoryLabel(c) { return c ? t("register.category." + c) : ""; }

  function participationTable(rows, opts) {
    opts = opts || {};
    return table({
      id: opts.id, caption: opts.caption, rowHeader: true, cls: "participation-table",
      rowClass: function (r) { return r.meets ? "" : "row-below"; },
      columns: [
        { label: opts.firstLabel || t("participation.col_agency"), cell: function (r) {
          return frag([el("span", { text: r.label || r.name }), r.rolledUp ? el("span", { "class": "cell-note", text: t("participation.rolled_up") }) : null]);
        } },
        opts.noCategory ? null : { label: t("participation.col_category"), cell: function (r) { return categoryLabel(r.category); } },
        { label: t("participation.col_participants"), cls: "num", cell: function (r) {
          return frag([el("span", { text: t("participation.of_headcount", { n: num(r.participants), total: num(r.headcount) }) }),
            r.sample ? el("span", { "class": "cell-note", text: t("participation.sample_headcount") }) : null]);
        } },
        // A rate above the headcount is capped at 100 % by the API and flagged here, with
        // the uncapped figure, so that the committee checks the headcount or the agencies.
        { label: t("participation.col_rate"), cls: "num", cell: function (r) {
          return frag([el("span", { text: percent(r.rate) }), r.over ? el("span", { "class": "cell-note over-headcount",
            text: r.headcount > 0 ? t("participation.over_headcount", { raw: percent(r.rawRate) }) : t("participation.over_no_headcount") }) : null]);
        } },
        { label: t("participation.col_threshold"), cls: "num", cell: function (r) { return percent(r.threshold); } },
        { label: t("participation.col_status"), cell: function (r) {
          return r.headcount > 0 ? badge(t(r.meets ? "participation.met" : "participation.not_met"), r.meets ? "open" : "below") : badge(t("participation.no_headcount"), "closed");
        } }
      ].filter(Boolean),
      rows: rows
    });
  }

  // ---- bar chart (inline SVG, sized to its container in real pixels so that its text
  // stays readable on a phone): one bar per item, the target as a dark tick across it.
  var charts = [];
  function svg(tag, attrs, text) {
    var e = document.createElementNS(SVG, tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined) { e.textContent = text; }
    return e;
  }

  function fitText(node, width) {
    var full = node.textContent;
    if (!node.getComputedTextLength || node.getComputedTextLength() <= width) { return; }
    var lo = 0, hi = full.length;
    while (lo < hi) {
      var mid = Math.ceil((lo + hi) / 2);
      node.textContent = full.slice(0, mid) + "…";
      if (node.getComputedTextLength() <= width) { lo = mid; } else { hi = mid - 1; }
    }
    node.textContent = full.slice(0, lo) + "…";
    node.appendChild(svg("title", {}, full));
  }

  // barChart draws items [{label, value, target, meets}] (fractions) into box. On a wide box
  // each label sits left of its bar; on a narrow one above it.
  function barChart(box, items, opts) {
    opts = opts || {};
    box.textContent = "";
    if (!items.length) { return; }
    var width = Math.max(260, Math.floor(box.clientWidth || 600));
    var wide = width >= 640;
    var labelW = wide ? Math.min(320, Math.round(width * 0.34)) : 0;
    var valueW = 72, rowH = wide ? 30 : 46, top = 26;
    var barX = wide ? labelW + 8 : 0;
    var barW = width - barX - valueW - 4;
    var max = 1;
    items.forEach(function (i) { max = Math.max(max, i.value || 0, i.target || 0); });
    max = Math.ceil(max * 4) / 4;
    var x = function (v) { return barX + Math.round((Math.max(0, v || 0) / max) * barW); };
    var height = top + items.length * rowH + 4;
    var chart = svg("svg", {
      "class": "bar-chart", width: String(width), height: String(height), viewBox: "0 0 " + width + " " + height,
      role: "img", "aria-label": opts.label || ""
    });
    if (opts.label) { chart.appendChild(svg("title", {}, opts.label)); }
    box.appendChild(chart);
    for (var tick = 0; tick <= max + 1e-9; tick += 0.25) {
      var tx = x(tick);
      chart.appendChild(svg("line", { x1: tx + 0.5, x2: tx + 0.5, y1: top - 6, y2: height - 4, "class": "chart-grid" }));
      chart.appendChild(svg("text", { x: Math.min(Math.max(tx, barX + 14), barX + barW - 14), y: 14, "text-anchor": "middle", "class": "chart-axis" }, percent(tick)));
    }
    items.forEach(function (item, n) {
      var y = top + n * rowH;
      var barY = wide ? y + 6 : y + 20;
      var label = svg("text", wide ? { x: labelW, y: y + 19, "text-anchor": "end", "class": "chart-label" } : { x: 0, y: y + 14, "class": "chart-label" }, item.label);
      chart.appendChild(label);
      fitText(label, wide ? labelW : width - 4);
      chart.appendChild(svg("rect", { x: barX, y: barY, width: Math.max(2, x(item.value) - barX), height: 16, rx: 2, "class": item.meets ? "bar-met" : "bar-below" }));
      if (item.target !== null && item.target !== undefined) {
        var gx = x(item.target);
        chart.appendChild(svg("line", { x1: gx, x2: gx, y1: barY - 4, y2: barY + 20, "class": "chart-target" }));
      }
      chart.appendChild(svg("text", { x: width - 2, y: barY + 13, "text-anchor": "end", "class": "chart-value" },
        t(item.meets ? "participation.bar_met" : "participation.bar_below", { rate: percent(item.value) })));
    });
    var known = charts.filter(function (c) { return c.box === box; })[0];
    if (known) { known.items = items; known.opts = opts; } else { charts.push({ box: box, items: items, opts: opts, width: width }); }
  }

  var resizeTimer = null;
  window.addEventListener("resize", function () {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(function () {
      charts.forEach(function (c) {
        if (c.box.isConnected && Math.abs((c.box.clientWidth || 0) - c.width) > 8) {
          c.width = c.box.clientWidth;
          barChart(c.box, c.items, c.opts);
        }
      });
    }, 150);
  });

  // chartLegend explains the colours and the target tick (and does not rely on colour:
  // each bar's value says ✓ or ✗).
  function chartLegend() {
    return el("ul", { "class": "chart-legend" }, [
      el("li", null, [el("span", { "class": "swatch swatch-met", "aria-hidden": "true" }), el("span", { text: t("participation.legend_met") })]),
      el("li", null, [el("span", { "class": "swatch swatch-below", "aria-hidden": "true" }), el("span", { text: t("participation.legend_below") })]),
      el("li", null, [el("span", { "class": "swatch swatch-target", "aria-hidden": "true" }), el("span", { text: t("participation.legend_target") })])
    ]);
  }

  // ---- labels of the campaign's codes
  function stageLabel(stage) { return t("stage." + stage); }
  function decisionLabel(d) {
    return t("decision.kind." + d.kind, { n: d.round_number || d.round || "" });
  }
  function outcomeLabel(o) { return t("decision.outcome." + o); }
  function prizeLabel(p) { return p ? t("prize." + p) : ""; }
  function roleLabel(r) { return t("role." + r); }

  // ---- the gate: logged in, with a role this page serves
  function gate(message, link) {
    $("#gate-loading").hidden = true;
    App.showMessage($("#gate-message"), message, link && link.kind ? link.kind : "info");
    var actions = $("#gate-actions");
    if (link) {
      var a = $("#gate-link");
      a.href = link.href;
      a.textContent = link.text;
      actions.hidden = false;
    } else {
      actions.hidden = true;
    }
    return null;
  }

  function loginLink() {
    return { href: "/dang-nhap?next=" + encodeURIComponent(window.location.pathname + window.location.search), text: t("nav.login") };
  }

  // showStaffLinks reveals the header links to the pages this role may open.
  function showStaffLinks(role) {
    document.querySelectorAll("[data-staff-link]").forEach(function (li) {
      li.hidden = li.getAttribute("data-staff-link").split(/\s+/).indexOf(role) < 0;
    });
    var hello = $("#nav-hello");
    var s = App.session();
    if (hello && s && s.name) { hello.textContent = t("staff.hello", { name: s.name, role: roleLabel(role) }); }
  }

  // start checks the session and the role, fills the header from GET /me, and resolves to
  // the account ({id, role, full_name, agency_id}) or null when the page cannot be shown.
  function start(opts) {
    bindCampaignForm();
    var s = App.session();
    if (!s) { return Promise.resolve(gate(t("staff.need_login"), loginLink())); }
    return App.api("GET", "/me").then(function (res) {
      if (res.status === 401) { App.renderHeader(); return gate(t("common.session_expired"), loginLink()); }
      if (!res.ok || !res.data) { return gate(res.error.message, { href: window.location.href, text: t("staff.retry"), kind: "error" }); }
      var me = res.data;
      App.setSession({ role: me.role, user: me.id, name: me.full_name });
      App.renderHeader();
      showStaffLinks(me.role);
      if (opts.roles.indexOf(me.role) < 0) {
        return gate(t("staff.forbidden", { audience: t(opts.audience) }), { href: App.roleHome(me.role), text: t("staff.go_home"), kind: "error" });
      }
      $("#gate").hidden = true;
      $("#staff-content").hidden = false;
      return me;
    });
  }

  // campaignSummary fills #campaign-summary with the campaign's name, code, stage and what
  // it waits for.
  function campaignSummary(box, c) {
    box.textContent = "";
    box.removeAttribute("aria-busy");
    var title = el("p", { "class": "campaign-name" }, [el("span", { text: c.name })]);
    if (c.rehearsal_of) { title.appendChild(document.createTextNode(" ")); title.appendChild(badge(t("staff.rehearsal"), "upcoming")); }
    box.appendChild(title);
    var dl = el("dl", { "class": "facts" }, [
      el("div", null, [el("dt", { text: t("staff.campaign_code") }), el("dd", { "class": "code", text: c.code })]),
      el("div", { "class": "fact-stage" }, [el("dt", { text: t("staff.stage") }), el("dd", { id: "stage-label", "data-stage": c.stage, text: c.stage_label || stageLabel(c.stage) })]),
      el("div", null, [el("dt", { text: t("staff.waiting_for") }), el("dd", { id: "waiting-label", text: c.waiting_for_label || t("staff.waiting_nothing") })]),
      el("div", null, [el("dt", { text: t("staff.live_at") }), el("dd", { text: c.live_at ? App.formatDateTime(c.live_at) : t("staff.not_live") })])
    ]);
    box.appendChild(dl);
  }

  function loadCampaign() { return App.api("GET", path()); }

  // waits says whether the campaign waits for a decision of that kind (about that round):
  // the pages ask this of c.waiting, never of the stage or a round's state, so that every
  // "what is waiting" has the one source the header has.
  function waits(c, kind, round) {
    return (c.waiting || []).some(function (w) { return w.kind === kind && (!round || w.round === round); });
  }

  // ---- report downloads: GET …/reports/{kind}.{xlsx|json} with the token, saved as a
  // download. A report too large to build in the request (409 report_too_large) is built
  // in the background instead (POST …/exports, then GET /exports/{id} until done).
  function reportList(list, kinds) {
    kinds.forEach(function (kind) {
      var status = el("p", { "class": "report-status", role: "status", id: "report-status-" + kind });
      var name = t("report.kind." + kind);
      var buttons = ["xlsx", "json"].map(function (ext) {
        var b = el("button", { type: "button", "class": "button button-secondary", id: "report-" + kind + "-" + ext,
          text: t(ext === "xlsx" ? "committee.report_xlsx" : "committee.report_json"),
          "aria-label": t(ext === "xlsx" ? "committee.report_xlsx_named" : "committee.report_json_named", { name: name }) });
        b.addEventListener("click", function () { downloadReport(kind, ext, b, status); });
        return b;
      });
      list.appendChild(el("li", { "class": "report-item" }, [
        el("p", { "class": "report-name", text: name }), el("div", { "class": "report-buttons" }, buttons), status
      ]));
    });
  }

  function reportStatus(status, text, kind) {
    status.className = "report-status" + (kind ? " is-" + kind : "");
    status.textContent = text;
  }

  function reportFailed(status, res) {
    reportStatus(status, res.error ? res.error.message : t("common.unexpected"), "error");
  }

  function downloadReport(kind, ext, btn, status) {
    btn.disabled = true;
    reportStatus(status, t("committee.report_loading"));
    var done = function () { btn.disabled = false; };
    App.download(path("/reports/" + kind + "." + ext), code + "-" + kind + "." + ext).then(function (res) {
      if (res.ok) { done(); reportStatus(status, t("committee.report_done", { name: res.name }), "ok"); return; }
      if (res.status === 409 && res.error && res.error.code === "report_too_large") {
        reportStatus(status, t("committee.report_pending"));
        App.api("POST", path("/exports"), { kind: kind, format: ext }).then(function (created) {
          if (!created.ok || !created.data || !created.data.id) { done(); reportFailed(status, created); return; }
          pollExport(created.data.id, kind, ext, status, done, 0);
        });
        return;
      }
      done();
      reportFailed(status, res);
    });
  }

  function pollExport(id, kind, ext, status, done, tries) {
    App.api("GET", "/exports/" + id).then(function (res) {
      var d = res.data || {};
      if (!res.ok) { done(); reportFailed(status, res); return; }
      if (d.status === "done") {
        App.download("/exports/" + id + "/file", d.file_name || code + "-" + kind + "." + ext).then(function (file) {
          done();
          if (file.ok) { reportStatus(status, t("committee.report_done", { name: file.name }), "ok"); } else { reportFailed(status, file); }
        });
        return;
      }
      if (d.status === "failed" || tries > 400) {
        done();
        reportStatus(status, d.error || t("committee.report_failed"), "error");
        return;
      }
      reportStatus(status, t("committee.report_progress", { progress: d.progress || 0 }));
      setTimeout(function () { pollExport(id, kind, ext, status, done, tries + 1); }, 1500);
    });
  }

  window.Staff = {
    code: code, path: path, defaultCampaign: DEFAULT_CAMPAIGN, start: start, loadCampaign: loadCampaign,
    campaignSummary: campaignSummary, reportList: reportList, waits: waits, num: num, percent: percent, date: date, mmss: mmss,
    list: list, noData: noData, loading: loading, table: table, badge: badge, frag: frag,
    fetchParticipation: fetchParticipation, participationTable: participationTable,
    barChart: barChart, chartLegend: chartLegend, categoryLabel: categoryLabel,
    stageLabel: stageLabel, decisionLabel: decisionLabel, outcomeLabel: outcomeLabel, prizeLabel: prizeLabel, roleLabel: roleLabel
  };
})();
