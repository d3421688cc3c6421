import { Card, Typography } from 'antd';
import type { ReactNode } from 'react';

/** A narrow card in the middle of the page for the sign-up, sign-in and reset forms. */
export function AuthCard(props: { title: string; testId: string; lead?: string; children: ReactNode }) {
  return (
    <div style={{ display: 'flex', justifyContent: 'center', padding: '24px 0' }}>
      <Card style={{ width: 440, maxWidth: '100%' }}>
        <Typography.Title level={3} style={{ marginTop: 0 }} data-testid={props.testId}>
          {props.title}
        </Typography.Title>
        {props.lead ? <Typography.Paragraph type="secondary">{props.lead}</Typography.Paragraph> : null}
        {props.children}
      </Card>
    </div>
  );
}
