import type { ReactNode } from 'react';
import { Navigate, Route, Routes } from 'react-router';
import { AdminLayout } from './AdminLayout.tsx';
import { AdminLoginPage } from './pages/AdminLoginPage.tsx';
import { AdminSectionPage } from './pages/AdminSectionPage.tsx';
import { AdminSetupPage } from './pages/AdminSetupPage.tsx';
import { ApprovalsPage } from './pages/ApprovalsPage.tsx';
import { AuditLogPage } from './pages/AuditLogPage.tsx';
import { BankCardReviewPage } from './pages/BankCardReviewPage.tsx';
import { CustomerStatementPage } from './pages/CustomerStatementPage.tsx';
import { DocumentReviewPage } from './pages/DocumentReviewPage.tsx';
import { LoanProductsPage, LoanReviewPage } from './pages/LoanPages.tsx';
import { MembersPage } from './pages/MembersPage.tsx';
import { OrganisationsPage } from './pages/OrganisationsPage.tsx';
import {
  CustodianCallbacksPage,
  OfflineRechargePage,
  PaymentOrdersPage,
  ReconciliationPage,
} from './pages/PaymentsPages.tsx';
import { RolesPage } from './pages/RolesPage.tsx';
import { SecondReviewPage } from './pages/SecondReviewPage.tsx';
import { SmsOutboxPage } from './pages/SmsOutboxPage.tsx';
import { StaffPage } from './pages/StaffPage.tsx';
import { TrialBalancePage } from './pages/TrialBalancePage.tsx';
import { WithdrawalReviewPage } from './pages/WithdrawalReviewPage.tsx';
import { WorkbenchPage } from './pages/WorkbenchPage.tsx';
import { RequirePermission } from './RequirePermission.tsx';

/** A page shown only to staff holding the permission. */
function guarded(path: string, permission: string, page: ReactNode) {
  return <Route path={path} element={<RequirePermission permission={permission}>{page}</RequirePermission>} />;
}

/** The back office under /admin (loaded on demand, so customers never download it). */
export default function AdminRoutes() {
  return (
    <Routes>
      <Route path="login" element={<AdminLoginPage />} />
      <Route path="setup" element={<AdminSetupPage />} />
      <Route element={<AdminLayout />}>
        <Route index element={<Navigate to="workbench" replace />} />
        <Route path="workbench" element={<WorkbenchPage />} />
        <Route
          path="finance/trial-balance"
          element={
            <RequirePermission permission="ledger.trial_balance">
              <TrialBalancePage />
            </RequirePermission>
          }
        />
        <Route
          path="finance/statements"
          element={
            <RequirePermission permission="ledger.read">
              <CustomerStatementPage />
            </RequirePermission>
          }
        />
        <Route path="members" element={<Navigate to="list" replace />} />
        {guarded('members/list', 'members.read', <MembersPage />)}
        {guarded('members/approvals', 'approvals.read', <ApprovalsPage />)}
        {guarded('members/bank-cards', 'cards.review', <BankCardReviewPage />)}
        {guarded('members/documents', 'kyc.review', <DocumentReviewPage />)}
        {guarded('loans/products', 'loans.products', <LoanProductsPage />)}
        {guarded('loans/first-review', 'loans.review', <LoanReviewPage />)}
        {guarded('loans/second-review', 'loans.second_review', <SecondReviewPage />)}
        {guarded('finance/payment-orders', 'payments.read', <PaymentOrdersPage />)}
        {guarded('finance/withdrawals', 'payments.read', <WithdrawalReviewPage />)}
        {guarded('finance/custodian-callbacks', 'payments.read', <CustodianCallbacksPage />)}
        {guarded('finance/reconciliation', 'payments.reconcile', <ReconciliationPage />)}
        {guarded('finance/offline-recharges', 'payments.offline_recharge', <OfflineRechargePage />)}
        <Route path="system" element={<Navigate to="staff" replace />} />
        {guarded('system/staff', 'staff.read', <StaffPage />)}
        {guarded('system/roles', 'staff.read', <RolesPage />)}
        {guarded('system/organisations', 'staff.read', <OrganisationsPage />)}
        {guarded('system/audit-log', 'audit.read', <AuditLogPage />)}
        {guarded('system/sms-outbox', 'sms.outbox.read', <SmsOutboxPage />)}
        <Route path=":section" element={<AdminSectionPage />} />
      </Route>
    </Routes>
  );
}
