// planted.js [COUNT] [MB] [DROPPED]: a process that holds COUNT instances of
// PlantedThing (default 1234) and, with MB, about MB megabytes of other
// objects (so that a snapshot takes a while), then idles until killed.
// With DROPPED, it makes that many DroppedThing first and lets them go,
// uncollected, for a snapshot without a garbage collection first.
'use strict';
class PlantedThing {
	constructor(i) { this.i = i; }
}
class Ballast {
	constructor(i) { this.i = i; this.s = 'b' + i; this.o = { i }; }
}
const count = Number(process.argv[2] || 1234);
const mb = Number(process.argv[3] || 0);
class DroppedThing {
	constructor(i) { this.i = i; }
}
let dropped = [];
for (let i = 0; i < Number(process.argv[4] || 0); i++)
	dropped.push(new DroppedThing(i));
dropped = null;
globalThis.planted = [];
for (let i = 0; i < count; i++)
	globalThis.planted.push(new PlantedThing(i));
globalThis.ballast = [];
for (let i = 0; i < mb * 6000; i++)
	globalThis.ballast.push(new Ballast(i));
process.stderr.write('planted ' + process.pid + '\n');
setInterval(() => {}, 1 << 30);
