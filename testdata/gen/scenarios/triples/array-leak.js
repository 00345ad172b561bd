'use strict';
// Triple "array-leak" (a leak): each action pushes exactly 400 LeakedEntry
// objects, each with a small payload array of small integers, into the
// module-level array `leakedEntries`, which is never emptied.
//
//   node --expose-gc array-leak.js OUTDIR
//
// LeakedEntry: baseline 0, target 400 (all new), final 800 (400 new since
// target; the 400 of the first action survive: MemLab's leak set).
const {prng, runTriple} = require('../lib/triple.js');

class LeakedEntry {
  constructor(seq, rnd) {
    this.seq = seq;
    this.payload = [seq, (rnd() * 1000) | 0, (rnd() * 1000) | 0, (rnd() * 1000) | 0];
  }
}

const leakedEntries = [];
const rnd = prng(0xA11A7);
let seq = 0;

function action() {
  for (let i = 0; i < 400; i++) {
    leakedEntries.push(new LeakedEntry(seq++, rnd));
  }
}

runTriple('array-leak', {action});
