#!/usr/bin/env node
// query-summaries.mjs: query a directory of hs summaries (hs-summary(5):
// zstd-compressed JSON lines, as hs-summarize writes them) as one table with
// DuckDB, the way a fleet would.
//
//   node query-summaries.mjs [--top N] [--grow N] [--class NAME]... [--json]
//                            DIR|FILE|GLOB...
//
// A DIR stands for DIR/*.hss.  Prints, for each summary (DuckDB's filename
// column), its label and source from the header record and its top N classes
// by retained size; then the classes whose retained size grew the most from
// the first summary to the last, in capture order (the header's "captured"
// when every summary has one, else file name order); and, for each --class
// NAME, that class's count and retained size in each summary.  --json prints
// the same rows as JSON lines with a "section" field instead of tables.
//
// The SQL is in README.md too, for DuckDB's own CLI.

import { DuckDBInstance, listValue, version } from '@duckdb/node-api';
import { statSync } from 'node:fs';

const usage = 'usage: node query-summaries.mjs [--top N] [--grow N] ' +
    '[--class NAME]... [--json] DIR|FILE|GLOB...';

function die(msg) {
	process.stderr.write(`query-summaries: ${msg}\n`);
	process.exit(2);
}

let top = 5, grow = 10, json = false;
const classes = [], inputs = [];
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
	const a = argv[i];
	const num = () => {
		const v = Number(argv[++i]);
		if (!Number.isInteger(v) || v < 0)
			die(`${a} needs a whole number\n${usage}`);
		return v;
	};
	if (a === '--top') top = num();
	else if (a === '--grow') grow = num();
	else if (a === '--class') {
		if (i + 1 >= argv.length) die(`--class needs a name\n${usage}`);
		classes.push(argv[++i]);
	} else if (a === '--json') json = true;
	else if (a === '-h' || a === '--help') {
		console.log(usage);
		process.exit(0);
	} else if (a === '--') inputs.push(...argv.slice(i + 1)), i = argv.length;
	else if (a.startsWith('-') && a !== '-') die(`unknown option ${a}\n${usage}`);
	else inputs.push(a);
}
if (inputs.length === 0) die(usage);

const lit = (s) => `'${String(s).replaceAll("'", "''")}'`;
const globs = inputs.map((p) => {
	let dir = false;
	try { dir = statSync(p).isDirectory(); } catch { /* a file or glob */ }
	return dir ? `${p.replace(/\/+$/, '')}/*.hss` : p;
});

// Explicit column types: the record types share one table, and some field
// names mean different things in different records ("self" is a number in
// class records but an array in ids records), so inferring the types from a
// sample would give JSON columns, or fail on a large fleet.  Fields not named
// here are not read.
const setup = `
CREATE VIEW records AS
SELECT * FROM read_json([${globs.map(lit).join(', ')}],
    format = 'newline_delimited', records = 'true', compression = 'zstd',
    union_by_name = true, filename = true,
    columns = {type: 'VARCHAR', format: 'VARCHAR', version: 'BIGINT',
	label: 'VARCHAR', session: 'VARCHAR', captured: 'VARCHAR',
	source: 'STRUCT(name VARCHAR, bytes BIGINT)', total_size: 'BIGINT',
	key: 'VARCHAR', name: 'VARCHAR', count: 'BIGINT', self: 'JSON',
	retained: 'BIGINT', distance: 'BIGINT'});

-- One row per summary, numbered in capture order.
CREATE VIEW summaries AS
WITH h AS (
    SELECT filename, parse_filename(filename) AS file, format, version,
	label, session, captured, source.name AS source,
	source.bytes AS source_bytes, total_size,
	count(*) FILTER (WHERE captured IS NULL) OVER () AS uncaptured
    FROM records WHERE type = 'header')
SELECT filename, file, format, version, label, session, captured, source,
    source_bytes, total_size,
    row_number() OVER (ORDER BY
	CASE WHEN uncaptured = 0 THEN captured END, filename) AS seq,
    count(*) OVER () AS n
FROM h;

CREATE VIEW classes AS
SELECT filename, key, name, count, self::BIGINT AS self, retained, distance
FROM records WHERE type = 'class';
`;

const queries = {
	// Each summary's top classes by retained size, as the file orders them.
	top: `
SELECT s.seq, s.file, s.label, s.source, c.name, c.key, c.count, c.self,
    c.retained
FROM classes c JOIN summaries s USING (filename)
QUALIFY row_number() OVER (PARTITION BY s.filename
    ORDER BY c.retained DESC, c.key) <= $top
ORDER BY s.seq, c.retained DESC, c.key`,

	// Growth by class key from the first summary to the last; a class
	// missing from the first counts from 0.
	grow: `
WITH f AS (SELECT c.* FROM classes c JOIN summaries s USING (filename)
	WHERE s.seq = 1),
    l AS (SELECT c.* FROM classes c JOIN summaries s USING (filename)
	WHERE s.seq = s.n AND s.n > 1)
SELECT l.name, l.key, coalesce(f.count, 0) AS first_count,
    l.count AS last_count, coalesce(f.retained, 0) AS first_retained,
    l.retained AS last_retained,
    l.retained - coalesce(f.retained, 0) AS growth
FROM l LEFT JOIN f USING (key)
ORDER BY growth DESC, l.key
LIMIT $grow`,

	// Named classes in every summary.
	track: `
SELECT s.seq, s.file, s.label, c.name, c.key, c.count, c.self, c.retained
FROM classes c JOIN summaries s USING (filename)
WHERE list_contains($names, c.name)
ORDER BY c.name, s.seq, c.key`,
};

const instance = await DuckDBInstance.create(':memory:');
const con = await instance.connect();
let sums, tops, grows, tracked = [];
try {
	await con.run(setup);
	const rows = async (sql, values) =>
		(await con.runAndReadAll(sql, values)).getRowObjectsJS();
	sums = await rows('SELECT * FROM summaries ORDER BY seq');
	tops = await rows(queries.top, { top });
	grows = await rows(queries.grow, { grow });
	if (classes.length)
		tracked = await rows(queries.track, { names: listValue(classes) });
} catch (e) {
	die(e.message);
} finally {
	con.closeSync();
	instance.closeSync();
}

// hs-summary(5): refuse a summary of a newer version rather than misread it.
for (const s of sums)
	if (s.format !== 'hs-summary' || s.version > 1n)
		die(`${s.filename}: not an hs-summary of version 1 ` +
		    `(format ${s.format}, version ${s.version})`);

// BIGINTs come back as BigInt; plain numbers are nicer to print.
const plain = (r) => Object.fromEntries(Object.entries(r).map(([k, v]) =>
	[k, typeof v === 'bigint' ? Number(v) : v]));
sums = sums.map(plain); tops = tops.map(plain);
grows = grows.map(plain); tracked = tracked.map(plain);

if (json) {
	const out = (section, r) =>
		process.stdout.write(JSON.stringify({ section, ...r }) + '\n');
	sums.forEach((r) => out('summary', r));
	tops.forEach((r) => out('top', r));
	if (sums.length > 1) {
		const f = sums[0], l = sums[sums.length - 1];
		grows.forEach((r) => out('growth',
		    { first: f.file, last: l.file, ...r }));
	}
	tracked.forEach((r) => out('class', r));
	process.exit(0);
}

// Tables.
function table(head, rows) {
	const cells = [head, ...rows.map((r) => r.map((v) =>
	    v === null || v === undefined ? '-' : String(v)))];
	const w = head.map((_, i) => Math.max(...cells.map((r) => r[i].length)));
	// Right-align the columns of numbers.
	const right = head.map((_, i) => rows.length > 0 &&
	    rows.every((r) => /^[-+]?\d+$/.test(String(r[i]))));
	for (const r of cells)
		console.log('  ' + r.map((v, i) => right[i] ? v.padStart(w[i])
		    : v.padEnd(w[i])).join('  ').trimEnd());
}

const order = sums.every((s) => s.captured) ? 'capture' : 'file name';
console.log(`# DuckDB ${version()}: ${sums.length} summar` +
    `${sums.length === 1 ? 'y' : 'ies'}, in ${order} order`);
for (const s of sums) {
	const what = [s.label && `label ${s.label}`,
	    s.captured && `captured ${s.captured}`,
	    s.session && `session ${s.session}`].filter(Boolean).join(', ');
	console.log(`\n${s.seq}. ${s.file}${what ? ` (${what})` : ''}`);
	console.log(`   source ${s.source}, total ${s.total_size} bytes`);
	table(['class', 'count', 'self', 'retained'],
	    tops.filter((t) => t.seq === s.seq)
		.map((t) => [t.name, t.count, t.self, t.retained]));
}
if (sums.length > 1) {
	const f = sums[0], l = sums[sums.length - 1];
	console.log(`\nGrowth in retained size, ${f.file} -> ${l.file}`);
	table(['class', 'count', 'retained', 'growth', 'key'],
	    grows.map((g) => [g.name, `${g.first_count}->${g.last_count}`,
		g.last_retained, (g.growth > 0 ? '+' : '') + g.growth, g.key]));
}
for (const name of classes) {
	const rows = tracked.filter((t) => t.name === name);
	console.log(`\nClass ${name}`);
	if (rows.length === 0)
		console.log('  (in no summary)');
	else
		table(['summary', 'count', 'self', 'retained', 'key'],
		    rows.map((t) => [t.file, t.count, t.self, t.retained, t.key]));
}
