import type { FastifyPluginAsync } from 'fastify';
import { approvalRoutes } from './approvals.routes.ts';
import { auditLogRoutes } from './audit-log.routes.ts';
import { memberRoutes } from './members.routes.ts';
import { organisationRoutes } from './organisations.routes.ts';
import { roleRoutes } from './roles.routes.ts';
import { smsOutboxRoutes } from './sms-outbox.routes.ts';
import { staffAdminRoutes } from './staff-admin.routes.ts';
import { workbenchRoutes } from './workbench.routes.ts';

/** The back-office management screens' API (members, staff, roles, organisations, audit, SMS, approvals). */
export const backofficeRoutes: FastifyPluginAsync = async (app) => {
  await app.register(workbenchRoutes);
  await app.register(memberRoutes);
  await app.register(staffAdminRoutes);
  await app.register(roleRoutes);
  await app.register(organisationRoutes);
  await app.register(auditLogRoutes);
  await app.register(smsOutboxRoutes);
  await app.register(approvalRoutes);
};
