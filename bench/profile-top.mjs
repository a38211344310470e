// `node bench/profile-top.mjs FILE.cpuprofile [N]`: the N functions with the most self time in a
// V8 CPU profile (what `npm run bench -- --prof` writes), and the share of time per package or
// source folder, so a profile can be read without DevTools.
import fs from 'node:fs';

const [file, n = '25'] = process.argv.slice(2);
if (!file) {
  console.error('usage: node bench/profile-top.mjs FILE.cpuprofile [N]');
  process.exit(2);
}
const profile = JSON.parse(fs.readFileSync(file, 'utf8'));
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const self = new Map();
const dt = profile.timeDeltas;
for (let i = 0; i < profile.samples.length; i++) self.set(profile.samples[i], (self.get(profile.samples[i]) ?? 0) + (dt[i] ?? 0));
const total = [...self.values()].reduce((a, b) => a + b, 0);
const idle = [...self].filter(([id]) => byId.get(id).callFrame.functionName === '(idle)').reduce((a, [, t]) => a + t, 0);
const busy = total - idle;

function where(frame) {
  const url = frame.url.replace(/^file:\/\//, '');
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1];
  const own = /\/(dist|src)\/(.+?)\/[^/]+$/.exec(url);
  if (own) return `${own[1]}/${own[2]}`;
  if (url.startsWith('node:')) return url;
  return url ? url.split('/').slice(-2).join('/') : frame.functionName.startsWith('(') ? frame.functionName : '(native)';
}

const fns = new Map();
const places = new Map();
for (const [id, t] of self) {
  const { callFrame: f } = byId.get(id);
  if (f.functionName === '(idle)') continue;
  const key = `${f.functionName || '(anonymous)'} ${where(f)}${f.lineNumber >= 0 ? `:${f.lineNumber + 1}` : ''}`;
  fns.set(key, (fns.get(key) ?? 0) + t);
  const place = where(f);
  places.set(place, (places.get(place) ?? 0) + t);
}
// Inclusive time of Tessera's own functions (dist/ or src/): where the self time above comes from.
const inclusive = new Map();
const children = new Map(profile.nodes.map((node) => [node.id, node.children ?? []]));
function subtree(id) {
  let t = self.get(id) ?? 0;
  for (const c of children.get(id)) t += subtree(c);
  return t;
}
const totals = new Map();
(function visit(id, seen) {
  const { callFrame: f } = byId.get(id);
  const own = /\/(dist|src)\//.test(f.url);
  const key = `${f.functionName || '(anonymous)'} ${where(f)}:${f.lineNumber + 1}`;
  const first = own && !seen.has(key);
  if (first) {
    totals.set(id, subtree(id));
    inclusive.set(key, (inclusive.get(key) ?? 0) + totals.get(id));
    seen.add(key);
  }
  for (const c of children.get(id)) visit(c, seen);
  if (first) seen.delete(key);
})(profile.nodes[0].id, new Set());
const pct = (t) => `${((100 * t) / busy).toFixed(1)} %`;
console.log(`busy ${(busy / 1e6).toFixed(2)} s of ${(total / 1e6).toFixed(2)} s sampled (idle ${((100 * idle) / total).toFixed(0)} %); shares of busy time`);
console.log('\nself time by function:');
for (const [k, t] of [...fns].sort((a, b) => b[1] - a[1]).slice(0, Number(n))) console.log(`  ${pct(t).padStart(7)}  ${k}`);
console.log("\ninclusive time of Tessera's functions:");
for (const [k, t] of [...inclusive].sort((a, b) => b[1] - a[1]).slice(0, Number(n))) console.log(`  ${pct(t).padStart(7)}  ${k}`);
console.log('\nself time by package / folder:');
for (const [k, t] of [...places].sort((a, b) => b[1] - a[1]).slice(0, 20)) console.log(`  ${pct(t).padStart(7)}  ${k}`);
