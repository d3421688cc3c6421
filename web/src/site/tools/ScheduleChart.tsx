import { Spin } from 'antd';
import { lazy, Suspense, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { fenFromJson, fenToJson, formatYuan } from '../../../../src/modules/money/index.ts';
import type { Schedule } from '../../../../src/modules/servicing/schedule/index.ts';
import type { EChartOption } from '../../shared/EChart.tsx';

// ECharts is large: load it only when a schedule is shown.
const EChart = lazy(() => import('../../shared/EChart.tsx'));

const PRINCIPAL_COLOR = '#b8322a';
const INTEREST_COLOR = '#f2a541';

/** Stacked bars of principal and interest per period. Bar heights are fen; every label is formatted from bigint fen. */
export function ScheduleChart(props: { schedule: Schedule }) {
  const { t } = useTranslation();
  const { rows } = props.schedule;
  const option = useMemo<EChartOption>(() => {
    const principal = t('tools.principal');
    const interest = t('tools.interest');
    return {
      aria: { enabled: true },
      animation: rows.length <= 120,
      grid: { left: 8, right: 16, top: 40, bottom: 8, containLabel: true },
      legend: { data: [principal, interest], top: 0 },
      tooltip: {
        trigger: 'axis',
        axisPointer: { type: 'shadow' },
        formatter: (params: unknown) => {
          const first = (Array.isArray(params) ? params[0] : params) as { dataIndex?: number } | undefined;
          const row = rows[first?.dataIndex ?? -1];
          if (!row) return '';
          return [
            `${t('tools.columns.period')} ${row.period} · ${row.dueDate}`,
            `${principal}: ${formatYuan(row.principalFen)}`,
            `${interest}: ${formatYuan(row.interestFen)}`,
            `${t('tools.columns.payment')}: ${formatYuan(row.paymentFen)}`,
          ].join('<br/>');
        },
      },
      xAxis: { type: 'category', data: rows.map((r) => String(r.period)) },
      yAxis: {
        type: 'value',
        minInterval: 1,
        axisLabel: {
          formatter: (value: number) => (Number.isSafeInteger(value) ? formatYuan(fenFromJson(value)) : ''),
        },
      },
      series: [
        {
          name: principal,
          type: 'bar',
          stack: 'payment',
          barMaxWidth: 48,
          itemStyle: { color: PRINCIPAL_COLOR },
          data: rows.map((r) => fenToJson(r.principalFen)),
        },
        {
          name: interest,
          type: 'bar',
          stack: 'payment',
          barMaxWidth: 48,
          itemStyle: { color: INTEREST_COLOR },
          data: rows.map((r) => fenToJson(r.interestFen)),
        },
      ],
    };
  }, [rows, t]);

  return (
    <div className="tools-chart">
      <Suspense
        fallback={
          <div style={{ height: 320, display: 'flex', alignItems: 'center', justifyContent: 'center' }}>
            <Spin description={t('tools.chartLoading')} />
          </div>
        }
      >
        <EChart option={option} height={320} label={t('tools.chartTitle')} testId="tools-chart" />
      </Suspense>
    </div>
  );
}
