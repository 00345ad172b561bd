'use strict';
// Scenario "alloc": the "mixed" heap built while allocation tracking is on,
// so the snapshot has non-empty `trace_function_infos` and `trace_tree`
// (DevTools' "Allocation instrumentation on timeline" mode).
//
//   node alloc.js OUT.heapsnapshot
//
// Uses the inspector protocol in-process: HeapProfiler.startTrackingHeapObjects
// {trackAllocations: true}, build the heap, then HeapProfiler.takeHeapSnapshot
// with the addHeapSnapshotChunk events written to the file.

const fs = require('fs');
const inspector = require('inspector');
const {outputPath} = require('./lib/write-snapshot.js');
const {buildHeap} = require('./mixed.js');

const out = outputPath();
const session = new inspector.Session();
session.connect();

function post(method, params) {
  return new Promise((resolve, reject) => {
    session.post(method, params || {}, (err, result) => (err ? reject(err) : resolve(result)));
  });
}

async function main() {
  const fd = fs.openSync(out, 'w');
  session.on('HeapProfiler.addHeapSnapshotChunk', m => fs.writeSync(fd, m.params.chunk));
  await post('HeapProfiler.enable');
  await post('HeapProfiler.startTrackingHeapObjects', {trackAllocations: true});
  globalThis.hsScenario = buildHeap();
  await post('HeapProfiler.takeHeapSnapshot', {reportProgress: false});
  fs.closeSync(fd);
  // No stopTrackingHeapObjects: it would stream a second snapshot. Disconnecting
  // the session ends tracking.
  session.disconnect();
}

main().catch(e => {
  process.stderr.write(`alloc.js: ${e && e.stack || e}\n`);
  process.exit(1);
});
