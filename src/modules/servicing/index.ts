export { scheduleRoutes } from './schedule.routes.ts';
export { calculateRepaymentSchedule, type RepaymentScheduleRequest } from './schedule.service.ts';
