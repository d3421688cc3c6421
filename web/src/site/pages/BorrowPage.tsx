import { BorrowWizard } from '../borrow/BorrowWizard.tsx';
import { MyApplications } from '../borrow/MyApplications.tsx';

/** 我要借款: the wizard and my applications. */
export function BorrowPage() {
  return (
    <>
      <BorrowWizard />
      <MyApplications />
    </>
  );
}
