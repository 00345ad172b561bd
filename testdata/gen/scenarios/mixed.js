'use strict';
// Scenario "mixed": a small but realistic heap with many kinds of objects,
// then a heap snapshot written with v8.writeHeapSnapshot().
//
//   node mixed.js OUT.heapsnapshot
//
// Also used as a library by alloc.js (require('./mixed.js').buildHeap()).
// Deterministic: no Math.random (a seeded PRNG instead), no dates, no env.
//
// What is in it (counts are exact unless noted):
//   Order x300, Customer x120 (each Order points at a Customer)
//   Item x60 (this file) and Item x40 (lib/other-item.js): same name, two
//     constructors -> two rows in DevTools' Summary, keyed by location
//   {id, name, price} x500 (string values), {x, y} x400 (small integers)
//   growing arrays, a Map cache of 200 entries, a Set of 100 strings
//   150 closures registered as EventEmitter listeners
//   strings: long ones, one of ~1 MB (1,000,000 chars), concatenated strings
//   Uint8Array(65536), ArrayBuffer(262144), a DataView
//   WeakMap with 5 entries, RegExps
//   LeakyThing x777, held by the module-level array `leakyThings`
//   property names that are not identifiers ("user7@example.com",
//     "has space", "a-b", "1st", "ключ") for privacy-filter tests

const EventEmitter = require('events');
const v8 = require('v8');
const {makeOtherItems} = require('./lib/other-item.js');

// mulberry32: tiny seeded PRNG, deterministic across Node versions.
function prng(seed) {
  let a = seed >>> 0;
  return function() {
    a = (a + 0x6D2B79F5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Customer {
  constructor(id, name) {
    this.id = id;
    this.name = name;
    this.email = `customer${id}@example.com`;
    this.orders = [];
  }
}

class Order {
  constructor(id, customer, total) {
    this.id = id;
    this.customer = customer;
    this.total = total;
    this.lines = [id % 5, id % 7, id % 11];
    this.status = id % 3 === 0 ? 'shipped' : 'open';
  }
}

class Item {
  constructor(name, price) {
    this.name = name;
    this.price = price;
  }
}

// The planted leak: 777 instances that nothing but `leakyThings` holds.
class LeakyThing {
  constructor(i) {
    this.index = i;
    this.payload = new Array(16).fill(i);
    this.label = 'leaky#' + i;
  }
}
const leakyThings = [];

function buildHeap() {
  const rnd = prng(20240611);
  const heap = {};

  const customers = [];
  for (let i = 0; i < 120; i++) {
    customers.push(new Customer(i, 'Customer ' + i));
  }
  const orders = [];
  for (let i = 0; i < 300; i++) {
    const c = customers[i % customers.length];
    const o = new Order(i, c, Math.round(rnd() * 100000) / 100);
    c.orders.push(o);
    orders.push(o);
  }
  heap.customers = customers;
  heap.orders = orders;

  const items = [];
  for (let i = 0; i < 60; i++) {
    items.push(new Item('item-' + i, i * 3 + 1));
  }
  heap.items = items;
  heap.otherItems = makeOtherItems(40);

  // Plain objects of two shapes. V8 does not report small-integer or unboxed
  // double fields as edges, so DevTools names an object's shape only after
  // the properties that point at heap objects: products (all strings) show
  // up as "{id, name, price}", while points (all small integers) have no
  // property edges and stay in the generic "Object" row.
  const products = [];
  for (let i = 0; i < 500; i++) {
    const price = (Math.round(rnd() * 10000) / 100).toFixed(2);
    products.push({id: 'P' + (1000 + i), name: 'product-' + i, price: price});
  }
  const points = [];
  for (let i = 0; i < 400; i++) {
    points.push({x: i, y: (i * 7) % 400});
  }
  heap.products = products;
  heap.points = points;

  // Arrays that grow (backing store reallocated several times).
  const growing = [];
  for (let i = 0; i < 5000; i++) {
    growing.push(i * 2);
  }
  const nested = [];
  for (let i = 0; i < 50; i++) {
    const row = [];
    for (let j = 0; j < i; j++) {
      row.push('r' + i + 'c' + j);
    }
    nested.push(row);
  }
  heap.growing = growing;
  heap.nested = nested;

  // A Map cache and a Set.
  const cache = new Map();
  for (let i = 0; i < 200; i++) {
    cache.set('key:' + i, {hits: i, value: 'cached value ' + i});
  }
  const tags = new Set();
  for (let i = 0; i < 100; i++) {
    tags.add('tag-' + i);
  }
  heap.cache = cache;
  heap.tags = tags;

  // Closures registered as listeners.
  const bus = new EventEmitter();
  bus.setMaxListeners(0);
  for (let i = 0; i < 150; i++) {
    const captured = {listenerIndex: i};
    bus.on('evt' + (i % 10), function onEvent(arg) {
      return captured.listenerIndex + arg;
    });
  }
  heap.bus = bus;

  // Strings: a flat one of 1,000,000 chars (below Node's external-string
  // threshold, so it stays on the V8 heap), some long ones, and cons strings.
  const pattern = Buffer.from('The quick brown fox jumps over the lazy dog. ');
  const big = Buffer.alloc(1000000);
  for (let i = 0; i < big.length; i += pattern.length) {
    pattern.copy(big, i);
  }
  heap.bigString = big.toString('latin1');
  const longStrings = [];
  for (let i = 0; i < 20; i++) {
    longStrings.push(('long string ' + i + ' ').repeat(200 + i).slice(0));
  }
  heap.longStrings = longStrings;
  const consStrings = [];
  for (let i = 0; i < 30; i++) {
    // Long enough (>= 13 chars) to be a ConsString rather than flattened.
    consStrings.push(longStrings[i % 20] + ' / suffix number ' + i);
  }
  heap.consStrings = consStrings;

  // Typed arrays and buffers.
  const bytes = new Uint8Array(65536);
  for (let i = 0; i < bytes.length; i++) {
    bytes[i] = i & 0xff;
  }
  heap.bytes = bytes;
  heap.buffer = new ArrayBuffer(262144);
  heap.view = new DataView(heap.buffer, 0, 1024);

  // WeakMap with a few entries (keys kept alive elsewhere).
  const weak = new WeakMap();
  heap.weakKeys = [];
  for (let i = 0; i < 5; i++) {
    const key = {weakKey: i};
    heap.weakKeys.push(key);
    weak.set(key, {meta: 'weak value ' + i});
  }
  heap.weak = weak;

  heap.regexps = [/^[a-z0-9._%+-]+@[a-z0-9.-]+\.[a-z]{2,}$/i, new RegExp('order-(\\d+)', 'g')];

  // Property names that are not identifiers.
  const byEmail = {};
  for (let i = 0; i < 10; i++) {
    byEmail['user' + i + '@example.com'] = customers[i];
  }
  heap.byEmail = byEmail;
  heap.oddNames = {'has space': 1, 'a-b': 2, '1st': 3, 'ключ': 'value', 'tab\there': 4};

  // The planted leak.
  for (let i = 0; i < 777; i++) {
    leakyThings.push(new LeakyThing(i));
  }
  heap.leakCount = () => leakyThings.length;

  return heap;
}

module.exports = {buildHeap, Customer, Order, Item, LeakyThing, leakyThings};

if (require.main === module) {
  const {outputPath} = require('./lib/write-snapshot.js');
  const out = outputPath();
  globalThis.hsScenario = buildHeap();
  v8.writeHeapSnapshot(out);
}
