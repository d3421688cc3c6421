export { healthRoutes } from './health.routes.ts';
export { readParameter } from './parameters.ts';
export { siteRoutes } from './site.routes.ts';
