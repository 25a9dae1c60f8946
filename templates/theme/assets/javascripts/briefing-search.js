// The site's search, in Material's search box and result list (partials/search.html).
//
// Over http(s) it asks Pagefind (pagefind/pagefind.js, written by briefing/web/search.py),
// which loads only the index chunks and result fragments a query needs. Opened from file://
// (the offline copy, briefing/web/offline.py) a browser refuses those fetches, so it loads
// the copy's own small index, assets/javascripts/offline-index.js, with a <script> element.
// Every title and excerpt is put on the page as text, never as HTML.
(function () {
  "use strict";
  var box = document.querySelector("[data-bf-search]");
  var config = document.getElementById("__config");
  if (!box || !config) return;
  var input = box.querySelector(".md-search__input");
  var meta = box.querySelector(".md-search-result__meta");
  var list = box.querySelector(".md-search-result__list");
  var toggle = document.getElementById("__search");
  var root = new URL(JSON.parse(config.textContent).base + "/", location.href);
  var offline = location.protocol === "file:";
  var SHOWN = 10;
  var RANKED = 20;
  var engine = null;
  var latest = 0;
  var busy = false;

  // The index is in parts (briefing/web/shards.py): pagefind/ for the pages outside the
  // sheets' folders, which merges the parts listed in pagefind/shards.json (a kind's pages
  // in one part or a few: actors/, or actors-1/, actors-2/ ...).
  function pagefind() {
    if (!engine) {
      var options = { baseUrl: root.pathname, excerptLength: 24 };
      var parts = fetch(new URL("pagefind/shards.json", root).href).then(function (r) {
        if (!r.ok) throw new Error("pagefind/shards.json: " + r.status);
        return r.json();
      });
      engine = import(new URL("pagefind/pagefind.js", root).href).then(function (pf) {
        return pf.options(options).then(function () { return parts; }).then(function (names) {
          return Promise.all(names.map(function (name) {
            return pf.mergeIndex(new URL("pagefind/" + name + "/", root).pathname, options);
          }));
        }).then(function () { return pf; });
      });
    }
    return engine;
  }

  function offlineIndex() {
    if (!engine) {
      engine = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = new URL("assets/javascripts/offline-index.js", root).href;
        script.onload = function () { resolve(window.__briefingOfflineIndex || []); };
        script.onerror = reject;
        document.head.appendChild(script);
      });
    }
    return engine;
  }

  // Words of a text, lowercased.
  function words(text) {
    return text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  }

  // Whether a query word matches a word of a text: a word of one or two letters only as a
  // whole word (so "Un" does not match "United"), a longer one also as its start, for the
  // last word being typed.
  function matcher(term, last) {
    return function (word) {
      return word === term || (last && term.length > 2 && word.indexOf(term) === 0);
    };
  }

  function allMatch(terms, textWords) {
    return terms.every(function (term, i) {
      return textWords.some(matcher(term, i === terms.length - 1));
    });
  }

  // A sheet's heading reads "Kind: Name, also called A, B; other names (editorial, ...): C":
  // its names are the parts between those marks.
  function names(title) {
    return title.split(/[,;:]/).map(function (part) {
      return words(part.replace(/^\s*also called\s+/i, "")).join(" ");
    });
  }

  // Pagefind and the offline index rank by how often and where the words occur; on top of
  // that a page named by the query comes first (a name or alias, editorial ones included),
  // then pages whose title holds every word, then pages whose text does, then the rest
  // (matched only through a short word as the start of longer ones).
  function tier(terms, hit) {
    if (names(hit.title).indexOf(terms.join(" ")) >= 0) return 0;
    if (allMatch(terms, words(hit.title))) return 1;
    if (allMatch(terms, words(hit.text))) return 2;
    return 3;
  }

  function rerank(query, hits) {
    var terms = words(query);
    hits.forEach(function (hit, i) {
      hit.tier = tier(terms, hit);
      hit.order = i;
    });
    return hits.sort(function (a, b) { return a.tier - b.tier || a.order - b.order; });
  }

  function offlineSearch(entries, query) {
    var terms = words(query);
    var found = [];
    entries.forEach(function (entry) {
      var title = words(entry[1]);
      var body = words(entry[2]);
      var score = 0;
      for (var i = 0; i < terms.length; i++) {
        var match = matcher(terms[i], i === terms.length - 1);
        var inTitle = title.filter(match).length;
        var inBody = body.filter(match).length;
        if (!inTitle && !inBody) return;
        score += 10 * inTitle + Math.min(inBody, 5) / (1 + body.length / 400);
      }
      found.push({ score: score * entry[3], url: entry[0], title: entry[1], text: entry[2] });
    });
    found.sort(function (a, b) { return b.score - a.score || (a.url < b.url ? -1 : 1); });
    return rerank(query, found).map(function (hit) {
      var at = Math.max(0, hit.text.toLowerCase().indexOf(terms[0] || ""));
      var start = Math.max(0, at - 60);
      return {
        url: new URL(hit.url, root).href,
        title: hit.title,
        excerpt: (start ? "… " : "") + hit.text.slice(start, start + 160) + " …",
      };
    });
  }

  // Pagefind's excerpt marks matches with <mark>: keep its text and those marks, nothing else.
  function excerptNodes(html) {
    var parsed = new DOMParser().parseFromString(html, "text/html").body;
    var nodes = [];
    parsed.childNodes.forEach(function (node) {
      if (node.nodeName === "MARK") {
        var mark = document.createElement("mark");
        mark.textContent = node.textContent;
        nodes.push(mark);
      } else {
        nodes.push(document.createTextNode(node.textContent));
      }
    });
    return nodes;
  }

  function show(results, total) {
    list.textContent = "";
    meta.textContent =
      total === 0 ? "No matching documents" : total === 1 ? "1 matching document" : total + " matching documents";
    results.forEach(function (result) {
      var item = document.createElement("li");
      item.className = "md-search-result__item";
      var link = document.createElement("a");
      link.className = "md-search-result__link";
      link.href = result.url;
      link.tabIndex = -1;
      var article = document.createElement("article");
      article.className = "md-search-result__article md-typeset";
      var title = document.createElement("h1");
      title.textContent = result.title;
      var text = document.createElement("p");
      (result.excerptHtml ? excerptNodes(result.excerptHtml) : [document.createTextNode(result.excerpt || "")])
        .forEach(function (node) { text.appendChild(node); });
      article.appendChild(title);
      article.appendChild(text);
      link.appendChild(article);
      item.appendChild(link);
      list.appendChild(item);
    });
  }

  function run() {
    var query = input.value.trim();
    var ticket = ++latest;
    if (!query) {
      list.textContent = "";
      meta.textContent = "Type to start searching";
      return;
    }
    if (offline) {
      offlineIndex().then(function (entries) {
        if (ticket !== latest) return;
        var hits = offlineSearch(entries, query);
        show(hits.slice(0, SHOWN), hits.length);
      });
      return;
    }
    // One Pagefind search at a time: keys typed while one runs are searched together after
    // it, so a fast typist's last word does not wait behind a search for every letter.
    if (busy) return;
    busy = true;
    pagefind()
      .then(function (pf) { return pf.search(query); })
      .then(function (search) {
        if (ticket !== latest) return null;
        // The best RANKED by Pagefind's score are loaded (a small fragment each) and ranked
        // again by names (rerank); the rest keep Pagefind's order below them.
        var best = search.results.slice(0, RANKED);
        return Promise.all(best.map(function (r) { return r.data(); })).then(function (data) {
          if (ticket !== latest) return;
          var hits = data.map(function (d) {
            return {
              url: d.url,
              title: d.meta.title || d.url,
              text: d.content || "",
              excerptHtml: d.excerpt,
            };
          });
          show(rerank(query, hits).slice(0, SHOWN), search.results.length);
        });
      })
      .catch(function (error) {
        meta.textContent = "Search is not available here";
        throw error;
      })
      .finally(function () {
        busy = false;
        if (ticket !== latest) run();
      });
  }

  input.addEventListener("focus", function () {
    if (toggle) toggle.checked = true;
    if (offline) offlineIndex(); else pagefind();
  });
  input.addEventListener("input", run);
  input.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      if (toggle) toggle.checked = false;
      input.blur();
    } else if (event.key === "Enter") {
      event.preventDefault();
      var first = list.querySelector("a");
      if (first) location.href = first.href;
    }
  });
  box.querySelector("form").addEventListener("reset", function () {
    setTimeout(run, 0);
  });
})();
