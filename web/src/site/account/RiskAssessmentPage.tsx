import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Descriptions,
  Empty,
  Form,
  Radio,
  Result,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api } from '../../shared/api.ts';
import { shanghaiTime } from '../../shared/format.ts';

type RiskLevel = 'conservative' | 'steady' | 'balanced' | 'aggressive';

interface Questionnaire {
  version: number;
  validityMonths: number;
  questions: { id: string; text: string; options: { id: string; text: string }[] }[];
  levels: { level: RiskLevel; name: string; description: string; minScore: number; maxScore: number }[];
}

interface Assessment {
  id: string;
  questionnaireVersion: number;
  answers: Record<string, string>;
  score: number;
  level: RiskLevel;
  levelName: string;
  assessedAt: string;
  expiresAt: string;
  expiresOn: string;
  expired: boolean;
}

interface MyAssessments {
  current: Assessment | null;
  history: Assessment[];
}

const LEVEL_COLOR: Record<RiskLevel, string> = {
  conservative: 'green',
  steady: 'cyan',
  balanced: 'blue',
  aggressive: 'volcano',
};

/** Investor risk assessment (风险测评): the questionnaire, the result card and past results. */
export function RiskAssessmentPage() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const client = useQueryClient();
  const [form] = Form.useForm<Record<string, string>>();
  const [taking, setTaking] = useState(false);
  const [answered, setAnswered] = useState(0);

  const questionnaire = useQuery({
    queryKey: ['risk-questionnaire', i18n.language],
    queryFn: () => api<Questionnaire>('/api/v1/risk-questionnaire'),
    staleTime: 10 * 60_000,
  });
  const mine = useQuery({
    queryKey: ['my-risk-assessment', i18n.language],
    queryFn: () => api<MyAssessments>('/api/v1/me/risk-assessment'),
  });
  const submit = useMutation({
    mutationFn: (answers: Record<string, string>) =>
      api<Assessment>('/api/v1/me/risk-assessment', {
        method: 'POST',
        body: { answers, version: questionnaire.data?.version },
      }),
    onSuccess: (result) => {
      void message.success(t('risk.submitted', { level: result.levelName }));
      setTaking(false);
      void client.invalidateQueries({ queryKey: ['my-risk-assessment'] });
    },
    onError: (error) => {
      void message.error(error.message);
      if (error instanceof ApiError && error.code === 'RISK_QUESTIONNAIRE_CHANGED') {
        void client.invalidateQueries({ queryKey: ['risk-questionnaire'] });
      }
    },
  });

  if (mine.error instanceof ApiError && mine.error.status === 401) {
    return (
      <Card title={t('risk.title')}>
        <Empty description={t('documents.signInFirst')} />
      </Card>
    );
  }

  const q = questionnaire.data;
  const current = mine.data?.current ?? null;
  const latest = mine.data?.history[0];
  const questions = q?.questions ?? [];
  const band = current ? q?.levels.find((l) => l.level === current.level) : undefined;

  function start() {
    form.resetFields();
    setAnswered(0);
    setTaking(true);
  }

  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Card title={t('risk.title')} loading={questionnaire.isPending || mine.isPending}>
        <Typography.Paragraph type="secondary">
          {t('risk.lead', { months: q?.validityMonths ?? 12 })}
        </Typography.Paragraph>
        {questionnaire.isError ? <Alert type="error" showIcon title={questionnaire.error.message} /> : null}
        {mine.isError ? <Alert type="error" showIcon title={mine.error.message} /> : null}

        {!taking && current ? (
          <Result
            status="success"
            title={
              <Space>
                {t('risk.resultTitle')}
                <Tag color={LEVEL_COLOR[current.level]} style={{ fontSize: 16, padding: '2px 10px' }}>
                  {current.levelName}
                </Tag>
              </Space>
            }
            subTitle={band?.description}
            extra={<Button onClick={start}>{t('risk.retake')}</Button>}
          >
            <Descriptions column={{ xs: 1, sm: 3 }} size="small">
              <Descriptions.Item label={t('risk.score')}>{current.score}</Descriptions.Item>
              <Descriptions.Item label={t('risk.assessedAt')}>{shanghaiTime(current.assessedAt)}</Descriptions.Item>
              <Descriptions.Item label={t('risk.validUntil')}>{current.expiresOn}</Descriptions.Item>
            </Descriptions>
          </Result>
        ) : null}

        {!taking && !current && mine.isSuccess ? (
          <Space orientation="vertical">
            <Alert
              type="warning"
              showIcon
              title={latest?.expired ? t('risk.expired', { date: latest.expiresOn }) : t('risk.none')}
            />
            <Button type="primary" onClick={start} disabled={!q}>
              {t('risk.start')}
            </Button>
          </Space>
        ) : null}

        {taking && q ? (
          <Form
            form={form}
            layout="vertical"
            onValuesChange={(_changed, all: Record<string, string>) =>
              setAnswered(Object.values(all).filter(Boolean).length)
            }
            onFinish={(answers) => submit.mutate(answers)}
          >
            {questions.map((question, index) => (
              <Form.Item
                key={question.id}
                name={question.id}
                label={`${index + 1}. ${question.text}`}
                rules={[{ required: true, message: t('risk.answerRequired') }]}
              >
                <Radio.Group>
                  <Space orientation="vertical">
                    {question.options.map((o) => (
                      <Radio key={o.id} value={o.id}>
                        {o.text}
                      </Radio>
                    ))}
                  </Space>
                </Radio.Group>
              </Form.Item>
            ))}
            <Space>
              <Button type="primary" htmlType="submit" loading={submit.isPending}>
                {t('risk.submit')}
              </Button>
              <Button onClick={() => setTaking(false)}>{t('risk.cancel')}</Button>
              {answered < questions.length ? (
                <Typography.Text type="secondary">
                  {t('risk.unanswered', { count: questions.length - answered })}
                </Typography.Text>
              ) : null}
            </Space>
          </Form>
        ) : null}
      </Card>

      {mine.data && mine.data.history.length > 0 ? (
        <Card title={t('risk.history')}>
          <Table<Assessment>
            rowKey="id"
            dataSource={mine.data.history}
            pagination={false}
            size="small"
            columns={[
              { title: t('risk.assessedAt'), dataIndex: 'assessedAt', render: (iso: string) => shanghaiTime(iso) },
              { title: t('risk.score'), dataIndex: 'score', align: 'right' },
              {
                title: t('risk.level'),
                dataIndex: 'level',
                render: (_l, a) => <Tag color={LEVEL_COLOR[a.level]}>{a.levelName}</Tag>,
              },
              {
                title: t('risk.validUntil'),
                dataIndex: 'expiresOn',
                render: (date: string, a) => (
                  <Space>
                    {date}
                    {a.expired ? <Tag>{t('risk.expiredTag')}</Tag> : null}
                  </Space>
                ),
              },
            ]}
          />
        </Card>
      ) : null}
    </Space>
  );
}
