import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { readParameter } from './parameters.ts';

const SiteInfo = Type.Object({
  name: Type.Object({ zh: Type.String(), en: Type.String() }),
  serviceHotline: Type.String(),
});

/** Public facts about the platform that every page may show. */
export const siteRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/v1/site',
    {
      schema: {
        operationId: 'getSiteInfo',
        summary: 'Platform name and service hotline',
        tags: ['system'],
        response: { 200: SiteInfo },
      },
    },
    async () => {
      const [name, hotline] = await Promise.all([
        readParameter(app.db, 'platform.name'),
        readParameter(app.db, 'platform.service_hotline'),
      ]);
      return {
        name: isLocalized(name) ? name : { zh: '借贷厅', en: 'Lendhall' },
        serviceHotline: typeof hotline === 'string' ? hotline : '',
      };
    },
  );
};

function isLocalized(value: unknown): value is { zh: string; en: string } {
  const v = value as { zh?: unknown; en?: unknown } | null;
  return typeof v === 'object' && v !== null && typeof v.zh === 'string' && typeof v.en === 'string';
}
