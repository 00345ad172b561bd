'use strict';
// Triple "steady-churn" (no leak): the module-level array `churnItems`
// always holds exactly 200 ChurnItem objects. Setup fills it before the
// baseline; each action drops all of them and puts 200 new ones in the same
// array.
//
//   node --expose-gc steady-churn.js OUTDIR
//
// ChurnItem: 200 in baseline, target and final, but every action replaces
// them all: the 200 of the target are all new since the baseline, and none
// of them is left in the final (whose 200 are all new since the target).
const {prng, runTriple} = require('../lib/triple.js');

class ChurnItem {
  constructor(gen, slot, rnd) {
    this.gen = gen;
    this.slot = slot;
    this.score = (rnd() * 1000) | 0;
  }
}

const churnItems = [];
const rnd = prng(0xC4021);
let generation = 0;

function refill() {
  churnItems.length = 0;
  for (let i = 0; i < 200; i++) {
    churnItems.push(new ChurnItem(generation, i, rnd));
  }
  generation++;
}

runTriple('steady-churn', {setup: refill, action: refill});
