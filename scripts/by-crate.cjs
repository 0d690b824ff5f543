// Who pays for a wasm's bytes: `twiggy top` over an optimized wasm with names kept
// (`wasm-opt -Oz -g`), each item's shallow size grouped by the crate it comes from (the
// seedance crate by module); the shallow sizes add up to the whole wasm. Used by
// scripts/bench (the npm web entry) and scripts/bench-playground (the first app).
//
//   const { byCrate } = require("./by-crate.cjs");
//   const { rows, counted } = byCrate("named.wasm", 16);
const { execFileSync } = require("node:child_process");

/** The `top` largest groups as `[name, bytes]`, largest first, and the bytes counted. */
function byCrate(namedWasm, top) {
  const csv = execFileSync("twiggy", ["top", "-n", "100000", "--format", "csv", namedWasm], {
    encoding: "utf8",
    maxBuffer: 1 << 28,
  });
  const groups = new Map();
  let counted = 0;
  for (const line of csv.split("\n").slice(1)) {
    const m = line.match(/^"?(.*?)"?,(\d+),/);
    if (!m) continue;
    const [, name, size] = m;
    if (/custom section|function names|names" subsection|^import /.test(name)) continue;
    const own = name.match(/seedance::([a-z_]+)/);
    const group = name.startsWith("data[") || name.startsWith("data segment")
      ? "(data: strings, tables)"
      : / shim/.test(name)
        ? "(exports: wasm-bindgen shims)"
        : own
          ? `seedance::${own[1]}`
          : (name.match(/^<?(?:&mut |&|dyn )?([a-z_0-9]+)/) || [, "(other)"])[1];
    groups.set(group, (groups.get(group) ?? 0) + Number(size));
    counted += Number(size);
  }
  const rows = [...groups].sort((a, b) => b[1] - a[1]).slice(0, top);
  return { rows, counted };
}

module.exports = { byCrate };
