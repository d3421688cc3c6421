export {
  type Actor,
  type ApprovalRequestInput,
  cancelApproval,
  decideApproval,
  requestApproval,
} from './approvals.service.ts';
export { type ApprovalContext, type ApprovalKind, approvalKinds, registerApprovalKind } from './approvals.ts';
export { backofficeRoutes } from './backoffice.routes.ts';
export { MEMBER_UNFREEZE } from './members.service.ts';
export { syncBuiltinRoles } from './roles.service.ts';
export { createStaff, type StaffProfile, signInStaff, staffProfile } from './staff.service.ts';
export { staffAuthRoutes } from './staff-auth.routes.ts';
