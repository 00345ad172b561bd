'use strict';
// Baseline scenario: an (almost) empty Node heap. Only Node's own bootstrap
// objects are present.
//
//   node empty.js OUT.heapsnapshot
const v8 = require('v8');
const {outputPath} = require('./lib/write-snapshot.js');

v8.writeHeapSnapshot(outputPath());
