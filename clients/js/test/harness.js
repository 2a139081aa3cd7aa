// Starts a real vendor gateway (static content) and a real broker that sells its scrip under a
// licence, from the built project (bin/millicent), on free loopback ports in a temporary folder.
import { spawn } from 'node:child_process';
import { mkdtemp, mkdir, writeFile, rm, readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { createServer as createHttpServer } from 'node:http';
import { get as httpsGet } from 'node:https';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(new URL('../../..', import.meta.url).pathname);
const BIN = join(ROOT, 'bin', 'millicent');

export const PAGE_PRICE = 100;

export const ARTICLE_PRICE = 2_500;

export async function freePort() {
  return new Promise((res, rej) => {
    const s = createServer();
    s.on('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {any} */ (s.address());
      s.close(() => res(port));
    });
  });
}

/**
 * @param {{files?: Record<string, string|Uint8Array>, free?: string[], variants?: string[], origin?: boolean, tls?: boolean}} [opts]
 *   `files`: extra files for the vendor's static folder (path → content); `origin`: put the files
 *   behind a proxied origin (a Node HTTP server in this process) instead of the static folder,
 *   where `GET /slow/...` is held until `release()` is called, and the vendor's `retry_wait` is 0s
 */
export async function startServers(opts = {}) {
  const dir = await mkdtemp(join(tmpdir(), 'millicent-js-'));
  const vendorPort = await freePort();
  const brokerPort = await freePort();
  const vendorUrl = `${opts.tls ? 'https' : 'http'}://127.0.0.1:${vendorPort}`;
  const brokerUrl = `http://127.0.0.1:${brokerPort}`;
  const brokerToken = 'bob-token-at-venetia-0123456789';
  const vendorAdmin = 'venetia-admin-token-0123456789';
  const site = join(dir, 'site');
  // `tls`: the vendor serves HTTPS from a keystore made here with keytool; every process started
  // from bin/millicent (through MILLICENT_JAVA_OPTS) trusts it, as it would a public CA.
  const tls = opts.tls ? await makeKeystore(dir) : null;
  const files = {
    'index.html': '<h1>Venetia</h1>',
    'pages/haiku.html': '<!doctype html><title>A haiku</title><h1>A haiku</h1><p>An old silent pond / a frog jumps into the pond / splash! Silence again.</p>',
    'pages/weather.html': '<h1>Weather</h1><p>Sunny.</p>',
    'pages/news.html': '<h1>News</h1><p>Nothing happened.</p>',
    'articles/long.html': '<h1>A long article</h1>',
    ...(opts.files ?? {}),
  };
  for (const [p, content] of Object.entries(files)) {
    await mkdir(join(site, p, '..'), { recursive: true });
    await writeFile(join(site, p), content);
  }
  const free = ['/', '/index.html', ...(opts.free ?? [])];
  let origin = null;
  /** @type {() => void} */
  let release = () => {};
  /** @type {Promise<void>} */
  let released = Promise.resolve();
  let slowArrived = () => {};
  const arrivals = { slow: 0 };
  if (opts.origin) {
    released = new Promise((r) => (release = () => r()));
    origin = createHttpServer(async (req, res) => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      if (path.startsWith('/slow/')) {
        arrivals.slow++;
        slowArrived();
        await released;
        res.writeHead(200, { 'content-type': 'text/plain' }).end(`slow content of ${path}`);
        return;
      }
      const f = files[path.slice(1) || 'index.html'];
      if (f === undefined) res.writeHead(404, { 'content-type': 'text/plain' }).end('not here');
      else res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(f);
    });
    await new Promise((r) => origin.listen(0, '127.0.0.1', () => r(undefined)));
  }
  await writeFile(
    join(dir, 'vendor.yaml'),
    [
      'vendor: venetia',
      'host: 127.0.0.1',
      `port: ${vendorPort}`,
      `variants: [${(opts.variants ?? ['signed', 'private']).join(', ')}]`,
      `free: [${free.map((f) => JSON.stringify(f)).join(', ')}]`,
      'prices:',
      `  - {method: GET, path: "/pages/*", price_millicents: ${PAGE_PRICE}}`,
      `  - {method: GET, path: "/articles/*", price_millicents: ${ARTICLE_PRICE}}`,
      `  - {method: GET, path: "/slow/*", price_millicents: ${PAGE_PRICE}}`,
      'content:',
      origin ? `  origin: http://127.0.0.1:${origin.address().port}` : `  static: ${JSON.stringify(site)}`,
      ...(origin ? ['retry_wait: 0s'] : []),
      'brokers:',
      `  - {id: bob, url: "${brokerUrl}", token: "${brokerToken}", customer_id: "5", discount_bps: 500}`,
      `admin_token: "${vendorAdmin}"`,
      ...(tls ? ['tls:', `  keystore: ${JSON.stringify(tls.keystore)}`, `  password: ${tls.password}`] : []),
      '',
    ].join('\n'),
  );
  await writeFile(
    join(dir, 'broker.yaml'),
    [
      'broker: bob',
      'host: 127.0.0.1',
      `port: ${brokerPort}`,
      'settlement_interval_seconds: 0',
      'vendors:',
      '  - vendor: venetia',
      `    url: ${vendorUrl}`,
      '    supply: licensed',
      '    discount_bps: 500',
      `    token: "${brokerToken}"`,
      `    licence: {admin_token: "${vendorAdmin}", key_ids: 1}`,
      '',
    ].join('\n'),
  );
  /** @type {import('node:child_process').ChildProcess[]} */
  const procs = [];
  const javaEnv = tls
    ? {
        ...process.env,
        MILLICENT_JAVA_OPTS: `-Djavax.net.ssl.trustStore=${tls.keystore} -Djavax.net.ssl.trustStorePassword=${tls.password} -Djavax.net.ssl.trustStoreType=PKCS12`,
      }
    : process.env;
  const start = async (kind, url) => {
    const log = join(dir, `${kind}.log`);
    const { openSync } = await import('node:fs');
    const fd = openSync(log, 'a');
    const p = spawn(BIN, [kind, 'serve', '--config', join(dir, `${kind}.yaml`), '--data', join(dir, `${kind}-data`)], {
      stdio: ['ignore', fd, fd],
      env: javaEnv,
    });
    procs.push(p);
    await awaitHealthy(url, p, log, tls?.pem);
  };
  const stop = async () => {
    release();
    origin?.closeAllConnections();
    origin?.close();
    for (const p of procs) {
      if (p.exitCode === null) p.kill('SIGTERM');
    }
    await Promise.all(
      procs.map(
        (p) =>
          p.exitCode !== null ||
          new Promise((res) => {
            const t = setTimeout(() => {
              p.kill('SIGKILL');
              res(undefined);
            }, 10_000);
            p.on('exit', () => {
              clearTimeout(t);
              res(undefined);
            });
          }),
      ),
    );
    if (!process.env.MILLICENT_KEEP_TMP) await rm(dir, { recursive: true, force: true });
  };
  try {
    await start('vendor', vendorUrl);
    await start('broker', brokerUrl);
  } catch (e) {
    await stop();
    throw e;
  }
  return {
    dir, site, vendorUrl, brokerUrl, stop, vendorAdmin, release, arrivals, javaEnv, vendorPem: tls?.pem,
    /** resolves when the next request reaches the origin's /slow/ */
    nextSlow: () => new Promise((r) => (slowArrived = () => r(undefined))),
  };
}

/** A keystore for 127.0.0.1 (PKCS#12) and its certificate (PEM), made with the JDK's keytool. */
async function makeKeystore(dir) {
  const keystore = join(dir, 'vendor.p12');
  const password = 'changeit';
  const run = (args) =>
    new Promise((res, rej) => {
      const p = spawn('keytool', args, { stdio: ['ignore', 'ignore', 'inherit'] });
      p.on('error', rej);
      p.on('exit', (c) => (c === 0 ? res(undefined) : rej(new Error(`keytool ${args[0]} exited ${c}`))));
    });
  await run(['-genkeypair', '-alias', 'vendor', '-keyalg', 'EC', '-groupname', 'secp256r1', '-keystore', keystore,
    '-storetype', 'PKCS12', '-storepass', password, '-dname', 'CN=127.0.0.1', '-validity', '2', '-ext', 'SAN=ip:127.0.0.1']);
  await run(['-exportcert', '-rfc', '-alias', 'vendor', '-keystore', keystore, '-storepass', password, '-file', join(dir, 'vendor.pem')]);
  return { keystore, password, pem: await readFile(join(dir, 'vendor.pem'), 'utf8') };
}

/** GET over HTTPS trusting `ca` (PEM) only; resolves to the status. */
export function httpsStatus(url, ca) {
  return new Promise((res, rej) => {
    const req = httpsGet(url, { ca }, (r) => {
      r.resume();
      res(r.statusCode ?? 0);
    });
    req.on('error', rej);
  });
}

async function awaitHealthy(url, proc, log, ca) {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) throw new Error(`${url} exited (${proc.exitCode}):\n${await readFile(log, 'utf8')}`);
    try {
      const status = url.startsWith('https:') ? await httpsStatus(url + '/health', ca) : (await fetch(url + '/health')).status;
      if (status === 200) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`${url} did not become healthy:\n${await readFile(log, 'utf8')}`);
}

/** The vendor's revenue counter, from its own /metrics. @param {string} vendorUrl */
export async function vendorRevenue(vendorUrl) {
  const text = await (await fetch(vendorUrl + '/metrics')).text();
  const m = /^millicent_vendor_revenue_millicents_total(?:\{[^}]*\})?\s+([0-9.eE+]+)/m.exec(text);
  return m ? Number(m[1]) : null;
}
