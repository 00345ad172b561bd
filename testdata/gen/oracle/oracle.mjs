#!/usr/bin/env node
// Independent oracle for hs: runs Chrome DevTools' own heap snapshot code
// (front_end/entrypoints/heap_snapshot_worker/HeapSnapshot.ts from the npm
// package chrome-devtools-frontend, pinned in package.json) on a V8
// .heapsnapshot and prints the Summary view aggregates plus a few totals.
//
// Nothing from DevTools is copied into the repository: HeapSnapshot.ts and the
// few modules it needs are bundled with esbuild at run time, from
// node_modules/, into node_modules/.cache/hs-oracle/ (git-ignored).
// UI-only imports (i18n, the worker proxy side of models/heap_snapshot) are
// replaced by tiny stubs; the analysis code runs unmodified.
//
// Usage:
//   npm install --no-package-lock   # once, in this directory
//   node oracle.mjs SNAPSHOT[.zst] [OUT.tsv]
// SNAPSHOT may be plain JSON or zstd-compressed (needs the `zstd` binary).
// Without OUT.tsv the result goes to stdout.
//
// Output (see testdata/README.md): `# key=value` comment lines, then a
// tab-separated table, one row per Summary-view aggregate, sorted by key in
// byte order (LC_ALL=C sort). In the key and name columns the characters
// backslash, tab, newline and carriage return are written as \\, \t, \n, \r.

import {execFileSync} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {fileURLToPath, pathToFileURL} from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const DEVTOOLS_PKG = 'chrome-devtools-frontend';

// DevTools targets current Chrome: it needs Array.prototype.toSorted (Node 20+),
// and Promise.withResolvers (Node 22+, polyfilled below for Node 20).
if (typeof Array.prototype.toSorted !== 'function') {
  process.stderr.write(`oracle: needs Node 20 or newer (this is ${process.version})\n`);
  process.exit(2);
}

if (typeof Promise.withResolvers !== 'function') {
  Promise.withResolvers = function() {
    let resolve, reject;
    const promise = new this((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return {promise, resolve, reject};
  };
}

async function buildBundle() {
  const pkgDir = path.join(here, 'node_modules', DEVTOOLS_PKG);
  const pkgJson = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8'));
  const frontEnd = path.join(pkgDir, 'front_end');
  const outDir = path.join(here, 'node_modules', '.cache', 'hs-oracle');
  const outFile = path.join(outDir, `devtools-heapsnapshot-${pkgJson.version}.mjs`);
  const oracleStat = fs.statSync(fileURLToPath(import.meta.url));
  if (fs.existsSync(outFile) && fs.statSync(outFile).mtimeMs > oracleStat.mtimeMs) {
    return {outFile, version: pkgJson.version};
  }
  const esbuild = await import('esbuild');
  const workerDir = path.join(frontEnd, 'entrypoints', 'heap_snapshot_worker');
  const modelDir = path.join(frontEnd, 'models', 'heap_snapshot');
  const stubs = {
    // Only i18n.i18n.serializeUIString is used (for progress messages).
    'i18n': `export const i18n = {serializeUIString: (s, v) => JSON.stringify({string: s, values: v || {}})};`,
    // The worker only needs the plain data model, not HeapSnapshotProxy (UI side).
    'heap_snapshot': `export * as HeapSnapshotModel from ${JSON.stringify(path.join(modelDir, 'HeapSnapshotModel.ts'))};
export * as ChildrenProvider from ${JSON.stringify(path.join(modelDir, 'ChildrenProvider.ts'))};`,
  };
  const stubPlugin = {
    name: 'hs-devtools-stubs',
    setup(build) {
      build.onResolve({filter: /(^|\/)core\/i18n\/i18n\.js$/}, () => ({path: 'i18n', namespace: 'hs-stub'}));
      build.onResolve(
          {filter: /(^|\/)models\/heap_snapshot\/heap_snapshot\.js$/}, () => ({path: 'heap_snapshot', namespace: 'hs-stub'}));
      build.onLoad({filter: /.*/, namespace: 'hs-stub'}, args => ({contents: stubs[args.path], loader: 'js', resolveDir: here}));
    },
  };
  const entry = `
export {createJSHeapSnapshotForTesting} from ${JSON.stringify(path.join(workerDir, 'HeapSnapshot.ts'))};
export * as TypedArrayUtilities from ${JSON.stringify(path.join(frontEnd, 'core', 'platform', 'TypedArrayUtilities.ts'))};
`;
  fs.mkdirSync(outDir, {recursive: true});
  const tmp = `${outFile}.${process.pid}.tmp`;
  await esbuild.build({
    stdin: {contents: entry, resolveDir: here, loader: 'js', sourcefile: 'hs-oracle-entry.js'},
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node18',
    outfile: tmp,
    plugins: [stubPlugin],
    logLevel: 'warning',
  });
  fs.renameSync(tmp, outFile);
  return {outFile, version: pkgJson.version};
}

function readSnapshotText(file) {
  if (file.endsWith('.zst')) {
    return execFileSync('zstd', ['-dc', '--', file], {maxBuffer: 2 ** 31 - 1, encoding: 'utf8'});
  }
  return fs.readFileSync(file, 'utf8');
}

// Mirrors HeapSnapshotLoader.#parseInput: numeric arrays become BigUint32Array
// (nodes, edges) or plain arrays / Uint32Array, everything else as parsed.
function toProfile(json, TypedArrayUtilities) {
  const meta = json.snapshot.meta;
  const big = arr => {
    const b = TypedArrayUtilities.createFixedBigUint32Array(arr.length);
    for (let i = 0; i < arr.length; i++) {
      b.setValue(i, arr[i]);
    }
    return b;
  };
  const profile = {snapshot: json.snapshot};
  profile.nodes = big(json.nodes);
  profile.edges = big(json.edges);
  if (json.snapshot.trace_function_count) {
    profile.trace_function_infos = new Uint32Array(json.trace_function_infos);
    profile.trace_tree = json.trace_tree;
  }
  if (meta.sample_fields) {
    profile.samples = json.samples || [];
  }
  profile.locations = meta.location_fields ? (json.locations || []) : [];
  if (meta.scope_fields) {
    profile.scopes = json.scopes || [];
  }
  if (meta.scope_context_var_fields) {
    profile.scope_context_vars = json.scope_context_vars || [];
  }
  if (meta.scope_use_fields) {
    profile.scope_uses = json.scope_uses || [];
  }
  profile.strings = json.strings;
  return profile;
}

function esc(s) {
  return String(s).replace(/[\\\t\n\r]/g, c => ({'\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r'})[c]);
}

function byteCompare(a, b) {
  const ba = Buffer.from(a, 'utf8');
  const bb = Buffer.from(b, 'utf8');
  return Buffer.compare(ba, bb);
}

async function main() {
  const [input, output] = process.argv.slice(2);
  if (!input || process.argv.length > 4) {
    process.stderr.write('usage: node oracle.mjs SNAPSHOT[.zst] [OUT.tsv]\n');
    process.exit(2);
  }
  const {outFile, version} = await buildBundle();
  const dt = await import(pathToFileURL(outFile).href);

  const json = JSON.parse(readSnapshotText(input));
  const meta = json.snapshot.meta;
  const nf = meta.node_fields.length;
  const selfOff = meta.node_fields.indexOf('self_size');
  const idOff = meta.node_fields.indexOf('id');
  // Raw figures, before DevTools' calculateShallowSizes() rewrites self sizes.
  let rawSelfTotal = 0;
  let maxNodeId = 0;
  for (let i = 0; i < json.nodes.length; i += nf) {
    rawSelfTotal += json.nodes[i + selfOff];
    if (json.nodes[i + idOff] > maxNodeId) {
      maxNodeId = json.nodes[i + idOff];
    }
  }
  const extraNative = json.snapshot.extra_native_bytes ?? 0;

  const profile = toProfile(json, dt.TypedArrayUtilities);
  const snapshot = await dt.createJSHeapSnapshotForTesting(profile);

  const stats = snapshot.getStatistics();
  const lines = [];
  const kv = (k, v) => lines.push(`# ${k}=${v}`);
  kv('oracle', `chrome-devtools-frontend@${version}`);
  kv('node_count', snapshot.nodeCount);
  kv('edge_count', snapshot.containmentEdges.length / snapshot.edgeFieldsCount);
  kv('total_size', snapshot.totalSize);
  kv('extra_native_bytes', extraNative);
  kv('raw_self_total', rawSelfTotal);
  kv('stat_total', stats.total);
  kv('stat_v8heap', stats.v8heap.total);
  kv('stat_native', stats.native.total);
  kv('stat_code', stats.v8heap.code);
  kv('stat_strings', stats.v8heap.strings);
  kv('stat_jsarrays', stats.v8heap.jsArrays);
  kv('stat_typedarrays', stats.native.typedArrays);
  kv('stat_system', stats.v8heap.system);
  kv('max_node_id', maxNodeId);

  const aggregates = snapshot.getAggregatesByClassKey(false, 'allObjects');
  const rows = Object.keys(aggregates).map(key => {
    const a = aggregates[key];
    return [esc(key), esc(a.name), a.count, a.self, a.maxRet, a.distance].join('\t');
  });
  rows.sort(byteCompare);
  kv('aggregate_count', rows.length);
  lines.push(['key', 'name', 'count', 'self', 'retained', 'distance'].join('\t'));
  lines.push(...rows);
  const text = lines.join('\n') + '\n';
  if (output) {
    const tmp = `${output}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, text);
    fs.renameSync(tmp, output);
  } else {
    process.stdout.write(text);
  }
  // The MessageChannel used by createJSHeapSnapshotForTesting keeps the loop alive.
  process.exit(0);
}

main().catch(e => {
  process.stderr.write(`oracle: ${e && e.stack || e}\n`);
  process.exit(1);
});
