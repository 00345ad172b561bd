'use strict';
// Series "plateau" (no leak: a cache that fills up): every tick serves 60
// requests for keys drawn from 1,000 distinct ones; a miss puts a new
// CachedPage into the module-level Map `pageCache`, never evicted.  The
// cache holds about 95% of the keys after the first snapshot interval and
// all of them soon after: it grows, then stays, and its objects survive.
// A samples run draws from 40,000 keys, 4,000 requests a tick.
//
//   node --expose-gc plateau.js snapshots OUTDIR
//   node plateau.js samples > plateau.ndjson
const {prng, runSeries} = require('../lib/series.js');

class CachedPage {
  constructor(key, rnd) {
    this.key = key;
    this.status = 200;
    this.parts = [key, (rnd() * 1000) | 0, (rnd() * 1000) | 0];
  }
}

const pageCache = new Map();
const rnd = prng(0xCAC4E);

runSeries({
  tick(n, mode) {
    const keys = mode === 'samples' ? 40000 : 1000;
    const requests = mode === 'samples' ? 4000 : 60;
    for (let i = 0; i < requests; i++) {
      const k = (rnd() * keys) | 0;
      if (!pageCache.has(k)) pageCache.set(k, new CachedPage(k, rnd));
    }
  },
});
