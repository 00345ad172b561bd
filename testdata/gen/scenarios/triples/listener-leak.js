'use strict';
// Triple "listener-leak" (a leak): each action adds exactly 250 listeners to
// the module-level EventEmitter `bus`, never removed. Each listener is a
// fresh closure, the named function `onLeakyEvent`, that captures its own
// ListenerContext object.
//
//   node --expose-gc listener-leak.js OUTDIR
//
// ListenerContext (and onLeakyEvent closures): baseline 0, target 250,
// final 500 (250 new since target; the first 250 survive).
const EventEmitter = require('events');
const {prng, runTriple} = require('../lib/triple.js');

class ListenerContext {
  constructor(id, rnd) {
    this.id = id;
    this.weight = (rnd() * 100) | 0;
    this.hits = 0;
  }
}

const bus = new EventEmitter();
bus.setMaxListeners(0); // unlimited: no MaxListenersExceededWarning
const rnd = prng(0x11573);
let nextId = 0;

function subscribe() {
  const ctx = new ListenerContext(nextId++, rnd);
  bus.on('leaky', function onLeakyEvent(value) {
    ctx.hits += value;
  });
}

function action() {
  for (let i = 0; i < 250; i++) subscribe();
}

runTriple('listener-leak', {action});
