/** `npm run build`: build the web app into dist/web (the server itself runs from TypeScript sources). */
import { buildWeb } from './web-build.ts';

const started = Date.now();
await buildWeb();
console.log(`web app built into dist/web in ${((Date.now() - started) / 1000).toFixed(1)} s`);
