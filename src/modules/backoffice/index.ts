export { syncBuiltinRoles } from './roles.service.ts';
export { createStaff, type StaffProfile, signInStaff, staffProfile } from './staff.service.ts';
export { staffAuthRoutes } from './staff-auth.routes.ts';
