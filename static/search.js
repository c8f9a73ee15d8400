// Client-side search over window.RENKEI_SEARCH (search-index.js). No network.
(function () {
  "use strict";
  var data = window.RENKEI_SEARCH;
  var form = document.getElementById("search-form");
  if (!data || !form) { return; }
  var q = document.getElementById("q");
  var results = document.getElementById("results");
  var status = document.getElementById("status");
  var filters = { year: "y", field: "f", bureau: "b", pref: "g", status: "s" };
  var prefName = {};
  data.prefs.forEach(function (p) { prefName[p[0]] = p[1]; });

  function kana(text) {  // NFKC, lower case, katakana -> hiragana
    return text.normalize("NFKC").toLowerCase().replace(/[\u30a1-\u30f6]/g, function (c) {
      return String.fromCharCode(c.charCodeAt(0) - 0x60);
    });
  }
  function romaji(text) {  // same folding as readings.fold_romaji
    var t = text.normalize("NFKC").toLowerCase().normalize("NFKD").replace(/[^a-z0-9]/g, "");
    var pairs = [["ou", "o"], ["oo", "o"], ["uu", "u"], ["aa", "a"], ["ii", "i"], ["ee", "e"]];
    pairs.forEach(function (p) { while (t.indexOf(p[0]) >= 0) { t = t.split(p[0]).join(p[1]); } });
    return t;
  }
  data.items.forEach(function (item) {
    item.text = [item.t, item.b, item.f, item.p.join(" "), item.d, item.o || ""].map(kana);
  });

  function why(item, term) {
    var labels = ["事業名", "所管局", "分野", "関係自治体", "事業内容", "注記"];
    for (var i = 0; i < item.text.length; i++) {
      if (item.text[i].indexOf(term) >= 0) { return labels[i]; }
    }
    if (item.k.some(function (k) { return k.indexOf(term) >= 0; })) { return "よみ"; }
    return "ローマ字";
  }
  function matches(item, terms) {
    return terms.every(function (term) {
      if (item.text.some(function (t) { return t.indexOf(term.k) >= 0; })) { return true; }
      if (item.k.some(function (k) { return k.indexOf(term.k) >= 0; })) { return true; }
      return term.r.length > 1 && item.r.some(function (r) { return r.indexOf(term.r) >= 0; });
    });
  }
  function passes(item, chosen, skip) {
    return Object.keys(filters).every(function (name) {
      if (name === skip || !chosen[name]) { return true; }
      var value = item[filters[name]];
      return Array.isArray(value) ? value.indexOf(chosen[name]) >= 0 : String(value) === chosen[name];
    });
  }
  function chosenFilters() {
    var chosen = {};
    Object.keys(filters).forEach(function (name) { chosen[name] = form.elements[name].value; });
    return chosen;
  }
  function updateCounts(hits, chosen) {
    Object.keys(filters).forEach(function (name) {
      var select = form.elements[name];
      var counts = {};
      hits.forEach(function (item) {
        if (!passes(item, chosen, name)) { return; }
        var v = item[filters[name]];
        (Array.isArray(v) ? v : [v]).forEach(function (x) { counts[String(x)] = (counts[String(x)] || 0) + 1; });
      });
      Array.prototype.forEach.call(select.options, function (option) {
        if (!option.dataset.label) { option.dataset.label = option.textContent; }
        option.textContent = option.value ? option.dataset.label + " (" + (counts[option.value] || 0) + ")" : option.dataset.label;
      });
    });
  }
  function render() {
    var raw = q.value.trim();
    var terms = raw.split(/[\s\u3000]+/).filter(Boolean).map(function (t) { return { k: kana(t), r: romaji(t) }; });
    var chosen = chosenFilters();
    var textHits = terms.length ? data.items.filter(function (item) { return matches(item, terms); }) : data.items;
    var hits = textHits.filter(function (item) { return passes(item, chosen, null); });
    updateCounts(textHits, chosen);
    results.textContent = "";
    hits.slice(0, 200).forEach(function (item) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = "../" + item.u;
      a.textContent = item.t;
      li.appendChild(a);
      var meta = document.createElement("span");
      meta.className = "why";
      var reason = terms.length ? "一致:" + terms.map(function (t) { return why(item, t.k); }).join("・") + " · " : "";
      meta.textContent = reason + item.y + "年度 · " + item.b + " · " + item.f + (item.s === "新規" ? " · 新規" : "");
      li.appendChild(meta);
      results.appendChild(li);
    });
    status.textContent = hits.length + "件" + (hits.length > 200 ? "(先頭200件を表示)" : "");
    var params = new URLSearchParams();
    if (raw) { params.set("q", raw); }
    Object.keys(chosen).forEach(function (name) { if (chosen[name]) { params.set(name, chosen[name]); } });
    var query = params.toString();
    try { history.replaceState(null, "", query ? "?" + query : location.pathname); } catch (e) { /* file: URLs */ }
  }
  var initial = new URLSearchParams(location.search);
  q.value = initial.get("q") || "";
  Object.keys(filters).forEach(function (name) {
    if (initial.get(name)) { form.elements[name].value = initial.get(name); }
  });
  form.addEventListener("input", render);
  form.addEventListener("change", render);
  form.addEventListener("submit", function (event) { event.preventDefault(); render(); });
  render();
}());
