import { useTranslation } from 'react-i18next';
import { SectionPage } from './SectionPage.tsx';

export function InvestPage() {
  const { t } = useTranslation();
  return <SectionPage title={t('pages.investTitle')} empty={t('pages.investEmpty')} />;
}
