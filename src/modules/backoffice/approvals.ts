import type { FastifyRequest } from 'fastify';
import type { Trx } from '../../db/database.ts';
import type { Permission } from '../../platform/auth/permissions.ts';
import { assert } from '../../platform/errors.ts';
import type { LocalizedText } from '../../platform/i18n.ts';

/** What a kind's `apply` and `reject` learn about the decision. */
export interface ApprovalContext {
  readonly approvalId: string;
  readonly makerId: string;
  readonly checkerId: string;
  /** The maker's note (why the action is asked for). */
  readonly note: string;
  /** The checker's reason, when given. */
  readonly reason: string | null;
  /** The checker's HTTP request, for the audit entries `apply` writes. */
  readonly request: FastifyRequest | undefined;
}

/**
 * An action that takes effect only when a second staff member approves it (maker-checker).
 * `apply` runs in the transaction that records the approval; throwing an AppError refuses the
 * approval and leaves the request pending. `reject` (optional) undoes preparations on rejection or
 * cancellation (e.g. voids a hold), in that transaction too.
 */
export interface ApprovalKind<P = unknown> {
  readonly name: LocalizedText;
  /** The permission the checker must hold (besides `approvals.decide`). */
  readonly permission: Permission;
  apply(trx: Trx, payload: P, context: ApprovalContext): Promise<void>;
  reject?(trx: Trx, payload: P, context: ApprovalContext): Promise<void>;
}

const KIND_PATTERN = /^[a-z][a-z0-9_.]{1,63}$/;
const registry = new Map<string, ApprovalKind>();

/**
 * Register an approval kind once, at module load (`registerApprovalKind('member.unfreeze', {...})`).
 * Registering the same definition twice is harmless; another definition under a taken name is a bug.
 */
export function registerApprovalKind<P>(kind: string, definition: ApprovalKind<P>): void {
  assert(KIND_PATTERN.test(kind), `approval kind must match ${KIND_PATTERN}: ${kind}`);
  const existing = registry.get(kind);
  assert(
    existing === undefined || existing === (definition as ApprovalKind),
    `approval kind ${kind} is registered twice`,
  );
  registry.set(kind, definition as ApprovalKind);
}

export function approvalKind(kind: string): ApprovalKind | undefined {
  return registry.get(kind);
}

/** Every registered kind with its name and permission (for filters in the back office). */
export function approvalKinds(): { kind: string; name: LocalizedText; permission: Permission }[] {
  return [...registry].map(([kind, d]) => ({ kind, name: d.name, permission: d.permission }));
}
