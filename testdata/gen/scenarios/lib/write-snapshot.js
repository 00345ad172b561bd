'use strict';
// Shared helper: output path from argv, with a clear error if it is missing.
const path = require('path');

function outputPath() {
  const out = process.argv[2];
  if (!out) {
    process.stderr.write(`usage: node ${path.basename(process.argv[1])} OUT.heapsnapshot\n`);
    process.exit(2);
  }
  return path.resolve(out);
}

module.exports = {outputPath};
