import { Card, Empty, Typography } from 'antd';
import type { ReactNode } from 'react';

/** A section of the site with a title, an optional lead paragraph and its content (or an empty state). */
export function SectionPage(props: { title: string; lead?: string; empty?: string; children?: ReactNode }) {
  return (
    <Card>
      <Typography.Title level={2} style={{ marginTop: 0 }}>
        {props.title}
      </Typography.Title>
      {props.lead ? <Typography.Paragraph type="secondary">{props.lead}</Typography.Paragraph> : null}
      {props.children ?? <Empty description={props.empty} />}
    </Card>
  );
}
