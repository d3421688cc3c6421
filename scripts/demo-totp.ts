/** `npm run demo:totp`: the current authenticator code of the demo staff accounts (demo data only). */

import { totpCode } from '../src/platform/totp.ts';
import { DEMO_TOTP_SECRET } from '../src/seed/demo.ts';

const now = Date.now();
const secondsLeft = 30 - (Math.floor(now / 1000) % 30);
console.log(`${totpCode(DEMO_TOTP_SECRET, now)}  (valid for ${secondsLeft} more seconds)`);
