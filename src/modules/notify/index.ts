export { messageRoutes } from './messages.routes.ts';
export {
  listMemberMessages,
  MESSAGE_BODY_CHARS_MAX,
  MESSAGE_TITLE_CHARS_MAX,
  type MemberMessage,
  MessageError,
  markMessageRead,
  sendMemberMessage,
} from './messages.service.ts';
