import { defineErrors } from '../../../platform/errors.ts';

export const DocumentError = defineErrors({
  DOCUMENT_NOT_FOUND: { status: 404, zh: '资料不存在', en: 'Document not found' },
  DOCUMENT_NOT_MULTIPART: {
    status: 415,
    zh: '请以 multipart/form-data 格式上传文件',
    en: 'Upload the file as multipart/form-data',
  },
  DOCUMENT_KIND_REQUIRED: {
    status: 400,
    zh: '请选择资料类型（kind 字段须在文件之前提交）',
    en: 'Choose the document kind (the kind field must come before the file)',
  },
  DOCUMENT_KIND_INVALID: { status: 400, zh: '资料类型不正确', en: 'Unknown document kind' },
  DOCUMENT_FILE_REQUIRED: { status: 400, zh: '请选择要上传的文件', en: 'Choose a file to upload' },
  DOCUMENT_ONE_FILE_ONLY: { status: 400, zh: '每次只能上传一个文件', en: 'Upload one file at a time' },
  DOCUMENT_UPLOAD_MALFORMED: {
    status: 400,
    zh: '上传的数据不完整或格式有误，请重试',
    en: 'The upload was incomplete or malformed; please try again',
  },
  DOCUMENT_EMPTY: { status: 400, zh: '文件内容为空', en: 'The file is empty' },
  DOCUMENT_TYPE_NOT_ALLOWED: {
    status: 415,
    zh: '仅支持 JPG、PNG 图片或 PDF 文件（按文件内容识别）',
    en: 'Only JPEG, PNG or PDF files are accepted (judged by the content)',
  },
  DOCUMENT_TOO_LARGE: {
    status: 413,
    zh: '文件过大，单个文件不能超过 {limitMiB} MB',
    en: 'The file is too large; the limit is {limitMiB} MB',
  },
  DOCUMENT_LIMIT_REACHED: {
    status: 422,
    zh: '资料数量已达上限（{limit} 份），请先删除不需要的资料',
    en: 'You have reached the limit of {limit} documents; delete some first',
  },
  DOCUMENT_ALREADY_REVIEWED: {
    status: 409,
    zh: '资料已审核，不能再修改或删除',
    en: 'The document has already been reviewed and can no longer be changed or deleted',
  },
  DOCUMENT_REASON_REQUIRED: {
    status: 400,
    zh: '驳回时请填写原因',
    en: 'Give a reason when rejecting',
  },
  DOCUMENT_REASON_TOO_LONG: {
    status: 400,
    zh: '原因不能超过 {limit} 个字',
    en: 'The reason must be at most {limit} characters',
  },
  DOCUMENT_INVALID_CURSOR: { status: 400, zh: '分页游标无效', en: 'Invalid page cursor' },
});
