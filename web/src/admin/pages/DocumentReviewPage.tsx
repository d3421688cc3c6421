import { CheckOutlined, CloseOutlined, DownloadOutlined, EyeOutlined } from '@ant-design/icons';
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Empty,
  Form,
  Input,
  Modal,
  Popconfirm,
  Segmented,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../shared/api.ts';
import { shanghaiTime } from '../../shared/format.ts';
import {
  DOCUMENT_KINDS,
  type DocumentKind,
  type DocumentPage,
  type DocumentStatus,
  formatBytes,
  STATUS_COLOR,
  type StaffDocumentItem,
} from '../../site/account/documents-shared.ts';

type StatusFilter = DocumentStatus | 'all';
const PAGE_SIZE = 50;
const REASON_CHARS_MAX = 500;

function fileUrl(id: string, inline: boolean): string {
  return `/api/v1/admin/documents/${encodeURIComponent(id)}/file${inline ? '?disposition=inline' : ''}`;
}

/** 资料审核: customers' documents with preview, download, approve and reject (with a reason). Needs kyc.review. */
export function DocumentReviewPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const client = useQueryClient();
  const [status, setStatus] = useState<StatusFilter>('pending');
  const [kind, setKind] = useState<DocumentKind | undefined>();
  const [customerId, setCustomerId] = useState<string | undefined>();
  const [preview, setPreview] = useState<StaffDocumentItem | null>(null);
  const [rejecting, setRejecting] = useState<StaffDocumentItem | null>(null);
  const [rejectForm] = Form.useForm<{ reason: string }>();

  const params = new URLSearchParams({ limit: String(PAGE_SIZE) });
  if (status !== 'all') params.set('status', status);
  if (kind) params.set('kind', kind);
  if (customerId) params.set('customerId', customerId);
  const key = ['admin-documents', status, kind, customerId] as const;

  const list = useInfiniteQuery({
    queryKey: key,
    initialPageParam: '',
    queryFn: ({ pageParam }) =>
      api<DocumentPage<StaffDocumentItem>>(
        `/api/v1/admin/documents?${params.toString()}${pageParam ? `&cursor=${encodeURIComponent(pageParam)}` : ''}`,
      ),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });

  const review = useMutation({
    mutationFn: (input: { id: string; decision: 'approved' | 'rejected'; reason?: string }) =>
      api<StaffDocumentItem>(`/api/v1/admin/documents/${encodeURIComponent(input.id)}/review`, {
        method: 'POST',
        body: { decision: input.decision, ...(input.reason ? { reason: input.reason } : {}) },
      }),
    onSuccess: (doc) => {
      void message.success(doc.status === 'approved' ? t('documents.review.approved') : t('documents.review.rejected'));
      setRejecting(null);
      setPreview(null);
      void client.invalidateQueries({ queryKey: ['admin-documents'] });
    },
    onError: (error) => void message.error(error.message),
  });

  const documents = list.data?.pages.flatMap((p) => p.items) ?? [];

  function reviewButtons(d: StaffDocumentItem) {
    if (d.status !== 'pending') return null;
    return (
      <>
        <Popconfirm
          title={t('documents.review.approveConfirm')}
          okText={t('documents.review.approve')}
          cancelText={t('documents.cancel')}
          onConfirm={() => review.mutateAsync({ id: d.id, decision: 'approved' })}
        >
          <Button size="small" type="primary" icon={<CheckOutlined />}>
            {t('documents.review.approve')}
          </Button>
        </Popconfirm>
        <Button
          size="small"
          danger
          icon={<CloseOutlined />}
          onClick={() => {
            rejectForm.resetFields();
            setRejecting(d);
          }}
        >
          {t('documents.review.reject')}
        </Button>
      </>
    );
  }

  return (
    <Card title={t('documents.review.title')}>
      <Space wrap style={{ marginBottom: 16 }}>
        <Segmented<StatusFilter>
          value={status}
          onChange={setStatus}
          options={[
            { value: 'pending', label: t('documents.status.pending') },
            { value: 'approved', label: t('documents.status.approved') },
            { value: 'rejected', label: t('documents.status.rejected') },
            { value: 'all', label: t('documents.review.all') },
          ]}
        />
        <Select<DocumentKind>
          allowClear
          style={{ width: 180 }}
          placeholder={t('documents.columns.kind')}
          value={kind}
          onChange={setKind}
          options={DOCUMENT_KINDS.map((k) => ({ value: k, label: t(`documents.kinds.${k}`) }))}
        />
        <Input.Search
          allowClear
          style={{ width: 340 }}
          placeholder={t('documents.review.customerId')}
          enterButton={t('documents.review.search')}
          onSearch={(v) => setCustomerId(v.trim() || undefined)}
        />
      </Space>
      {list.isError ? <Alert type="error" showIcon title={list.error.message} style={{ marginBottom: 16 }} /> : null}
      <Table<StaffDocumentItem>
        rowKey="id"
        loading={list.isPending}
        dataSource={documents}
        pagination={false}
        scroll={{ x: 1300 }}
        locale={{ emptyText: <Empty description={t('documents.review.empty')} /> }}
        columns={[
          {
            title: t('documents.review.customer'),
            key: 'customer',
            width: 200,
            render: (_v, d) => (
              <Space orientation="vertical" size={0}>
                <span>{d.customerPhoneMasked}</span>
                <Typography.Text type="secondary" style={{ fontSize: 12 }} copyable>
                  {d.customerId}
                </Typography.Text>
              </Space>
            ),
          },
          {
            title: t('documents.columns.kind'),
            dataIndex: 'kind',
            width: 130,
            render: (k: DocumentKind) => t(`documents.kinds.${k}`),
          },
          { title: t('documents.columns.fileName'), dataIndex: 'fileName', width: 220, ellipsis: true },
          {
            title: t('documents.columns.size'),
            dataIndex: 'sizeBytes',
            width: 90,
            align: 'right',
            render: (n: number) => formatBytes(n),
          },
          {
            title: t('documents.columns.uploadedAt'),
            dataIndex: 'createdAt',
            width: 170,
            render: (iso: string) => shanghaiTime(iso),
          },
          {
            title: t('documents.columns.status'),
            dataIndex: 'status',
            width: 180,
            render: (_s, d) => (
              <Space orientation="vertical" size={0}>
                <Tag color={STATUS_COLOR[d.status]}>{t(`documents.status.${d.status}`)}</Tag>
                {d.reviewReason ? <Typography.Text type="secondary">{d.reviewReason}</Typography.Text> : null}
              </Space>
            ),
          },
          {
            title: t('documents.columns.actions'),
            key: 'actions',
            width: 300,
            render: (_v, d) => (
              <Space wrap>
                <Button size="small" icon={<EyeOutlined />} onClick={() => setPreview(d)}>
                  {t('documents.review.preview')}
                </Button>
                <Button size="small" icon={<DownloadOutlined />} href={fileUrl(d.id, false)}>
                  {t('documents.download')}
                </Button>
                {reviewButtons(d)}
              </Space>
            ),
          },
        ]}
      />
      {list.hasNextPage ? (
        <Button block style={{ marginTop: 12 }} onClick={() => list.fetchNextPage()} loading={list.isFetchingNextPage}>
          {t('documents.more')}
        </Button>
      ) : null}

      <Modal
        open={preview !== null}
        title={preview ? `${t(`documents.kinds.${preview.kind}`)} · ${preview.fileName}` : ''}
        width={900}
        onCancel={() => setPreview(null)}
        footer={
          preview ? (
            <Space>
              <Button href={fileUrl(preview.id, true)} target="_blank" rel="noopener noreferrer">
                {t('documents.review.openInNewTab')}
              </Button>
              {reviewButtons(preview)}
            </Space>
          ) : null
        }
        destroyOnHidden
      >
        {preview?.contentType === 'application/pdf' ? (
          <iframe
            title={preview.fileName}
            src={fileUrl(preview.id, true)}
            style={{ width: '100%', height: '70vh', border: 'none' }}
          />
        ) : preview ? (
          <img
            alt={preview.fileName}
            src={fileUrl(preview.id, true)}
            style={{ maxWidth: '100%', maxHeight: '70vh', display: 'block', margin: '0 auto' }}
          />
        ) : null}
      </Modal>

      <Modal
        open={rejecting !== null}
        title={t('documents.review.rejectTitle')}
        okText={t('documents.review.reject')}
        okButtonProps={{ danger: true }}
        cancelText={t('documents.cancel')}
        confirmLoading={review.isPending}
        onOk={() => rejectForm.submit()}
        onCancel={() => setRejecting(null)}
        forceRender
      >
        <Form
          form={rejectForm}
          layout="vertical"
          onFinish={(v) =>
            rejecting && review.mutate({ id: rejecting.id, decision: 'rejected', reason: v.reason.trim() })
          }
        >
          <Form.Item
            name="reason"
            label={t('documents.review.reason')}
            rules={[{ required: true, whitespace: true, message: t('documents.review.reasonRequired') }]}
          >
            <Input.TextArea
              rows={4}
              maxLength={REASON_CHARS_MAX}
              showCount
              placeholder={t('documents.review.reasonPlaceholder')}
            />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
