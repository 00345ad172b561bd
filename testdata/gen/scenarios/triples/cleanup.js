'use strict';
// Triple "cleanup" (no leak): the action fills the module-level array
// `tempBuffers` with exactly 500 TempBuffer objects; the cleanup step before
// the final snapshot empties it again (length = 0).
//
//   node --expose-gc cleanup.js OUTDIR
//
// TempBuffer: baseline 0, target 500 (all new), final 0: nothing that the
// action allocated survives.
const {prng, runTriple} = require('../lib/triple.js');

class TempBuffer {
  constructor(index, rnd) {
    this.index = index;
    this.data = [index, (rnd() * 256) | 0, (rnd() * 256) | 0, (rnd() * 256) | 0];
  }
}

const tempBuffers = [];
const rnd = prng(0xC1EA2);

function action() {
  for (let i = 0; i < 500; i++) {
    tempBuffers.push(new TempBuffer(i, rnd));
  }
}

function cleanup() {
  tempBuffers.length = 0;
}

runTriple('cleanup', {action, beforeFinal: cleanup});
