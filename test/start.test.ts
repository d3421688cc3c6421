import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { childEnv, freePort, startNode } from './helpers/processes.ts';

const START_TIMEOUT_MS = 120_000;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lendhall-start-'));
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

describe('npm start (scripts/start.ts) on the embedded database', () => {
  it('starts on a fresh data folder, seeds demo data, serves everything, and stops gracefully', async () => {
    const port = await freePort();
    const proc = startNode(
      ['scripts/start.ts'],
      childEnv({ PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir }),
    );
    try {
      await proc.waitFor(/Lendhall is running at/, START_TIMEOUT_MS);
      expect(proc.output()).toContain('Empty database: filling demo data');
      expect(proc.output()).toMatch(/Demo logins/);
      const base = `http://127.0.0.1:${port}`;
      const ready = await fetch(`${base}/readyz`);
      expect(ready.status).toBe(200);
      const home = await fetch(`${base}/`);
      expect(home.status).toBe(200);
      expect(await home.text()).toContain('<div id="root">');
      const admin = await fetch(`${base}/admin`);
      expect(await admin.text()).toContain('<div id="root">');
      expect((await fetch(`${base}/docs/`)).status).toBe(200);
      const site = (await (await fetch(`${base}/api/v1/site`)).json()) as { serviceHotline: string };
      expect(site.serviceHotline).toBe('400-800-1234');
    } finally {
      proc.child.kill('SIGTERM');
    }
    expect(await proc.exited()).toBe(0);
    expect(fs.existsSync(path.join(dataDir, 'pglite'))).toBe(true);
  });

  it('reuses the data on a second start', async () => {
    const port = await freePort();
    const proc = startNode(
      ['scripts/start.ts'],
      childEnv({ PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir }),
    );
    try {
      await proc.waitFor(/Lendhall is running at/, START_TIMEOUT_MS);
      expect(proc.output()).not.toContain('Empty database');
      expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);
    } finally {
      proc.child.kill('SIGTERM');
    }
    expect(await proc.exited()).toBe(0);
  });
});

describe('bad configuration', () => {
  it.each([
    ['PORT', 'abc'],
    ['DATABASE_URL', 'mysql://nope'],
    ['NODE_ENV', 'staging'],
  ])('stops the server at start with a message naming %s', async (name, value) => {
    const proc = startNode(['src/main.ts'], childEnv({ [name]: value, DATA_DIR: dataDir }));
    expect(await proc.exited()).toBe(1);
    expect(proc.output()).toContain(`Configuration error: ${name}`);
    expect(proc.output()).not.toMatch(/\n\s+at /);
  });
});
