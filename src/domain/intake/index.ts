export { advance } from './advance';
export type {
  IntakeCaller,
  IntakeClicked,
  IntakeEffect,
  IntakeEvent,
  IntakeQuery,
  IntakeStarted,
  IntakeStep,
  LookupOrigin,
  OpenRequestsPurpose,
} from './intake-event';
export type { IntakeAction, IntakeReply, SubjectQuery } from './intake-reply';
export { newExportRequest, requestCreatedEvent, type NewRequestInput } from './new-export-request';
