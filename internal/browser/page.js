// The page's @page rule, as the printer would read it: the paper's width
// and the left and right margins, in CSS pixels, each null where no rule in
// force gives it. Evaluated with the print media type in force, so that
// @page rules inside @media print count.
(() => {
  const px = { px: 1, in: 96, cm: 96 / 2.54, mm: 96 / 25.4, q: 96 / 101.6, pt: 96 / 72, pc: 16 };
  const length = (s) => {
    const m = /^(-?[0-9.]+)([a-z]*)$/i.exec((s || '').trim());
    if (!m) return null;
    const unit = m[2].toLowerCase() || 'px';
    return unit in px ? parseFloat(m[1]) * px[unit] : null;
  };
  // Paper sizes by name, portrait width and height in millimetres.
  const papers = {
    a3: [297, 420], a4: [210, 297], a5: [148, 210], b4: [250, 353], b5: [176, 250],
    letter: [215.9, 279.4], legal: [215.9, 355.6], ledger: [279.4, 431.8],
  };
  const paperWidth = (size) => {
    const words = (size || '').trim().toLowerCase().split(/\s+/).filter((w) => w);
    if (words.length === 0 || words[0] === 'auto') return null;
    const landscape = words.includes('landscape');
    const named = words.find((w) => w in papers);
    if (named) return papers[named][landscape ? 1 : 0] * px.mm;
    const lengths = words.map(length).filter((l) => l !== null);
    if (lengths.length === 0) return null; // 'portrait' or 'landscape' alone: the default paper
    return lengths[0];
  };
  const found = { paper: null, left: null, right: null };
  const visit = (rules) => {
    for (const rule of rules) {
      if (rule instanceof CSSPageRule) {
        if (rule.selectorText) continue; // :first, :left and named pages are not the page
        const s = rule.style;
        const paper = paperWidth(s.getPropertyValue('size'));
        if (paper !== null) found.paper = paper;
        const left = length(s.getPropertyValue('margin-left'));
        if (left !== null) found.left = left;
        const right = length(s.getPropertyValue('margin-right'));
        if (right !== null) found.right = right;
      } else if (rule instanceof CSSMediaRule) {
        if (matchMedia(rule.media.mediaText).matches) visit(rule.cssRules);
      } else if (rule.cssRules) {
        visit(rule.cssRules); // @supports, @layer
      }
    }
  };
  for (const sheet of document.styleSheets) {
    if (sheet.media && sheet.media.mediaText && !matchMedia(sheet.media.mediaText).matches) continue;
    let rules;
    try {
      rules = sheet.cssRules;
    } catch (e) {
      continue; // a sheet from elsewhere: not self-contained, and not readable
    }
    visit(rules);
  }
  return found;
})()
