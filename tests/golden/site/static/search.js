// Search over window.RENKEI_SEARCH (search-index.js) and window.RENKEI_PLACES (place-dictionary.js,
// every place of the reference table, the same file for every year): the search page, and the
// suggestions of the search box on every page.  No network: both are script files of the site,
// loaded from disk.  The matching is site/query.py's and the place keys site/placebook.py's, line
// for line; tests run the same queries and compare the keys through both.
(function () {
  "use strict";

  // --- folding (site/placebook.py: fold_text, kunrei, short_name; readings.fold_romaji) -------
  var LONG_VOWELS = [["ou", "o"], ["oo", "o"], ["uu", "u"], ["aa", "a"], ["ii", "i"], ["ee", "e"]];
  var KANA = /^[\u3041-\u3096\u30fc]+$/;
  var ASCII = /^[\x00-\x7f]*$/;
  var SUFFIX_READINGS = { "都": ["と"], "府": ["ふ"], "県": ["けん"], "市": ["し"], "町": ["まち", "ちょう"], "村": ["むら", "そん"], "区": ["く"] };
  var ROMAJI_SUFFIX = { "都": "to", "府": "fu", "県": "ken", "道": "" };
  var ENGLISH = { p: ["prefecture"], c: ["city"], s: ["city", "ward"], t: ["town"], v: ["village"], w: ["ward"] };
  var KUNREI = { tsu: "tu", shi: "si", sh: "sy", chi: "ti", ch: "ty", fu: "hu", ji: "zi", j: "zy" };
  var HEPBURN = /tsu|shi|sh|chi|ch|fu|ji|j/g;
  var PLAIN = /^[\u3005\u3041-\u3096\u30a1-\u30f6\u30fc\u4e00-\u9fff]*$/;  // NFKC leaves these as they are
  var SYLLABLES = {};  // site/placebook.py: SYLLABLES, the same string
  "あ:a い:i う:u え:e お:o か:ka き:ki く:ku け:ke こ:ko さ:sa し:shi す:su せ:se そ:so た:ta ち:chi つ:tsu て:te と:to な:na に:ni ぬ:nu ね:ne の:no は:ha ひ:hi ふ:fu へ:he ほ:ho ま:ma み:mi む:mu め:me も:mo や:ya ゆ:yu よ:yo ら:ra り:ri る:ru れ:re ろ:ro わ:wa ゐ:i ゑ:e を:o ん:n が:ga ぎ:gi ぐ:gu げ:ge ご:go ざ:za じ:ji ず:zu ぜ:ze ぞ:zo だ:da ぢ:ji づ:zu で:de ど:do ば:ba び:bi ぶ:bu べ:be ぼ:bo ぱ:pa ぴ:pi ぷ:pu ぺ:pe ぽ:po ぁ:a ぃ:i ぅ:u ぇ:e ぉ:o ゔ:vu ー:".split(" ").forEach(function (pair) { var p = pair.split(":"); SYLLABLES[p[0]] = p[1]; });
  var Y_SOUNDS = { "ゃ": "a", "ゅ": "u", "ょ": "o" };
  function kanaRomaji(kana) {
    var out = [];
    var double = false;
    for (var i = 0; i < kana.length; i++) {
      var ch = kana[i];
      if (ch === "っ") { double = true; continue; }
      if (Y_SOUNDS[ch] && out.length) {
        var stem = out.pop();
        stem = stem.slice(-1) === "i" ? stem.slice(0, -1) : stem;
        out.push(stem + (/(sh|ch|j)$/.test(stem) ? "" : "y") + Y_SOUNDS[ch]);
        continue;
      }
      var syllable = SYLLABLES.hasOwnProperty(ch) ? SYLLABLES[ch] : ch;
      if (double && syllable) { syllable = (syllable.indexOf("ch") === 0 ? "t" : syllable[0]) + syllable; }
      double = false;
      out.push(syllable);
    }
    return out.join("");
  }
  function foldText(text) {
    return (PLAIN.test(text) ? text : text.normalize("NFKC")).replace(/[\u30a1-\u30f6]/g, function (c) {
      return String.fromCharCode(c.charCodeAt(0) - 0x60);
    }).toLowerCase().replace(/\u3096/g, "\u3051").replace(/\u3095/g, "\u304b");
  }
  function foldRomaji(text) {
    var t = (ASCII.test(text) ? text : text.normalize("NFKC")).toLowerCase();
    t = (ASCII.test(t) ? t : t.normalize("NFKD")).replace(/[^a-z0-9]/g, "");
    LONG_VOWELS.forEach(function (p) { while (t.indexOf(p[0]) >= 0) { t = t.split(p[0]).join(p[1]); } });
    return t.replace(/m(?=[bmp])/g, "n");  // ん before b, m, p: Hamatombetsu is Hamatonbetsu
  }
  function kunrei(key) { return key.replace(HEPBURN, function (h) { return KUNREI[h]; }); }
  function shortName(name) { return name.length > 1 && SUFFIX_READINGS[name[name.length - 1]] ? name.slice(0, -1) : name; }
  function isRomaji(term) { return ASCII.test(term.normalize("NFKC").normalize("NFKD").replace(/\p{M}/gu, "")); }
  function termKey(term) { return isRomaji(term) ? foldRomaji(term) : foldText(term); }
  function isTextForm(key) { return key.length > 1 && !ASCII.test(key) && !KANA.test(key); }
  function foundOutside(text, form, blockers) {
    if (text.indexOf(form) < 0) { return false; }
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
  function oneEdit(a, b) {
    if (Math.abs(a.length - b.length) > 1 || a === b) { return false; }
    if (a.length > b.length) { var t = a; a = b; b = t; }
    var i = 0;
    while (i < a.length && a[i] === b[i]) { i++; }
    return a.slice(i + (a.length === b.length ? 1 : 0)) === b.slice(i + 1);
  }
  function sortedKeys(set) { return Object.keys(set).sort(function (a, b) { return a < b ? -1 : a > b ? 1 : 0; }); }

  // --- the place dictionary (site/placebook.py: place_keys, PlaceBook) -------------------------
  function placeKeys(row, city, pref) {
    var kind = row[1], name = row[2], gun = row[3], kana = row[5], romaji = row[6];
    var local = city ? city[2] + name : name;
    var names = [name, shortName(name), local];
    if (kind !== "p") { names.push(pref[2] + local); }
    if (gun) { names.push(gun + name, pref[2] + gun + name); }
    var kanas = [kana];
    (name.length > 1 ? SUFFIX_READINGS[name[name.length - 1]] || [] : []).forEach(function (reading) {
      if (kana.length > reading.length && kana.slice(-reading.length) === reading) { kanas.push(kana.slice(0, -reading.length)); }
    });
    if (city) { kanas.push(city[5] + kana); }
    var base = foldRomaji(romaji.split("-")[0]);  // the table's romaji agrees with its kana
    var romajis = [foldRomaji(romaji), base].concat(kanas.map(function (k) { return foldRomaji(kanaRomaji(k)); }));
    ENGLISH[kind].forEach(function (w) { romajis.push(base + w); });
    if (kind === "p") { romajis.push(base + (ROMAJI_SUFFIX[name[name.length - 1]] || "")); }
    if (city) {
      var cityBase = foldRomaji(city[6].split("-")[0]);
      romajis = romajis.concat(romajis.map(function (r) { return cityBase + r; }));
    }
    romajis = romajis.concat(romajis.map(kunrei));
    var keys = {};
    names.concat(kanas).forEach(function (n) { keys[foldText(n)] = true; });
    romajis.forEach(function (r) { keys[r] = true; });
    return Object.keys(keys).filter(Boolean);  // the set of keys: their order matters nowhere
  }
  function PlaceBook(data) {
    var self = this;
    var byCode = {}, prefs = {};
    data.places.forEach(function (row) { byCode[row[0]] = row; if (row[1] === "p") { prefs[row[0].slice(0, 2)] = row; } });
    this.places = [];
    this.byCode = {};
    this.byKey = {};
    this.owners = {};
    this.containingCache = {};
    data.places.forEach(function (row) {
      var code = row[0], kind = row[1], name = row[2], gun = row[3];
      var city = byCode[row[4]], pref = prefs[code.slice(0, 2)];
      var local = city ? city[2] + name : name;
      var place = {
        c: code, kind: kind, p: code.slice(0, 2), n: kind === "p" ? name : pref[2] + local,
        own: [foldText(name), foldText(local)], parent: row[4],
        u: kind === "p" ? "prefectures/" + pref[6].toLowerCase() + "/index.html" : "municipalities/" + code + "/index.html",
        k: placeKeys(row, city, pref), roles: {}, groups: {}, s: 0, gun: gun, pn: pref[2]
      };
      place.forms = place.k.filter(isTextForm);
      self.places.push(place);
      self.byCode[code] = place;
      place.k.forEach(function (key) { (self.byKey[key] = self.byKey[key] || []).push(place); });
      [name, local, gun].forEach(function (text) {
        if (!text) { return; }
        var folded = foldText(text);
        (self.owners[folded] = self.owners[folded] || {})[kind === "p" ? "" : code.slice(0, 2)] = true;
      });
    });
    this.names = sortedKeys(this.owners);
    // a successor's row ends with the names of the municipalities it took in (placebook.former_names)
    this.formers = [];
    this.formerByKey = {};
    data.places.forEach(function (row) {
      (row.length > 7 ? row[7].split(" ") : []).forEach(function (name) { self.addFormer(name, self.byCode[row[0]]); });
    });
  }
  function formerKeys(name, pref) {
    var keys = {};
    ["", pref].forEach(function (before) { ["", "旧"].forEach(function (old) { keys[foldText(before + old + name)] = true; }); });
    return sortedKeys(keys);
  }
  var FORMER_LABELS = { "市": "旧市名", "町": "旧町名", "村": "旧村名" };
  function formerLabel(name, place) { return name + " → " + place.n + "(" + (FORMER_LABELS[name[name.length - 1]] || "旧名") + ")"; }
  PlaceBook.prototype.addFormer = function (name, successor) {
    var self = this;
    var entry = { f: name, to: successor, n: formerLabel(name, successor), k: formerKeys(name, successor.pn) };
    this.formers.push(entry);
    entry.k.forEach(function (key) { (self.formerByKey[key] = self.formerByKey[key] || []).push(entry); });
  };
  PlaceBook.prototype.blockers = function (place) {
    if (!place.b) {
      var self = this;
      var found = {};
      place.forms.forEach(function (form) {
        self.names.forEach(function (name) {
          if (name.indexOf(form) < 0 || name === form || place.own.indexOf(name) >= 0) { return; }
          var owners = Object.keys(self.owners[name]);
          if (place.kind === "p" && owners.length === 1 && owners[0] === place.p) { return; }
          found[name] = true;
        });
      });
      place.b = sortedKeys(found);
    }
    return place.b;
  };
  PlaceBook.prototype.containing = function (text) {
    if (!this.containingCache.hasOwnProperty(text)) {
      this.containingCache[text] = this.names.filter(function (name) { return name.indexOf(text) >= 0 && name !== text; });
    }
    return this.containingCache[text];
  };

  // --- the index, ready to answer (site/query.py: Index) --------------------------------------
  var ROLE_LABELS = [["c", "現在の関係自治体"], ["p", "過去の関係自治体"], ["m", "備考"]];
  var TEXT_LABEL = "事業名・事業内容";
  var WORD_FIELDS = [["t", "事業名"], ["b", "所管局"], ["f", "分野"], ["d", "事業内容"], ["m", "備考"], ["o", "関係自治体"], ["e", "注記"]];
  var PLACE_TEXT_FIELDS = [["t", TEXT_LABEL], ["d", TEXT_LABEL], ["m", "備考"]];
  var RANK = { named: 4, text: 3, word: 2, group: 1 };
  var PARTS = ["named", "text", "word", "group"];
  var FILTERS = { year: "y", field: "f", bureau: "b", pref: "g", status: "s" };
  var JOIN_UP_TO = 3;
  var NEAR_LIMIT = 5;
  var KIND_ORDER = { p: 0, c: 1, s: 1, t: 2, v: 2, w: 3 };

  function inverted(table) {
    var out = {};
    Object.keys(table || {}).forEach(function (code) {
      table[code].forEach(function (item) { (out[item] = out[item] || []).push(code); });
    });
    return out;
  }
  function member(ranges, code) { return ranges.some(function (r) { return r[0] <= code && code <= r[1]; }); }
  function compare(a, b) {
    for (var i = 0; i < a.length; i++) {
      if (a[i] !== b[i]) { return a[i] < b[i] ? -1 : 1; }
    }
    return 0;
  }
  function placeOrder(place) { return [KIND_ORDER[place.kind], -place.s, place.c]; }

  function Index(data, dictionary) {
    var self = this;
    this.data = data;
    this.items = data.items;
    this.folded = data.items.map(function (item) {
      var folded = {};
      WORD_FIELDS.forEach(function (f) {
        var value = item[f[0]] === undefined ? "" : item[f[0]];
        folded[f[0]] = foldText(Array.isArray(value) ? value.join(" ") : String(value));
      });
      // what every field holds, for a quick "not here" before the fields one by one; the reading's
      // words joined, and where each starts
      folded.all = WORD_FIELDS.map(function (f) { return folded[f[0]]; }).join("\n");
      folded.reading = item.k.split(" ").join("");
      folded.starts = {};
      var at = 0;
      item.k.split(" ").forEach(function (piece) { folded.starts[at] = true; at += piece.length; });
      return folded;
    });
    this.book = new PlaceBook(dictionary);
    this.places = this.book.places;
    this.byKey = this.book.byKey;
    Object.keys(data.places).forEach(function (code) {
      var place = self.book.byCode[code], known = data.places[code];
      place.roles = inverted(known.x);
      place.groups = inverted(known.v);
      place.s = known.s || 0;
    });
    var labels = sortedKeys(data.groups);
    this.places.forEach(function (place) {
      if (place.kind === "p") { return; }
      labels.forEach(function (label) {
        var ranges = data.groups[label].m;
        if (member(ranges, place.c) || (place.parent && member(ranges, place.parent))) {
          data.groups[label].i.forEach(function (item) { (place.groups[item] = place.groups[item] || []).push(label); });
        }
      });
    });
    this.spellings = {};
    Object.keys(data.spellings).forEach(function (key) {
      self.spellings[key] = data.spellings[key].map(function (code) { return self.book.byCode[code]; });
    });
  }
  // The places a term names: by today's names first, then as a former name (浦和市).
  Index.prototype.term = function (text) {
    var key = termKey(text.split(" ").join(""));
    var places = (this.byKey[key] || []).slice();
    var former = {};
    (this.book.formerByKey[key] || []).forEach(function (entry) {
      var code = entry.to.c;
      if (former.hasOwnProperty(code) || places.some(function (p) { return p.c === code; })) { return; }
      places.push(entry.to);
      former[code] = entry.f;
    });
    var spelled = !places.length && this.spellings.hasOwnProperty(key);
    if (spelled) { places = this.spellings[key].slice(); }
    var prefs = {};
    places.forEach(function (p) { prefs[p.p] = true; });
    return {
      text: text, key: key, places: places, spelled: spelled, former: former,
      ambiguous: Object.keys(prefs).length > 1 || Object.keys(former).length > 1,
      label: function (place) { return former.hasOwnProperty(place.c) ? formerLabel(former[place.c], place) : place.n; }
    };
  };
  Index.prototype.namesPlace = function (text) {
    var key = termKey(text);
    return this.byKey.hasOwnProperty(key) || this.book.formerByKey.hasOwnProperty(key) || this.spellings.hasOwnProperty(key);
  };
  Index.prototype.terms = function (query) {
    var words = query.trim().split(/[\s\u3000]+/).filter(function (t) { return t && termKey(t); });
    var terms = [];
    for (var i = 0; i < words.length;) {
      var size = 1;
      for (var n = Math.min(JOIN_UP_TO, words.length - i); n > 1; n--) {
        if (this.namesPlace(words.slice(i, i + n).join(""))) { size = n; break; }
      }
      terms.push(this.term(words.slice(i, i + size).join(" ")));
      i += size;
    }
    return terms;
  };
  Index.prototype.matchPlace = function (item, term) {
    var self = this;
    var roles = term.places.map(function (p) { return (p.roles[item] || []).join(""); }).join("");
    if (roles) {
      return ["named", ROLE_LABELS.filter(function (r) { return roles.indexOf(r[0]) >= 0; }).map(function (r) { return r[1]; })];
    }
    var texts = this.folded[item];
    var somewhere = term.places.some(function (p) { return p.forms.some(function (form) { return texts.all.indexOf(form) >= 0; }); });
    for (var i = 0; somewhere && i < PLACE_TEXT_FIELDS.length; i++) {
      var field = PLACE_TEXT_FIELDS[i];
      var hit = term.places.some(function (p) {
        return p.forms.some(function (form) { return foundOutside(texts[field[0]], form, self.book.blockers(p)); });
      });
      if (hit) { return ["text", [field[1]]]; }
    }
    var word = this.matchAsWord(item, term);
    if (word) { return ["word", [word + "(語として)"]]; }
    var groups = [];
    term.places.forEach(function (p) { (p.groups[item] || []).forEach(function (g) { if (groups.indexOf(g) < 0) { groups.push(g); } }); });
    return groups.length ? ["group", [groups.join("・") + "を通じて"]] : null;
  };
  Index.prototype.matchAsWord = function (item, term) {
    var needle = foldText(term.text);
    if (isRomaji(term.text) || KANA.test(needle)) { return ""; }
    var texts = this.folded[item];
    if (texts.all.indexOf(needle) < 0) { return ""; }
    var blockers = this.book.containing(needle);
    for (var i = 0; i < WORD_FIELDS.length; i++) {
      if (foundOutside(texts[WORD_FIELDS[i][0]], needle, blockers)) { return WORD_FIELDS[i][1]; }
    }
    return "";
  };
  Index.prototype.matchWord = function (item, term) {
    var texts = this.folded[item];
    var entry = this.items[item];
    var needle = foldText(term.text);
    for (var i = 0; texts.all.indexOf(needle) >= 0 && i < WORD_FIELDS.length; i++) {
      if (texts[WORD_FIELDS[i][0]].indexOf(needle) >= 0) { return ["named", [WORD_FIELDS[i][1]]]; }
    }
    for (var at = texts.reading.indexOf(needle); at >= 0; at = texts.reading.indexOf(needle, at + 1)) {
      if (texts.starts[at]) { return ["named", ["よみ"]]; }
    }
    if (isRomaji(term.text) && term.key.length > 1 && entry.r.indexOf(term.key) >= 0) { return ["named", ["ローマ字"]]; }
    return null;
  };
  // Every project the terms match, with its part (named / text / word / group) and reasons; no filters.
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
    var answer = { terms: found.terms };
    PARTS.forEach(function (part) { answer[part] = []; });
    found.hits.forEach(function (hit) {
      if (passes(self.items[hit.item], filters || {})) { answer[hit.part].push(hit); }
    });
    return answer;
  };
  // What a place no project names answers (site/query.py: place_note).
  Index.prototype.placeNote = function (place) {
    if (Object.keys(place.roles).length) { return ""; }
    var name = place.kind === "p" ? place.n : place.n.slice(place.pn.length) + "(" + place.pn + place.gun + ")";
    return name + ":この名前を挙げる事業はありません。グループを通じて含まれる事業 " + Object.keys(place.groups).length + "件";
  };
  Index.prototype.near = function (term) {
    var key = term.key;
    if (key.length < 2) { return []; }
    var found = {};
    var byKey = this.byKey;
    Object.keys(byKey).forEach(function (candidate) {
      var how = candidate.indexOf(key) === 0 ? 0 : oneEdit(key, candidate) ? 1 : -1;
      if (how < 0) { return; }
      byKey[candidate].forEach(function (place) {
        if (!found[place.c] || found[place.c][0] > how) { found[place.c] = [how, place]; }
      });
    });
    return Object.keys(found).map(function (c) { return found[c]; }).sort(function (a, b) {
      return compare([a[0]].concat(placeOrder(a[1])), [b[0]].concat(placeOrder(b[1])));
    }).slice(0, NEAR_LIMIT).map(function (f) { return f[1]; });
  };
  // Term text -> the places it may have meant, for an answer that found nothing (query.suggestions).
  Index.prototype.suggestions = function (answer) {
    var self = this;
    var out = {};
    if (PARTS.some(function (part) { return answer[part].length; })) { return out; }
    answer.terms.forEach(function (t) {
      if (t.places.length) { return; }
      var near = self.near(t);
      if (near.length) { out[t.text] = near; }
    });
    return out;
  };
  function passes(entry, filters, skip) {
    return Object.keys(FILTERS).every(function (name) {
      var value = name === skip ? "" : filters[name];
      if (!value) { return true; }
      var have = entry[FILTERS[name]];
      return Array.isArray(have) ? have.indexOf(value) >= 0 : String(have) === value;
    });
  }
  // The one count beside a place (model.Catalogue.place_count), and what a place no project names shows.
  Index.prototype.placeDetail = function (place) {
    if (Object.keys(place.roles).length || place.kind === "p") { return "場所 · " + this.data.latest + "年度 関係自治体 " + place.s + "件"; }
    return "場所 · 名前を挙げる事業なし · グループを通じて " + Object.keys(place.groups).length + "件";
  };
  // Suggestions: places whose keys start with the last term (or the last words that name a
  // place together), and former names (after today's, labelled 「浦和市 → …(旧市名)」), each
  // as [label, place]; then projects the query finds.
  Index.prototype.suggest = function (query) {
    var terms = this.terms(query);
    var last = terms[terms.length - 1];
    var key = last ? last.key : "";
    if (!key) { return { places: [], projects: [] }; }
    function scored(entry, place, kind) {
      var exact = entry.k.indexOf(key) >= 0;
      var prefix = exact || entry.k.some(function (k) { return k.indexOf(key) === 0; });
      return prefix ? { found: [entry.n, place], score: [exact ? 0 : 1, kind, -place.s, entry.n] } : null;
    }
    var places = this.places.map(function (p) { return scored(p, p, p.kind === "p" ? 0 : 1); })
      .concat(this.book.formers.map(function (f) { return scored(f, f.to, 2); }))
      .filter(Boolean).sort(function (a, b) { return compare(a.score, b.score); }).slice(0, 6).map(function (s) { return s.found; });
    if (!places.length && last.spelled) { places = last.places.slice(0, 6).map(function (p) { return [p.n, p]; }); }
    var answer = this.search(query);
    var items = answer.named.concat(answer.text).map(function (h) { return h.item; });
    if (!items.length) {
      var needle = foldText(query.trim());
      items = this.folded.map(function (f, i) { return f.t.indexOf(needle) >= 0 ? i : -1; }).filter(function (i) { return i >= 0; });
    }
    return { places: places, projects: items.slice(0, 5) };
  };

  window.RenkeiSearch = { Index: Index, PlaceBook: PlaceBook, foldText: foldText, foldRomaji: foldRomaji, termKey: termKey };
  var root = document.body.getAttribute("data-root") || "";
  var index = null;
  function ready() {
    if (!index && window.RENKEI_SEARCH && window.RENKEI_PLACES) {
      index = new Index(window.RENKEI_SEARCH, window.RENKEI_PLACES);
      window.RenkeiSearch.index = index;
    }
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
    var wordPart = document.getElementById("word-part");
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
    function links(p, list, label) {
      list.forEach(function (place, i) {
        if (i) { p.appendChild(document.createTextNode("・")); }
        var a = el("a", "", label ? label(place) : place.n);
        a.href = root + place.u;
        p.appendChild(a);
      });
    }
    function showPlaces(answer) {
      places.textContent = "";
      var near = index.suggestions(answer);
      answer.terms.forEach(function (term) {
        if (!term.places.length) {
          if (!near[term.text]) { return; }
          var maybe = el("p", "near");
          maybe.appendChild(document.createTextNode("「" + term.text + "」に当たる場所・事業はありません。もしかして:"));
          links(maybe, near[term.text]);
          places.appendChild(maybe);
          return;
        }
        var p = el("p", term.ambiguous ? "ambiguous" : "");
        var how = term.spelled ? "は一覧の表記です。次の場所として探しています:" : term.ambiguous ? "は複数の場所に当たります(すべて含めています):" : ":";
        p.appendChild(document.createTextNode("「" + term.text + "」" + how));
        links(p, term.places, term.label);
        places.appendChild(p);
        term.places.forEach(function (place) {
          var note = index.placeNote(place);
          if (!note) { return; }
          var line = el("p", "place-note");
          var a = el("a", "", note);
          a.href = root + place.u;
          line.appendChild(a);
          places.appendChild(line);
        });
      });
    }
    function render() {
      var raw = q.value.trim();
      var chosen = chosenFilters();
      var matched = index.match(raw);
      var answer = index.search(raw, chosen, matched);
      updateCounts(matched, chosen);
      showPlaces(answer);
      list(results, answer.named, 200);
      status.textContent = answer.named.length + "件" + (answer.named.length > 200 ? "(先頭200件を表示)" : "");
      textPart.hidden = !answer.text.length;
      textPart.querySelector("h2").textContent = "事業名・事業内容に名前がある事業 " + answer.text.length + "件";
      list(textPart.querySelector("ol"), answer.text, 200);
      wordPart.hidden = !answer.word.length;
      wordPart.querySelector("h2").textContent = "場所の名前を語として含む事業 " + answer.word.length + "件";
      list(wordPart.querySelector("ol"), answer.word, 200);
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
      var index = input.getAttribute("data-index");
      // the place dictionary lies beside the index (site/plan.py); both are scripts, so they load from disk
      [index, index.replace(/search-index\.js$/, "place-dictionary.js")].forEach(function (src) {
        var script = document.createElement("script");
        script.src = src;
        script.onload = function () { if (ready()) { update(); } };
        document.head.appendChild(script);
      });
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
      found.places.forEach(function (found) {
        option(found[0], index.placeDetail(found[1]), root + found[1].u);
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
