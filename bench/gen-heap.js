#!/usr/bin/env node
// Build a realistic, deterministic JS heap and write a V8 heap snapshot.
//
// Usage:
//   node --max-old-space-size=MB bench/gen-heap.js OUT.heapsnapshot TARGET_MB [--long-string] [--units=N] [--serve]
//
// TARGET_MB is the approximate size of the *snapshot file* (not of the heap).
// The heap is built from "units"; UNITS_PER_MB (calibrated on node v20) maps
// TARGET_MB to a unit count. --units=N overrides the calibration.
// --long-string adds one 64 MiB string (held by a module-level variable) on
// top of TARGET_MB, so the file comes out ~TARGET_MB + 64.
// --serve builds the heap, says "gen-heap: ready" on stderr and stays up;
// each SIGUSR2 then writes the snapshot to OUT with v8.writeHeapSnapshot()
// and says "gen-heap: wrote SECONDS s" (bench/capture.sh times hs-capture
// against that on the same process).
'use strict';

const v8 = require('v8');
const fs = require('fs');
const path = require('path');
const { EventEmitter } = require('events');

// Calibration (node v20, x86-64): an empty node process gives a ~4 MB
// snapshot and each unit adds ~0.228 MB of snapshot text (~0.16 MB of heap).
const BASE_MB = 4;
const UNITS_PER_MB = Number(process.env.HS_GEN_UNITS_PER_MB || 4.39);

function usage() {
  process.stderr.write('usage: node bench/gen-heap.js OUT.heapsnapshot TARGET_MB [--long-string] [--units=N]\n');
  process.exit(2);
}

const args = process.argv.slice(2);
const pos = args.filter((a) => !a.startsWith('--'));
const opts = new Set(args.filter((a) => a.startsWith('--')).map((a) => a.split('=')[0]));
if (pos.length !== 2) usage();
const outPath = pos[0];
const targetMB = Number(pos[1]);
if (!(targetMB > 0)) usage();
const longString = opts.has('--long-string');
const unitsArg = args.find((a) => a.startsWith('--units='));
const UNITS = unitsArg ? Number(unitsArg.split('=')[1]) : Math.max(1, Math.round((targetMB - BASE_MB) * UNITS_PER_MB));

// ---- deterministic PRNG (mulberry32) -------------------------------------
let seed = 0x5eed1234 ^ Math.round(targetMB);
function rand() {
  seed |= 0; seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const ri = (n) => Math.floor(rand() * n);
const pick = (a) => a[ri(a.length)];

const WORDS = ('alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho sigma ' +
  'tau upsilon phi chi psi omega user order item cart session token request response header body cache ' +
  'shard region zone cluster node pod service route handler widget render state props context ' +
  'metric sample bucket queue worker job task event listener stream buffer chunk frame packet').split(' ');
const ALNUM = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

function randWord() { return pick(WORDS); }
function randId(n) { let s = ''; for (let i = 0; i < n; i++) s += ALNUM[ri(62)]; return s; }
// Flat (non-cons) string of a given approximate length; many are unique.
function randText(len) {
  const parts = [];
  let l = 0;
  while (l < len) { const w = randWord(); parts.push(w); l += w.length + 1; }
  let s = parts.join(' ');
  if (s.length > len) s = s.slice(0, len);
  return s + '#' + ri(1e9).toString(36); // defeat internalization/dedup
}
function randLenText() {
  // skewed distribution: mostly short, some medium, few long
  const r = rand();
  if (r < 0.6) return randText(4 + ri(20));
  if (r < 0.9) return randText(24 + ri(100));
  if (r < 0.99) return randText(128 + ri(900));
  return randText(1024 + ri(8000));
}

// ---- classes ---------------------------------------------------------------
class User {
  constructor(id) {
    this.id = id;
    this.name = randWord() + '_' + randId(6);
    this.email = randId(8) + '@example.' + pick(['com', 'org', 'net']);
    this.age = 18 + ri(60);
    this.active = rand() < 0.8;
    this.tags = [randWord(), randWord()];
    this.profile = null;
  }
}
class Address {
  constructor() {
    this.street = ri(9999) + ' ' + randWord() + ' St';
    this.city = pick(WORDS);
    this.zip = String(10000 + ri(89999));
    this.geo = { lat: rand() * 180 - 90, lon: rand() * 360 - 180 };
  }
}
class Order {
  constructor(id, user) {
    this.id = id;
    this.user = user;
    this.items = [];
    this.total = 0;
    this.createdAt = new Date(1.6e12 + ri(1e10));
    this.status = pick(['new', 'paid', 'shipped', 'done']);
  }
  add(item) { this.items.push(item); this.total += item.price * item.qty; }
}
class LineItem {
  constructor() {
    this.sku = 'SKU-' + randId(8);
    this.qty = 1 + ri(5);
    this.price = Math.round(rand() * 10000) / 100;
  }
}
class TreeNode {
  constructor(value, parent) {
    this.value = value;
    this.parent = parent;
    this.children = [];
    this.meta = undefined;
  }
}
class Component {
  constructor(name) {
    this.name = name;
    this.props = { key: randId(4), visible: rand() < 0.5, width: ri(1000), height: ri(1000) };
    this.state = new Map();
    this.emitter = new EventEmitter();
    this.emitter.setMaxListeners(0);
  }
}
// The planted leak: instances kept alive by a module-level array.
class LeakedRequest {
  constructor(i) {
    this.id = i;
    this.url = '/api/' + randWord() + '/' + randId(10) + '?q=' + randWord();
    this.method = pick(['GET', 'POST', 'PUT', 'DELETE']);
    this.headers = { 'content-type': 'application/json', 'x-request-id': randId(16), 'user-agent': 'bench/' + ri(100) };
    this.body = new Uint8Array(256 + ri(1024));
    this.startedAt = 1.7e12 + i;
    this.onDone = () => this.id; // closure capturing `this`
  }
}

// ---- module-level roots ---------------------------------------------------
const leakedRequests = [];                 // the leak
const userCache = new Map();               // Map cache
const seenSkus = new Set();                // Set cache
const bus = new EventEmitter();            // global event bus
bus.setMaxListeners(0);
const registries = [];                     // everything else
let LONG_STRING = null;

function makeTree(depth, breadth, parent) {
  const n = new TreeNode(ri(1e6), parent);
  if (depth > 0) for (let i = 0; i < breadth; i++) n.children.push(makeTree(depth - 1, breadth, n));
  else n.meta = { leaf: true, label: randLenText() };
  return n;
}

function buildUnit(u) {
  const unit = { id: u, users: [], orders: [], shapes: [], components: [], blobs: [], trees: [], strings: [] };

  // class instances + Map cache
  for (let i = 0; i < 60; i++) {
    const user = new User(u * 1000 + i);
    if (rand() < 0.5) user.profile = { address: new Address(), bio: randLenText(), prefs: { theme: pick(['dark', 'light']), lang: pick(['en', 'de', 'fr']) } };
    unit.users.push(user);
    userCache.set('user:' + user.id, user);
  }
  for (let i = 0; i < 40; i++) {
    const o = new Order(u * 1000 + i, pick(unit.users));
    const n = 1 + ri(4);
    for (let k = 0; k < n; k++) {
      const it = new LineItem();
      o.add(it);
      if (rand() < 0.3) seenSkus.add(it.sku);
    }
    unit.orders.push(o);
  }

  // plain objects of several shapes
  for (let i = 0; i < 120; i++) {
    switch (i % 5) {
      case 0: unit.shapes.push({ x: rand(), y: rand() }); break;
      case 1: unit.shapes.push({ x: rand(), y: rand(), z: rand(), w: ri(100) }); break;
      case 2: unit.shapes.push({ kind: randWord(), value: ri(1e6), label: randLenText(), nested: { a: [1, 2, 3], b: { c: randWord() } } }); break;
      case 3: unit.shapes.push({ id: randId(12), list: Array.from({ length: ri(20) }, () => ri(1000)), flag: rand() < 0.5 }); break;
      default: { const o = {}; const k = 3 + ri(6); for (let j = 0; j < k; j++) o[randWord() + j] = rand() < 0.5 ? ri(1000) : randWord(); unit.shapes.push(o); }
    }
  }

  // arrays: numeric, mixed, and of strings
  unit.numbers = Array.from({ length: 200 }, () => rand() * 1000);
  unit.ints = Array.from({ length: 200 }, () => ri(1 << 20));
  unit.mixed = Array.from({ length: 50 }, (_, i) => (i % 3 === 0 ? randWord() : i % 3 === 1 ? { i } : [i, i + 1]));

  // closures registered on EventEmitters
  for (let i = 0; i < 6; i++) {
    const c = new Component('C' + u + '_' + i);
    const captured = { hits: 0, label: randWord() };
    c.emitter.on('update', (v) => { captured.hits += v; c.state.set('last', v); });
    c.emitter.on('render', function render() { return c.name + captured.label; });
    c.state.set('mounted', true);
    c.state.set('data', unit.shapes[ri(unit.shapes.length)]);
    bus.on('tick:' + (u % 50), () => c.emitter.emit('update', 1));
    unit.components.push(c);
  }

  // strings of varied length
  for (let i = 0; i < 80; i++) unit.strings.push(randLenText());

  // typed arrays / ArrayBuffers (backing store is off-heap; keep moderate)
  unit.blobs.push(new Float64Array(64 + ri(256)));
  unit.blobs.push(new Uint8Array(new ArrayBuffer(512 + ri(2048))));
  const ab = new ArrayBuffer(1024);
  unit.blobs.push(new Int32Array(ab, 0, 64), new DataView(ab, 256, 128));

  // nested structures
  unit.trees.push(makeTree(3, 3, null));
  unit.config = { env: { name: randWord(), vars: Object.fromEntries(Array.from({ length: 10 }, () => [randWord() + ri(100), randId(10)])) },
    layers: [[{ a: 1 }, { b: [2, 3] }], { deep: { deeper: { deepest: [randWord()] } } }] };

  // leak: a few LeakedRequest per unit
  for (let i = 0; i < 8; i++) leakedRequests.push(new LeakedRequest(u * 8 + i));

  return unit;
}

const t0 = Date.now();
for (let u = 0; u < UNITS; u++) registries.push(buildUnit(u));
if (longString) {
  // V8 truncates strings in snapshots to --heap-snapshot-string-limit (default
  // 1024 chars); raise it so the whole 64 MiB string is written.
  v8.setFlagsFromString('--heap-snapshot-string-limit=' + (128 << 20));
  // ~64 MB one-byte flat string (repeat() makes a flat sequential string).
  const chunk = randText(1 << 16).slice(0, 1 << 16);
  // repeat() yields a rope (cons string) that the snapshot does not expand;
  // a JSON round trip gives one flat sequential string of exactly 64 MiB.
  LONG_STRING = JSON.parse(JSON.stringify(chunk.repeat(1024)));
  globalThis.__benchLongString = LONG_STRING;
}
globalThis.__benchRoots = { registries, userCache, seenSkus, bus, leakedRequests };

const t1 = Date.now();
const hs = process.memoryUsage();
if (opts.has('--serve')) {
  process.stderr.write(`gen-heap: ready heapUsed=${(hs.heapUsed / 1048576).toFixed(0)}MB ` +
    `build=${((t1 - t0) / 1000).toFixed(1)}s\n`);
  process.on('SIGUSR2', () => {
    const w0 = process.hrtime.bigint();
    const f = v8.writeHeapSnapshot(outPath + '.tmp');
    fs.renameSync(f, outPath);
    const secs = Number(process.hrtime.bigint() - w0) / 1e9;
    process.stderr.write(`gen-heap: wrote ${secs.toFixed(2)} s ${fs.statSync(outPath).size} bytes\n`);
  });
  setInterval(() => {}, 1 << 30);
  return;
}
fs.mkdirSync(path.dirname(path.resolve(outPath)), { recursive: true });
const tmp = outPath + '.tmp';
const written = v8.writeHeapSnapshot(tmp);
fs.renameSync(written, outPath);
const t2 = Date.now();
const size = fs.statSync(outPath).size;
process.stderr.write(
  `gen-heap: units=${UNITS} heapUsed=${(hs.heapUsed / 1048576).toFixed(0)}MB ` +
  `build=${((t1 - t0) / 1000).toFixed(1)}s write=${((t2 - t1) / 1000).toFixed(1)}s ` +
  `snapshot=${(size / 1048576).toFixed(1)}MB -> ${outPath}\n`);
