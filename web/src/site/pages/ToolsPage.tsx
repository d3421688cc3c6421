import { useTranslation } from 'react-i18next';
import { SectionPage } from './SectionPage.tsx';

export function ToolsPage() {
  const { t } = useTranslation();
  return <SectionPage title={t('pages.toolsTitle')} empty={t('pages.toolsEmpty')} />;
}
