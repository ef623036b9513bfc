// WCAG 2 contrast of every SVG text in the report against what is drawn under it: the shapes at
// its centre, blended over the page's background. Returns the texts below 4.5:1 (3:1 for large
// text); a sentinel when no text was measured, so the check cannot pass by measuring nothing.
(() => {
  const parse = s => { const m = /rgba?\(([^)]+)\)/.exec(s || ''); if (!m) return null;
    const p = m[1].split(/[ ,\/]+/).filter(Boolean).map(Number); return {rgb: p.slice(0, 3), a: p.length > 3 ? p[3] : 1}; };
  const blend = (top, a, under) => top.map((v, i) => v * a + under[i] * (1 - a));
  const lum = c => { const [r, g, b] = c.map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  const pageBg = el => { for (let n = el; n; n = n.parentElement) { const c = parse(getComputedStyle(n).backgroundColor);
    if (c && c.a > 0) return c.rgb; } return [255, 255, 255]; };
  const low = []; let checked = 0;
  for (const t of document.querySelectorAll('svg text')) {
    if (!t.textContent.trim() || t.closest('[aria-hidden="true"]') && !t.closest('svg[role]')) continue;
    t.scrollIntoView({block: 'center', inline: 'center'});
    const box = t.getBoundingClientRect(); if (!box.width) continue;
    const style = getComputedStyle(t), fill = parse(style.fill); if (!fill) continue;
    let bg = pageBg(t.ownerSVGElement);
    const under = document.elementsFromPoint(box.x + box.width / 2, box.y + box.height / 2)
      .filter(e => e !== t && !t.contains(e) && !e.contains(t) && ['rect', 'circle', 'path', 'polygon'].includes(e.tagName.toLowerCase()));
    for (const shape of under.reverse()) { const s = getComputedStyle(shape), f = parse(s.fill);
      if (f && f.a > 0) bg = blend(f.rgb, f.a * Number(s.fillOpacity || 1), bg); }
    checked += 1;
    const fg = blend(fill.rgb, fill.a * Number(style.fillOpacity || 1), bg);
    const [hi, lo] = [lum(fg), lum(bg)].sort((a, b) => b - a), ratio = (hi + 0.05) / (lo + 0.05);
    const size = parseFloat(style.fontSize), bold = Number(style.fontWeight) >= 700;
    if (ratio < ((size >= 24 || (bold && size >= 18.66)) ? 3 : 4.5)) low.push(t.textContent.trim().slice(0, 30) + ' ' + ratio.toFixed(2));
  }
  return checked ? low : ['no SVG text was measured'];
})()
