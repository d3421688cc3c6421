import { defineErrors } from '../../platform/errors.ts';

/** Expected failures of loan products, applications, first review and the financing hall. */
export const LoanError = defineErrors({
  PRODUCT_NOT_FOUND: { status: 404, zh: '借款产品不存在', en: 'No such loan product' },
  PRODUCT_CODE_TAKEN: { status: 409, zh: '产品编码已被使用', en: 'This product code is already taken' },
  PRODUCT_RANGE_INVALID: {
    status: 400,
    zh: '产品参数范围有误：{field}',
    en: 'Invalid product range: {field}',
  },
  PRODUCT_METHODS_INVALID: {
    status: 400,
    zh: '还款方式与期限单位不匹配（按天计息只能用于以天计的期限）',
    en: 'Repayment methods do not match the term unit (daily is for terms in days, and only it)',
  },
  PRODUCT_NET_WORTH_SHARE_REQUIRED: {
    status: 400,
    zh: '净值标须设置可借比例',
    en: 'A net-worth product needs its borrowable share',
  },
  PRODUCT_DISABLED: { status: 422, zh: '该借款产品已停用', en: 'This loan product is disabled' },
  AMOUNT_OUT_OF_RANGE: {
    status: 400,
    zh: '借款金额须在 {min} 至 {max} 元之间',
    en: 'The amount must be between {min} and {max} yuan',
  },
  TERM_OUT_OF_RANGE: {
    status: 400,
    zh: '借款期限须在 {min} 至 {max} 之间',
    en: 'The term must be between {min} and {max}',
  },
  TERM_UNIT_MISMATCH: {
    status: 400,
    zh: '该产品的期限以{unit}计，请填写 {field}',
    en: 'This product counts its term in {unit}s; send {field}',
  },
  RATE_OUT_OF_RANGE: {
    status: 400,
    zh: '年利率须在 {min} 至 {max} 之间',
    en: 'The annual rate must be between {min} and {max}',
  },
  METHOD_NOT_ALLOWED: {
    status: 400,
    zh: '该产品不支持此还款方式',
    en: 'This product does not allow this repayment method',
  },
  DOCUMENT_NOT_FOUND: {
    status: 400,
    zh: '资料不存在或不属于您：{documentId}',
    en: 'No such document of yours: {documentId}',
  },
  DOCUMENT_REJECTED: {
    status: 400,
    zh: '资料审核未通过，不能作为借款资料：{documentId}',
    en: 'A rejected document cannot be attached: {documentId}',
  },
  REAL_NAME_REQUIRED: {
    status: 422,
    zh: '请先完成实名认证再申请借款',
    en: 'Please complete real-name verification before applying for a loan',
  },
  COMPANY_REQUIRED: {
    status: 422,
    zh: '企业借款须先填写企业资料',
    en: 'A corporate loan needs your company profile first',
  },
  TOO_MANY_OPEN_APPLICATIONS: {
    status: 422,
    zh: '您已有 {max} 笔借款申请在处理中',
    en: 'You already have {max} applications in progress',
  },
  APPLICATION_NOT_FOUND: { status: 404, zh: '借款申请不存在', en: 'No such loan application' },
  APPLICATION_NOT_RETURNED: {
    status: 409,
    zh: '只有被退回补充资料的申请可以重新提交',
    en: 'Only an application returned for more documents can be resubmitted',
  },
  LOAN_NOT_AWAITING_REVIEW: {
    status: 409,
    zh: '该申请已处理，不在初审中',
    en: 'This application was already decided; it is not awaiting first review',
  },
  PUBLISH_APPROVAL_PENDING: {
    status: 409,
    zh: '该申请的发布正在等待复核',
    en: 'Publishing this application is waiting for a second person',
  },
  GRADE_REQUIRED: { status: 400, zh: '批准时须评定信用等级', en: 'Approving needs a credit grade' },
  NOTE_REQUIRED: { status: 400, zh: '退回或拒绝须填写原因', en: 'Returning or rejecting needs a reason' },
  PUBLISH_AT_INVALID: {
    status: 400,
    zh: '定时发布时间须在未来 {maxDays} 天内',
    en: 'A scheduled publish time must be within the next {maxDays} days',
  },
  LOAN_NOT_FOUND: { status: 404, zh: '借款标不存在', en: 'No such loan' },
  INVALID_CURSOR: { status: 400, zh: '分页游标无效', en: 'Invalid page cursor' },
});
