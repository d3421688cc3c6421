import { Segmented } from 'antd';
import { useTranslation } from 'react-i18next';
import { type Language, setLanguage } from '../i18n.ts';

/** The visible 中文 / English switch; the choice persists in this browser. */
export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  return (
    <Segmented<Language>
      size="small"
      aria-label={t('lang.label')}
      data-testid="language-switch"
      value={i18n.language === 'en-US' ? 'en-US' : 'zh-CN'}
      options={[
        { label: t('lang.zh'), value: 'zh-CN' },
        { label: t('lang.en'), value: 'en-US' },
      ]}
      onChange={(value) => setLanguage(value)}
    />
  );
}
