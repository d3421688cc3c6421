import { Route, Routes } from 'react-router';
import { AccountLayout } from '../account/AccountLayout.tsx';
import { BankCardsPage } from '../account/BankCardsPage.tsx';
import { CompanyPage } from '../account/CompanyPage.tsx';
import { DocumentsPage } from '../account/DocumentsPage.tsx';
import { MyBidsPage } from '../account/MyBidsPage.tsx';
import { OverviewPage } from '../account/OverviewPage.tsx';
import { RealNamePage } from '../account/RealNamePage.tsx';
import { RechargePage } from '../account/RechargePage.tsx';
import { RiskAssessmentPage } from '../account/RiskAssessmentPage.tsx';
import { StatementPage } from '../account/StatementPage.tsx';
import { WithdrawPage } from '../account/WithdrawPage.tsx';
import { NotFoundPage } from './NotFoundPage.tsx';

/** 我的账户 (/account/*): overview, recharge, withdraw, statement, identity, cards, documents, company, risk questionnaire. */
export function AccountPage() {
  return (
    <Routes>
      <Route element={<AccountLayout />}>
        <Route index element={<OverviewPage />} />
        <Route path="statement" element={<StatementPage />} />
        <Route path="real-name" element={<RealNamePage />} />
        <Route path="bank-cards" element={<BankCardsPage />} />
        <Route path="recharge" element={<RechargePage />} />
        <Route path="bids" element={<MyBidsPage />} />
        <Route path="withdraw" element={<WithdrawPage />} />
        <Route path="documents" element={<DocumentsPage />} />
        <Route path="company" element={<CompanyPage />} />
        <Route path="risk-assessment" element={<RiskAssessmentPage />} />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
