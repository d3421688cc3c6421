import type { ThemeConfig } from 'antd';

/** Lendhall's look: a deep red brand colour on a calm neutral base. */
export const theme: ThemeConfig = {
  token: {
    colorPrimary: '#b8322a',
    colorLink: '#b8322a',
    borderRadius: 6,
    fontFamily:
      "-apple-system, BlinkMacSystemFont, 'Segoe UI', 'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', 'Noto Sans CJK SC', 'WenQuanYi Micro Hei', sans-serif",
  },
};
