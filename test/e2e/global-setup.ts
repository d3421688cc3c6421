import fs from 'node:fs';
import type { TestProject } from 'vitest/node';
import { buildWeb, webBuildIsStale } from '../../scripts/web-build.ts';
import { CHROMIUM_PATH } from './browser.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Why browser tests cannot run here ('' when they can). */
    browserUnavailable: string;
  }
}

/**
 * Browser tests need the built web app and Debian's Chromium. The web app is built here when stale.
 * Without Chromium the browser tests are skipped with a visible reason, except under CI (CI=true),
 * where a missing browser is a failure: .ci/run installs it.
 */
export default async function setup(project: TestProject): Promise<void> {
  if (webBuildIsStale()) await buildWeb();
  if (fs.existsSync(CHROMIUM_PATH)) {
    project.provide('browserUnavailable', '');
    return;
  }
  const reason = `${CHROMIUM_PATH} not found (apt-get install chromium)`;
  if (process.env.CI) throw new Error(`Browser tests cannot run: ${reason}`);
  console.warn(`\n⚠ Skipping browser tests: ${reason}\n`);
  project.provide('browserUnavailable', reason);
}
