'use strict';
// Series "leak" (a slow leak): every tick, 40 SessionRecord objects (each
// with a small history array) are pushed into the module-level array
// `sessionLog`, which is never emptied: 2,000 more per snapshot interval,
// all of them still alive at the end.  A samples run pushes 40 times as
// many per tick, so that the heap's growth stands out of GC's sawtooth.
//
//   node --expose-gc leak.js snapshots OUTDIR
//   node leak.js samples > leak.ndjson
const {prng, runSeries} = require('../lib/series.js');

class SessionRecord {
  constructor(seq, rnd) {
    this.seq = seq;
    this.user = (rnd() * 100000) | 0;
    this.history = [seq, (rnd() * 1000) | 0, (rnd() * 1000) | 0];
  }
}

const sessionLog = [];
const rnd = prng(0x5E551);
let seq = 0;

runSeries({
  tick(n, mode) {
    const k = mode === 'samples' ? 1600 : 40;
    for (let i = 0; i < k; i++) sessionLog.push(new SessionRecord(seq++, rnd));
  },
});
