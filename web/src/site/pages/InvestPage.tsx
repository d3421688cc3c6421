import { HallPage } from '../invest/HallPage.tsx';

/** 我要投资: the financing hall. */
export function InvestPage() {
  return <HallPage />;
}
