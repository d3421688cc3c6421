import { Navigate, Route, Routes } from 'react-router';
import { AdminLayout } from './AdminLayout.tsx';
import { AdminLoginPage } from './pages/AdminLoginPage.tsx';
import { AdminSectionPage } from './pages/AdminSectionPage.tsx';
import { WorkbenchPage } from './pages/WorkbenchPage.tsx';

/** The back office under /admin (loaded on demand, so customers never download it). */
export default function AdminRoutes() {
  return (
    <Routes>
      <Route path="login" element={<AdminLoginPage />} />
      <Route element={<AdminLayout />}>
        <Route index element={<Navigate to="workbench" replace />} />
        <Route path="workbench" element={<WorkbenchPage />} />
        <Route path=":section" element={<AdminSectionPage />} />
      </Route>
    </Routes>
  );
}
