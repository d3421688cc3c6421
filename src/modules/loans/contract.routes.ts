import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { audit } from '../../platform/audit.ts';
import { errorResponses } from '../../platform/http-schemas.ts';
import { customerMayReadContract, loadContractData, renderContractPdf } from './contract.service.ts';
import { LoanError } from './loans.errors.ts';

const PdfResponse = Type.Unsafe<Buffer>({
  type: 'string',
  format: 'binary',
  description: 'The contract as a PDF (application/pdf)',
});
const Params = Type.Object({ loanId: Type.String({ maxLength: 64 }) });

function sendPdf(reply: FastifyReply, loanNo: string, pdf: Buffer) {
  const name = `loan-contract-${loanNo.replace(/[^A-Za-z0-9_-]/g, '_')}.pdf`;
  return reply
    .header('content-type', 'application/pdf')
    .header('content-length', pdf.length)
    .header('content-disposition', `attachment; filename="${name}"`)
    .header('cache-control', 'private, no-store')
    .header('x-content-type-options', 'nosniff')
    .send(pdf);
}

/** The loan contract (借款合同) as a PDF: for the borrower and the loan's investors, and for staff. */
export const contractRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/v1/me/loans/:loanId/contract.pdf',
    {
      config: { auth: 'customer' },
      schema: {
        operationId: 'downloadMyLoanContract',
        summary: 'The contract of a disbursed loan I borrowed or invested in (PDF, personal data masked)',
        description:
          'For the borrower and for investors with a disbursed bid on the loan; anyone else gets 404. ' +
          '409 CONTRACT_NOT_AVAILABLE before disbursement; 503 CONTRACT_FONT_UNAVAILABLE without a CJK font.',
        tags: ['loans'],
        params: Params,
        response: { 200: PdfResponse, ...errorResponses(401, 404, 409, 503) },
      },
    },
    async (request, reply) => {
      const { loanId } = request.params;
      if (!(await customerMayReadContract(app.db, loanId, request.customer!.id))) {
        throw LoanError.LOAN_NOT_FOUND({ loanId });
      }
      const data = await loadContractData(app.db, loanId);
      const pdf = await renderContractPdf(data, app.config.cjkFontPath);
      return sendPdf(reply, data.loanNo, pdf);
    },
  );

  app.get(
    '/api/v1/admin/loans/:loanId/contract.pdf',
    {
      config: { permission: 'loans.review' },
      schema: {
        operationId: 'downloadLoanContract',
        summary: 'The contract of a disbursed loan (PDF, personal data masked)',
        description:
          '409 CONTRACT_NOT_AVAILABLE before disbursement; 503 CONTRACT_FONT_UNAVAILABLE without a CJK font.',
        tags: ['back office: loans'],
        params: Params,
        response: { 200: PdfResponse, ...errorResponses(401, 403, 404, 409, 503) },
      },
    },
    async (request, reply) => {
      const data = await loadContractData(app.db, request.params.loanId);
      const pdf = await renderContractPdf(data, app.config.cjkFontPath);
      await audit(app.db, request, { action: 'loan.contract.download', targetKind: 'loan', targetId: data.loanId });
      return sendPdf(reply, data.loanNo, pdf);
    },
  );
};
