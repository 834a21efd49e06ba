// Correcting a recorded clip on the secretariat's page (PATCH …/videos/{id}): title,
// author, format, duration and receipt date, with an optional reason. The server holds the
// correction to the recording rules, refuses it once jury scoring is closed, and keeps the
// before and after in the audit log; the page shows its answer as it is.
(function () {
  "use strict";
  var App = window.App, Staff = window.Staff, t = App.t, el = App.el;
  var FORMATS = ["commentary_graphics", "report", "sketch", "other"];

  // dayOf is the receipt date as the date field holds it, in the contest's time zone.
  function dayOf(iso) {
    return new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Ho_Chi_Minh", year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date(iso));
  }

  function field(id, label, input) {
    input.id = id;
    return el("div", { "class": "field" }, [el("label", { "for": id, text: label }), input]);
  }

  // open shows the form for entry v in box; done runs after a correction was stored.
  function open(box, v, done) {
    box.textContent = "";
    box.hidden = false;
    var title = el("input", { type: "text", maxlength: "300", required: "", value: v.title });
    var author = el("input", { type: "text", maxlength: "200", value: v.author || "" });
    var format = el("select", null, FORMATS.map(function (f) {
      var o = el("option", { value: f, text: t("video.format." + f) });
      if (f === v.format) { o.selected = true; }
      return o;
    }));
    var duration = el("input", { type: "text", inputmode: "numeric", required: "", value: Staff.mmss(v.duration_seconds) });
    var received = el("input", { type: "date", required: "", value: dayOf(v.received_at) });
    var reason = el("textarea", { rows: "2", maxlength: "2000" });
    var errorBox = el("div", { "class": "message message-error", role: "alert", id: "correct-error", hidden: "" });
    var submit = el("button", { type: "submit", "class": "button button-primary", id: "correct-submit", text: t("secretariat.correct.submit") });
    var cancel = el("button", { type: "button", "class": "button", id: "correct-cancel", text: t("secretariat.correct.cancel") });
    var form = el("form", { "class": "form", id: "correct-form", novalidate: "" }, [
      el("h3", { text: t("secretariat.correct.title", { title: v.title }) }),
      field("correct-title", t("secretariat.correct.field_title"), title),
      field("correct-author", t("secretariat.correct.field_author"), author),
      field("correct-format", t("secretariat.correct.field_format"), format),
      field("correct-duration", t("secretariat.correct.field_duration"), duration),
      field("correct-received", t("secretariat.correct.field_received"), received),
      field("correct-reason", t("secretariat.correct.field_reason"), reason),
      errorBox, el("p", { "class": "actions" }, [submit, document.createTextNode(" "), cancel])
    ]);
    box.appendChild(form);
    title.focus();
    cancel.addEventListener("click", function () { box.hidden = true; box.textContent = ""; });
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      App.showMessage(errorBox, "");
      var body = { title: title.value.trim(), author: author.value.trim(), format: format.value,
        duration: duration.value.trim(), received_on: received.value, reason: reason.value.trim() };
      submit.disabled = true;
      App.api("PATCH", Staff.path("/videos/" + v.id), body).then(function (res) {
        submit.disabled = false;
        if (!res.ok) { App.showMessage(errorBox, res.error.message, "error"); return; }
        box.textContent = "";
        box.appendChild(el("p", { "class": "message message-success", role: "status", id: "correct-result", text: t("secretariat.correct.done", { title: body.title }) }));
        done();
      });
    });
  }

  window.VideoCorrection = { open: open };
})();
