// wasm-size.js FILE.wasm [TOP]: what takes the space in a Go-built wasm
// module with its name section (built without -ldflags=-s). Prints the code
// bytes per Go package (from the function names) with the gzip -9 size of
// each package's code compressed on its own (an estimate of what removing
// the package saves on the wire: compressed with the rest it would save a
// little less), the data segment bytes (raw and gzip), and the largest
// functions. go tool nm cannot read wasm objects, so this reads the module's
// sections directly.
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";

const [file, topArg] = process.argv.slice(2);
const top = Number(topArg || 25);
const buf = readFileSync(file);
let pos = 8;
const leb = () => {
  let result = 0, shift = 0, b;
  do { b = buf[pos++]; result += (b & 0x7f) * 2 ** shift; shift += 7; } while (b & 0x80);
  return result;
};
const str = () => { const n = leb(); const s = buf.toString("utf8", pos, pos + n); pos += n; return s; };

let imports = 0, bodies = [], names = new Map(), dataBytes = 0, dataGzip = 0, total = buf.length, sections = {};
while (pos < buf.length) {
  const id = buf[pos++];
  const size = leb();
  const start = pos, end = pos + size;
  sections[id] = (sections[id] || 0) + size;
  if (id === 2) { // imports: count function imports (they shift function indices)
    const n = leb();
    for (let i = 0; i < n; i++) {
      str(); str(); const kind = buf[pos++];
      if (kind === 0) { leb(); imports++; }
      else if (kind === 1) { pos++; const f = leb(); leb(); if (f & 1) leb(); }
      else if (kind === 2) { const f = leb(); leb(); if (f & 1) leb(); }
      else if (kind === 3) { pos += 2; }
    }
  } else if (id === 10) { // code
    const n = leb();
    for (let i = 0; i < n; i++) { const s = leb(); bodies.push([pos, s]); pos += s; }
  } else if (id === 11) {
    dataBytes += size;
    dataGzip += gzipSync(buf.subarray(start, end), { level: 9 }).length;
  } else if (id === 0) {
    const name = str();
    if (name === "name") {
      while (pos < end) {
        const sub = buf[pos++]; const sz = leb(); const subEnd = pos + sz;
        if (sub === 1) { const n = leb(); for (let i = 0; i < n; i++) { const idx = leb(); names.set(idx, str()); } }
        pos = subEnd;
      }
    }
  }
  pos = end;
}
if (names.size === 0) { console.error(`${file}: no name section (build without -ldflags=-s)`); process.exit(1); }

const pkgOf = (fn) => {
  // Go writes "/" in wasm names as "_": "github.com_x_y.(*T).M" is package
  // github.com/x/y, "fmt.Sprintf" is fmt.
  const domain = /^[\w-]+\.(com|org|net|io|in|dev)_/.exec(fn);
  const dot = fn.indexOf(".", domain ? domain[0].length : 0);
  return dot < 0 ? fn : fn.slice(0, dot);
};
const byPkg = new Map(), fns = [];
bodies.forEach(([at, s], i) => {
  const fn = names.get(i + imports) || "?";
  fns.push([s, fn]);
  const p = pkgOf(fn);
  if (!byPkg.has(p)) byPkg.set(p, { size: 0, parts: [] });
  const e = byPkg.get(p);
  e.size += s;
  e.parts.push(buf.subarray(at, at + s));
});
const codeBytes = bodies.reduce((a, [, s]) => a + s, 0);
const kb = (n) => (n / 1024).toFixed(1).padStart(8) + " KiB";
console.log(`${file}: ${kb(total)} total, code ${kb(codeBytes)}, data ${kb(dataBytes)} (gzip -9 ${kb(dataGzip).trim()}), names/other ${kb(total - codeBytes - dataBytes)}`);
console.log(`code by package (top ${top}): raw, share of the code, gzip -9 of the package's code alone`);
[...byPkg].sort((a, b) => b[1].size - a[1].size).slice(0, top).forEach(([p, { size, parts }]) =>
  console.log(`${kb(size)}  ${(100 * size / codeBytes).toFixed(1).padStart(5)}%  ${kb(gzipSync(Buffer.concat(parts), { level: 9 }).length)}  ${p}`));
console.log(`largest functions:`);
fns.sort((a, b) => b[0] - a[0]).slice(0, 10).forEach(([s, f]) => console.log(`${kb(s)}  ${f}`));
