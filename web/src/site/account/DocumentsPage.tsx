import { DeleteOutlined, DownloadOutlined, InboxOutlined } from '@ant-design/icons';
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Empty,
  Popconfirm,
  Select,
  Space,
  Table,
  Tag,
  Typography,
  Upload,
  type UploadFile,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api } from '../../shared/api.ts';
import { shanghaiTime } from '../../shared/format.ts';
import {
  checkFileBeforeUpload,
  DOCUMENT_KINDS,
  type DocumentItem,
  type DocumentKind,
  type DocumentPage,
  formatBytes,
  STATUS_COLOR,
  UPLOAD_LIMIT_MIB,
  uploadHeaders,
} from './documents-shared.ts';

const LIST_KEY = ['my-documents'] as const;
const PAGE_SIZE = 50;

/** The customer's documents (资料上传): upload with progress, list with review status, delete while pending. */
export function DocumentsPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const client = useQueryClient();
  const [kind, setKind] = useState<DocumentKind | undefined>();
  const [uploads, setUploads] = useState<UploadFile[]>([]);

  const list = useInfiniteQuery({
    queryKey: LIST_KEY,
    initialPageParam: '',
    queryFn: ({ pageParam }) =>
      api<DocumentPage<DocumentItem>>(
        `/api/v1/me/documents?limit=${PAGE_SIZE}${pageParam ? `&cursor=${encodeURIComponent(pageParam)}` : ''}`,
      ),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const remove = useMutation({
    mutationFn: (id: string) => api<void>(`/api/v1/me/documents/${encodeURIComponent(id)}`, { method: 'DELETE' }),
    onSuccess: () => {
      void message.success(t('documents.deleted'));
      void client.invalidateQueries({ queryKey: LIST_KEY });
    },
    onError: (error) => void message.error(error.message),
  });

  if (list.error instanceof ApiError && list.error.status === 401) {
    return (
      <Card title={t('documents.title')}>
        <Empty description={t('documents.signInFirst')} />
      </Card>
    );
  }

  const documents = list.data?.pages.flatMap((p) => p.items) ?? [];
  const limit = UPLOAD_LIMIT_MIB;

  async function beforeUpload(file: File) {
    if (!kind) {
      void message.warning(t('documents.kindRequired'));
      return Upload.LIST_IGNORE;
    }
    const verdict = await checkFileBeforeUpload(file);
    if (verdict === 'ok') return true;
    const text = {
      empty: t('documents.emptyFile', { name: file.name }),
      too_large: t('documents.tooLarge', { name: file.name, limit }),
      type: t('documents.typeNotAllowed', { name: file.name }),
    }[verdict];
    void message.error(text);
    return Upload.LIST_IGNORE;
  }

  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Card title={t('documents.title')}>
        <Typography.Paragraph type="secondary">{t('documents.lead', { limit })}</Typography.Paragraph>
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Select<DocumentKind>
            style={{ width: 260 }}
            placeholder={t('documents.kindPlaceholder')}
            value={kind}
            onChange={setKind}
            aria-label={t('documents.kind')}
            options={DOCUMENT_KINDS.map((k) => ({ value: k, label: t(`documents.kinds.${k}`) }))}
          />
          <Upload.Dragger
            name="file"
            action="/api/v1/me/documents"
            data={kind ? { kind } : {}}
            headers={uploadHeaders()}
            withCredentials
            multiple
            disabled={!kind}
            accept=".jpg,.jpeg,.png,.pdf,image/jpeg,image/png,application/pdf"
            beforeUpload={beforeUpload}
            fileList={uploads}
            onChange={({ file, fileList }) => {
              setUploads(fileList.filter((f) => f.status !== 'done'));
              if (file.status === 'done') {
                void message.success(t('documents.uploaded', { name: file.name }));
                void client.invalidateQueries({ queryKey: LIST_KEY });
              } else if (file.status === 'error') {
                const body = file.response as { error?: { message?: string } } | undefined;
                const reason = body?.error?.message ?? t('common.networkError');
                void message.error(t('documents.uploadFailed', { name: file.name, reason }));
              }
            }}
          >
            <p className="ant-upload-drag-icon">
              <InboxOutlined />
            </p>
            <p className="ant-upload-text">{kind ? t('documents.dropHint') : t('documents.kindRequired')}</p>
            <p className="ant-upload-hint">{t('documents.dropSubHint', { limit })}</p>
          </Upload.Dragger>
        </Space>
      </Card>

      <Card>
        {list.isError ? <Alert type="error" showIcon title={list.error.message} style={{ marginBottom: 16 }} /> : null}
        <Table<DocumentItem>
          rowKey="id"
          loading={list.isPending}
          dataSource={documents}
          pagination={false}
          locale={{ emptyText: <Empty description={t('documents.empty')} /> }}
          scroll={{ x: 760 }}
          columns={[
            {
              title: t('documents.columns.fileName'),
              dataIndex: 'fileName',
              ellipsis: true,
              render: (name: string, d) => (
                <a href={`/api/v1/me/documents/${encodeURIComponent(d.id)}/file`} download>
                  {name}
                </a>
              ),
            },
            {
              title: t('documents.columns.kind'),
              dataIndex: 'kind',
              width: 140,
              render: (k: DocumentKind) => t(`documents.kinds.${k}`),
            },
            {
              title: t('documents.columns.size'),
              dataIndex: 'sizeBytes',
              width: 100,
              align: 'right',
              render: (n: number) => formatBytes(n),
            },
            {
              title: t('documents.columns.uploadedAt'),
              dataIndex: 'createdAt',
              width: 180,
              render: (iso: string) => shanghaiTime(iso),
            },
            {
              title: t('documents.columns.status'),
              dataIndex: 'status',
              width: 200,
              render: (_s, d) => (
                <Space orientation="vertical" size={0}>
                  <Tag color={STATUS_COLOR[d.status]}>{t(`documents.status.${d.status}`)}</Tag>
                  {d.status === 'rejected' && d.reviewReason ? (
                    <Typography.Text type="danger">
                      {t('documents.rejectedReason', { reason: d.reviewReason })}
                    </Typography.Text>
                  ) : null}
                </Space>
              ),
            },
            {
              title: t('documents.columns.actions'),
              key: 'actions',
              width: 180,
              render: (_v, d) => (
                <Space>
                  <Button
                    size="small"
                    icon={<DownloadOutlined />}
                    href={`/api/v1/me/documents/${encodeURIComponent(d.id)}/file`}
                  >
                    {t('documents.download')}
                  </Button>
                  {d.status === 'pending' ? (
                    <Popconfirm
                      title={t('documents.deleteConfirm')}
                      okText={t('documents.delete')}
                      cancelText={t('documents.cancel')}
                      okButtonProps={{ danger: true }}
                      onConfirm={() => remove.mutateAsync(d.id)}
                    >
                      <Button size="small" danger icon={<DeleteOutlined />}>
                        {t('documents.delete')}
                      </Button>
                    </Popconfirm>
                  ) : null}
                </Space>
              ),
            },
          ]}
        />
        {list.hasNextPage ? (
          <Button
            block
            style={{ marginTop: 12 }}
            onClick={() => list.fetchNextPage()}
            loading={list.isFetchingNextPage}
          >
            {t('documents.more')}
          </Button>
        ) : null}
      </Card>
    </Space>
  );
}
