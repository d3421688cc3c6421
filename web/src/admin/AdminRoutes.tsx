import { Navigate, Route, Routes } from 'react-router';
import { AdminLayout } from './AdminLayout.tsx';
import { AdminLoginPage } from './pages/AdminLoginPage.tsx';
import { AdminSectionPage } from './pages/AdminSectionPage.tsx';
import { AdminSetupPage } from './pages/AdminSetupPage.tsx';
import { CustomerStatementPage } from './pages/CustomerStatementPage.tsx';
import { TrialBalancePage } from './pages/TrialBalancePage.tsx';
import { WorkbenchPage } from './pages/WorkbenchPage.tsx';
import { RequirePermission } from './RequirePermission.tsx';

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
        <Route path=":section" element={<AdminSectionPage />} />
      </Route>
    </Routes>
  );
}
