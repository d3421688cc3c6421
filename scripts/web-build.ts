import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');
/** The web app also imports shared pure code from src/ (money, schedules, validators). */
const WEB_INPUTS = ['web', 'src', 'package-lock.json'];
const STAMP = 'dist/web/.build-stamp';

function newestMtimeMs(entry: string): number {
  const stat = fs.statSync(entry, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const child of fs.readdirSync(entry)) {
    if (child === 'node_modules' || child.startsWith('.')) continue;
    newest = Math.max(newest, newestMtimeMs(path.join(entry, child)));
  }
  return newest;
}

/** True when dist/web is missing or older than any web source. */
export function webBuildIsStale(): boolean {
  const stamp = fs.statSync(path.join(ROOT, STAMP), { throwIfNoEntry: false });
  if (!stamp) return true;
  return WEB_INPUTS.some((input) => newestMtimeMs(path.join(ROOT, input)) > stamp.mtimeMs);
}

/** Build the web app with Vite into dist/web and leave a stamp for the staleness check. */
export async function buildWeb(): Promise<void> {
  const { build } = await import('vite');
  await build({ configFile: path.join(ROOT, 'web/vite.config.ts'), logLevel: 'warn' });
  fs.writeFileSync(path.join(ROOT, STAMP), new Date().toISOString());
}
