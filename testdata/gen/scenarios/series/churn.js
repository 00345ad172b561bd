'use strict';
// Series "churn" (no leak): the module-level array `workQueue` always holds
// 1,500 WorkItem objects; every tick drops 150 of the oldest and pushes 150
// new ones, so each snapshot holds the same number, and the objects new at
// one snapshot are gone ten ticks later.  A samples run also makes 2 MB of
// short-lived garbage a tick.
//
//   node --expose-gc churn.js snapshots OUTDIR
//   node churn.js samples > churn.ndjson
const {prng, runSeries} = require('../lib/series.js');

class WorkItem {
  constructor(seq, rnd) {
    this.seq = seq;
    this.cost = (rnd() * 1000) | 0;
    this.steps = [seq, (rnd() * 1000) | 0, (rnd() * 1000) | 0];
  }
}

const workQueue = [];
const rnd = prng(0xC4021);
let seq = 0;
let sink = 0;

runSeries({
  setup() {
    for (let i = 0; i < 1500; i++) workQueue.push(new WorkItem(seq++, rnd));
  },
  tick(n, mode) {
    workQueue.splice(0, 150);
    for (let i = 0; i < 150; i++) workQueue.push(new WorkItem(seq++, rnd));
    if (mode === 'samples') {
      let garbage = [];
      for (let i = 0; i < 20000; i++) garbage.push({i, s: 'x' + i});
      sink += garbage.length;
      garbage = null;
    }
  },
});
