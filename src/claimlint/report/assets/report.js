/* claimlint HTML report: draws the posts, highlights, filters and claim details from the JSON
   embedded in the page. Report text only ever reaches the page through textContent and text
   nodes, never innerHTML, so nothing a post or a registry entry says can become markup. */
(function () {
  "use strict";

  var DATA = JSON.parse(document.getElementById("claimlint-data").textContent);
  var SEVERITIES = ["error", "warning", "info"];
  var PLURAL = { error: "errors", warning: "warnings", info: "info" };
  var RANK = { info: 1, warning: 2, error: 3 };
  var F = DATA.findings;
  var P = DATA.posts;
  var shown = new Uint8Array(F.length);
  var state = {
    severity: new Set(SEVERITIES),
    rules: new Set(Object.keys(DATA.rules)),
    post: -1,
    hideClean: false
  };
  var views = [];
  var selected = null;

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function pill(severity, text) {
    return el("span", "pill sev-" + severity, text === undefined ? severity : text);
  }

  function plural(n, severity) {
    return n + " " + (n === 1 ? severity : PLURAL[severity]);
  }

  function link(href, text) {
    var a = el("a", null, text);
    a.href = href;
    a.target = "_blank";
    a.rel = "noopener noreferrer";
    return a;
  }

  /* The highest severity among the shown findings in ids, or null. */
  function topSeverity(ids) {
    var best = null;
    for (var k = 0; k < ids.length; k++) {
      var i = ids[k];
      if (shown[i] && (best === null || RANK[F[i].severity] > RANK[best])) best = F[i].severity;
    }
    return best;
  }

  /* Finding words take their own severity; the rest of a flagged claim's sentence a faint
     tint of it; claims with no finding at all a quiet colour; what filters hide goes grey. */
  function segmentClass(post, seg) {
    var severity = topSeverity(seg[2]);
    if (severity) return "hl sev-" + severity;
    if (seg[2].length) return "hl muted";
    var context = null;
    var flagged = false;
    for (var k = 0; k < seg[3].length; k++) {
      var claim = post.claims[seg[3][k]];
      if (!claim.findings.length) continue;
      flagged = true;
      var s = topSeverity(claim.findings);
      if (s && (context === null || RANK[s] > RANK[context])) context = s;
    }
    if (context) return "hl ctx-" + context;
    return flagged ? "hl muted" : "hl fair";
  }

  // -- posts ------------------------------------------------------------------------------

  function claimsText(post) {
    if (post.text === null) return "source text not kept";
    var fair = 0;
    for (var k = 0; k < post.claims.length; k++) if (!post.claims[k].findings.length) fair++;
    var n = post.claims.length;
    return n + (n === 1 ? " claim" : " claims") + " · " + fair + " with no finding";
  }

  function shell(i) {
    var post = P[i];
    var section = el("section", "post card");
    section.id = "post-" + i;
    section.dataset.post = String(i);
    var details = el("details");
    var summary = el("summary");
    var badges = el("span", "badges");
    summary.append(el("span", "post-path", post.path), badges,
                   el("span", "post-meta", claimsText(post)));
    var body = el("div", "post-body");
    details.append(summary, body);
    section.appendChild(details);
    details.addEventListener("toggle", function () {
      if (details.open) ensureDrawn(i);
    });
    return { section: section, details: details, body: body, badges: badges, marks: [],
             list: null, drawn: false, stale: false };
  }

  function drawSource(i, view) {
    var post = P[i];
    if (post.text === null) {
      view.body.appendChild(el("p", "no-source",
        "The source text of this file is not in the report; its findings are listed below."));
      return;
    }
    var pre = el("pre", "source");
    var text = post.text;
    var frag = document.createDocumentFragment();
    var pos = 0;
    view.marks = [];
    for (var k = 0; k < post.segments.length; k++) {
      var seg = post.segments[k];
      if (seg[0] > pos) frag.appendChild(document.createTextNode(text.slice(pos, seg[0])));
      var mark = el("mark", segmentClass(post, seg), text.slice(seg[0], seg[1]));
      mark.dataset.seg = String(k);
      mark.tabIndex = 0;
      mark.setAttribute("role", "button");
      frag.appendChild(mark);
      view.marks.push(mark);
      pos = seg[1];
    }
    if (pos < text.length) frag.appendChild(document.createTextNode(text.slice(pos)));
    pre.appendChild(frag);
    view.body.appendChild(pre);
  }

  function drawList(i, view) {
    var post = P[i];
    var list = el("ol", "finding-list");
    for (var k = 0; k < post.findings.length; k++) {
      var j = post.findings[k];
      if (!shown[j]) continue;
      var f = F[j];
      var row = el("li", "finding-row");
      row.dataset.f = String(j);
      row.tabIndex = 0;
      row.title = f.message;
      row.append(pill(f.severity), el("code", null, f.rule),
                 el("span", "loc", f.line + ":" + f.column), el("span", "msg", f.message));
      list.appendChild(row);
    }
    var node = list;
    if (!list.firstChild) {
      node = el("p", "empty-list", post.findings.length
        ? "No findings shown with the current filters."
        : "No findings in this post.");
    }
    if (view.list) view.body.replaceChild(node, view.list);
    else view.body.appendChild(node);
    view.list = node;
  }

  function ensureDrawn(i) {
    var view = views[i];
    if (!view.drawn) {
      drawSource(i, view);
      drawList(i, view);
      view.drawn = true;
      view.stale = false;
      markSelection();
    } else if (view.stale) {
      refresh(i);
    }
  }

  function refresh(i) {
    var view = views[i];
    var post = P[i];
    for (var k = 0; k < view.marks.length; k++) {
      view.marks[k].className = segmentClass(post, post.segments[k]);
    }
    drawList(i, view);
    view.stale = false;
    markSelection();
  }

  // -- filters and counts -----------------------------------------------------------------

  function readFilters() {
    var form = document.getElementById("filters");
    state.severity = new Set();
    state.rules = new Set();
    form.querySelectorAll("input[name=severity]").forEach(function (box) {
      if (box.checked) state.severity.add(box.value);
    });
    form.querySelectorAll("input[name=rule]").forEach(function (box) {
      if (box.checked) state.rules.add(box.value);
    });
    state.post = parseInt(form.elements.post.value, 10);
    state.hideClean = form.elements["hide-clean"].checked;
  }

  function zero() {
    return { error: 0, warning: 0, info: 0 };
  }

  var scales = {};
  document.querySelectorAll("table.summary").forEach(function (table) {
    var max = 0;
    table.querySelectorAll("td.total").forEach(function (cell) {
      max = Math.max(max, parseInt(cell.textContent, 10) || 0);
    });
    var row = table.querySelector("tr[data-kind]");
    if (row) scales[row.dataset.kind] = max;
  });

  function updateRow(row, counts) {
    var total = counts.error + counts.warning + counts.info;
    row.querySelector("td.shown").textContent = String(total);
    var scale = scales[row.dataset.kind];
    var unit = scale ? 100 / scale : 0;
    var x = 0;
    row.querySelectorAll("rect[data-severity]").forEach(function (rect) {
      var w = counts[rect.dataset.severity] * unit;
      rect.setAttribute("x", x.toFixed(3));
      rect.setAttribute("width", w.toFixed(3));
      x += w;
    });
  }

  function applyFilters() {
    var bySeverity = zero();
    var byRule = {};
    var byPost = P.map(zero);
    var total = 0;
    for (var j = 0; j < F.length; j++) {
      var f = F[j];
      var visible = state.severity.has(f.severity) && state.rules.has(f.rule) &&
                    (state.post < 0 || state.post === f.post);
      shown[j] = visible ? 1 : 0;
      if (!visible) continue;
      total++;
      bySeverity[f.severity]++;
      (byRule[f.rule] = byRule[f.rule] || zero())[f.severity]++;
      byPost[f.post][f.severity]++;
    }
    document.querySelectorAll("tr[data-kind]").forEach(function (row) {
      var key = row.dataset.key;
      var kind = row.dataset.kind;
      var counts = zero();
      if (kind === "severity") counts[key] = bySeverity[key];
      else if (kind === "rule") counts = byRule[key] || counts;
      else counts = byPost[parseInt(key, 10)];
      updateRow(row, counts);
    });
    var postsShown = 0;
    for (var i = 0; i < P.length; i++) {
      var view = views[i];
      var c = byPost[i];
      var n = c.error + c.warning + c.info;
      var hidden = (state.post >= 0 && state.post !== i) || (state.hideClean && n === 0);
      view.section.hidden = hidden;
      if (!hidden) postsShown++;
      view.badges.textContent = "";
      SEVERITIES.forEach(function (s) {
        if (c[s]) view.badges.appendChild(pill(s, plural(c[s], s)));
      });
      if (!n) view.badges.appendChild(el("span", "muted", P[i].findings.length
        ? "no findings shown" : "no findings"));
      if (view.drawn) {
        view.stale = true;
        if (view.details.open && !hidden) refresh(i);
      }
    }
    document.getElementById("shown-count").textContent = String(total);
    document.getElementById("shown-posts").textContent = String(postsShown);
    if (selected) drawDetail();
  }

  // -- selection and details --------------------------------------------------------------

  function intersects(list, set) {
    for (var k = 0; k < list.length; k++) if (set.has(list[k])) return true;
    return false;
  }

  function markSelection() {
    document.querySelectorAll("#post-list .selected").forEach(function (node) {
      node.classList.remove("selected");
    });
    if (!selected) return;
    var view = views[selected.post];
    var post = P[selected.post];
    var claims = new Set(selected.claims);
    var ids = new Set(selected.ids);
    for (var k = 0; k < view.marks.length; k++) {
      var seg = post.segments[k];
      var hit = claims.size ? intersects(seg[3], claims) : intersects(seg[2], ids);
      if (hit) view.marks[k].classList.add("selected");
    }
    if (view.list) {
      view.list.querySelectorAll(".finding-row").forEach(function (row) {
        if (ids.has(parseInt(row.dataset.f, 10))) row.classList.add("selected");
      });
    }
  }

  function select(i, claims, ids, scroll) {
    selected = { post: i, claims: claims, ids: ids };
    markSelection();
    drawDetail();
    if (scroll) {
      var first = views[i].section.querySelector("mark.selected");
      if (first) first.scrollIntoView({ block: "center" });
    }
  }

  function selectSegment(i, k) {
    var post = P[i];
    var seg = post.segments[k];
    var ids = new Set(seg[2]);
    seg[3].forEach(function (c) {
      post.claims[c].findings.forEach(function (j) { ids.add(j); });
    });
    select(i, seg[3].slice(), Array.from(ids).sort(function (a, b) { return a - b; }), false);
  }

  function selectFinding(j) {
    var post = P[F[j].post];
    var claims = [];
    post.claims.forEach(function (claim, c) {
      if (claim.findings.indexOf(j) >= 0) claims.push(c);
    });
    select(F[j].post, claims, [j], true);
  }

  function unique(values) {
    return Array.from(new Set(values.filter(function (v) { return v; })));
  }

  function meta(list, label, values) {
    if (!values.length) return;
    var item = el("span", null, label + ": ");
    item.appendChild(el("b", null, values.join(", ")));
    list.appendChild(item);
  }

  function references(ev) {
    var list = el("ol", "refs");
    ev.references.forEach(function (ref) {
      var item = el("li", null, ref.citation);
      if (ref.pmid) {
        item.appendChild(/^\d+$/.test(ref.pmid)
          ? link("https://pubmed.ncbi.nlm.nih.gov/" + ref.pmid + "/", "PMID\u00a0" + ref.pmid)
          : el("span", null, " PMID " + ref.pmid));
      }
      if (ref.doi) item.appendChild(link("https://doi.org/" + encodeURI(ref.doi), "doi:" + ref.doi));
      if (ref.url) {
        // Only web links become links: a javascript: or file: URL stays plain text.
        item.appendChild(/^https?:\/\//i.test(ref.url) ? link(ref.url, ref.url)
                                                        : el("span", null, " " + ref.url));
      }
      list.appendChild(item);
    });
    return list;
  }

  function findingCard(j) {
    var f = F[j];
    var post = P[f.post];
    var rule = DATA.rules[f.rule] || {};
    var card = el("article", "finding-card sev-" + f.severity);
    card.dataset.f = String(j);
    var head = el("div", "card-head");
    var name = el("span", "rule", f.rule + (f.name ? " " + f.name : ""));
    if (rule.summary) name.title = rule.summary;
    head.append(pill(f.severity), name);
    var where = el("p", "card-loc", "Line " + f.line + ", column " + f.column);
    if (post.text !== null && f.span && f.span[1] > f.span[0]) {
      where.appendChild(document.createTextNode(" · flagged words "));
      where.appendChild(el("q", null, post.text.slice(f.span[0], f.span[1])));
    }
    card.append(head, where, el("p", "message", f.message));
    if (f.evidence !== null && f.evidence !== undefined) {
      var ev = DATA.evidence[f.evidence];
      var section = el("section", "evidence");
      section.appendChild(el("h4", null, "Evidence"));
      var grade = el("p");
      var gradeText = ev.grade + " evidence";
      grade.append(el("span", "grade", gradeText.charAt(0).toUpperCase() + gradeText.slice(1)),
                   document.createTextNode(" · " + ev.confidence + " confidence"));
      section.append(grade, el("p", null, ev.summary));
      if (ev.references.length) {
        section.append(el("h4", null, "References"), references(ev));
      }
      card.appendChild(section);
    }
    if (f.suggestion) {
      card.append(el("h4", null, "Suggested wording"), el("p", "suggestion", f.suggestion));
    }
    if (f.registry_id) {
      var reg = el("div", "registry", "Registry entry: ");
      reg.appendChild(el("code", null, f.registry_id));
      card.appendChild(reg);
    }
    return card;
  }

  function drawDetail() {
    var aside = document.getElementById("detail");
    aside.textContent = "";
    var post = P[selected.post];
    var claims = selected.claims.map(function (c) { return post.claims[c]; });
    var ids = selected.ids;
    var first = claims.length ? claims[0] : null;
    var line = first ? first.line : (ids.length ? F[ids[0]].line : null);
    aside.appendChild(el("div", "detail-path", post.path + (line ? " · line " + line : "")));
    var quote = "";
    if (first && post.text !== null) quote = post.text.slice(first.start, first.end);
    else if (ids.length) quote = F[ids[0]].sentence || F[ids[0]].message;
    aside.appendChild(el("blockquote", "claim-text", quote.replace(/\s+/g, " ").trim()));
    if (claims.length) {
      var list = el("div", "claim-meta");
      meta(list, "Topic", unique(claims.map(function (c) { return c.topic; })));
      meta(list, "Certainty", unique(claims.map(function (c) { return c.certainty; })));
      meta(list, "Registry entry", unique(claims.map(function (c) { return c.registry_id; })));
      aside.appendChild(list);
    }
    if (!ids.length) {
      aside.appendChild(el("p", "fair-note",
        "No finding for this claim: its wording stays within what the registry and the " +
        "language rules allow."));
      return;
    }
    var hidden = 0;
    ids.forEach(function (j) {
      if (shown[j]) aside.appendChild(findingCard(j));
      else hidden++;
    });
    if (hidden) {
      aside.appendChild(el("p", "hidden-note", hidden === 1
        ? "1 more finding is hidden by the filters."
        : hidden + " more findings are hidden by the filters."));
    }
  }

  // -- wiring -----------------------------------------------------------------------------

  var postList = document.getElementById("post-list");
  var frag = document.createDocumentFragment();
  for (var i = 0; i < P.length; i++) {
    views.push(shell(i));
    frag.appendChild(views[i].section);
  }
  postList.appendChild(frag);

  function activate(target) {
    var section = target.closest(".post");
    if (!section) return false;
    var mark = target.closest("mark.hl");
    if (mark) {
      selectSegment(parseInt(section.dataset.post, 10), parseInt(mark.dataset.seg, 10));
      return true;
    }
    var row = target.closest(".finding-row");
    if (row) {
      selectFinding(parseInt(row.dataset.f, 10));
      return true;
    }
    return false;
  }

  postList.addEventListener("click", function (event) { activate(event.target); });
  postList.addEventListener("keydown", function (event) {
    if ((event.key === "Enter" || event.key === " ") && activate(event.target)) {
      event.preventDefault();
    }
  });

  var form = document.getElementById("filters");
  form.addEventListener("change", function () {
    readFilters();
    applyFilters();
  });
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  form.addEventListener("reset", function () {
    // The reset itself happens after this event; read the fields once it has.
    setTimeout(function () {
      readFilters();
      applyFilters();
    }, 0);
  });
  form.querySelectorAll("button[data-rules]").forEach(function (button) {
    button.addEventListener("click", function () {
      var on = button.dataset.rules === "all";
      form.querySelectorAll("input[name=rule]").forEach(function (box) { box.checked = on; });
      readFilters();
      applyFilters();
    });
  });

  function setOpen(open) {
    views.forEach(function (view) {
      if (!view.section.hidden) view.details.open = open;
    });
  }
  document.getElementById("expand-all").addEventListener("click", function () { setOpen(true); });
  document.getElementById("collapse-all").addEventListener("click", function () {
    setOpen(false);
  });

  function openPost(i) {
    var view = views[i];
    if (!view) return;
    if (view.section.hidden) {
      form.elements.post.value = String(i);
      readFilters();
      applyFilters();
    }
    view.details.open = true;
    ensureDrawn(i);
  }

  document.querySelectorAll("a.post-link").forEach(function (a) {
    a.addEventListener("click", function () {
      openPost(parseInt(a.getAttribute("href").slice(6), 10));
    });
  });

  readFilters();
  applyFilters();
  if (DATA.open_posts) {
    views.forEach(function (view, k) {
      view.details.open = true;
      ensureDrawn(k);
    });
  }
  var hash = /^#post-(\d+)$/.exec(window.location.hash);
  if (hash) openPost(parseInt(hash[1], 10));
  document.body.classList.add("ready");
})();
