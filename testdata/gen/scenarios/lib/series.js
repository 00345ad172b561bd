'use strict';
// Shared helper for the series (testdata/gen/scenarios/series/): one Node
// process runs a workload in ticks and either
//
//   node --expose-gc SCENARIO.js snapshots OUTDIR
//     writes SNAPSHOTS heap snapshots, one every TICKS ticks, each after a
//     full GC, with v8.writeHeapSnapshot()'s own file names
//     (Heap.YYYYMMDD.HHMMSS.PID.0.SEQ.heapsnapshot, so that hs-summarize
//     takes the capture time and the process id from the name), or
//
//   node SCENARIO.js samples
//     writes a memory sample as one JSON line on stdout every SAMPLE_MS
//     milliseconds while the workload runs (hs-samples(5)):
//     {"type":"sample","time":"...Z","heap_used":N,"heap_total":N,
//      "rss":N,"external":N,"array_buffers":N}, from process.memoryUsage().
//
// The workload's tick function runs every TICK_MS milliseconds on a
// timer, so growth per minute is real time; a tick does the same work
// whatever the timing, so the figures per snapshot are repeatable.
const path = require('path');
const v8 = require('v8');
const {prng} = require('./triple.js');

const TICK_MS = 100;
const TICKS = 50;		// ticks between snapshots (5 s)
const SNAPSHOTS = 6;
const SAMPLE_MS = 200;
const SAMPLE_TICKS = 120;	// ticks of a samples run (12 s)

function usage() {
  const me = path.basename(process.argv[1]);
  process.stderr.write(`usage: node --expose-gc ${me} snapshots OUTDIR\n` +
    `       node ${me} samples\n`);
  process.exit(2);
}

function sample() {
  const m = process.memoryUsage();
  process.stdout.write(JSON.stringify({
    type: 'sample', time: new Date().toISOString(), heap_used: m.heapUsed,
    heap_total: m.heapTotal, rss: m.rss, external: m.external,
    array_buffers: m.arrayBuffers,
  }) + '\n');
}

// workload: {setup?(mode), tick(n, mode)}; mode is "snapshots" or "samples"
// (a samples run may do more work per tick, to stand out of GC's noise).
function runSeries(workload) {
  const mode = process.argv[2];
  let n = 0;
  if (mode === 'snapshots') {
    const dir = process.argv[3];
    if (!dir) usage();
    if (typeof global.gc !== 'function') {
      process.stderr.write('run node with --expose-gc\n');
      process.exit(2);
    }
    process.chdir(path.resolve(dir));
    if (workload.setup) workload.setup(mode);
    let taken = 0;
    const snap = () => {
      global.gc();
      v8.writeHeapSnapshot();
      taken++;
    };
    snap();
    const timer = setInterval(() => {
      workload.tick(n++, mode);
      if (n % TICKS === 0) {
        snap();
        if (taken === SNAPSHOTS) clearInterval(timer);
      }
    }, TICK_MS);
  } else if (mode === 'samples') {
    if (workload.setup) workload.setup(mode);
    sample();
    const sampler = setInterval(sample, SAMPLE_MS);
    const timer = setInterval(() => {
      workload.tick(n++, mode);
      if (n === SAMPLE_TICKS) {
        clearInterval(timer);
        clearInterval(sampler);
        sample();
      }
    }, TICK_MS);
  } else {
    usage();
  }
}

module.exports = {prng, runSeries};
