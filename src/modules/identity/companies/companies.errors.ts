import { defineErrors } from '../../../platform/errors.ts';

export const CompanyError = defineErrors({
  COMPANY_NOT_FOUND: { status: 404, zh: '尚未填写企业信息', en: 'No company profile yet' },
  COMPANY_NAME_INVALID: {
    status: 400,
    zh: '企业名称须为 {min}–{max} 个字',
    en: 'The company name must be {min} to {max} characters',
  },
  CREDIT_CODE_INVALID: {
    status: 400,
    zh: '统一社会信用代码格式不正确（18 位数字或大写字母，不含 I、O、Z、S、V）',
    en: 'The unified social credit code must be 18 digits or capital letters (no I, O, Z, S or V)',
  },
  CREDIT_CODE_CHECK_FAILED: {
    status: 400,
    zh: '统一社会信用代码校验位不正确，请核对',
    en: 'The check character of the unified social credit code is wrong; please check the code',
  },
  CREDIT_CODE_TAKEN: {
    status: 409,
    zh: '该统一社会信用代码已被其他用户登记',
    en: 'This unified social credit code is already registered by another customer',
  },
  LEGAL_REPRESENTATIVE_INVALID: {
    status: 400,
    zh: '法定代表人姓名须为 {min}–{max} 个字，只能包含文字、空格和“·”',
    en: "The legal representative's name must be {min} to {max} letters, spaces or '·'",
  },
  LEGAL_REPRESENTATIVE_REQUIRED: {
    status: 400,
    zh: '请填写法定代表人姓名',
    en: "Enter the legal representative's name",
  },
  FOUNDED_ON_INVALID: {
    status: 400,
    zh: '成立日期须在 {min} 至今天之间',
    en: 'The founding date must be between {min} and today',
  },
  FINANCIAL_YEAR_INVALID: {
    status: 400,
    zh: '财务年度须在 {min} 至 {max} 年之间',
    en: 'The financial year must be from {min} to {max}',
  },
  FINANCIAL_YEAR_BEFORE_FOUNDING: {
    status: 422,
    zh: '财务年度不能早于企业成立年份（{foundedYear} 年）',
    en: 'The financial year cannot be before the company was founded ({foundedYear})',
  },
  FINANCIAL_YEAR_EXISTS: {
    status: 409,
    zh: '{year} 年的财务报表已存在，请修改原记录',
    en: 'A statement for {year} already exists; edit it instead',
  },
  FINANCIAL_YEAR_NOT_FOUND: {
    status: 404,
    zh: '{year} 年的财务报表不存在',
    en: 'There is no statement for {year}',
  },
  FINANCIAL_YEARS_LIMIT_REACHED: {
    status: 422,
    zh: '最多保存 {limit} 个年度的财务报表',
    en: 'At most {limit} yearly statements can be kept',
  },
  COMPANY_INVALID_CURSOR: { status: 400, zh: '分页游标无效', en: 'Invalid page cursor' },
});
