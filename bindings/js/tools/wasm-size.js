// wasm-size.js FILE.wasm [TOP]: what takes the space in a Go-built wasm
// module with its name section (built without -ldflags=-s). Prints the code
// bytes per Go package (from the function names), the data segment bytes,
// and the largest functions. go tool nm cannot read wasm objects, so this
// reads the module's sections directly.
import { readFileSync } from "node:fs";

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

let imports = 0, bodies = [], names = new Map(), dataBytes = 0, total = buf.length, sections = {};
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
    for (let i = 0; i < n; i++) { const s = leb(); bodies.push(s); pos += s; }
  } else if (id === 11) {
    dataBytes += size;
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
bodies.forEach((s, i) => {
  const fn = names.get(i + imports) || "?";
  fns.push([s, fn]);
  const p = pkgOf(fn);
  byPkg.set(p, (byPkg.get(p) || 0) + s);
});
const codeBytes = bodies.reduce((a, b) => a + b, 0);
const kb = (n) => (n / 1024).toFixed(1).padStart(8) + " KiB";
console.log(`${file}: ${kb(total)} total, code ${kb(codeBytes)}, data ${kb(dataBytes)}, names/other ${kb(total - codeBytes - dataBytes)}`);
console.log(`code by package (top ${top}):`);
[...byPkg].sort((a, b) => b[1] - a[1]).slice(0, top).forEach(([p, s]) => console.log(`${kb(s)}  ${(100 * s / codeBytes).toFixed(1).padStart(5)}%  ${p}`));
console.log(`largest functions:`);
fns.sort((a, b) => b[0] - a[0]).slice(0, 10).forEach(([s, f]) => console.log(`${kb(s)}  ${f}`));
