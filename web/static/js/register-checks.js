// The registration form's checks, run in the browser before anything is sent, so that
// every problem shows at its field at once. They mirror the API's (api/validation.go,
// api/participants.go), which stays the authority: whatever passes here can still be refused.
(function () {
  "use strict";
  var App = window.App;

  // parseDate reads a date typed as dd/mm/yyyy (also d/m/yyyy, dd-mm-yyyy, dd.mm.yyyy)
  // and returns it as ISO yyyy-mm-dd, or "" when it is not a real calendar date.
  function parseDate(typed) {
    var m = /^\s*(\d{1,2})[\/.\-](\d{1,2})[\/.\-](\d{4})\s*$/.exec(typed || "");
    if (!m) { return ""; }
    var d = +m[1], mo = +m[2], y = +m[3];
    var date = new Date(Date.UTC(y, mo - 1, d));
    if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) { return ""; }
    return y + "-" + (mo < 10 ? "0" : "") + mo + "-" + (d < 10 ? "0" : "") + d;
  }

  // showDate turns ISO yyyy-mm-dd into dd/mm/yyyy.
  function showDate(iso) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || "");
    return m ? m[3] + "/" + m[2] + "/" + m[1] : "";
  }

  // typingDate adds the slashes while someone types only digits ("17" → "17/",
  // "17/05" → "17/05/", "17051988" → "17/05/1988") and drops a doubled slash.
  function typingDate(value, deleting) {
    var v = value.replace(/\/{2,}/g, "/");
    if (/^\d{8}$/.test(v)) { return v.slice(0, 2) + "/" + v.slice(2, 4) + "/" + v.slice(4); }
    if (!deleting && (/^\d{2}$/.test(v) || /^\d{1,2}\/\d{2}$/.test(v))) { return v + "/"; }
    return v;
  }

  // ageOn is the age in years on a day, counted as the API does (days / 365.25).
  function ageOn(iso, nowMS) {
    return (nowMS - Date.parse(iso + "T00:00:00Z")) / 86400000 / 365.25;
  }

  function normalizePhone(raw) {
    var p = (raw || "").trim().replace(/[\s.\-]/g, "");
    if (p.indexOf("+84") === 0) { p = "0" + p.slice(3); } else if (p.indexOf("84") === 0 && p.length === 11) { p = "0" + p.slice(2); }
    return p;
  }
  var MOBILE = /^0(3[2-9]|5[25689]|7[06-9]|8[1-9]|9[0-9])[0-9]{7}$/;
  // Letters of any script; built at run time so that a browser without Unicode property
  // escapes skips this check (the API makes it) instead of failing the whole script.
  var NAME = null;
  try { NAME = new RegExp("^[\\p{L}\\p{M} .'\\-]+$", "u"); } catch (e) { NAME = null; }
  var EMAIL = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;

  // check returns, for each field with a problem, the dictionary key of its message, in
  // the order of the form.
  function check(v, nowMS) {
    var out = [];
    function bad(field, key) { out.push({ field: field, key: key }); }
    var name = v.full_name.trim();
    if (!name) { bad("full_name", "register.err_name_required"); } else if (name.length < 2 || (NAME && !NAME.test(name))) { bad("full_name", "register.err_name_invalid"); }
    if (!v.date_of_birth.trim()) {
      bad("date_of_birth", "register.err_dob_required");
    } else {
      var iso = parseDate(v.date_of_birth);
      if (!iso) { bad("date_of_birth", "register.err_dob_invalid"); } else {
        var age = ageOn(iso, nowMS);
        if (age < 18 || age > 70) { bad("date_of_birth", "register.err_dob_age"); }
      }
    }
    if (!v.phone.trim()) { bad("phone", "register.err_phone_required"); } else if (!MOBILE.test(normalizePhone(v.phone))) { bad("phone", "register.err_phone_invalid"); }
    if (v.email.trim() && !EMAIL.test(v.email.trim())) { bad("email", "register.err_email_invalid"); }
    if (!v.agency_id) { bad("agency", "register.agency_required"); }
    if (!v.position.trim()) { bad("position", "register.err_position_required"); } else if (/[<>]/.test(v.position)) { bad("position", "register.err_position_invalid"); }
    // The CCCD and contest code are checked only as far as the campaign asks for them
    // (GET /registration/requirements, v.required); a CCCD typed anyway must be 12 digits.
    var req = v.required || {}, cccd = (v.cccd || "").replace(/[\s.\-]/g, "");
    if (!cccd) { if (req.cccd_required) { bad("cccd", "register.err_cccd_required"); } } else if (!/^\d{12}$/.test(cccd)) { bad("cccd", "register.err_cccd_invalid"); }
    if (req.contest_code_required && !(v.contest_code || "").trim()) { bad("contest_code", "register.err_contest_code_required"); }
    if (v.password.length < 8) { bad("password", "register.err_password_short"); }
    return out;
  }

  // fieldOfAPIError says which field an API refusal is about: the code where it names
  // one, else the field label the message starts with (api/validation.go fieldLabels).
  var LABELS = [["Họ và tên", "full_name"], ["Ngày sinh", "date_of_birth"], ["Số điện thoại", "phone"], ["Email", "email"],
    ["Cơ quan, đơn vị", "agency"], ["Chức vụ", "position"], ["Mật khẩu", "password"]];
  function fieldOfAPIError(err) {
    if (!err) { return ""; }
    if (err.field) { return err.field; } // the API names the field (a weak password)
    if (err.code === "phone_taken") { return "phone"; }
    if (err.code === "unknown_agency") { return "agency"; }
    if (err.code !== "invalid_field") { return ""; }
    for (var i = 0; i < LABELS.length; i++) {
      if ((err.message || "").indexOf(LABELS[i][0]) === 0) { return LABELS[i][1]; }
    }
    return "";
  }

  App.registerChecks = { parseDate: parseDate, showDate: showDate, typingDate: typingDate, check: check, fieldOfAPIError: fieldOfAPIError };
})();
