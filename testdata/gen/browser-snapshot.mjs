#!/usr/bin/env node
// Take a heap snapshot of a page in headless Chromium over the DevTools
// protocol.
//
//   node browser-snapshot.mjs PAGE.html OUT.heapsnapshot
//
// Starts $CHROMIUM (default: chromium) headless with a fresh, temporary
// profile and no network, on file://PAGE.html; waits until the page sets
// document.title to "ready"; then on the page target runs
// HeapProfiler.enable, HeapProfiler.collectGarbage and
// HeapProfiler.takeHeapSnapshot, writing the HeapProfiler.addHeapSnapshotChunk
// chunks to OUT (through OUT.tmp, renamed at the end); then closes Chromium
// and removes the profile.
//
// Needs a global WebSocket: Node 22 or newer, or Node 20 run with
// --experimental-websocket.

import {spawn} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {pathToFileURL} from 'node:url';

const CHROMIUM = process.env.CHROMIUM || 'chromium';
const TIMEOUT_MS = 120000;

function die(msg) {
  process.stderr.write(`browser-snapshot: ${msg}\n`);
  process.exit(1);
}

const sleep = ms => new Promise(r => setTimeout(r, ms));

async function waitFor(what, fn, ms = 30000) {
  const end = Date.now() + ms;
  for (;;) {
    try {
      const v = await fn();
      if (v) {
        return v;
      }
    } catch {
      // not yet
    }
    if (Date.now() > end) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await sleep(100);
  }
}

// A minimal DevTools protocol client on one WebSocket.
class Cdp {
  constructor(url) {
    this.url = url;
    this.nextId = 1;
    this.pending = new Map();
    this.listeners = new Map();
  }
  open() {
    return new Promise((resolve, reject) => {
      this.ws = new WebSocket(this.url);
      this.ws.onopen = () => resolve();
      this.ws.onerror = e => reject(new Error(`websocket error: ${e.message || e.type}`));
      this.ws.onclose = () => {
        for (const {reject: rej, method} of this.pending.values()) {
          rej(new Error(`connection closed during ${method}`));
        }
        this.pending.clear();
      };
      this.ws.onmessage = ev => this.#message(JSON.parse(ev.data));
    });
  }
  #message(msg) {
    if (msg.id !== undefined) {
      const p = this.pending.get(msg.id);
      if (!p) {
        return;
      }
      this.pending.delete(msg.id);
      if (msg.error) {
        p.reject(new Error(`${p.method}: ${msg.error.message}`));
      } else {
        p.resolve(msg.result);
      }
    } else if (this.listeners.has(msg.method)) {
      this.listeners.get(msg.method)(msg.params);
    }
  }
  on(method, fn) {
    this.listeners.set(method, fn);
  }
  send(method, params = {}) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, {resolve, reject, method});
      this.ws.send(JSON.stringify({id, method, params}));
    });
  }
  close() {
    this.ws.close();
  }
}

async function main() {
  const [page, out] = process.argv.slice(2);
  if (!page || !out || process.argv.length > 4) {
    die('usage: node browser-snapshot.mjs PAGE.html OUT.heapsnapshot');
  }
  if (typeof WebSocket !== 'function') {
    die(`no global WebSocket in Node ${process.version} (use Node >= 22, or --experimental-websocket)`);
  }
  const pageUrl = pathToFileURL(path.resolve(page)).href;
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'hs-chromium.'));
  const args = [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
    `--user-data-dir=${profile}`, '--remote-debugging-port=0', pageUrl,
  ];
  const chromium = spawn(CHROMIUM, args, {stdio: ['ignore', 'ignore', 'pipe']});
  let stderr = '';
  chromium.stderr.on('data', d => {
    stderr += d;
  });
  let exited = false;
  const exitedP = new Promise(r => chromium.on('exit', () => {
    exited = true;
    r();
  }));
  chromium.on('error', e => die(`cannot run ${CHROMIUM}: ${e.message}`));
  const timer = setTimeout(() => {
    chromium.kill('SIGKILL');
    die(`timed out\n${stderr}`);
  }, TIMEOUT_MS);

  try {
    // The port: DevToolsActivePort in the profile (first line), else stderr.
    const port = await waitFor('the DevTools port', () => {
      if (exited) {
        throw new Error('chromium exited');
      }
      const f = path.join(profile, 'DevToolsActivePort');
      if (fs.existsSync(f)) {
        const p = fs.readFileSync(f, 'utf8').split('\n')[0].trim();
        if (/^\d+$/.test(p)) {
          return p;
        }
      }
      const m = /DevTools listening on ws:\/\/[^:]+:(\d+)\//.exec(stderr);
      return m && m[1];
    }).catch(e => {
      throw new Error(`${e.message}\n${stderr}`);
    });
    const base = `http://127.0.0.1:${port}`;
    const target = await waitFor('the page to be ready', async () => {
      const list = await (await fetch(`${base}/json/list`)).json();
      return list.find(t => t.type === 'page' && t.url === pageUrl && t.title === 'ready');
    });
    const version = await (await fetch(`${base}/json/version`)).json();
    process.stderr.write(`browser-snapshot: ${version.Browser} (V8 ${version['V8-Version'] || '?'})\n`);

    const cdp = new Cdp(target.webSocketDebuggerUrl);
    await cdp.open();
    const tmp = `${out}.tmp`;
    const fd = fs.openSync(tmp, 'w');
    let bytes = 0;
    cdp.on('HeapProfiler.addHeapSnapshotChunk', ({chunk}) => {
      bytes += fs.writeSync(fd, chunk);
    });
    await cdp.send('HeapProfiler.enable');
    await cdp.send('HeapProfiler.collectGarbage');
    await cdp.send('HeapProfiler.takeHeapSnapshot', {reportProgress: false});
    fs.closeSync(fd);
    fs.renameSync(tmp, out);
    process.stderr.write(`browser-snapshot: wrote ${out} (${bytes} bytes)\n`);
    cdp.close();

    // Close Chromium through the browser target, else by signal.
    const browser = new Cdp(version.webSocketDebuggerUrl);
    try {
      await browser.open();
      await Promise.race([browser.send('Browser.close'), sleep(5000)]);
    } catch {
      // fall through to the signal
    }
    await Promise.race([exitedP, sleep(10000)]);
    if (!exited) {
      chromium.kill('SIGKILL');
      await exitedP;
    }
  } catch (e) {
    chromium.kill('SIGKILL');
    await exitedP;
    throw e;
  } finally {
    clearTimeout(timer);
    fs.rmSync(profile, {recursive: true, force: true});
  }
}

main().then(() => process.exit(0), e => die(e && e.stack || e));
