// growing.js MODE: a process for hs-capture --watch and hs-trend.  MODE
// "leak" keeps about 1 MB more every 100 ms (records held by an array);
// "churn" makes as much garbage and keeps none of it.  Prints "planted
// PID" on stderr once running, then runs until killed.
'use strict';
class GrowingRecord {
	constructor(i) { this.i = i; this.s = 'r' + i; this.o = { i }; }
}
const mode = process.argv[2] || 'leak';
const kept = [];
let n = 0;
setInterval(() => {
	const batch = [];
	for (let i = 0; i < 6000; i++)
		batch.push(new GrowingRecord(n++));
	if (mode === 'leak')
		kept.push(batch);
}, 100);
process.stderr.write('planted ' + process.pid + '\n');
