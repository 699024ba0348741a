/** The deadline reminder a request waits for: 7 days and 1 day before the due date, and once overdue. */
export type DeadlineStep = 'week' | 'day' | 'overdue';
