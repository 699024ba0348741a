// Intake's use cases, one verb per file; the decisions are the domain's (src/domain/intake).
export { continueIntake } from './continue-intake';
export { runIntake, type IntakeDeps } from './run-intake';
export { startIntake, type StartIntake } from './start-intake';
export { submitIntake } from './submit-intake';
