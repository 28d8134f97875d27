// The layout check: run in the loaded page, it returns what sticks out,
// what is cut off and what the page says. Lengths are CSS pixels, rounded
// to a tenth; slack is how far a box may stick out before it counts (sub-
// pixel layout and anti-aliasing).
(async () => {
  if (document.readyState !== 'complete') {
    await new Promise((done) => addEventListener('load', done, { once: true }));
  }
  if (document.fonts) await document.fonts.ready;
  const slack = 0.5;
  const round = (x) => Math.round(x * 10) / 10;
  const box = (left, top, right, bottom) => ({ left: round(left), top: round(top), right: round(right), bottom: round(bottom) });
  const words = (s) => (s || '').replace(/\s+/g, ' ').trim();
  const short = (s) => {
    const w = words(s);
    return w.length > 80 ? w.slice(0, 79) + '…' : w;
  };

  // A CSS selector path that names the element to a reader: ids and
  // classes where it has them, positions among its kind where needed.
  const path = (el) => {
    const steps = [];
    for (let e = el; e && e.nodeType === Node.ELEMENT_NODE; e = e.parentElement) {
      const tag = e.localName;
      if (e.id) {
        steps.unshift(tag + '#' + CSS.escape(e.id));
        break;
      }
      let step = tag;
      const classes = Array.from(e.classList || []).slice(0, 2);
      if (classes.length) step += '.' + classes.map((c) => CSS.escape(c)).join('.');
      const parent = e.parentElement;
      if (parent) {
        const same = Array.from(parent.children).filter((s) => s.localName === tag);
        if (same.length > 1) step += ':nth-of-type(' + (same.indexOf(e) + 1) + ')';
      }
      steps.unshift(step);
      if (tag === 'body' || tag === 'html') break;
    }
    return steps.join(' > ');
  };

  const root = document.documentElement;
  const body = document.body; // null in an SVG document
  const width = root.clientWidth;
  const scrollX = window.scrollX;
  const scrollY = window.scrollY;
  const all = Array.from((body || root).querySelectorAll('*'));
  if (!body) all.unshift(root);

  // Boxes past the page's left or right edge. An element inside an SVG
  // image is the SVG's to clip (see below); an element inside one that
  // sticks out is named only through its outermost such ancestor.
  const overflowing = [];
  const out = new Set();
  for (const el of all) {
    if (el.ownerSVGElement) continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    const left = r.left + scrollX;
    const right = r.right + scrollX;
    if (right <= width + slack && left >= -slack) continue;
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || style.visibility === 'collapse') continue;
    out.add(el);
    if (out.has(el.parentElement)) continue;
    overflowing.push({
      path: path(el), text: short(el.innerText || el.textContent),
      box: box(left, r.top + scrollY, right, r.bottom + scrollY), limit: box(0, 0, width, root.scrollHeight),
      why: right > width + slack ? 'past the right edge' : 'past the left edge',
    });
  }

  // Content cut off: a box smaller than its content that does not let the
  // content show (overflow other than visible; in print a scroll box shows
  // only what is in view), text ended with an ellipsis among them.
  const clipped = [];
  for (const el of all) {
    if (el === root || el === body || el instanceof SVGElement) continue;
    const style = getComputedStyle(el);
    if (style.display === 'inline' || style.display === 'none' || style.display === 'contents') continue;
    const wide = el.scrollWidth > el.clientWidth + 1;
    const tall = el.scrollHeight > el.clientHeight + 1;
    const why = [];
    if (wide && style.overflowX !== 'visible') {
      why.push(style.textOverflow && style.textOverflow !== 'clip'
        ? 'text cut off with text-overflow: ' + style.textOverflow
        : 'wider than its box (overflow-x: ' + style.overflowX + ')');
    }
    if (tall && style.overflowY !== 'visible') why.push('taller than its box (overflow-y: ' + style.overflowY + ')');
    if (!why.length) continue;
    clipped.push({
      path: path(el), text: short(el.innerText || el.textContent),
      box: box(0, 0, el.scrollWidth, el.scrollHeight), limit: box(0, 0, el.clientWidth, el.clientHeight),
      why: why.join('; '),
    });
  }

  // Text in an SVG image outside the image's viewBox (or, without one, its
  // viewport): boxes in the SVG's user units. Each <text> is measured in
  // its own user space (getBBox) and carried into the SVG's through the
  // screen (getScreenCTM), so that transforms such as rotate() count.
  const svgText = [];
  for (const svg of document.querySelectorAll('svg')) {
    const toSVG = svg.getScreenCTM();
    if (!toSVG) continue; // not rendered
    let view = svg.viewBox && svg.viewBox.baseVal;
    if (!view || (view.width === 0 && view.height === 0)) {
      const r = svg.getBoundingClientRect();
      view = { x: 0, y: 0, width: r.width, height: r.height };
    }
    const fromScreen = toSVG.inverse();
    for (const text of svg.querySelectorAll('text')) {
      if (text.closest('svg') !== svg) continue; // a nested svg has its own view
      if (!words(text.textContent)) continue;
      let b;
      try {
        b = text.getBBox();
      } catch (e) {
        continue;
      }
      if (b.width === 0 && b.height === 0) continue; // not rendered
      const m = fromScreen.multiply(text.getScreenCTM());
      const corners = [[b.x, b.y], [b.x + b.width, b.y], [b.x, b.y + b.height], [b.x + b.width, b.y + b.height]]
        .map(([x, y]) => new DOMPoint(x, y).matrixTransform(m));
      const xs = corners.map((p) => p.x);
      const ys = corners.map((p) => p.y);
      const tb = box(Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys));
      const vb = box(view.x, view.y, view.x + view.width, view.y + view.height);
      const why = [];
      if (tb.left < vb.left - slack) why.push('past the left edge');
      if (tb.right > vb.right + slack) why.push('past the right edge');
      if (tb.top < vb.top - slack) why.push('past the top');
      if (tb.bottom > vb.bottom + slack) why.push('past the bottom');
      if (!why.length) continue;
      svgText.push({ path: path(text), text: short(text.textContent), box: tb, limit: vb, why: why.join(', ') + ' of the viewBox' });
    }
  }

  // Words broken across lines elsewhere than after a hyphen, a slash or a
  // soft hyphen (overflow-wrap: anywhere, word-break): legible, but a
  // column too narrow for its words. Each word of two or more characters
  // is measured as a range: on two lines it has rects on two lines.
  const broken = [];
  if (body) {
    const walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT);
    const range = document.createRange();
    const lines = (start, end) => {
      range.setStart(walker.currentNode, start);
      range.setEnd(walker.currentNode, end);
      const tops = [];
      for (const r of range.getClientRects()) {
        if (r.width > 0 && !tops.some((t) => Math.abs(t - r.top) < 2)) tops.push(r.top);
      }
      return tops.length;
    };
    while (walker.nextNode()) {
      const node = walker.currentNode;
      const parent = node.parentElement;
      if (!parent || parent.closest('svg, script, style, title') || !parent.checkVisibility()) continue;
      for (const m of node.data.matchAll(/\S{2,}/g)) {
        const start = m.index;
        const end = start + m[0].length;
        if (lines(start, end) < 2) continue;
        // Where it breaks: the first character on a line of its own.
        let at = start + 1;
        while (at < end && lines(start, at + 1) < 2) at++;
        const before = node.data[at - 1];
        if ('-/\u00ad\u2010\u2011\u2013\u2014_'.includes(before)) continue;
        broken.push({
          path: path(parent), text: m[0], box: box(0, 0, 0, 0), limit: box(0, 0, 0, 0), // no box says more
          why: 'broken across lines after "' + node.data.slice(start, at) + '"',
        });
      }
    }
  }

  // The machine-readable values the page gives (<data value>, <time
  // datetime>) with the text a reader sees for each.
  const values = Array.from(document.querySelectorAll('data, time')).map((el) => ({
    tag: el.localName,
    value: el.localName === 'data' ? el.getAttribute('value') || '' : el.getAttribute('datetime') || '',
    text: el.checkVisibility({ visibilityProperty: true }) ? words(el.innerText) : '',
  }));

  // The page's text as a reader sees it; an SVG document has no innerText,
  // so its text elements, one a line.
  const text = body ? body.innerText : Array.from(document.querySelectorAll('text')).map((t) => words(t.textContent)).join('\n');

  return { width, scrollWidth: root.scrollWidth, overflowing, clipped, svgText, broken, values, text };
})()
