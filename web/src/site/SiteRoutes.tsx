import { Route, Routes } from 'react-router';
import { LoginPage } from './auth/LoginPage.tsx';
import { RegisterPage } from './auth/RegisterPage.tsx';
import { ResetPasswordPage } from './auth/ResetPasswordPage.tsx';
import { LoanDetailPage } from './invest/LoanDetailPage.tsx';
import { AccountPage } from './pages/AccountPage.tsx';
import { BorrowPage } from './pages/BorrowPage.tsx';
import { HelpPage } from './pages/HelpPage.tsx';
import { HomePage } from './pages/HomePage.tsx';
import { InvestPage } from './pages/InvestPage.tsx';
import { NotFoundPage } from './pages/NotFoundPage.tsx';
import { ToolsPage } from './pages/ToolsPage.tsx';
import { SiteLayout } from './SiteLayout.tsx';

export function SiteRoutes() {
  return (
    <Routes>
      <Route element={<SiteLayout />}>
        <Route index element={<HomePage />} />
        <Route path="invest" element={<InvestPage />} />
        <Route path="invest/loans/:loanId" element={<LoanDetailPage />} />
        <Route path="borrow" element={<BorrowPage />} />
        <Route path="tools" element={<ToolsPage />} />
        <Route path="help" element={<HelpPage />} />
        <Route path="account/*" element={<AccountPage />} />
        <Route path="login" element={<LoginPage />} />
        <Route path="register" element={<RegisterPage />} />
        <Route path="reset-password" element={<ResetPasswordPage />} />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
