import { useTranslation } from 'react-i18next';
import { SectionPage } from './SectionPage.tsx';

export function BorrowPage() {
  const { t } = useTranslation();
  return <SectionPage title={t('pages.borrowTitle')} lead={t('pages.borrowText')} empty={t('pages.borrowEmpty')} />;
}
