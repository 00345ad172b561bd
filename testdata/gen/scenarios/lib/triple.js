'use strict';
// Shared helper for the snapshot triples (testdata/gen/scenarios/triples/):
// MemLab's protocol in one process, so that V8 object ids are comparable
// across the three snapshots (a surviving object keeps its id; objects
// allocated later get larger ids):
//
//   setup -> baseline -> action -> target -> action (or cleanup) -> final
//
// Each snapshot is written with v8.writeHeapSnapshot() right after a full
// GC (global.gc(): run node with --expose-gc) to
// OUTDIR/<scenario>-{baseline,target,final}.heapsnapshot.
const path = require('path');
const v8 = require('v8');

function outputDir() {
  const dir = process.argv[2];
  if (!dir) {
    process.stderr.write(`usage: node --expose-gc ${path.basename(process.argv[1])} OUTDIR\n`);
    process.exit(2);
  }
  if (typeof global.gc !== 'function') {
    process.stderr.write('run node with --expose-gc\n');
    process.exit(2);
  }
  return path.resolve(dir);
}

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

// steps: {setup?, action, beforeFinal?}. beforeFinal defaults to action.
function runTriple(scenario, steps) {
  const dir = outputDir();
  const snap = (phase) => {
    global.gc();
    v8.writeHeapSnapshot(path.join(dir, `${scenario}-${phase}.heapsnapshot`));
  };
  if (steps.setup) steps.setup();
  snap('baseline');
  steps.action();
  snap('target');
  (steps.beforeFinal || steps.action)();
  snap('final');
}

module.exports = {prng, runTriple};
