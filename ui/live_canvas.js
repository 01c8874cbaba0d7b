// The live boundary drawn from data (core/pictures/frame_data.py) on a <canvas>, at CSS size x devicePixelRatio.
// Called by Streamlit's components.v2 frontend once per data update, with the same parentElement while
// the element stays mounted: the canvases persist, only their pixels change. Sent back: only a click on a
// panel that takes clicks (takeClicks, below).

const STATE = new WeakMap();  // parentElement -> {root, before, panels}
const DECODED = new Map();    // static token -> decoded points (a few data sets at most)

function bytes(s) {
  const bin = atob(s || "");
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

function int16s(s, n) {
  const b = bytes(s);
  const v = new DataView(b.buffer);
  const out = new Float32Array(n);
  for (let i = 0; i < n && 2 * i + 1 < b.length; i++) out[i] = v.getInt16(2 * i, true);
  return out;
}

function bitsOf(s, n) {
  const b = bytes(s);
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = (b[i >> 3] >> (7 - (i & 7))) & 1;
  return out;
}

function rgb(hex) {
  return [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
}

function decodeStatic(st) {
  let d = DECODED.get(st.token);
  if (d) return d;
  if (!st.train) return null;  // a frame that names its data set only, and we never got it
  const pts = (part, withFlip) => {
    const xy = int16s(part.xy, 2 * part.n);
    for (let i = 0; i < xy.length; i++) xy[i] /= st.xy_units;
    return {n: part.n, xy, label: bytes(part.label), flip: withFlip ? bitsOf(part.flip, part.n) : null,
            edit: part.edit ? bitsOf(part.edit, part.n) : null};  // edited by hand (core/data/edits.py)
  };
  d = {train: pts(st.train, true), test: pts(st.test, false), static: st};
  DECODED.set(st.token, d);
  if (DECODED.size > 6) DECODED.delete(DECODED.keys().next().value);
  return d;
}

// Probability-weighted class colour, paler where the model is unsure: core/render.shade.
function shadeImage(ctx, q, n, c, K, colours) {
  const img = ctx.createImageData(n, n);
  const out = img.data;
  const p = new Float32Array(K);
  for (let i = 0; i < n * n; i++) {
    if (c === 1) { p[1] = q[i] / 255; p[0] = 1 - p[1]; }
    else for (let j = 0; j < K; j++) p[j] = q[i * c + j] / 255;
    let r = 0, g = 0, b = 0, max = 0;
    for (let j = 0; j < K; j++) {
      r += p[j] * colours[j][0]; g += p[j] * colours[j][1]; b += p[j] * colours[j][2];
      if (p[j] > max) max = p[j];
    }
    const strength = 0.18 + 0.5 * (max - 1 / K) / (1 - 1 / K);
    out[4 * i] = 255 + (r - 255) * strength;
    out[4 * i + 1] = 255 + (g - 255) * strength;
    out[4 * i + 2] = 255 + (b - 255) * strength;
    out[4 * i + 3] = 255;
  }
  return img;
}

// Marching squares on the grid's nodes (node (i, j) at the centre of its upscaled cell, as drawImage
// places it): on each side of a square of four nodes, cross(u, v) is where a line crosses it (a fraction
// from u to v), or -1. Two crossings are joined; three or four (a corner of several regions) meet at
// the square's centre when `centre`, else join in pairs (a saddle of a field).
function squares(ctx, values, n, L, T, cw, ch, cross, centre) {
  const X = (j) => L + (j + 0.5) * cw, Y = (i) => T + (i + 0.5) * ch;
  for (let i = 0; i + 1 < n; i++) {
    for (let j = 0; j + 1 < n; j++) {
      const a = values[i * n + j], b = values[i * n + j + 1], c = values[(i + 1) * n + j + 1], d = values[(i + 1) * n + j];
      const pts = [];
      let f;
      if ((f = cross(a, b)) >= 0) pts.push([X(j + f), Y(i)]);
      if ((f = cross(b, c)) >= 0) pts.push([X(j + 1), Y(i + f)]);
      if ((f = cross(d, c)) >= 0) pts.push([X(j + f), Y(i + 1)]);
      if ((f = cross(a, d)) >= 0) pts.push([X(j), Y(i + f)]);
      if (centre && pts.length > 2) {
        for (const p of pts) { ctx.moveTo(X(j + 0.5), Y(i + 0.5)); ctx.lineTo(p[0], p[1]); }
        continue;
      }
      for (let s = 0; s + 1 < pts.length; s += 2) {
        ctx.moveTo(pts[s][0], pts[s][1]);
        ctx.lineTo(pts[s + 1][0], pts[s + 1][1]);
      }
    }
  }
}

// Where a field changes sign (the decision boundary).
function contour(ctx, field, n, L, T, cw, ch) {
  squares(ctx, field, n, L, T, cw, ch, (u, v) => ((u > 0) !== (v > 0) ? u / (u - v) : -1), false);
}

// Where linear regions meet (core/frame_data.regions_part: a region index per grid node): lines, not
// fills, so the class shading stays visible between them.
function regionEdges(ctx, codes, n, L, T, cw, ch) {
  squares(ctx, codes, n, L, T, cw, ch, (u, v) => (u !== v ? 0.5 : -1), true);
}

function boundaryPath(ctx, q, n, c, K, L, T, cw, ch) {
  const field = new Float32Array(n * n);
  if (c === 1) {
    for (let i = 0; i < n * n; i++) field[i] = q[i] - 127.5;
    contour(ctx, field, n, L, T, cw, ch);
    return;
  }
  for (let k = 0; k < K; k++) {  // each class's region edge: its probability against the best other one
    for (let i = 0; i < n * n; i++) {
      let other = 0;
      for (let j = 0; j < K; j++) if (j !== k && q[i * c + j] > other) other = q[i * c + j];
      field[i] = q[i * c + k] - other + 0.25;
    }
    contour(ctx, field, n, L, T, cw, ch);
  }
}

function ring(ctx, x, y, radius, width, colour) {
  ctx.beginPath();
  ctx.arc(x, y, Math.max(0.1, radius - width / 2), 0, 2 * Math.PI);
  ctx.lineWidth = width;
  ctx.strokeStyle = colour;
  ctx.stroke();
}

// A flipped label's ring is dashed: a shape, not only a colour, tells it from a mistake's red ring. Eight
// dashes, one centred on each of 0°, 45°, …: the same marks as render.py's PNG.
function dashedRing(ctx, x, y, radius, width, colour) {
  const r = Math.max(0.1, radius - width / 2), dash = (2 * Math.PI * r) / 16;
  ctx.setLineDash([dash, dash]);
  ctx.lineDashOffset = dash / 2;
  ring(ctx, x, y, radius, width, colour);
  ctx.setLineDash([]);
  ctx.lineDashOffset = 0;
}

function disc(ctx, x, y, radius, colour) {
  ctx.beginPath();
  ctx.arc(x, y, radius, 0, 2 * Math.PI);
  ctx.fillStyle = colour;
  ctx.fill();
}

// Test points: white discs ringed in their class colour; outside the point radius (render.py).
function drawTest(ctx, pts, r, colours) {
  for (let i = 0; i < pts.n; i++) {
    const x = pts.xy[2 * i], y = pts.xy[2 * i + 1];
    disc(ctx, x, y, r + 0.5, "#ffffff");
    ring(ctx, x, y, r + 0.5, 2, colours[pts.label[i] % colours.length]);
  }
}

// Train points: discs in their given label's colour, white edge; a flipped label has a dark dashed outer ring.
// capped (pull sizes): a disc the size cap cut has a thick grey edge instead.
function drawTrain(ctx, pts, radii, order, colours, flipColour, capped = null, cappedColour = "#464646") {
  for (const i of order) {
    const x = pts.xy[2 * i], y = pts.xy[2 * i + 1], r = radii[i];
    if (pts.flip[i]) dashedRing(ctx, x, y, r + 4, 2, flipColour);
    disc(ctx, x, y, r, colours[pts.label[i] % colours.length]);
    if (capped && capped[i]) ring(ctx, x, y, r, 2, cappedColour);
    else ring(ctx, x, y, r, 1, "#ffffff");
    if (pts.edit && pts.edit[i]) {  // added or relabelled by hand: a square round it
      ctx.lineWidth = 2; ctx.strokeStyle = flipColour; ctx.strokeRect(x - r - 2.5, y - r - 2.5, 2 * r + 5, 2 * r + 5);
    }
  }
}

function drawMarginsAxes(ctx, st) {
  const [L, T, PW, PH] = st.plot;
  ctx.fillStyle = "#ffffff";
  ctx.fillRect(0, 0, st.w, T);
  ctx.fillRect(0, 0, L, st.h);
  ctx.fillRect(0, T + PH, st.w, st.h - T - PH);
  ctx.fillRect(L + PW, 0, st.w - L - PW, st.h);
  const axis = st.colours.axis;
  ctx.strokeStyle = axis;
  ctx.lineWidth = 1;
  ctx.strokeRect(L - 0.5, T - 0.5, PW + 1, PH + 1);
  ctx.fillStyle = axis;
  ctx.font = "11px sans-serif";
  ctx.beginPath();
  for (const [x] of st.xticks) { ctx.moveTo(x, T + PH); ctx.lineTo(x, T + PH + 4); }
  for (const [y] of st.yticks) { ctx.moveTo(L - 4, y); ctx.lineTo(L, y); }
  ctx.stroke();
  ctx.textAlign = "center"; ctx.textBaseline = "top";
  for (const [x, label] of st.xticks) ctx.fillText(label, x, T + PH + 6);
  ctx.textAlign = "right"; ctx.textBaseline = "middle";
  for (const [y, label] of st.yticks) ctx.fillText(label, L - 6, y);
  ctx.font = "12px sans-serif";  // axis titles (a frame without them sends none): under x, beside y
  ctx.textAlign = "center"; ctx.textBaseline = "bottom";
  if (st.xlabel) ctx.fillText(st.xlabel, L + PW / 2, st.h - 1);
  if (st.ylabel) {
    ctx.save(); ctx.translate(11, T + PH / 2); ctx.rotate(-Math.PI / 2);
    ctx.textBaseline = "middle"; ctx.fillText(st.ylabel, 0, 0); ctx.restore();
  }
}

function fit(canvas, W, H) {
  const dpr = window.devicePixelRatio || 1;
  let css = canvas.getBoundingClientRect().width;
  if (!(css > 0)) css = parseFloat(canvas.style.width) || W;  // not laid out (yet)
  const bw = Math.max(1, Math.round(css * dpr)), bh = Math.max(1, Math.round(bw * H / W));
  if (canvas.width !== bw || canvas.height !== bh) { canvas.width = bw; canvas.height = bh; }
  return bw / W;
}

// The points, margins and axes never change during a run: drawn once per data set and canvas size.
function overlay(panel, st, d, colours, k) {
  const key = st.token + "|" + panel.canvas.width + "|" + colours.join();
  if (panel.overlayKey === key) return panel.overlay;
  const o = panel.overlay || document.createElement("canvas");
  o.width = panel.canvas.width; o.height = panel.canvas.height;
  const ctx = o.getContext("2d");
  ctx.setTransform(k, 0, 0, k, 0, 0);
  drawTest(ctx, d.test, st.r, colours);
  drawTrain(ctx, d.train, new Float32Array(d.train.n).fill(st.r), [...Array(d.train.n).keys()],
            colours, st.colours.flip);
  drawMarginsAxes(ctx, st);
  panel.overlay = o; panel.overlayKey = key;
  return o;
}

// Viridis at ten stops (matplotlib's), for the J map: dark = low cost.
const VIRIDIS = [[68, 1, 84], [72, 40, 120], [62, 74, 137], [49, 104, 142], [38, 130, 142], [31, 158, 137],
                 [53, 183, 121], [109, 205, 89], [180, 222, 44], [253, 231, 37]];
function viridis(t) {
  const x = Math.min(Math.max(t, 0), 1) * (VIRIDIS.length - 1), i = Math.min(Math.floor(x), VIRIDIS.length - 2);
  const f = x - i, a = VIRIDIS[i], b = VIRIDIS[i + 1];
  return [0, 1, 2].map((c) => Math.round(a[c] + (b[c] - a[c]) * f));
}

// The canvas sized to its CSS width at the screen's pixel ratio, white, scaled to layout units: [ctx, scale].
function blank(canvas, W, H) {
  const k = fit(canvas, W, H);
  const ctx = canvas.getContext("2d");
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.fillStyle = "#ffffff";
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.setTransform(k, 0, 0, k, 0, 0);
  return [ctx, k];
}

// A plot frame (core/pictures/inside_frames.py): a value map, points, lines, a path, a marker and an arrow on axes.
function drawPlot(panel) {
  const f = panel.frame, canvas = panel.canvas;
  const [ctx] = blank(canvas, f.w, f.h);
  const [L, T, PW, PH] = f.plot, u = f.xy_units;
  if (f.heat) {
    const h = f.heat, v = bytes(h.v);
    if (!panel.small) panel.small = document.createElement("canvas");
    panel.small.width = h.nx; panel.small.height = h.ny;
    const sctx = panel.small.getContext("2d"), img = sctx.createImageData(h.nx, h.ny);
    for (let i = 0; i < h.nx * h.ny; i++) {
      const [r, g, b] = viridis(v[i] / 255);
      img.data[4 * i] = r; img.data[4 * i + 1] = g; img.data[4 * i + 2] = b; img.data[4 * i + 3] = 255;
    }
    sctx.putImageData(img, 0, 0);
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(panel.small, L, T, PW, PH);
  }
  ctx.save();
  ctx.beginPath(); ctx.rect(L, T, PW, PH); ctx.clip();
  for (const s of f.lines || []) {
    ctx.beginPath(); ctx.moveTo(s[0], s[1]); ctx.lineTo(s[2], s[3]);
    ctx.strokeStyle = "#333333"; ctx.lineWidth = 2; ctx.stroke();
  }
  if (f.points) {
    const p = f.points, xy = int16s(p.xy, 2 * p.n), label = bytes(p.label), flip = bitsOf(p.flip, p.n);
    for (let i = 0; i < p.n; i++) {
      const x = xy[2 * i] / u, y = xy[2 * i + 1] / u;
      if (flip[i]) dashedRing(ctx, x, y, 6, 2, "#111111");
      disc(ctx, x, y, 3, f.colours[label[i] % f.colours.length]);
      ring(ctx, x, y, 3, 1, "#ffffff");
    }
  }
  for (const c of f.curves || []) {  // polylines: a regression fit, its truth (dashed), a quantile band
    const xy = int16s(c.xy, Math.floor(bytes(c.xy).length / 2));
    ctx.beginPath();
    for (let i = 0; i + 1 < xy.length; i += 2) (i ? ctx.lineTo : ctx.moveTo).call(ctx, xy[i] / u, xy[i + 1] / u);
    ctx.setLineDash(c.dash ? [6, 4] : []); ctx.strokeStyle = c.colour; ctx.lineWidth = c.width; ctx.stroke();
    ctx.setLineDash([]);
  }
  if (f.path) {
    const xy = int16s(f.path, Math.floor(bytes(f.path).length / 2));
    ctx.beginPath();
    for (let i = 0; i + 1 < xy.length; i += 2) (i ? ctx.lineTo : ctx.moveTo).call(ctx, xy[i] / u, xy[i + 1] / u);
    ctx.strokeStyle = "#ffffff"; ctx.lineWidth = 2; ctx.stroke();
  }
  if (f.arrow) {
    const [x0, y0, x1, y1] = f.arrow, a = Math.atan2(y1 - y0, x1 - x0);
    ctx.beginPath(); ctx.moveTo(x0, y0); ctx.lineTo(x1, y1);
    ctx.moveTo(x1 - 9 * Math.cos(a - 0.4), y1 - 9 * Math.sin(a - 0.4)); ctx.lineTo(x1, y1);
    ctx.lineTo(x1 - 9 * Math.cos(a + 0.4), y1 - 9 * Math.sin(a + 0.4));
    ctx.strokeStyle = "#d62728"; ctx.lineWidth = 3; ctx.stroke();
  }
  if (f.marker) { disc(ctx, f.marker[0], f.marker[1], 5, "#d62728"); ring(ctx, f.marker[0], f.marker[1], 5, 1.5, "#ffffff"); }
  ctx.restore();
  drawMarginsAxes(ctx, {plot: f.plot, w: f.w, h: f.h, xticks: f.xticks, yticks: f.yticks, colours: {axis: f.axis},
                        xlabel: f.xlabel, ylabel: f.ylabel});
  canvas.dataset.step = String(f.step);
  canvas.__frame = f;  // for browser tests: the data this picture was drawn from
  return true;
}

// A tiles frame (core/inside_frames.units_frame): each hidden unit's output as a small picture, per layer.
function drawTiles(panel) {
  const f = panel.frame, canvas = panel.canvas;
  const [ctx] = blank(canvas, f.w, f.h);
  const n = f.n, v = bytes(f.values);
  if (!panel.small) panel.small = document.createElement("canvas");
  panel.small.width = n; panel.small.height = n;
  const sctx = panel.small.getContext("2d"), img = sctx.createImageData(n, n);
  ctx.imageSmoothingEnabled = true;
  f.tiles.forEach(([x, y], t) => {
    for (let i = 0; i < n * n; i++) {
      const [r, g, b] = f.palette[v[t * n * n + i]];
      img.data[4 * i] = r; img.data[4 * i + 1] = g; img.data[4 * i + 2] = b; img.data[4 * i + 3] = 255;
    }
    sctx.putImageData(img, 0, 0);
    ctx.drawImage(panel.small, x, y, f.size, f.size);
    ctx.strokeStyle = "#cccccc"; ctx.lineWidth = 1; ctx.strokeRect(x + 0.5, y + 0.5, f.size - 1, f.size - 1);
  });
  ctx.fillStyle = "#333333"; ctx.font = "12px sans-serif"; ctx.textAlign = "left"; ctx.textBaseline = "alphabetic";
  for (const [y, title] of f.titles) ctx.fillText(title, 0, y);
  canvas.dataset.step = String(f.step);
  canvas.__frame = f;
  return true;
}

// A network frame (core/pictures/inside_frames.network_frame): a column of nodes per layer (the inputs by name,
// each hidden unit as its output over the view, the output(s) as the class probability), the weights as lines
// between drawn nodes, wider for larger |w|, coloured by sign. Hovering a node or a line names its bias or weight.
function netGeometry(f) {
  if (f.geo) return f.geo;
  const s = f.size, nodes = [], lines = [];
  f.columns.forEach((col, c) => col.y.forEach((y, j) => nodes.push({c, j, x: col.x, y})));
  const at = (c, j) => nodes.find((n) => n.c === c && n.j === j);
  const fmt = (v) => netNumber(v);
  const name = (c, j) => (c === 0 ? f.inputs[j] : c === f.columns.length - 1
    ? netText(f.text.output_name, {i: j + 1}) : netText(f.text.unit_name, {l: c, i: j + 1}));
  f.weights.forEach((b, c) => {
    const w = new Float32Array(bytes(b).buffer), nIn = f.columns[c].y.length, nOut = f.columns[c + 1].y.length;
    for (let o = 0; o < nOut; o++) for (let i = 0; i < nIn; i++) {
      const a = at(c, i), z = at(c + 1, o), v = w[o * nIn + i];
      lines.push({x0: a.x + s, y0: a.y + s / 2, x1: z.x, y1: z.y + s / 2, w: v,
                  tip: netText(f.text.weight, {w: fmt(v), a: name(c, i), b: name(c + 1, o)})});
    }
  });
  const biases = f.biases.map((b) => new Float32Array(bytes(b).buffer));
  for (const n of nodes) {
    const last = n.c === f.columns.length - 1;
    n.tip = n.c === 0 ? netText(f.text.input, {name: f.inputs[n.j]})
      : netText(last ? f.text.output : f.text.unit, {l: n.c, i: n.j + 1, b: fmt(biases[n.c - 1][n.j])});
  }
  f.geo = {nodes, lines};
  return f.geo;
}

function netText(template, values) {
  return template.replace(/\{(\w+)\}/g, (m, k) => (k in values ? String(values[k]) : m));
}

function netNumber(v) {
  const a = Math.abs(v);
  const s = a !== 0 && (a < 1e-3 || a >= 1e4) ? v.toExponential(2) : v.toFixed(3);
  return s.replace("-", "−");
}

function drawNetwork(panel) {
  const f = panel.frame, canvas = panel.canvas;
  const [ctx, k] = blank(canvas, f.w, f.h);
  const geo = netGeometry(f), s = f.size, n = f.n, wmax = f.wmax > 0 ? f.wmax : 1;
  for (const l of geo.lines) {
    ctx.beginPath(); ctx.moveTo(l.x0, l.y0); ctx.lineTo(l.x1, l.y1);
    ctx.strokeStyle = l.w >= 0 ? f.pos : f.neg; ctx.globalAlpha = 0.85;
    ctx.lineWidth = 0.5 + 3.5 * Math.abs(l.w) / wmax; ctx.stroke();
  }
  ctx.globalAlpha = 1;
  if (!panel.small) panel.small = document.createElement("canvas");
  panel.small.width = n; panel.small.height = n;
  const sctx = panel.small.getContext("2d"), img = sctx.createImageData(n, n), px = img.data;
  const v = bytes(f.values), q = bytes(f.out.p), colours = f.colours.map(rgb), last = f.columns.length - 1;
  let t = 0;
  ctx.imageSmoothingEnabled = true;
  ctx.textAlign = "center"; ctx.textBaseline = "middle";
  for (const node of geo.nodes) {
    const {c, j, x, y} = node;
    if (c === 0) {  // an input: its name in a box, the font as large as fits
      ctx.fillStyle = "#f3f3f3"; ctx.fillRect(x, y, s, s);
      let size = 12;
      ctx.font = size + "px sans-serif";
      while (size > 7 && ctx.measureText(f.inputs[j]).width > s - 3) ctx.font = --size + "px sans-serif";
      ctx.fillStyle = "#222222"; ctx.fillText(f.inputs[j], x + s / 2, y + s / 2);
    } else {
      if (c < last) {  // a hidden unit: palette indices of its output over the view
        for (let i = 0; i < n * n; i++) {
          const [r, g, b] = f.palette[v[t * n * n + i]];
          px[4 * i] = r; px[4 * i + 1] = g; px[4 * i + 2] = b; px[4 * i + 3] = 255;
        }
        t++;
      } else if (f.out.binary) {  // the one logit: the boundary's own shading of p(class 1)
        img.data.set(shadeImage(sctx, q, n, 1, 2, colours).data);
      } else {  // one logit per class: white to the class colour with its probability
        const col = colours[j % colours.length];
        for (let i = 0; i < n * n; i++) {
          const p = q[j * n * n + i] / 255;
          px[4 * i] = 255 + (col[0] - 255) * p; px[4 * i + 1] = 255 + (col[1] - 255) * p;
          px[4 * i + 2] = 255 + (col[2] - 255) * p; px[4 * i + 3] = 255;
        }
      }
      sctx.putImageData(img, 0, 0);
      ctx.drawImage(panel.small, x, y, s, s);
    }
    ctx.strokeStyle = "#999999"; ctx.lineWidth = 1; ctx.strokeRect(x + 0.5, y + 0.5, s - 1, s - 1);
  }
  ctx.fillStyle = "#333333"; ctx.textBaseline = "alphabetic";
  const room = f.columns.length > 1 ? f.columns[1].x - f.columns[0].x - 3 : f.w;
  const label = (text, x, y) => {  // a column's title or count: as large as its column's room allows
    let size = 11;
    ctx.font = size + "px sans-serif";
    while (size > 7 && ctx.measureText(text).width > room) ctx.font = --size + "px sans-serif";
    const half = ctx.measureText(text).width / 2;
    ctx.fillText(text, Math.min(Math.max(x, half), f.w - half), y);
  };
  for (const col of f.columns) {
    label(col.title, col.x + s / 2, 11);
    if (col.more) label(col.more, col.x + s / 2, f.h - 4);
  }
  // kept for the pointer: a tooltip is drawn over this picture, never recomputed
  if (!panel.base) panel.base = document.createElement("canvas");
  panel.base.width = canvas.width; panel.base.height = canvas.height;
  panel.base.getContext("2d").drawImage(canvas, 0, 0);
  panel.scale = k;
  canvas.dataset.step = String(f.step);
  canvas.__frame = f;
  if (panel.pointer) netHover(panel, panel.pointer);  // the value under a resting pointer, of the new frame
  return true;
}

// What lies under (x, y) in layout units: a node, else the nearest line within 4 px, else null.
function netHit(f, x, y) {
  const geo = netGeometry(f), s = f.size;
  for (const n of geo.nodes) if (x >= n.x && x <= n.x + s && y >= n.y && y <= n.y + s) return {node: n};
  let best = null, bestD = 4;
  for (const l of geo.lines) {
    const dx = l.x1 - l.x0, dy = l.y1 - l.y0, len2 = dx * dx + dy * dy;
    const u = len2 > 0 ? Math.min(1, Math.max(0, ((x - l.x0) * dx + (y - l.y0) * dy) / len2)) : 0;
    const d = Math.hypot(x - l.x0 - u * dx, y - l.y0 - u * dy);
    if (d < bestD) { bestD = d; best = {line: l}; }
  }
  return best;
}

// pointer: {x, y} in layout units, or null (left the canvas). Draws the picture again with the tooltip.
function netHover(panel, pointer) {
  const f = panel.frame, canvas = panel.canvas;
  if (!f || f.kind !== "network" || !panel.base) return;
  panel.pointer = pointer;
  const hit = pointer ? netHit(f, pointer.x, pointer.y) : null;
  const ctx = canvas.getContext("2d"), k = panel.scale || 1;
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.drawImage(panel.base, 0, 0);
  ctx.setTransform(k, 0, 0, k, 0, 0);
  const tip = hit ? (hit.node || hit.line).tip : "";
  canvas.dataset.hover = tip;  // (no title: the browser's own tooltip would cover the drawn one)
  if (!hit) return;
  if (hit.line) {
    const l = hit.line;
    ctx.beginPath(); ctx.moveTo(l.x0, l.y0); ctx.lineTo(l.x1, l.y1);
    ctx.strokeStyle = "#111111"; ctx.lineWidth = 2 + 3.5 * Math.abs(l.w) / (f.wmax > 0 ? f.wmax : 1); ctx.stroke();
  } else {
    ctx.strokeStyle = "#111111"; ctx.lineWidth = 2;
    ctx.strokeRect(hit.node.x - 1, hit.node.y - 1, f.size + 2, f.size + 2);
  }
  ctx.font = "12px sans-serif"; ctx.textAlign = "left"; ctx.textBaseline = "middle";
  const tw = ctx.measureText(tip).width + 10, th = 20;
  let tx = pointer.x + 12, ty = pointer.y + 14;
  if (tx + tw > f.w) tx = Math.max(0, pointer.x - tw - 8);
  if (ty + th > f.h) ty = Math.max(0, pointer.y - th - 8);
  ctx.fillStyle = "rgba(255, 255, 255, 0.95)"; ctx.fillRect(tx, ty, tw, th);
  ctx.strokeStyle = "#555555"; ctx.lineWidth = 1; ctx.strokeRect(tx + 0.5, ty + 0.5, tw - 1, th - 1);
  ctx.fillStyle = "#111111"; ctx.fillText(tip, tx + 5, ty + th / 2);
}

function netPointer(panel, ev) {
  const f = panel.frame;
  if (!f || f.kind !== "network") return;
  const r = panel.canvas.getBoundingClientRect();
  netHover(panel, r.width > 0 ? {x: (ev.clientX - r.left) * f.w / r.width, y: (ev.clientY - r.top) * f.h / r.height} : null);
}

// Returns whether it drew: a frame whose static part (points, axes) was sent earlier names it by token.
function draw(panel) {
  let f = panel.frame;
  if (f && f.kind === "plot") return drawPlot(panel);
  if (f && f.kind === "tiles") return drawTiles(panel);
  if (f && f.kind === "network") return drawNetwork(panel);
  if (!f || f.v !== 1) return false;
  const d = decodeStatic(f.static);
  if (!d) return false;
  if (f.static !== d.static) { f = Object.assign({}, f, {static: d.static}); panel.frame = f; }
  const st = f.static;
  const canvas = panel.canvas;
  const k = fit(canvas, st.w, st.h);
  const ctx = canvas.getContext("2d");
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.fillStyle = "#ffffff";
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.setTransform(k, 0, 0, k, 0, 0);
  const [L, T, PW, PH] = st.plot;
  const colours = f.colours.map(rgb), hex = f.colours;
  // probability shading: a small image scaled up with smoothing (bilinear, as the PIL frame)
  const g = f.grid, q = bytes(g.p);
  if (!panel.small) panel.small = document.createElement("canvas");
  panel.small.width = g.n; panel.small.height = g.n;
  const sctx = panel.small.getContext("2d");
  sctx.putImageData(shadeImage(sctx, q, g.n, g.c, f.k, colours), 0, 0);
  ctx.imageSmoothingEnabled = true;
  ctx.drawImage(panel.small, L, T, PW, PH);
  ctx.save();
  ctx.beginPath(); ctx.rect(L, T, PW, PH); ctx.clip();
  if (f.regions) {  // linear regions of a ReLU net: thin translucent lines where they meet, under the class boundary
    const r = f.regions, codes = new Uint16Array(bytes(r.codes).buffer);
    ctx.beginPath();
    regionEdges(ctx, codes, r.n, L, T, PW / r.n, PH / r.n);
    ctx.strokeStyle = st.colours.regions; ctx.lineWidth = 1; ctx.stroke();
  }
  ctx.beginPath();
  boundaryPath(ctx, q, g.n, g.c, f.k, L, T, PW / g.n, PH / g.n);
  ctx.strokeStyle = st.colours.edge; ctx.lineWidth = 1; ctx.stroke();
  if (f.old_line) {  // the boundary before the step being explained: dashed, under the new one
    ctx.beginPath(); ctx.moveTo(f.old_line[0], f.old_line[1]); ctx.lineTo(f.old_line[2], f.old_line[3]);
    ctx.setLineDash([6, 4]); ctx.strokeStyle = "#555555"; ctx.lineWidth = 2; ctx.stroke(); ctx.setLineDash([]);
  }
  if (f.line) {
    ctx.beginPath(); ctx.moveTo(f.line[0], f.line[1]); ctx.lineTo(f.line[2], f.line[3]);
    ctx.strokeStyle = st.colours.line; ctx.lineWidth = 2; ctx.stroke();
  }
  for (const u of f.units || []) {
    if (!u.seg) continue;
    ctx.beginPath(); ctx.moveTo(u.seg[0], u.seg[1]); ctx.lineTo(u.seg[2], u.seg[3]);
    ctx.strokeStyle = u.colour; ctx.lineWidth = 2; ctx.stroke();
  }
  ctx.restore();
  let radii = null;
  if (f.pull) {  // train points sized by their pull, biggest on top: drawn every frame
    const raw = bytes(f.pull);
    radii = new Float32Array(d.train.n);
    for (let i = 0; i < d.train.n; i++) radii[i] = raw[i] / 20;
    const order = [...Array(d.train.n).keys()].sort((a, b) => radii[a] - radii[b] || a - b);
    drawTest(ctx, d.test, st.r, hex);
    const capped = f.pull_capped ? bitsOf(f.pull_capped, d.train.n) : null;
    drawTrain(ctx, d.train, radii, order, hex, st.colours.flip, capped, st.colours.capped);
    drawMarginsAxes(ctx, st);
  } else {
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.drawImage(overlay(panel, st, d, hex, k), 0, 0);
    ctx.setTransform(k, 0, 0, k, 0, 0);
  }
  // red rings just outside the misclassified points (over everything, as the PIL frame)
  const wrongTest = bitsOf(f.wrong_test, d.test.n), wrongTrain = bitsOf(f.wrong_train, d.train.n);
  for (let i = 0; i < d.test.n; i++) {
    if (wrongTest[i]) ring(ctx, d.test.xy[2 * i], d.test.xy[2 * i + 1], st.r + 2, 2, st.colours.mistake);
  }
  for (let i = 0; i < d.train.n; i++) {
    if (wrongTrain[i]) ring(ctx, d.train.xy[2 * i], d.train.xy[2 * i + 1], (radii ? radii[i] : st.r) + 2, 2,
                            st.colours.mistake);
  }
  canvas.dataset.step = String(f.step);
  canvas.__frame = f;  // for browser tests: the data this picture was drawn from
  return true;
}

// A picture the class must see whole (the boundary, the fit) fills its column but ends spec.fit px above the
// screen's bottom edge: its top measured in the page, not the viewport, so scrolling never resizes it.
// Never under MIN_FIT px.
const MIN_FIT = 200;
const FITTED = new Set();

function scrollParent(el) {
  for (let e = el.parentElement; e; e = e.parentElement) {
    const o = getComputedStyle(e).overflowY;
    if ((o === "auto" || o === "scroll") && e.scrollHeight > e.clientHeight) return e;
  }
  return null;
}

function fitToScreen(panel) {
  const c = panel.canvas;
  if (!c.isConnected) { FITTED.delete(panel); return; }
  // Kept once found: walking up the page's styles every frame would cost the browser each frame (until the
  // page overflows there is none, and nothing to scroll)
  if (!panel.scroller || !panel.scroller.isConnected) panel.scroller = scrollParent(c);
  const sc = panel.scroller;
  const top = c.getBoundingClientRect().top + (sc ? sc.scrollTop : window.scrollY);
  const aspect = c.width > 0 && c.height > 0 ? c.height / c.width : 1;
  const room = Math.max(MIN_FIT, window.innerHeight - top - panel.fit);
  const max = "min(100%, " + Math.floor(room / aspect) + "px)";
  if (c.style.maxWidth !== max) c.style.maxWidth = max;
}

function refitAll() {
  for (const p of FITTED) fitToScreen(p);
}

if (!globalThis.__playgroundFitListener) {
  globalThis.__playgroundFitListener = true;
  window.addEventListener("resize", refitAll);
}

// Something shown above a picture after its last frame (an alert, a text unfolding while paused) moves it
// down: the page's main column is watched, and the pictures fit again when its size changes.
const LAYOUT = {watched: null, observer: null};

function watchLayout(canvas) {
  const main = canvas.closest('[data-testid="stMainBlockContainer"]');
  if (!main || main === LAYOUT.watched || typeof ResizeObserver === "undefined") return;
  if (!LAYOUT.observer) LAYOUT.observer = new ResizeObserver(refitAll);
  LAYOUT.observer.disconnect();
  LAYOUT.observer.observe(main);
  LAYOUT.watched = main;
}

// A click (mouse or touch: a pointer pressed and released in place) on a panel that takes clicks (spec.clicks):
// where in the data it fell, sent to the server as the trigger "click" (ui/live_view.show's on_click callback
// edits the training data). Outside the plot box: nothing. canvas.dataset.clicks counts the clicks sent.
function dataAt(panel, ev) {
  const f = panel.frame;
  const st = f && (f.static && f.static.plot ? f.static : f.kind === "plot" ? f : null);
  if (!st || !st.bounds || !st.plot) return null;
  const rect = panel.canvas.getBoundingClientRect();
  if (!(rect.width > 0 && rect.height > 0)) return null;
  const lx = (ev.clientX - rect.left) * st.w / rect.width, ly = (ev.clientY - rect.top) * st.h / rect.height;
  const [L, T, PW, PH] = st.plot, [x0, x1, y0, y1] = st.bounds;
  if (lx < L || lx > L + PW || ly < T || ly > T + PH) return null;
  return {x: x0 + (lx - L) / PW * (x1 - x0), y: y1 - (ly - T) / PH * (y1 - y0)};
}

function takeClicks(panel) {
  const canvas = panel.canvas;
  canvas.style.cursor = "crosshair";
  canvas.dataset.clicks = "0";
  let down = null;
  canvas.addEventListener("pointerdown", (ev) => { down = {id: ev.pointerId, x: ev.clientX, y: ev.clientY}; });
  canvas.addEventListener("pointercancel", () => { down = null; });
  canvas.addEventListener("pointerup", (ev) => {
    const d = down;
    down = null;
    if (!d || d.id !== ev.pointerId || Math.hypot(ev.clientX - d.x, ev.clientY - d.y) > 10 || !panel.send) return;
    const at = dataAt(panel, ev);
    if (!at) return;
    const n = +canvas.dataset.clicks + 1;
    canvas.dataset.clicks = String(n);
    panel.send("click", {panel: panel.id, x: at.x, y: at.y, n});
  });
}

// The canvas's text alternative follows the frames at most once a second (a screen reader asked for it
// reads the latest, the page does not chatter); the last one always lands.
const LABEL_EVERY_MS = 1000;
function setLabel(p, label) {
  if (!label || label === p.label) return;
  p.label = label;
  const apply = () => { p.labelAt = performance.now(); p.canvas.setAttribute("aria-label", p.label); };
  clearTimeout(p.labelTimer);
  const wait = p.labelAt === undefined ? 0 : p.labelAt + LABEL_EVERY_MS - performance.now();
  if (wait <= 0) apply(); else p.labelTimer = setTimeout(apply, wait);
}

function makePanel(spec) {
  const wrap = document.createElement("div");
  const canvas = document.createElement("canvas");
  canvas.id = spec.id;
  canvas.width = 420; canvas.height = 420;
  canvas.style.display = "block";
  canvas.style.maxWidth = "100%";
  canvas.style.height = "auto";
  canvas.dataset.frames = "0";
  canvas.setAttribute("role", "img");  // its words: aria-label, from the server (setLabel)
  const after = document.createElement("div");
  wrap.append(canvas, after);
  const panel = {id: spec.id, wrap, canvas, after, frame: null, overlay: null, overlayKey: null, small: null};
  const redraw = () => {
    const st = panel.frame && (panel.frame.static || panel.frame.plot || panel.frame.tiles || panel.frame.columns);
    if (!st) return;
    const dpr = window.devicePixelRatio || 1;
    const want = Math.round(canvas.getBoundingClientRect().width * dpr);
    if (want > 0 && want !== canvas.width) draw(panel);  // resized or zoomed: the same frame, sharp again
  };
  if (spec.clicks) takeClicks(panel);
  canvas.addEventListener("mousemove", (ev) => netPointer(panel, ev));  // a network frame's tooltips
  canvas.addEventListener("mouseleave", () => netHover(panel, null));
  if (typeof ResizeObserver !== "undefined") {
    panel.observer = new ResizeObserver(redraw);
    try { panel.observer.observe(canvas, {box: "device-pixel-content-box"}); }
    catch (e) { panel.observer.observe(canvas); }
  }
  return panel;
}

export default function liveCanvas(component) {
  const {data, parentElement} = component;
  if (!data || !parentElement) return;
  let state = STATE.get(parentElement);
  if (!state) {
    const root = document.createElement("div");
    root.className = "live-canvas";
    const before = document.createElement("div");
    const panels = document.createElement("div");
    root.append(before, panels);
    parentElement.appendChild(root);
    state = {root, before, panelsDiv: panels, panels: []};
    STATE.set(parentElement, state);
  }
  // Each update imports its module before calling this, so a quick pair can arrive out of order (a
  // paused page would keep the older frame): draw none older than the last drawn. Allow a far older
  // one: the server restarted under a clock set back.
  const seq = +data.seq || 0;
  if (seq && state.seq && seq <= state.seq && seq > state.seq - 60e6) {
    // too late to draw, but its points may be what the newer frames name by token alone (a module frame's
    // import can finish after the loader frames behind it): kept, or nothing is drawn until the next module frame
    for (const spec of data.panels || []) if (spec.frame && spec.frame.static) decodeStatic(spec.frame.static);
    return;
  }
  if (seq) { state.seq = seq; state.root.dataset.seq = String(seq); }
  const specs = data.panels || [];
  if (specs.map((s) => s.id).join("|") !== state.panels.map((p) => p.id).join("|")) {
    for (const p of state.panels) if (p.observer) p.observer.disconnect();
    state.panels = specs.map(makePanel);
    state.panelsDiv.replaceChildren(...state.panels.map((p) => p.wrap));
  }
  // Server-built HTML, its text already escaped (the status line with its data-* marks, captions).
  if (state.beforeHtml !== data.before) { state.before.innerHTML = data.before || ""; state.beforeHtml = data.before; }
  specs.forEach((spec, i) => {
    const p = state.panels[i];
    const width = spec.fit !== undefined ? "100%" : spec.width + "px";  // a main picture fills its column
    if (p.canvas.style.width !== width) p.canvas.style.width = width;
    if (p.afterHtml !== spec.after) { p.after.innerHTML = spec.after || ""; p.afterHtml = spec.after; }
    p.fit = spec.fit;
    setLabel(p, spec.label);
    p.send = component.setTriggerValue;  // (each update's: it names the element's current trigger)
    if (spec.fit !== undefined) { FITTED.add(p); watchLayout(p.canvas); fitToScreen(p); }
    if (spec.frame.same) return;  // a side view the server did not recompute: keep its picture
    p.frame = spec.frame;
    if (draw(p)) p.canvas.dataset.frames = String(+p.canvas.dataset.frames + 1);
    if (spec.fit !== undefined) fitToScreen(p);  // its aspect may have changed with the frame
  });
}

// Later frames of a script run send a small loader instead of this module (ui/live_view.py): it calls
// the drawing function this module left here.
globalThis.__playgroundLiveCanvas = liveCanvas;
