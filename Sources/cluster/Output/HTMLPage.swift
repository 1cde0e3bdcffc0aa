/// The fixed parts of the HTML report: markup, style and script, with no input text in them.
///
/// ``HTMLReport`` writes ``head``, the data blob, then ``tail``. The script reads the blob with
/// `JSON.parse` and builds every element from it with `createElement` and `textContent` (never
/// `innerHTML`), so no text from the input is ever parsed as markup. Links are made only from
/// `http:` and `https:` addresses. The Content-Security-Policy allows the inline style and
/// script and nothing else: the page fetches nothing.
enum HTMLPage {
  static let head = #"""
    <!DOCTYPE html>
    <html lang="en">
    <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <meta http-equiv="Content-Security-Policy"
      content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
    <title>StoryCluster report</title>
    <style>
    \#(style)
    </style>
    </head>
    <body>
    <header>
      <h1>StoryCluster report</h1>
      <p class="counts"><span id="count-articles" class="count">0</span> articles ·
        <span id="count-stories" class="count">0</span> stories ·
        <span id="count-pairs" class="count">0</span> pairs
        <span id="count-skipped" class="muted"></span></p>
      <p id="settings" class="muted"></p>
      <p id="caps" class="muted"></p>
      <nav>
        <button type="button" data-tab="stories" class="tab active">Stories</button>
        <button type="button" data-tab="pairs" class="tab">Pairs</button>
        <button type="button" data-tab="timeline" class="tab">Timeline</button>
      </nav>
    </header>
    <main>
    <section id="tab-stories">
      <form id="filters" autocomplete="off">
        <label>Term <input id="filter-term" type="search" placeholder="label term or title"></label>
        <label class="sources">Source <select id="filter-source"><option value="">any</option></select></label>
        <label>Minimum size <input id="filter-size" type="number" min="1" value="1"></label>
        <span id="filter-count" class="muted"></span>
      </form>
      <div class="split">
        <div class="list">
          <table id="story-list">
            <thead><tr><th>#</th><th>size</th><th class="dates">dates</th><th class="sources">sources</th><th>label</th>
              <th>representative</th></tr></thead>
            <tbody></tbody>
          </table>
          <button type="button" id="more-stories" class="more" hidden></button>
        </div>
        <aside id="story-detail"><p class="muted">Click a story to open it.</p></aside>
      </div>
    </section>
    <section id="tab-pairs" hidden>
      <p id="pairs-note" class="muted"></p>
      <div class="pager">
        <label>Kind <select id="pair-kind"><option value="">any</option></select></label>
        <button type="button" id="pairs-prev">‹ previous</button>
        <span id="pairs-page"></span>
        <button type="button" id="pairs-next">next ›</button>
      </div>
      <table id="pair-list">
        <thead><tr><th>rank</th><th>score</th><th>kind</th><th>stories</th><th>first article</th>
          <th>second article</th><th>top shared terms</th></tr></thead>
        <tbody></tbody>
      </table>
    </section>
    <section id="tab-timeline" hidden>
      <p id="timeline-note" class="muted"></p>
      <div id="timeline"></div>
    </section>
    </main>
    <div id="pair-view" hidden>
      <div class="panel" role="dialog" aria-modal="true" aria-labelledby="pair-title">
        <button type="button" id="close-pair" aria-label="Close">×</button>
        <div id="pair-body"></div>
      </div>
    </div>

    """#

  static let tail = #"""
    <script>
    \#(script)
    </script>
    </body>
    </html>

    """#

  static let style = #"""
    :root { --ink: #1d2330; --muted: #5d6675; --line: #d9dde4; --accent: #1f5fbf;
      --mark: #ffe08a; --hot: #ffb347; --bg: #f6f7f9; }
    * { box-sizing: border-box; }
    body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif;
      color: var(--ink); background: var(--bg); }
    header { padding: 12px 20px 6px; background: #fff; border-bottom: 1px solid var(--line); }
    h1 { font-size: 20px; margin: 0 0 4px; }
    h2 { font-size: 17px; margin: 0 0 6px; }
    h3 { font-size: 14px; margin: 16px 0 6px; text-transform: uppercase; letter-spacing: .04em;
      color: var(--muted); }
    p { margin: 4px 0; }
    .muted { color: var(--muted); }
    .counts { font-size: 15px; }
    .count { font-weight: 600; }
    nav { margin-top: 8px; }
    .tab { border: 1px solid var(--line); background: #fff; padding: 5px 14px; cursor: pointer;
      border-radius: 4px 4px 0 0; font: inherit; }
    .tab.active { background: var(--accent); color: #fff; border-color: var(--accent); }
    main { padding: 12px 20px; }
    form#filters { display: flex; gap: 16px; align-items: center; flex-wrap: wrap;
      margin-bottom: 10px; }
    input, select { font: inherit; padding: 3px 6px; }
    #filter-size { width: 5em; }
    .split { display: grid; grid-template-columns: minmax(0, 11fr) minmax(0, 9fr); gap: 16px;
      align-items: start; }
    .list { background: #fff; border: 1px solid var(--line); }
    table { border-collapse: collapse; width: 100%; }
    th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--line);
      vertical-align: top; }
    th { background: #eef0f4; font-weight: 600; position: sticky; top: 0; }
    tbody tr.click { cursor: pointer; }
    tbody tr.click:hover { background: #eef4ff; }
    tr.selected { background: #dfe9fb !important; }
    td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
    td.nowrap { white-space: nowrap; }
    .chip { display: inline-block; background: #eef0f4; border-radius: 3px; padding: 0 5px;
      margin: 0 3px 2px 0; font-size: 12px; }
    .kind-exact { color: #8a1c1c; font-weight: 600; }
    .kind-near-duplicate { color: #a2540c; font-weight: 600; }
    .kind-related { color: #3a5a8c; }
    .more { display: block; width: 100%; padding: 6px; border: 0; border-top: 1px solid var(--line);
      background: #f1f4f9; cursor: pointer; font: inherit; color: var(--accent); }
    aside#story-detail { background: #fff; border: 1px solid var(--line); padding: 12px 14px;
      position: sticky; top: 8px; max-height: calc(100vh - 16px); overflow: auto; }
    .rep { color: #c08a00; }
    .pager { display: flex; gap: 10px; align-items: center; margin: 8px 0; }
    #tab-pairs table, #timeline { background: #fff; border: 1px solid var(--line); }
    #pair-view { position: fixed; inset: 0; background: rgba(20, 25, 35, .45); z-index: 10;
      overflow: auto; padding: 24px; }
    #pair-view .panel { background: #fff; max-width: 1200px; margin: 0 auto; padding: 16px 20px;
      border-radius: 6px; position: relative; }
    #close-pair { position: absolute; top: 8px; right: 12px; font-size: 22px; border: 0;
      background: none; cursor: pointer; }
    .sides { display: grid; grid-template-columns: 1fr 1fr; gap: 14px; }
    .side { border: 1px solid var(--line); padding: 8px 10px; max-height: 60vh; overflow: auto; }
    .side .text { white-space: pre-wrap; overflow-wrap: anywhere; }
    mark { background: var(--mark); border-radius: 2px; }
    mark.hot { background: var(--hot); }
    .bar { display: inline-block; height: 9px; background: var(--accent); vertical-align: middle;
      margin-right: 6px; }
    .explain p { margin: 3px 0; }
    .side-title { font-weight: 600; }
    table.terms { width: auto; min-width: 360px; }
    .clamp { display: -webkit-box; -webkit-line-clamp: 2; -webkit-box-orient: vertical;
      overflow: hidden; }
    .scroll { max-height: 32vh; overflow: auto; border: 1px solid var(--line); }
    body.no-dates .dates, body.no-sources .sources { display: none; }
    .verdict { font-weight: 600; }
    svg text { font: 11px system-ui, sans-serif; fill: var(--ink); }
    svg .story-bar { cursor: pointer; fill: var(--accent); opacity: .75; }
    svg .story-bar:hover { opacity: 1; }
    """#

  static let script = #"""
    (function () {
      'use strict';
      var D = JSON.parse(document.getElementById('report-data').textContent);
      var S = D.summary, C = D.caps, A = D.articles, ST = D.stories, P = D.pairs, V = D.views;
      var SVG = 'http://www.w3.org/2000/svg';
      var PAGE = 100;
      var hasDates = A.some(function (a) { return a[4] !== null; });
      var hasSources = A.some(function (a) { return a[2] !== null; });
      if (!hasDates) document.body.classList.add('no-dates');
      if (!hasSources) document.body.classList.add('no-sources');

      function $(id) { return document.getElementById(id); }
      function el(tag, cls, text) {
        var e = document.createElement(tag);
        if (cls) e.className = cls;
        if (text !== undefined && text !== null) e.textContent = String(text);
        return e;
      }
      function svg(tag, attrs) {
        var e = document.createElementNS(SVG, tag);
        for (var k in attrs) e.setAttribute(k, attrs[k]);
        return e;
      }
      function clear(e) { while (e.firstChild) e.removeChild(e.firstChild); }
      function fmt(n) { return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ','); }
      function day(ts) { return ts === null ? '' : new Date(ts * 1000).toISOString().slice(0, 10); }
      function f4(x) { return Number(x).toFixed(4); }
      function plural(n, one, many) { return fmt(n) + ' ' + (n === 1 ? one : many); }
      function isWeb(url) { return typeof url === 'string' && /^https?:\/\/[^\s]+$/i.test(url); }
      function cell(tr, text, cls) { var td = el('td', cls, text); tr.appendChild(td); return td; }
      function kindCell(tr, kind) { cell(tr, S.kinds[kind], 'nowrap kind-' + S.kinds[kind]); }

      // Per story: its date span and sources, computed once.
      var info = ST.map(function (s) {
        var first = null, last = null, counts = {}, names = [];
        s[3].forEach(function (row) {
          var a = A[row];
          if (a[4] !== null) {
            if (first === null || a[4] < first) first = a[4];
            if (last === null || a[4] > last) last = a[4];
          }
          if (a[2] !== null) {
            if (!Object.prototype.hasOwnProperty.call(counts, a[2])) { counts[a[2]] = 0; names.push(a[2]); }
            counts[a[2]] += 1;
          }
        });
        names.sort(function (x, y) { return counts[y] - counts[x] || (x < y ? -1 : x > y ? 1 : 0); });
        return { first: first, last: last, sources: names, counts: counts };
      });
      function span(i) {
        var x = info[i];
        if (x.first === null) return '';
        var a = day(x.first), b = day(x.last);
        return a === b ? a : a + ' – ' + b;
      }
      function sourceText(i) {
        var names = info[i].sources;
        if (names.length === 0) return '';
        return names.slice(0, 3).join(', ') + (names.length > 3 ? ' +' + (names.length - 3) : '');
      }

      // Header.
      function count(id, n) { $(id).textContent = fmt(n); $(id).setAttribute('data-value', n); }
      count('count-articles', S.articles);
      count('count-stories', S.stories);
      count('count-pairs', S.pairs);
      if (S.skipped > 0) $('count-skipped').textContent = '(' + plural(S.skipped, 'invalid record',
        'invalid records') + ' skipped, of ' + fmt(S.articles_in) + ' read)';
      $('settings').textContent = S.linkage + ' linkage at story similarity ' + f4(S.threshold) +
        (S.lift === null ? '' : ' = lift ' + S.lift.toFixed(2) + ' × background ' +
        f4(S.background)) + ' · pairs: ' + S.pair_score + ' score, cosine ≥ ' +
        S.pair_floor.toFixed(2) + ', near-duplicate ≥ ' + S.near_duplicate.toFixed(2);
      $('caps').textContent = 'This page lists ' + fmt(S.listed_pairs) + ' of the ' +
        fmt(S.pairs) + ' pairs (the best ' + fmt(C.ranked_pairs) + ' and the best ' +
        C.story_pairs + ' inside each story); ' + fmt(S.pair_views) +
        ' of them open side by side with their explanation (the best ' + C.views_per_story +
        ' of each story, largest stories first, up to ' + C.story_views + ', then the best ' +
        'overall, ' + C.views + ' in all; texts cut at ' + fmt(C.text_bytes) + ' bytes). ' +
        'Heatmaps show up to ' + C.heatmap_members + ' members. For every pair and all details: ' +
        'cluster run --format json, cluster explain A B.';

      // Tabs.
      var tabs = document.querySelectorAll('.tab');
      function showTab(name) {
        Array.prototype.forEach.call(tabs, function (t) {
          t.classList.toggle('active', t.getAttribute('data-tab') === name);
        });
        ['stories', 'pairs', 'timeline'].forEach(function (n) { $('tab-' + n).hidden = n !== name; });
        if (name === 'pairs' && !pairsDrawn) drawPairs();
        if (name === 'timeline' && !timelineDrawn) drawTimeline();
      }
      Array.prototype.forEach.call(tabs, function (t) {
        t.addEventListener('click', function () { showTab(t.getAttribute('data-tab')); });
      });

      // Story list, filtered and paged.
      var sources = [];
      (function () {
        var seen = {};
        A.forEach(function (a) {
          if (a[2] !== null && !Object.prototype.hasOwnProperty.call(seen, a[2])) {
            seen[a[2]] = true; sources.push(a[2]);
          }
        });
        sources.sort();
        sources.forEach(function (s) { var o = el('option', null, s); o.value = s;
          $('filter-source').appendChild(o); });
      })();
      var lowerTitles = null;
      var filtered = [], shown = 0, selected = -1;
      function applyFilters() {
        var term = $('filter-term').value.trim().toLowerCase();
        var source = $('filter-source').value;
        var minimum = parseInt($('filter-size').value, 10) || 1;
        if (term && lowerTitles === null) {
          lowerTitles = A.map(function (a) { return (a[1] + ' ' + a[0]).toLowerCase(); });
        }
        filtered = [];
        for (var i = 0; i < ST.length; i++) {
          var s = ST[i];
          if (s[3].length < minimum) continue;
          if (source && !Object.prototype.hasOwnProperty.call(info[i].counts, source)) continue;
          if (term && !s[1].some(function (t) { return t.indexOf(term) >= 0; }) &&
            !s[3].some(function (row) { return lowerTitles[row].indexOf(term) >= 0; })) continue;
          filtered.push(i);
        }
        shown = 0;
        clear(document.querySelector('#story-list tbody'));
        $('filter-count').textContent = plural(filtered.length, 'story', 'stories') + ' shown';
        moreStories();
        // Which filters the list shows now: lets a test wait for a debounced update.
        $('story-list').setAttribute('data-filter', term + '|' + source + '|' + minimum);
      }
      function moreStories() {
        var body = document.querySelector('#story-list tbody');
        var end = Math.min(filtered.length, shown + PAGE);
        for (var k = shown; k < end; k++) body.appendChild(storyRow(filtered[k]));
        shown = end;
        var rest = filtered.length - shown;
        $('more-stories').hidden = rest === 0;
        $('more-stories').textContent = 'Show ' + Math.min(PAGE, rest) + ' more (' + fmt(rest) +
          ' not shown)';
      }
      function storyRow(i) {
        var s = ST[i], tr = el('tr', 'click story-row');
        tr.setAttribute('data-story', i);
        if (i === selected) tr.classList.add('selected');
        cell(tr, '#' + s[0], 'num');
        cell(tr, s[3].length, 'num');
        cell(tr, span(i), 'nowrap dates');
        cell(tr, sourceText(i), 'sources');
        var label = cell(tr, '');
        s[1].slice(0, 6).forEach(function (t) { label.appendChild(el('span', 'chip', t)); });
        cell(tr, '').appendChild(el('span', 'clamp', A[s[2]][1]));
        tr.addEventListener('click', function () { openStory(i); });
        return tr;
      }
      var timer = null;
      function later() { clearTimeout(timer); timer = setTimeout(applyFilters, 150); }
      $('filter-term').addEventListener('input', later);
      $('filter-source').addEventListener('change', applyFilters);
      $('filter-size').addEventListener('input', later);
      $('filters').addEventListener('submit', function (e) { e.preventDefault(); applyFilters(); });
      $('more-stories').addEventListener('click', moreStories);

      // One story: members, its pairs and its heatmap.
      function openStory(i) {
        selected = i;
        Array.prototype.forEach.call(document.querySelectorAll('tr.story-row'), function (tr) {
          tr.classList.toggle('selected', Number(tr.getAttribute('data-story')) === i);
        });
        var s = ST[i], box = $('story-detail');
        clear(box);
        box.appendChild(el('h2', null, 'Story #' + s[0]));
        var meta = plural(s[3].length, 'article', 'articles');
        if (span(i)) meta += ' · ' + span(i);
        if (info[i].sources.length) meta += ' · ' + info[i].sources.map(function (n) {
          return n + ' (' + info[i].counts[n] + ')'; }).join(', ');
        box.appendChild(el('p', 'muted', meta));
        var label = el('p');
        s[1].forEach(function (t) { label.appendChild(el('span', 'chip', t)); });
        box.appendChild(label);

        box.appendChild(el('h3', null, 'Members'));
        var table = el('table', 'members'), body = el('tbody');
        var head = el('tr');
        [['', ''], ['title', ''], ['date', 'dates'], ['source', 'sources'], ['link', '']]
          .forEach(function (h) { head.appendChild(el('th', h[1], h[0])); });
        var thead = el('thead'); thead.appendChild(head); table.appendChild(thead);
        table.appendChild(body);
        var scroll = el('div', 'scroll');
        scroll.appendChild(table);
        var more = el('button', 'more');
        more.type = 'button';
        scroll.appendChild(more);
        box.appendChild(scroll);
        var listed = 0;
        function moreMembers() {
          var end = Math.min(s[3].length, listed + PAGE);
          for (var k = listed; k < end; k++) body.appendChild(memberRow(s, k));
          listed = end;
          more.hidden = listed === s[3].length;
          more.textContent = 'Show more members (' + fmt(s[3].length - listed) + ' not shown)';
        }
        more.addEventListener('click', moreMembers);
        moreMembers();

        if (s[3].length > 1) {
          box.appendChild(el('h3', null, 'Similarity heatmap'));
          var n = Math.min(s[3].length, C.heatmap_members);
          box.appendChild(el('p', 'muted', 'TF-IDF cosine of each two members (rows and columns ' +
            'are the member numbers above; darker is closer, white 0 to dark blue 1 on a ' +
            'square-root scale; hover a cell for its value)' + (n < s[3].length ? '; the first ' +
            n + ' of ' + fmt(s[3].length) + ' members are shown.' : '.')));
          box.appendChild(heatmap(s, n));
        }

        box.appendChild(el('h3', null, 'Pairs in this story'));
        if (s[5] === 0) {
          box.appendChild(el('p', 'muted', 'No two of its articles reach the pair floor.'));
        } else {
          box.appendChild(el('p', 'muted', plural(s[5], 'pair', 'pairs') + ' inside it' +
            (s[4].length < s[5] ? '; the best ' + s[4].length + ' are listed.' : '.') +
            ' Click one to compare the two texts.'));
          var pairs = el('table', 'story-pairs'), pbody = el('tbody');
          s[4].forEach(function (k) { pbody.appendChild(pairRow(k, false)); });
          pairs.appendChild(pbody);
          box.appendChild(pairs);
        }
        box.scrollTop = 0;
      }
      function memberRow(s, k) {
        var row = s[3][k], a = A[row], tr = el('tr', 'member');
        var mark = cell(tr, String(k + 1), 'num');
        if (row === s[2]) { mark.textContent = '★ ' + (k + 1); mark.title = 'representative'; }
        var title = cell(tr, a[1]);
        title.title = a[0];
        cell(tr, a[3] === null ? '' : a[3], 'nowrap dates');
        cell(tr, a[2] === null ? '' : a[2], 'sources');
        var link = cell(tr, '');
        if (isWeb(a[5])) {
          var anchor = el('a', null, 'open');
          anchor.href = a[5];
          anchor.target = '_blank';
          anchor.rel = 'noopener noreferrer';
          link.appendChild(anchor);
        } else if (a[5] !== null) {
          link.textContent = a[5];
        }
        return tr;
      }
      function shade(v) {
        var t = Math.sqrt(Math.max(0, Math.min(1, v / 1000)));
        var r = Math.round(247 + (8 - 247) * t), g = Math.round(251 + (48 - 251) * t);
        var b = Math.round(255 + (107 - 255) * t);
        return 'rgb(' + r + ',' + g + ',' + b + ')';
      }
      function heatmap(s, n) {
        var size = Math.max(6, Math.min(18, Math.floor(420 / n))), pad = 26;
        var box = svg('svg', { width: pad + n * size, height: pad + n * size, 'class': 'heatmap' });
        var values = s[6];
        function value(i, j) {
          if (i === j) return 1000;
          var x = Math.min(i, j), y = Math.max(i, j);
          return values[x * n - x * (x + 1) / 2 + (y - x - 1)];
        }
        for (var i = 0; i < n; i++) {
          if (n <= 20 || i % 5 === 4 || i === 0) {
            var t1 = svg('text', { x: pad - 4, y: pad + i * size + size * 0.75, 'text-anchor': 'end' });
            t1.textContent = String(i + 1);
            box.appendChild(t1);
            var t2 = svg('text', { x: pad + i * size + size / 2, y: pad - 6, 'text-anchor': 'middle' });
            t2.textContent = String(i + 1);
            box.appendChild(t2);
          }
          for (var j = 0; j < n; j++) {
            var v = value(i, j);
            var r = svg('rect', { x: pad + j * size, y: pad + i * size, width: size, height: size,
              fill: shade(v) });
            var tip = svg('title', {});
            tip.textContent = (i + 1) + ' × ' + (j + 1) + ': cosine ' + (v / 1000).toFixed(3) +
              '\n' + A[s[3][i]][1] + '\n' + A[s[3][j]][1];
            r.appendChild(tip);
            box.appendChild(r);
          }
        }
        return box;
      }

      // Pair rows (in a story and in the pairs tab) and the pair view.
      function pairRow(k, full) {
        var p = P[k], tr = el('tr', 'click pair-row');
        tr.setAttribute('data-pair', k);
        if (full) cell(tr, p[4], 'num');
        cell(tr, f4(p[2]), 'num');
        kindCell(tr, p[3]);
        if (full) {
          var sa = ST[A[p[0]][6]][0], sb = ST[A[p[1]][6]][0];
          cell(tr, sa === sb ? '#' + sa : '#' + sa + ' / #' + sb, 'nowrap');
        }
        cell(tr, '').appendChild(el('span', 'clamp', A[p[0]][1]));
        cell(tr, '').appendChild(el('span', 'clamp', A[p[1]][1]));
        if (full) {
          var terms = [];
          for (var t = 0; t < p[6].length; t += 2) terms.push(p[6][t]);
          cell(tr, terms.join(', '));
        }
        if (p[5] < 0) tr.title = 'no side-by-side view embedded for this pair';
        tr.addEventListener('click', function () { openPair(k); });
        return tr;
      }
      function side(row, segments, cut) {
        var box = el('div', 'side'), a = A[row];
        box.appendChild(el('div', 'side-title', a[1]));
        var meta = a[0] + (a[3] ? ' · ' + a[3] : '') + (a[2] ? ' · ' + a[2] : '');
        box.appendChild(el('div', 'muted', meta));
        var text = el('div', 'text');
        segments.forEach(function (g) {
          if (typeof g === 'string') { text.appendChild(document.createTextNode(g)); return; }
          var m = el('mark', 'passage', g[1]);
          m.setAttribute('data-passage', g[0]);
          text.appendChild(m);
        });
        box.appendChild(text);
        if (cut) box.appendChild(el('p', 'muted', '… (cut at ' + fmt(C.text_bytes) + ' bytes)'));
        return box;
      }
      function line(parent, text, cls) { parent.appendChild(el('p', cls, text)); }
      function explain(box, x) {
        var w = x.weight;
        var ex = el('div', 'explain');
        line(ex, 'cosine ' + f4(x.cosine) + ' · pair score ' + f4(x.pair_score) + ' (' +
          S.pair_score + ') · kind ' + (x.kind === null ? 'not reported (cosine below the pair floor)'
          : S.kinds[x.kind]));
        if (x.parts !== null) {
          // The blended pair score's parts (as `cluster explain` prints them).
          var first = x.parts[0] !== null ? 'word alignment ' + f4(x.parts[0]) :
            'words ' + f4(x.parts[1]);
          line(ex, 'pair score ' + f4(x.pair_score) + ' = (' + first + ' + characters ' +
            f4(x.parts[2]) + ') / 2 × numbers ' + f4(x.parts[3]));
        }
        if (x.is_link) {
          // The cosine part blends in the names cosine; the year factor applies when both
          // texts mention years (as `cluster explain` prints it).
          var e = x.names_weight;
          var part = x.names === null || e === 0 ? 'cosine ' + f4(x.cosine) : '(' +
            (1 - e).toFixed(2) + ' × cosine ' + f4(x.cosine) + ' + ' + e.toFixed(2) +
            ' × names ' + f4(x.names) + ')';
          var sum = (1 - w).toFixed(2) + ' × ' + part + ' × time decay ' + f4(x.decay) + ' (' +
            (x.days === null ? 'not both dated' : x.days.toFixed(2) + ' days apart') + ') + ' +
            w.toFixed(2) + ' × neighbourhood ' + f4(x.neighborhood);
          if (x.years !== null && x.year_penalty > 0) {
            sum = '[' + sum + '] × (1 − ' + x.year_penalty.toFixed(2) + ' × (1 − year overlap ' +
              f4(x.years) + '))';
          }
          line(ex, 'story similarity ' + f4(x.score) + ' = ' + sum);
        } else {
          line(ex, 'story similarity 0: not a link of the story graph (cosine below the graph ' +
            'floor ' + S.graph_floor.toFixed(2) + ' and no shared neighbours)');
        }
        line(ex, 'threshold ' + f4(x.threshold) + (S.lift === null ? '' : ' = lift ' +
          S.lift.toFixed(2) + ' × background ' + f4(x.background)) + ' (' + S.linkage +
          ' linkage): ' + (x.score >= x.threshold ? 'this link alone reaches it' :
          'this link alone does not'));
        if (x.same) {
          line(ex, 'SAME STORY #' + x.stories[0] + ', held together by this chain of links ' +
            '(its weakest link counts):', 'verdict');
          var ol = el('ol', 'chain');
          x.chain.forEach(function (l) { ol.appendChild(el('li', null, f4(l[2]) + '  ' + l[0] +
            ' — ' + l[1])); });
          ex.appendChild(ol);
        } else {
          line(ex, 'DIFFERENT STORIES #' + x.stories[0] + ' and #' + x.stories[1], 'verdict');
          if (x.linkage !== null) line(ex, 'their average story similarity ' + f4(x.linkage) +
            ' vs threshold ' + f4(x.threshold));
          line(ex, x.closest === null ? 'no link between them' : 'closest link ' +
            f4(x.closest[2]) + '  ' + x.closest[0] + ' — ' + x.closest[1]);
        }
        box.appendChild(ex);
      }
      function termsTable(box, terms) {
        var table = el('table', 'terms'), body = el('tbody');
        var top = terms.length ? terms[0][1] : 1;
        terms.forEach(function (t) {
          var tr = el('tr');
          cell(tr, t[0], 'term');
          var td = cell(tr, '');
          var bar = el('span', 'bar');
          bar.style.width = Math.max(2, Math.round(160 * t[1] / (top || 1))) + 'px';
          td.appendChild(bar);
          td.appendChild(document.createTextNode(t[1].toFixed(4)));
          body.appendChild(tr);
        });
        table.appendChild(body);
        box.appendChild(table);
      }
      function openPair(k) {
        var p = P[k], box = $('pair-body');
        clear(box);
        var title = el('h2', null, 'Pair ' + fmt(p[4]) + ' of ' + fmt(S.pairs) + ': score ' +
          f4(p[2]) + ', ');
        title.id = 'pair-title';
        title.appendChild(el('span', 'kind-' + S.kinds[p[3]], S.kinds[p[3]]));
        box.appendChild(title);
        if (p[5] < 0) {
          box.appendChild(el('p', null, A[p[0]][0] + ': ' + A[p[0]][1]));
          box.appendChild(el('p', null, A[p[1]][0] + ': ' + A[p[1]][1]));
          box.appendChild(el('h3', null, 'Top shared terms'));
          var terms = [];
          for (var t = 0; t < p[6].length; t += 2) terms.push([p[6][t], p[6][t + 1]]);
          termsTable(box, terms);
          box.appendChild(el('p', 'muted', 'This page embeds the texts and the explanation of ' +
            fmt(S.pair_views) + ' pairs only; for this one run: cluster explain ' + A[p[0]][0] +
            ' ' + A[p[1]][0] + ' PATH...'));
        } else {
          var v = V[p[5]];
          var sides = el('div', 'sides');
          sides.appendChild(side(p[0], v.a, v.cut[0]));
          sides.appendChild(side(p[1], v.b, v.cut[1]));
          box.appendChild(sides);
          sides.addEventListener('mouseover', function (e) { hot(e.target, true); });
          sides.addEventListener('mouseout', function (e) { hot(e.target, false); });
          box.appendChild(el('h3', null, 'Why: the explanation'));
          explain(box, v.why);
          box.appendChild(el('h3', null, 'Top shared terms (contribution to the cosine)'));
          termsTable(box, v.terms);
          box.appendChild(el('h3', null, 'Shared passages (' + v.passages.length +
            ', longest first, highlighted above)'));
          var ol = el('ol', 'passages');
          v.passages.forEach(function (g) { ol.appendChild(el('li', null, '[' + g[0] +
            ' words] ' + g[1])); });
          box.appendChild(ol);
        }
        $('pair-view').hidden = false;
        $('close-pair').focus();
      }
      function hot(target, on) {
        if (!target || target.tagName !== 'MARK') return;
        var id = target.getAttribute('data-passage');
        Array.prototype.forEach.call(document.querySelectorAll('#pair-body mark'), function (m) {
          if (m.getAttribute('data-passage') === id) m.classList.toggle('hot', on);
        });
      }
      function closePair() { $('pair-view').hidden = true; }
      $('close-pair').addEventListener('click', closePair);
      $('pair-view').addEventListener('click', function (e) {
        if (e.target === $('pair-view')) closePair();
      });
      document.addEventListener('keydown', function (e) { if (e.key === 'Escape') closePair(); });

      // The pairs tab: the listed pairs in rank order, a page at a time.
      var pairsDrawn = false, pairPage = 0, pairRows = [];
      (function () {
        S.kinds.forEach(function (k, i) { var o = el('option', null, k); o.value = String(i);
          $('pair-kind').appendChild(o); });
      })();
      function drawPairs() {
        pairsDrawn = true;
        var kind = $('pair-kind').value;
        pairRows = [];
        for (var k = 0; k < P.length; k++) {
          if (kind === '' || P[k][3] === Number(kind)) pairRows.push(k);
        }
        var pages = Math.max(1, Math.ceil(pairRows.length / PAGE));
        pairPage = Math.max(0, Math.min(pairPage, pages - 1));
        var body = document.querySelector('#pair-list tbody');
        clear(body);
        pairRows.slice(pairPage * PAGE, (pairPage + 1) * PAGE).forEach(function (k) {
          body.appendChild(pairRow(k, true));
        });
        $('pairs-page').textContent = 'page ' + (pairPage + 1) + ' of ' + pages + ' (' +
          plural(pairRows.length, 'pair', 'pairs') + ')';
        $('pairs-prev').disabled = pairPage === 0;
        $('pairs-next').disabled = pairPage >= pages - 1;
        $('pairs-note').textContent = fmt(S.pairs) + ' pairs in all, ranked by score; listed here: ' +
          fmt(P.length) + ' (the best ' + fmt(C.ranked_pairs) + ' and the best ' + C.story_pairs +
          ' inside each story). The full ranking: cluster run --format json.';
      }
      $('pair-kind').addEventListener('change', function () { pairPage = 0; drawPairs(); });
      $('pairs-prev').addEventListener('click', function () { pairPage -= 1; drawPairs(); });
      $('pairs-next').addEventListener('click', function () { pairPage += 1; drawPairs(); });

      // The timeline: the largest dated stories, by first date.
      var timelineDrawn = false;
      function drawTimeline() {
        timelineDrawn = true;
        var dated = [];
        for (var i = 0; i < ST.length; i++) if (info[i].first !== null) dated.push(i);
        var box = $('timeline');
        if (dated.length === 0) {
          $('timeline-note').textContent = 'No article has a date, so there is no timeline.';
          box.hidden = true;
          return;
        }
        var chosen = dated.slice().sort(function (x, y) {
          return ST[y][3].length - ST[x][3].length || x - y; }).slice(0, C.timeline_stories);
        chosen.sort(function (x, y) { return info[x].first - info[y].first || x - y; });
        $('timeline-note').textContent = (chosen.length < dated.length ? 'The ' + chosen.length +
          ' largest of the ' + fmt(dated.length) + ' dated stories' : 'All ' +
          plural(dated.length, 'dated story', 'dated stories')) + ', by first date; a bar runs ' +
          'from a story\'s first article to its last. Click one to open the story.';
        var low = Infinity, high = -Infinity;
        chosen.forEach(function (i) { low = Math.min(low, info[i].first);
          high = Math.max(high, info[i].last); });
        if (high - low < 86400) { high = low + 86400; }
        var left = 300, width = 760, row = 16, top = 24;
        var chart = svg('svg', { width: left + width + 60, height: top + chosen.length * row + 10 });
        function x(ts) { return left + (ts - low) / (high - low) * width; }
        for (var t = 0; t <= 5; t++) {
          var ts = low + (high - low) * t / 5, tx = x(ts);
          chart.appendChild(svg('line', { x1: tx, x2: tx, y1: top - 4,
            y2: top + chosen.length * row, stroke: '#d9dde4' }));
          var label = svg('text', { x: tx, y: top - 8, 'text-anchor': 'middle' });
          label.textContent = day(Math.round(ts));
          chart.appendChild(label);
        }
        chosen.forEach(function (i, k) {
          var s = ST[i], y = top + k * row;
          var name = svg('text', { x: left - 8, y: y + 11, 'text-anchor': 'end' });
          var words = '#' + s[0] + ' (' + s[3].length + ') ' + s[1].slice(0, 3).join(', ');
          name.textContent = words.length > 48 ? words.slice(0, 47) + '…' : words;
          chart.appendChild(name);
          var x0 = x(info[i].first), x1 = x(info[i].last);
          var bar = svg('rect', { x: x0 - 1.5, y: y + 3, width: Math.max(3, x1 - x0 + 3), height: 10,
            rx: 2, 'class': 'story-bar', 'data-story': i });
          var tip = svg('title', {});
          tip.textContent = '#' + s[0] + ' · ' + plural(s[3].length, 'article', 'articles') + ' · ' +
            span(i) + '\n' + A[s[2]][1];
          bar.appendChild(tip);
          bar.addEventListener('click', function () { showTab('stories'); openStory(i); });
          chart.appendChild(bar);
        });
        box.appendChild(chart);
      }

      applyFilters();
      document.body.setAttribute('data-ready', String(Math.round(performance.now())));
    })();
    """#
}
