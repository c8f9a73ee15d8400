// Search over window.RENKEI_SEARCH (search-index.js): the search page, and the suggestions of the
// search box on every page.  No network: the index is a script file of the site, loaded from disk.
// The matching is site/query.py's, line for line; tests run the same queries through both.
(function () {
  "use strict";

  // --- folding (site/query.py: fold_text, is_romaji, term_key; readings.fold_romaji) ----------
  var LONG_VOWELS = [["ou", "o"], ["oo", "o"], ["uu", "u"], ["aa", "a"], ["ii", "i"], ["ee", "e"]];
  var KANA = /^[\u3041-\u3096\u30fc]+$/;
  var ASCII = /^[\x00-\x7f]*$/;
  function foldText(text) {
    return text.normalize("NFKC").replace(/[\u30a1-\u30f6]/g, function (c) {
      return String.fromCharCode(c.charCodeAt(0) - 0x60);
    }).toLowerCase().replace(/\u3096/g, "\u3051").replace(/\u3095/g, "\u304b");
  }
  function foldRomaji(text) {
    var t = text.normalize("NFKC").toLowerCase().normalize("NFKD").replace(/[^a-z0-9]/g, "");
    LONG_VOWELS.forEach(function (p) { while (t.indexOf(p[0]) >= 0) { t = t.split(p[0]).join(p[1]); } });
    return t.replace(/m(?=[bmp])/g, "n");  // ん before b, m, p: Hamatombetsu is Hamatonbetsu
  }
  function isRomaji(term) { return ASCII.test(term.normalize("NFKC").normalize("NFKD").replace(/\p{M}/gu, "")); }
  function termKey(term) { return isRomaji(term) ? foldRomaji(term) : foldText(term); }
  function isTextForm(key) { return key.length > 1 && !ASCII.test(key) && !KANA.test(key); }
  function foundOutside(text, form, blockers) {
    var covered = [];
    blockers.forEach(function (b) {
      for (var at = text.indexOf(b); at >= 0; at = text.indexOf(b, at + 1)) { covered.push([at, at + b.length]); }
    });
    for (var start = text.indexOf(form); start >= 0; start = text.indexOf(form, start + 1)) {
      var inside = covered.some(function (c) { return c[0] <= start && start + form.length <= c[1]; });
      if (!inside) { return true; }
    }
    return false;
  }

  // --- the index, ready to answer (site/query.py: Index) --------------------------------------
  var ROLE_LABELS = [["c", "現在の関係自治体"], ["p", "過去の関係自治体"], ["m", "備考"]];
  var TEXT_LABEL = "事業名・事業内容";
  var WORD_FIELDS = [["t", "事業名"], ["b", "所管局"], ["f", "分野"], ["d", "事業内容"], ["m", "備考"], ["o", "関係自治体"], ["e", "注記"]];
  var PLACE_TEXT_FIELDS = [["t", TEXT_LABEL], ["d", TEXT_LABEL], ["m", "備考"]];
  var RANK = { named: 3, text: 2, group: 1 };
  var FILTERS = { year: "y", field: "f", bureau: "b", pref: "g", status: "s" };

  function inverted(table) {
    var out = {};
    Object.keys(table || {}).forEach(function (code) {
      table[code].forEach(function (item) { (out[item] = out[item] || []).push(code); });
    });
    return out;
  }
  function Index(data) {
    var self = this;
    this.data = data;
    this.items = data.items;
    this.folded = data.items.map(function (item) {
      var folded = {};
      WORD_FIELDS.forEach(function (f) {
        var value = item[f[0]] === undefined ? "" : item[f[0]];
        folded[f[0]] = foldText(Array.isArray(value) ? value.join(" ") : String(value));
      });
      return folded;
    });
    this.byKey = {};
    data.places.forEach(function (place) {
      place.roles = inverted(place.x);
      place.groups = inverted(place.v);
      place.forms = place.k.filter(isTextForm);
      place.u = place.u || "municipalities/" + place.c + "/index.html";  // site/paths.py: municipality_path
      place.count = Object.keys(place.roles).length;
      place.k.forEach(function (key) { (self.byKey[key] = self.byKey[key] || []).push(place); });
    });
  }
  Index.prototype.terms = function (query) {
    var self = this;
    return query.trim().split(/[\s\u3000]+/).filter(Boolean).map(function (text) {
      var key = termKey(text);
      var places = self.byKey[key] || [];
      var prefs = {};
      places.forEach(function (p) { prefs[p.p] = true; });
      return { text: text, key: key, places: places, ambiguous: Object.keys(prefs).length > 1 };
    }).filter(function (t) { return t.key; });
  };
  Index.prototype.matchPlace = function (item, term) {
    var roles = term.places.map(function (p) { return (p.roles[item] || []).join(""); }).join("");
    if (roles) {
      return ["named", ROLE_LABELS.filter(function (r) { return roles.indexOf(r[0]) >= 0; }).map(function (r) { return r[1]; })];
    }
    var texts = this.folded[item];
    for (var i = 0; i < PLACE_TEXT_FIELDS.length; i++) {
      var field = PLACE_TEXT_FIELDS[i];
      var hit = term.places.some(function (p) {
        return p.forms.some(function (form) { return foundOutside(texts[field[0]], form, p.b); });
      });
      if (hit) { return ["text", [field[1]]]; }
    }
    var groups = [];
    term.places.forEach(function (p) { (p.groups[item] || []).forEach(function (g) { if (groups.indexOf(g) < 0) { groups.push(g); } }); });
    return groups.length ? ["group", [groups.join("・") + "を通じて"]] : null;
  };
  Index.prototype.matchWord = function (item, term) {
    var texts = this.folded[item];
    var entry = this.items[item];
    var needle = foldText(term.text);
    for (var i = 0; i < WORD_FIELDS.length; i++) {
      if (texts[WORD_FIELDS[i][0]].indexOf(needle) >= 0) { return ["named", [WORD_FIELDS[i][1]]]; }
    }
    if (entry.k.indexOf(needle) >= 0) { return ["named", ["よみ"]]; }
    if (isRomaji(term.text) && term.key.length > 1 && entry.r.indexOf(term.key) >= 0) { return ["named", ["ローマ字"]]; }
    return null;
  };
  // Every project the terms match, with its part (named / text / group) and reasons; no filters.
  Index.prototype.match = function (query) {
    var self = this;
    var terms = this.terms(query);
    var hits = [];
    this.items.forEach(function (entry, item) {
      var part = "named";
      var reasons = [];
      for (var i = 0; i < terms.length; i++) {
        var found = terms[i].places.length ? self.matchPlace(item, terms[i]) : self.matchWord(item, terms[i]);
        if (!found) { return; }
        if (RANK[found[0]] < RANK[part]) { part = found[0]; }
        found[1].forEach(function (r) { if (reasons.indexOf(r) < 0) { reasons.push(r); } });
      }
      hits.push({ item: item, part: part, reasons: reasons });
    });
    return { terms: terms, hits: hits };
  };
  Index.prototype.search = function (query, filters, matched) {
    var self = this;
    var found = matched || this.match(query);
    var parts = { named: [], text: [], group: [] };
    found.hits.forEach(function (hit) {
      if (passes(self.items[hit.item], filters || {})) { parts[hit.part].push(hit); }
    });
    return { terms: found.terms, named: parts.named, text: parts.text, group: parts.group };
  };
  function passes(entry, filters, skip) {
    return Object.keys(FILTERS).every(function (name) {
      var value = name === skip ? "" : filters[name];
      if (!value) { return true; }
      var have = entry[FILTERS[name]];
      return Array.isArray(have) ? have.indexOf(value) >= 0 : String(have) === value;
    });
  }
  // Suggestions: places whose keys start with the last term, then projects the query finds.
  Index.prototype.suggest = function (query) {
    var words = query.trim().split(/[\s\u3000]+/);
    var key = termKey(words[words.length - 1] || "");
    if (!key) { return { places: [], projects: [] }; }
    var places = this.data.places.map(function (p) {
      var exact = p.k.indexOf(key) >= 0;
      var prefix = exact || p.k.some(function (k) { return k.indexOf(key) === 0; });
      return prefix ? { place: p, score: [exact ? 0 : 1, p.c.slice(2) === "0000" ? 0 : 1, -p.count, p.n] } : null;
    }).filter(Boolean).sort(function (a, b) {
      for (var i = 0; i < a.score.length; i++) {
        if (a.score[i] !== b.score[i]) { return a.score[i] < b.score[i] ? -1 : 1; }
      }
      return 0;
    }).slice(0, 6).map(function (s) { return s.place; });
    var answer = this.search(query);
    var items = answer.named.concat(answer.text).map(function (h) { return h.item; });
    if (!items.length) {
      var needle = foldText(query.trim());
      items = this.folded.map(function (f, i) { return f.t.indexOf(needle) >= 0 ? i : -1; }).filter(function (i) { return i >= 0; });
    }
    return { places: places, projects: items.slice(0, 5) };
  };

  window.RenkeiSearch = { Index: Index, foldText: foldText, foldRomaji: foldRomaji, termKey: termKey };
  var root = document.body.getAttribute("data-root") || "";
  var index = null;
  function ready() {
    if (!index && window.RENKEI_SEARCH) { index = new Index(window.RENKEI_SEARCH); window.RenkeiSearch.index = index; }
    return index;
  }
  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }
  function meta(entry) {
    return entry.y + "年度 · No." + entry.n + " · " + entry.b + " · " + entry.f + (entry.s === "新規" ? " · 新規" : "");
  }

  // --- the search page ---------------------------------------------------------------------
  function searchPage(form) {
    var q = document.getElementById("q");
    var status = document.getElementById("status");
    var places = document.getElementById("places");
    var results = document.getElementById("results");
    var textPart = document.getElementById("text-part");
    var groupPart = document.getElementById("group-part");
    var data = index.data;

    function chosenFilters() {
      var chosen = {};
      Object.keys(FILTERS).forEach(function (name) { chosen[name] = form.elements[name].value; });
      return chosen;
    }
    function updateCounts(matched, chosen) {
      Object.keys(FILTERS).forEach(function (name) {
        var counts = {};
        matched.hits.forEach(function (h) {
          if (h.part !== "named" || !passes(data.items[h.item], chosen, name)) { return; }
          var v = data.items[h.item][FILTERS[name]];
          (Array.isArray(v) ? v : [v]).forEach(function (x) { counts[String(x)] = (counts[String(x)] || 0) + 1; });
        });
        Array.prototype.forEach.call(form.elements[name].options, function (option) {
          if (!option.dataset.label) { option.dataset.label = option.textContent; }
          option.textContent = option.value ? option.dataset.label + " (" + (counts[option.value] || 0) + ")" : option.dataset.label;
        });
      });
    }
    function list(target, hits, limit) {
      target.textContent = "";
      hits.slice(0, limit).forEach(function (hit) {
        var entry = data.items[hit.item];
        var li = el("li");
        var a = el("a", "", entry.t);
        a.href = root + entry.u;
        li.appendChild(a);
        var why = el("span", "why", (hit.reasons.length ? "一致:" + hit.reasons.join("・") + " · " : "") + meta(entry));
        li.appendChild(why);
        target.appendChild(li);
      });
    }
    function showPlaces(terms) {
      places.textContent = "";
      terms.forEach(function (term) {
        if (!term.places.length) { return; }
        var p = el("p", term.ambiguous ? "ambiguous" : "");
        p.appendChild(document.createTextNode("「" + term.text + "」" + (term.ambiguous ? "は複数の場所に当たります(すべて含めています):" : ":")));
        term.places.forEach(function (place, i) {
          if (i) { p.appendChild(document.createTextNode("・")); }
          var a = el("a", "", place.n);
          a.href = root + place.u;
          p.appendChild(a);
        });
        places.appendChild(p);
      });
    }
    function render() {
      var raw = q.value.trim();
      var chosen = chosenFilters();
      var matched = index.match(raw);
      var answer = index.search(raw, chosen, matched);
      updateCounts(matched, chosen);
      showPlaces(answer.terms);
      list(results, answer.named, 200);
      status.textContent = answer.named.length + "件" + (answer.named.length > 200 ? "(先頭200件を表示)" : "");
      textPart.hidden = !answer.text.length;
      textPart.querySelector("h2").textContent = "事業名・事業内容に名前がある事業 " + answer.text.length + "件";
      list(textPart.querySelector("ol"), answer.text, 200);
      groupPart.hidden = !answer.group.length;
      groupPart.querySelector("summary").textContent = "ほかにグループを通じて含まれる事業 " + answer.group.length + "件";
      list(groupPart.querySelector("ol"), answer.group, 200);
      var params = new URLSearchParams();
      if (raw) { params.set("q", raw); }
      Object.keys(chosen).forEach(function (name) { if (chosen[name]) { params.set(name, chosen[name]); } });
      var query = params.toString();
      try { history.replaceState(null, "", query ? "?" + query : location.pathname); } catch (e) { /* file: URLs */ }
    }
    var initial = new URLSearchParams(location.search);
    q.value = initial.get("q") || "";
    Object.keys(FILTERS).forEach(function (name) {
      if (initial.get(name)) { form.elements[name].value = initial.get(name); }
    });
    form.addEventListener("input", render);
    form.addEventListener("change", render);
    form.addEventListener("submit", function (event) { event.preventDefault(); render(); });
    render();
  }

  // --- the search box on every page: a WAI-ARIA combobox with a list of suggestions ---------
  function combobox(input) {
    var listbox = document.getElementById(input.getAttribute("aria-controls"));
    var options = [];
    var active = -1;
    var loading = false;

    function load() {
      if (ready() || loading) { return; }
      loading = true;
      var script = document.createElement("script");
      script.src = input.getAttribute("data-index");
      script.onload = function () { ready(); update(); };
      document.head.appendChild(script);
    }
    function option(label, detail, href) {
      var li = el("li", "option");
      li.id = listbox.id + "-" + options.length;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      li.appendChild(el("span", "label", label));
      if (detail) { li.appendChild(el("span", "detail", detail)); }
      li.dataset.href = href;
      li.addEventListener("mousedown", function (event) { event.preventDefault(); });
      li.addEventListener("click", function () { location.href = href; });
      listbox.appendChild(li);
      options.push(li);
    }
    function close() {
      listbox.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }
    function update() {
      var value = input.value.trim();
      listbox.textContent = "";
      options = [];
      active = -1;
      input.removeAttribute("aria-activedescendant");
      if (!value || !ready()) { close(); return; }
      var found = index.suggest(value);
      found.places.forEach(function (place) {
        option(place.n, "場所 · " + place.count + "件", root + place.u);
      });
      found.projects.forEach(function (item) {
        var entry = index.items[item];
        option(entry.t, "事業 · " + entry.y + "年度", root + entry.u);
      });
      option("「" + value + "」で検索", "検索ページ", root + "search/index.html?q=" + encodeURIComponent(value));
      listbox.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }
    function move(step) {
      if (listbox.hidden) { update(); }
      if (!options.length) { return; }
      if (active >= 0) { options[active].setAttribute("aria-selected", "false"); }
      active = (active + step + options.length) % options.length;
      options[active].setAttribute("aria-selected", "true");
      input.setAttribute("aria-activedescendant", options[active].id);
      options[active].scrollIntoView({ block: "nearest" });
    }
    input.addEventListener("focus", load);
    input.addEventListener("input", function () { load(); update(); });
    input.addEventListener("blur", close);
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown") { event.preventDefault(); move(1); }
      else if (event.key === "ArrowUp") { event.preventDefault(); move(-1); }
      else if (event.key === "Escape") {
        if (!listbox.hidden) { close(); } else { input.value = ""; }
      } else if (event.key === "Enter" && active >= 0) {
        event.preventDefault();
        location.href = options[active].dataset.href;
      }
    });
  }

  var form = document.getElementById("search-form");
  if (form && ready()) { searchPage(form); }
  Array.prototype.forEach.call(document.querySelectorAll("input[role=combobox][data-index]"), combobox);
}());
