import { defineErrors } from '../../platform/errors.ts';

/** Expected failures of the back-office management screens (staff, roles, organisations, members, approvals). */
export const BackofficeError = defineErrors({
  INVALID_CURSOR: { status: 400, zh: '分页游标无效', en: 'Invalid page cursor' },
  STAFF_NOT_FOUND: { status: 404, zh: '员工不存在', en: 'No such staff member' },
  ROLE_NOT_FOUND: { status: 404, zh: '角色不存在', en: 'No such role' },
  ORGANISATION_NOT_FOUND: { status: 404, zh: '组织机构不存在', en: 'No such organisation' },
  MEMBER_NOT_FOUND: { status: 404, zh: '会员不存在', en: 'No such member' },
  APPROVAL_NOT_FOUND: { status: 404, zh: '复核申请不存在', en: 'No such approval request' },
  UNKNOWN_ROLE: { status: 400, zh: '角色不存在：{roleId}', en: 'Unknown role: {roleId}' },
  UNKNOWN_ORGANISATION: { status: 400, zh: '组织机构不存在', en: 'Unknown organisation' },
  CANNOT_DISABLE_SELF: { status: 422, zh: '不能停用自己的账户', en: 'You cannot disable your own account' },
  CANNOT_RESET_SELF: {
    status: 422,
    zh: '不能重置自己的密码，请在个人设置中修改密码',
    en: 'You cannot reset your own password; change it yourself instead',
  },
  LAST_SUPER_ADMIN: {
    status: 422,
    zh: '至少须保留一名启用中的超级管理员',
    en: 'At least one active super admin must remain',
  },
  PERMISSION_NOT_HELD: {
    status: 403,
    zh: '不能授予或管理超出自己权限范围的权限：{permissions}',
    en: 'You cannot grant or manage permissions you do not hold yourself: {permissions}',
  },
  BUILTIN_ROLE_READ_ONLY: {
    status: 422,
    zh: '内置角色的权限固定，不能修改或删除',
    en: 'Built-in roles have fixed permissions and cannot be changed or deleted',
  },
  ROLE_CODE_TAKEN: { status: 409, zh: '角色代码已存在', en: 'This role code is taken' },
  ROLE_IN_USE: {
    status: 409,
    zh: '仍有 {staffCount} 名员工使用该角色，不能删除',
    en: 'The role is still held by {staffCount} staff members and cannot be deleted',
  },
  ROLES_LIMIT_REACHED: { status: 422, zh: '角色数量已达上限 {max}', en: 'The number of roles is limited to {max}' },
  ORGANISATION_CYCLE: {
    status: 422,
    zh: '不能把机构移动到它自己或其下级之下',
    en: 'An organisation cannot be moved under itself or one of its descendants',
  },
  ORGANISATION_TOO_DEEP: {
    status: 422,
    zh: '组织机构最多 {max} 级',
    en: 'Organisations may be nested at most {max} levels deep',
  },
  ORGANISATIONS_LIMIT_REACHED: {
    status: 422,
    zh: '组织机构数量已达上限 {max}',
    en: 'The number of organisations is limited to {max}',
  },
  MEMBER_ALREADY_FROZEN: { status: 409, zh: '该会员已被冻结', en: 'This member is already frozen' },
  MEMBER_NOT_FROZEN: { status: 409, zh: '该会员未被冻结', en: 'This member is not frozen' },
  MEMBER_CLOSED: { status: 422, zh: '该会员账户已注销', en: 'This member account is closed' },
  POINTS_INSUFFICIENT: {
    status: 422,
    zh: '积分不足：当前 {points}，不能扣减 {deduct}',
    en: 'Not enough points: {points} held, cannot deduct {deduct}',
  },
  APPROVAL_ALREADY_PENDING: {
    status: 409,
    zh: '已有一条待复核的同类申请',
    en: 'A request of this kind is already waiting for approval',
  },
  APPROVAL_ALREADY_DECIDED: {
    status: 409,
    zh: '该申请已处理（{status}）',
    en: 'This request was already decided ({status})',
  },
  APPROVAL_MAKER_CANNOT_DECIDE: {
    status: 422,
    zh: '提交人不能复核自己的申请，须由另一名员工复核',
    en: 'You submitted this request; another staff member must decide it',
  },
  APPROVAL_ONLY_MAKER_CANCELS: {
    status: 422,
    zh: '只有提交人可以撤回申请',
    en: 'Only the staff member who submitted the request can cancel it',
  },
  APPROVAL_REASON_REQUIRED: {
    status: 400,
    zh: '驳回时须填写原因',
    en: 'A reason is required to reject a request',
  },
  SEARCH_TERM_UNRECOGNISED: {
    status: 400,
    zh: '请输入完整的手机号、会员编号或推荐码',
    en: 'Enter a full mobile number, member id or referral code',
  },
  APPROVAL_KIND_UNKNOWN: {
    status: 422,
    zh: '未知的复核类型：{kind}',
    en: 'Unknown approval kind: {kind}',
  },
});
