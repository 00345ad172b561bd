'use strict';
// Triple "map-cache" (a leak): each action puts exactly 300 CachedResponse
// objects into the module-level Map `responseCache`, keyed by distinct
// strings ("/item/<n>"); nothing is ever evicted. Keys and bodies are kept
// under 13 characters so that V8 makes them flat strings: longer template
// strings would stay trees of several (concatenated string) nodes each.
//
//   node --expose-gc map-cache.js OUTDIR
//
// CachedResponse: baseline 0, target 300 (all new), final 600 (300 new
// since target; the first 300 survive).
const {prng, runTriple} = require('../lib/triple.js');

class CachedResponse {
  constructor(status, body) {
    this.status = status;
    this.body = body;
  }
}

const responseCache = new Map();
const rnd = prng(0xCAC4E);
let n = 0;

function action() {
  for (let i = 0; i < 300; i++) {
    const k = (rnd() * 100000) | 0;
    const key = `/item/${n}`;
    responseCache.set(key, new CachedResponse(200 + (k % 3), `v=${k}`));
    n++;
  }
}

runTriple('map-cache', {action});
