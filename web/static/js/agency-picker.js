// The agency picker of the registration and video-entry forms: the tree of GET /agencies
// grouped by category, communes under their district, with a search box that ignores case
// and Vietnamese diacritics. Radio buttons, so arrow keys choose within the list.
(function () {
  "use strict";
  var App = window.App, t = App.t, el = App.el;
  var CATEGORY_ORDER = ["city_department", "central", "district", "commune"];

  // fold makes the search ignore case and Vietnamese diacritics ("le chan" finds "Lê Chân").
  function fold(s) {
    return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d").replace(/Đ/g, "D").toLowerCase();
  }

  // agencyPicker binds to the markup (list, search, count, chosen elements; optionally a
  // levelNote element and an onChange callback), loads the agencies and returns
  // {selected(), selectedPath(), reset(), ready}. name is the radio group's name and
  // idPrefix prefixes the radio ids (two pickers may share a page).
  function agencyPicker(opts) {
    var list = opts.list, search = opts.search, count = opts.count, chosen = opts.chosen;
    var name = opts.name || "agency_id", idPrefix = opts.idPrefix || "agency-";
    var items = []; // {id, name, fold, li, parent, children, group}

    // itemNode draws one agency; a commune's label carries its full path (district ›
    // commune), so that a search hit cannot be mistaken for its district.
    function itemNode(a, parent) {
      var id = idPrefix + a.id;
      var input = el("input", { type: "radio", name: name, id: id, value: String(a.id) });
      var label = parent ?
        el("label", { "for": id }, [el("span", { "class": "agency-path", text: parent.name + " › " }), document.createTextNode(a.name)]) :
        el("label", { "for": id, text: a.name });
      return el("li", { "class": "agency-item" + (a.parent_id ? " agency-child" : "") }, [
        el("div", { "class": "agency-row" }, [input, label])
      ]);
    }

    function build(agencies) {
      var byParent = {}, top = [];
      agencies.forEach(function (a) {
        if (a.parent_id) { (byParent[a.parent_id] = byParent[a.parent_id] || []).push(a); } else { top.push(a); }
      });
      var categories = CATEGORY_ORDER.slice();
      top.forEach(function (a) { if (categories.indexOf(a.category) < 0) { categories.push(a.category); } });
      list.textContent = "";
      categories.forEach(function (cat) {
        var members = top.filter(function (a) { return a.category === cat; });
        if (!members.length) { return; }
        var titleId = idPrefix + "group-" + cat;
        var ul = el("ul", { "class": "agency-items", "aria-labelledby": titleId });
        var group = el("div", { "class": "agency-group" }, [el("p", { "class": "agency-group-title", id: titleId, text: t("register.category." + cat) }), ul]);
        members.forEach(function (a) {
          var li = itemNode(a);
          var item = { id: a.id, name: a.name, fold: fold(a.name), li: li, children: [], group: group };
          items.push(item);
          var kids = byParent[a.id] || [];
          if (kids.length) {
            var sub = el("ul", { "class": "agency-children" });
            kids.forEach(function (k) {
              var kli = itemNode(k, a);
              var child = { id: k.id, name: k.name, fold: fold(k.name), li: kli, children: [], parent: item };
              item.children.push(child);
              items.push(child);
              sub.appendChild(kli);
            });
            li.appendChild(sub);
          }
          ul.appendChild(li);
        });
        list.appendChild(group);
      });
      list.addEventListener("change", function (e) {
        if (e.target && e.target.name === name) { showChosen(); }
      });
      filter();
    }

    function selectedInput() { return list.querySelector("input[name=" + name + "]:checked"); }

    function selectedItem() {
      var r = selectedInput();
      return r ? items.find(function (i) { return String(i.id) === r.value; }) || null : null;
    }
    function pathOf(item) { return item.parent ? item.parent.name + " › " + item.name : item.name; }

    function showChosen() {
      var item = selectedItem();
      chosen.textContent = item ? t("register.agency_selected", { name: pathOf(item) }) : t("register.agency_not_selected");
      chosen.classList.toggle("is-chosen", !!item);
      // A district that has communes is often tapped by a commune's clerk: say so.
      if (opts.levelNote) {
        var district = item && !item.parent && item.children.length > 0;
        opts.levelNote.textContent = district ? t("register.agency_level_note", { name: item.name }) : "";
        opts.levelNote.hidden = !district;
      }
      if (opts.onChange) { opts.onChange(); }
    }

    function filter() {
      var q = fold(search.value.trim());
      var shown = 0;
      var groups = new Map();
      items.forEach(function (i) {
        if (i.parent) { return; }
        var self = !q || i.fold.indexOf(q) >= 0;
        var anyChild = false;
        i.children.forEach(function (c) {
          var match = self || c.fold.indexOf(q) >= 0;
          c.li.hidden = !match;
          if (match) { shown++; anyChild = true; }
        });
        var visible = self || anyChild;
        i.li.hidden = !visible;
        if (visible) { shown++; }
        groups.set(i.group, (groups.get(i.group) || false) || visible);
      });
      groups.forEach(function (visible, g) { g.hidden = !visible; });
      count.textContent = shown ? t("register.agency_count", { n: shown }) : t("register.agency_none");
    }

    search.addEventListener("input", filter);
    // Enter in the search box must not submit the form.
    search.addEventListener("keydown", function (e) { if (e.key === "Enter") { e.preventDefault(); } });

    var ready = App.api("GET", "/agencies", undefined, { auth: false }).then(function (res) {
      if (res.ok && Array.isArray(res.data)) {
        build(res.data);
        return res.data;
      }
      list.textContent = "";
      list.appendChild(el("p", { "class": "message message-error", text: res.network ? res.error.message : t("register.agency_load_error") }));
      return null;
    });

    return {
      ready: ready,
      selected: function () { var r = selectedInput(); return r ? Number(r.value) : null; },
      selectedPath: function () { var item = selectedItem(); return item ? pathOf(item) : ""; },
      reset: function () {
        var r = selectedInput();
        if (r) { r.checked = false; }
        search.value = "";
        filter();
        showChosen();
      }
    };
  }

  App.agencyPicker = agencyPicker;
})();
